"""Case files: one claim as TOML, validated with pydantic, merged with CLI flags.

A case file carries the same facts as the flags of `comprobar` plus the people,
the product and the seller's answers that `carta` and `tuit` need. Flags given
on the command line override the file.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reclama.errors import InputError, shown
from reclama.facts import (
    ESCRITO,
    Canal,
    Comunidad,
    Fecha,
    Hechos,
    Meses,
    Remedio,
    Reparacion,
    parse_importe,
)

CASE_SCHEMA_VERSION = 1

Excusa = Literal[
    "marca",
    "siete-dias",
    "procedimientos",
    "solo-reparacion",
    "aviso-tardio",
    "garantia-dos-anos",
    "gastos",
    "vale",
]
EXCUSAS: tuple[str, ...] = Excusa.__args__

TipoEvento = Literal[
    "aviso",
    "respuesta",
    "entrega-reparacion",
    "devolucion",
    "reaparece",
    "desistimiento",
    "conserva",
    "demanda",
    "arbitraje",
    "resuelto",
]


# Empty lists default to `[]`, which pydantic copies per instance: `default_factory=list`
# would make pydantic parse the builtin's signature, a regex compile on every start.
class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# One parser of euros for flags, case files, answers and batch rows (reclama.facts).
parse_precio = parse_importe


class Compra(_Section):
    fecha: Fecha
    entrega: Fecha | None = None
    canal: Canal | None = None
    recepcion: Fecha | None = None
    segunda_mano: bool = False
    garantia_pactada_meses: Meses | None = None
    digital: bool = False
    soporte_material: bool = False
    ejecucion_consentida: bool = False
    sin_informacion_desistimiento: bool = False
    suministro_hasta: Fecha | None = None
    producto: str | None = None
    pedido: str | None = None
    precio: Decimal | None = None

    @field_validator("precio", mode="before")
    @classmethod
    def _precio(cls, v: Any) -> Decimal | None:
        return None if v is None else parse_importe(v)


class Defecto(_Section):
    descubrimiento: Fecha
    descripcion: str | None = None
    leve: bool = False
    grave: bool = False
    # Photos, reports and other evidence of the defect, as the lawsuit lists them among its documents.
    pruebas: list[str] = []


class ReparacionCaso(_Section):
    desde: Fecha
    hasta: Fecha | None = None
    conforme: bool = True


class Reclamacion(_Section):
    remedio: Remedio | None = None
    aviso: Fecha | None = None
    intento_fallido: bool = False
    negativa: bool = False
    respuestas: list[Excusa] = []
    interrupciones: list[Fecha] = []
    reclamaciones: list[Fecha] = []
    desistimiento: Fecha | None = None
    conserva: Fecha | None = None
    contestada: bool = False
    reparaciones: list[ReparacionCaso] = []
    # Replacements: from the consumer's choice to the new unit's delivery (old art. 120 e).
    sustituciones: list[ReparacionCaso] = []
    # Date of the seller's written answer that did not satisfy the claim (LO 1/2025 DA 7.ª).
    respuesta: Fecha | None = None


class Consumidor(_Section):
    nombre: str | None = None
    dni: str | None = None
    domicilio: str | None = None
    email: str | None = None
    telefono: str | None = None
    comunidad: Comunidad | None = None

    @field_validator("dni")
    @classmethod
    def _dni(cls, v: str | None) -> str | None:
        if v is None:
            return None
        from stdnum.es import dni, nie

        for mod in (dni, nie):
            if mod.is_valid(v):
                return mod.compact(v)
        raise ValueError(f"«{v}» no es un DNI ni un NIE válido (compruebe la letra de control)")


class Representante(_Section):
    nombre: str | None = None
    colegiado: str | None = None


class Vendedor(_Section):
    nombre: str | None = None
    cif: str | None = None
    domicilio: str | None = None
    email: str | None = None
    usuario: str | None = None  # the older single field: the X account (reclama.social.usuario_en)
    usuario_x: str | None = None
    usuario_mastodon: str | None = None
    usuario_bluesky: str | None = None
    gran_empresa: bool = False
    # The ADR entity the seller names (Ley 7/2017), for the arbitration request's alternative.
    entidad_adr: str | None = None

    @field_validator("usuario_x", "usuario_mastodon", "usuario_bluesky")
    @classmethod
    def _usuario_red(cls, v: str | None, info: ValidationInfo) -> str | None:
        """Each network's account in the shape its mentions take; stored without the '@'."""
        if v is None:
            return None
        from reclama.cuentas import usuario_valido

        return usuario_valido(info.field_name.removeprefix("usuario_"), v)

    @field_validator("cif")
    @classmethod
    def _cif(cls, v: str | None) -> str | None:
        if v is None:
            return None
        from stdnum.es import nif

        if nif.is_valid(v):
            return nif.compact(v)
        raise ValueError(f"«{v}» no es un CIF/NIF válido (compruebe el dígito de control)")

    @field_validator("usuario")
    @classmethod
    def _usuario(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = v.lstrip("@")
        if not re.fullmatch(r"[A-Za-z0-9_.\-@]{1,64}", v):
            raise ValueError(f"«{v}» no es un nombre de usuario de red social válido")
        return v


class Carta(_Section):
    lugar: str | None = None


TIPOS_EVENTO: tuple[str, ...] = TipoEvento.__args__

# Fields an event of each type may carry besides tipo, fecha and nota (see docs/casos.md).
CAMPOS_EVENTO: dict[str, tuple[str, ...]] = {
    "aviso": ("canal", "prueba_recepcion", "remedio"),
    "respuesta": ("canal", "respuestas", "negativa"),
    "desistimiento": ("canal",),  # the consumer must prove the withdrawal (art. 106.4)
    "devolucion": ("reparado",),
}


class Evento(_Section):
    """Something that happened in the claim (see `reclama caso evento` and reclama.timeline)."""

    tipo: TipoEvento
    fecha: Fecha
    canal: str | None = None
    prueba_recepcion: bool | None = None
    remedio: Remedio | None = None
    respuestas: list[Excusa] = []
    negativa: bool | None = None
    reparado: bool | None = None
    nota: str | None = None

    @model_validator(mode="after")
    def _fields_of_type(self) -> Evento:
        allowed = CAMPOS_EVENTO.get(self.tipo, ())
        for name in ("canal", "prueba_recepcion", "remedio", "respuestas", "negativa", "reparado"):
            if getattr(self, name) not in (None, []) and name not in allowed:
                raise ValueError(f"«{name}» no se aplica a un suceso «{self.tipo}»")
        if self.tipo == "devolucion" and self.reparado is None:
            raise ValueError(
                "indique si el producto volvió conforme (reparado = true) o no (reparado = false)"
            )
        return self


class Caso(_Section):
    """A whole claim: the facts for the rules, and the people and texts for letters."""

    version_esquema: int = CASE_SCHEMA_VERSION
    compra: Compra
    defecto: Defecto
    reclamacion: Reclamacion = Field(default_factory=Reclamacion)
    consumidor: Consumidor = Field(default_factory=Consumidor)
    representante: Representante = Field(default_factory=Representante)
    vendedor: Vendedor = Field(default_factory=Vendedor)
    carta: Carta = Field(default_factory=Carta)
    eventos: list[Evento] = []
    # True once the events are folded into `reclamacion` (reclama.timeline.apply_events).
    _eventos_aplicados: bool = PrivateAttr(default=False)
    # Where its values came from, to name them as the user wrote them (see relabel).
    _origen: Origen | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Same facts, whatever file or flags they came from."""
        if not isinstance(other, Caso):
            return NotImplemented
        return self.__dict__ == other.__dict__ and (
            self._eventos_aplicados == other._eventos_aplicados
        )

    def hechos(self) -> Hechos:
        """The facts the rules engine needs, with what the events say folded in."""
        from reclama.timeline import apply_events

        caso = apply_events(self)
        c, d, r = caso.compra, caso.defecto, caso.reclamacion
        return Hechos(
            fecha_compra=c.fecha,
            fecha_entrega=c.entrega,
            fecha_descubrimiento=d.descubrimiento,
            remedio=r.remedio,
            fecha_aviso=r.aviso,
            segunda_mano=c.segunda_mano,
            garantia_pactada_meses=c.garantia_pactada_meses,
            digital=c.digital,
            leve=d.leve,
            grave=d.grave,
            intento_fallido=r.intento_fallido,
            negativa=r.negativa,
            reparaciones=tuple(
                Reparacion(desde=x.desde, hasta=x.hasta, conforme=x.conforme) for x in r.reparaciones
            )
            + tuple(
                Reparacion(desde=x.desde, hasta=x.hasta, conforme=x.conforme, sustitucion=True)
                for x in r.sustituciones
            ),
            interrupciones=tuple(r.interrupciones),
            reclamaciones=tuple(r.reclamaciones),
            canal=c.canal,
            fecha_recepcion=c.recepcion,
            fecha_desistimiento=r.desistimiento,
            fecha_conserva=r.conserva,
            soporte_material=c.soporte_material,
            ejecucion_consentida=c.ejecucion_consentida,
            sin_informacion_desistimiento=c.sin_informacion_desistimiento,
            suministro_hasta=c.suministro_hasta,
            # An answer on file (dated or not) shows the seller received the claim.
            respuesta_vendedor=r.contestada
            or bool(r.respuestas)
            or any(ev.tipo == "respuesta" for ev in caso.eventos),
            fecha_respuesta=r.respuesta,
            gran_empresa=caso.vendedor.gran_empresa,
            comunidad=caso.consumidor.comunidad,
        )


# Flag name (without --) -> (section, field) in the case file.
FLAG_FIELDS: dict[str, tuple[str, str]] = {
    "compra": ("compra", "fecha"),
    "entrega": ("compra", "entrega"),
    "canal": ("compra", "canal"),
    "recepcion": ("compra", "recepcion"),
    "segunda-mano": ("compra", "segunda_mano"),
    "garantia-pactada": ("compra", "garantia_pactada_meses"),
    "digital": ("compra", "digital"),
    "soporte-material": ("compra", "soporte_material"),
    "ejecucion-consentida": ("compra", "ejecucion_consentida"),
    "sin-informacion-desistimiento": ("compra", "sin_informacion_desistimiento"),
    "suministro-hasta": ("compra", "suministro_hasta"),
    "producto": ("compra", "producto"),
    "pedido": ("compra", "pedido"),
    "precio": ("compra", "precio"),
    "descubrimiento": ("defecto", "descubrimiento"),
    "defecto": ("defecto", "descripcion"),
    "leve": ("defecto", "leve"),
    "grave": ("defecto", "grave"),
    "remedio": ("reclamacion", "remedio"),
    "aviso": ("reclamacion", "aviso"),
    "intento-fallido": ("reclamacion", "intento_fallido"),
    "negativa": ("reclamacion", "negativa"),
    "respuesta": ("reclamacion", "respuestas"),
    "interrupcion": ("reclamacion", "interrupciones"),
    "desistimiento": ("reclamacion", "desistimiento"),
    "conserva": ("reclamacion", "conserva"),
    "contestada": ("reclamacion", "contestada"),
    "reparacion": ("reclamacion", "reparaciones"),
    "sustitucion": ("reclamacion", "sustituciones"),
    "nombre": ("consumidor", "nombre"),
    "dni": ("consumidor", "dni"),
    "domicilio": ("consumidor", "domicilio"),
    "email": ("consumidor", "email"),
    "telefono": ("consumidor", "telefono"),
    "representante": ("representante", "nombre"),
    "colegiado": ("representante", "colegiado"),
    "vendedor": ("vendedor", "nombre"),
    "cif": ("vendedor", "cif"),
    "domicilio-vendedor": ("vendedor", "domicilio"),
    "email-vendedor": ("vendedor", "email"),
    "usuario-vendedor": ("vendedor", "usuario"),
    "usuario-x": ("vendedor", "usuario_x"),
    "usuario-mastodon": ("vendedor", "usuario_mastodon"),
    "usuario-bluesky": ("vendedor", "usuario_bluesky"),
    "gran-empresa": ("vendedor", "gran_empresa"),
    "entidad-adr": ("vendedor", "entidad_adr"),
    "comunidad": ("consumidor", "comunidad"),
    "contestacion": ("reclamacion", "respuesta"),
    "lugar": ("carta", "lugar"),
}
_FIELD_FLAGS = {v: k for k, v in FLAG_FIELDS.items()}


# A case file is a few KB; a thousand events take about 100 KB. Reading stops here,
# so `--caso /dev/zero` or a wrong 4 GB file is refused at once.
MAX_CASO_BYTES = 1 << 20
MAX_ANIDAMIENTO = 8  # the schema nests 4 levels ([[eventos]] -> respuestas); TOML bombs go deeper
_OS_ES = {
    "EACCES": "no tiene permiso para leerlo",
    "EPERM": "no tiene permiso para leerlo",
    "EISDIR": "es una carpeta, no un fichero",
    "ENOTDIR": "una parte de la ruta no es una carpeta",
    "ENAMETOOLONG": "el nombre es demasiado largo",
    "ELOOP": "hay un ciclo de enlaces simbólicos",
    "EIO": "error de lectura del disco",
}


def os_error(e: OSError) -> str:
    """An OS error in Spanish (the system's own text may be English)."""
    import errno

    name = errno.errorcode.get(e.errno or 0, "")
    return _OS_ES.get(name, f"error del sistema ({name or e.errno})")


def read_case_text(path: Path, campo: str | None = None) -> str:
    """The text of a case file, at most MAX_CASO_BYTES, decoded as UTF-8 (a BOM is accepted).

    Raises:
        InputError: missing, unreadable, too big or not UTF-8; named `campo` (the file by default).
    """
    path = Path(path)
    name = campo or str(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_CASO_BYTES + 1)
    except FileNotFoundError:
        raise InputError(name, f"no existe el fichero {path}") from None
    except OSError as e:
        raise InputError(name, f"no se puede leer {path}: {os_error(e)}") from None
    if len(raw) > MAX_CASO_BYTES:
        raise InputError(
            name, f"{path} ocupa más de {MAX_CASO_BYTES >> 20} MiB: no es un fichero de caso"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            f"{path}, línea {line}", "el fichero no está en UTF-8; guárdelo con esa codificación"
        ) from None


# tomllib's and tomlkit's messages, in the order they are tried (first match wins).
_TOML_ES = (
    ("Cannot overwrite a value", "un dato repetido: esta clave ya tiene valor más arriba"),
    ("already exists", "un dato repetido: esta clave o sección ya aparece más arriba"),
    ("Duplicate inline table key", "un dato repetido dentro de la tabla { }"),
    ("Cannot declare", "una sección repetida: ya está declarada más arriba"),
    ("Cannot mutate immutable namespace", "no se puede añadir a una tabla ya cerrada"),
    ("Cannot redefine namespace", "una sección redefinida"),
    ("Invalid date", "una fecha no válida (AAAA-MM-DD)"),
    ("Invalid value", "un valor no válido (¿faltan las comillas de un texto?)"),
    ("Expected '=' after a key", "falta «=» después del nombre del dato"),
    ("Expected ']]'", "falta «]]» al final de la sección"),
    ("Expected ']'", "falta «]» al final de la sección"),
    ("Expected newline or end of document", "sobra texto después del valor (uno por línea)"),
    ("Unclosed array", "falta «]» para cerrar la lista"),
    ("Unclosed inline table", "falta «}» para cerrar la tabla"),
    ("Unterminated string", "falta la comilla que cierra el texto"),
    ("Expected", "falta un carácter (¿una comilla o un corchete sin cerrar?)"),
    ("Control characters", "un carácter de control dentro de un texto"),
    ("Illegal character", "un carácter no permitido"),
    ("Found invalid character", "un carácter no permitido"),
    ("Invalid initial character for a key", "un nombre de dato con un carácter no válido"),
    ("Unescaped '\\'", "una barra invertida \\ sin escapar (escriba \\\\ o use comillas simples)"),
    ("Invalid hex value", "una secuencia de escape no válida"),
    ("Escaped character", "una secuencia de escape no válida"),
    ("nested more than", "demasiados niveles de anidamiento"),
    ("Unexpected character", "un carácter inesperado"),
    ("Invalid statement", "una línea que no es ni «clave = valor» ni una [sección]"),
)


def toml_error(path: Path, text: str, e: Exception) -> InputError:
    """A TOML parser error (tomllib or tomlkit) as a Spanish message naming the file and line."""
    message = str(e)
    es = next((es for en, es in _TOML_ES if en in message), "sintaxis no válida")
    line = getattr(e, "line", None)  # tomlkit
    if m := re.search(r"at line (\d+)", message):  # tomllib
        line = int(m.group(1))
    elif "end of document" in message:
        line = text.count("\n") + 1
    where = f"{path}, línea {line}" if line else str(path)
    return InputError(where, f"TOML no válido: {es}")


def _depth(value: Any) -> int:
    """Nesting depth of parsed TOML, without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, level + 1) for v in item]
    return deepest


def parse_case_toml(path: Path, text: str) -> dict[str, Any]:
    """The TOML of a case file; errors (syntax, repeated keys, nesting bombs) name file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise toml_error(path, text, e) from None
    except RecursionError:
        raise InputError(str(path), "TOML no válido: demasiados niveles de anidamiento") from None
    if _depth(data) > MAX_ANIDAMIENTO:
        raise InputError(
            str(path),
            f"demasiados niveles de anidamiento (un caso tiene como mucho {MAX_ANIDAMIENTO})",
        )
    return data


def read_case_data(path: Path, campo: str | None = None) -> tuple[dict[str, Any], str]:
    """The raw TOML of a case file and its text (for line numbers in errors).

    `campo` names the file in "not found"-type errors (the flag `--caso`, say); by default
    the file itself, as for a positional argument.
    """
    text = read_case_text(path, campo)
    return parse_case_toml(Path(path), text), text


# Schema 0, the first drafts of case files: flat top-level keys instead of sections.
_V0_KEYS: dict[str, tuple[str, str]] = {
    "fecha_compra": ("compra", "fecha"),
    "fecha_entrega": ("compra", "entrega"),
    "canal": ("compra", "canal"),
    "producto": ("compra", "producto"),
    "precio": ("compra", "precio"),
    "fecha_descubrimiento": ("defecto", "descubrimiento"),
    "defecto": ("defecto", "descripcion"),
    "remedio": ("reclamacion", "remedio"),
    "fecha_aviso": ("reclamacion", "aviso"),
    "vendedor": ("vendedor", "nombre"),
    "consumidor": ("consumidor", "nombre"),
}


def _is_v0(data: MutableMapping[str, Any]) -> bool:
    return any(k in data and not isinstance(data[k], MutableMapping) for k in _V0_KEYS)


def upgrade(
    data: MutableMapping[str, Any], table: Callable[[], MutableMapping[str, Any]] = dict
) -> MutableMapping[str, Any]:
    """Bring an older case file to the current schema, in place; the result is returned.

    Schema 0 (`version_esquema = 0`, or no version and flat keys such as `fecha_compra`)
    kept the facts as top-level keys; they move into their sections. `table` makes a new
    section (a tomlkit table when the file is updated, so its comments survive).

    Raises:
        InputError: a version that is not a number, or newer than this reclama knows.
    """
    version = data.get("version_esquema")
    if version is None:
        version = 0 if _is_v0(data) else CASE_SCHEMA_VERSION
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise InputError("version_esquema", f"versión de esquema no válida: {version!r}")
    if version > CASE_SCHEMA_VERSION:
        raise InputError(
            "version_esquema",
            f"el fichero usa el esquema {version}, más nuevo que el de esta versión de reclama "
            f"({CASE_SCHEMA_VERSION}); actualice reclama",
        )
    if version == 0:
        for key, (section, field) in _V0_KEYS.items():
            if key not in data or isinstance(data[key], MutableMapping):
                continue
            value = data.pop(key)
            if section not in data:
                data[section] = table()
            if not isinstance(data[section], MutableMapping):
                raise InputError(section, f"[{section}] debe ser una tabla")
            data[section][field] = value
    data["version_esquema"] = CASE_SCHEMA_VERSION
    return data


@dataclass(frozen=True)
class Origen:
    """Where a case's values came from: a file (and its text) and the flags typed."""

    fichero: Path | None = None
    texto: str = ""
    flags: frozenset[tuple[str, str]] = frozenset()
    eventos: tuple[tuple[str, date | None], ...] = ()  # (tipo, fecha) in file order

    def event(self, indice: int) -> str:
        """`FICHERO, línea N, suceso n.º K`: the event's `[[eventos]]` table."""
        line = _line_of(self.texto, ["eventos", indice, "tipo"])
        return _where(self.fichero, line, f"suceso n.º {indice + 1}")

    def name(self, section: str, field: str, fecha: date | None = None) -> str:
        """Where the user wrote `section.field`: the flag, the file line, or its event."""
        flag = _FIELD_FLAGS.get((section, field))
        if (section, field) in self.flags or self.fichero is None:
            return f"--{flag}" if flag else f"{section}.{field}"
        line = _key_line(self.texto, section, field)
        tipos = _FED_BY.get((section, field), ())
        if line is None and tipos:
            hits = [i for i, (t, f) in enumerate(self.eventos) if t in tipos and fecha in (None, f)]
            if hits:
                return self.event(hits[-1])
        if line is None:
            line = _line_of(self.texto, [section])
        return _where(self.fichero, line, f"campo {section}.{field}")


# The reclamacion facts events bring in (reclama.timeline.apply_events).
_FED_BY: dict[tuple[str, str], tuple[str, ...]] = {
    ("reclamacion", "aviso"): ("aviso",),
    ("reclamacion", "reclamaciones"): ("aviso",),
    ("reclamacion", "interrupciones"): ("aviso",),
    ("reclamacion", "remedio"): ("aviso",),
    ("reclamacion", "respuestas"): ("respuesta",),
    ("reclamacion", "negativa"): ("respuesta",),
    ("reclamacion", "reparaciones"): ("entrega-reparacion", "devolucion"),
    ("reclamacion", "intento_fallido"): ("devolucion", "reaparece"),
    ("reclamacion", "desistimiento"): ("desistimiento",),
}

# The origin of the case the running command loaded last, for reclama.cli.commands._common.
ORIGEN: ContextVar[Origen | None] = ContextVar("reclama_origen", default=None)


def _where(fichero: Path | None, line: int | None, what: str) -> str:
    return f"{fichero}, línea {line}, {what}" if line else f"{fichero}, {what}"


def _fact_key(e: InputError) -> tuple[str, str] | None:
    if e.clave:
        section, _, field = e.clave.partition(".")
        return section, field
    return FLAG_FIELDS.get(e.campo.removeprefix("--")) if e.campo.startswith("--") else None


def relabel(e: InputError, origen: Origen | None) -> InputError:
    """The error with each fact named as the user wrote it (flag, or file line and field).

    The core names a fact by its flag and its case-file key; a case read from a file
    must not be blamed on a flag the user never typed.
    """
    if origen is None or origen.fichero is None:
        return e
    out = []
    for p in e.errores:
        indice = getattr(p, "indice", None)  # a reclama.timeline.EventoError
        if indice is not None:
            out.append(InputError(f"{origen.event(indice)} ({p.detalle})", p.mensaje))  # type: ignore[attr-defined]
            continue
        key = _fact_key(p)
        if key is None:
            out.append(p)
            continue
        campo = origen.name(*key, fecha=p.fecha)
        mensaje = p.mensaje
        flag = _FIELD_FLAGS.get(key)
        hinted = "(" in mensaje  # the message already says where to write it
        if mensaje.startswith("falta") and flag and not campo.startswith("--") and not hinted:
            mensaje += f" (añádalo al fichero o use --{flag})"
        out.append(InputError(campo, mensaje, clave=p.clave, fecha=p.fecha))
    return InputError.todos(out)


def _set_origin(caso: Caso, origen: Origen) -> Caso:
    caso._origen = origen
    ORIGEN.set(origen)
    return caso


def build_case(
    data: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    source: Path | None = None,
    text: str | None = None,
) -> Caso:
    """Validate a case from file data plus flag overrides (flag name -> value).

    The events are folded into `reclamacion` (reclama.timeline): the file's own
    values come first, then what the events add, and the flags win over both.

    Raises:
        InputError: every problem, each naming the flag, or the file, line and field.
    """
    given = frozenset(
        FLAG_FIELDS[f] for f, v in (overrides or {}).items() if v not in (None, [], False)
    )
    raw_events = (data or {}).get("eventos")
    origen = Origen(
        fichero=source,
        texto=text or "",
        flags=given,
        eventos=tuple(
            (ev.get("tipo"), ev.get("fecha")) if isinstance(ev, dict) else ("", None)
            for ev in (raw_events if isinstance(raw_events, list) else [])
        ),
    )
    try:
        merged: dict[str, Any] = dict(upgrade(copy.deepcopy(dict(data or {}))))
    except InputError as e:
        line = _line_of(origen.texto, [e.campo])
        campo = _where(source, line, f"campo {e.campo}") if source else e.campo
        raise InputError(campo, e.mensaje) from None
    for flag, value in (overrides or {}).items():
        if value is None or value == [] or value is False:
            continue
        section, field = FLAG_FIELDS[flag]
        merged.setdefault(section, {})
        if not isinstance(merged[section], dict):
            raise InputError(origen.name(section, field), f"[{section}] debe ser una tabla")
        merged[section] = {**merged[section], field: value}
    merged.setdefault("compra", {})
    merged.setdefault("defecto", {})
    try:
        caso = Caso.model_validate(merged)
    except ValidationError as e:
        raise validation_error(e, origen) from None
    if not caso.eventos:
        caso._eventos_aplicados = True
        return _set_origin(caso, origen)
    from reclama.timeline import EventoError, apply_events

    try:
        folded = apply_events(caso)
    except EventoError as e:
        raise relabel(e, origen) from None
    if overrides:
        data2 = folded.model_dump()
        for flag, value in overrides.items():
            if value is None or value == [] or value is False:
                continue
            section, field = FLAG_FIELDS[flag]
            data2[section][field] = merged[section][field]
        folded = Caso.model_validate(data2)
        folded._eventos_aplicados = True
    return _set_origin(folded, origen)


def load_case(
    path: Path, overrides: dict[str, Any] | None = None, campo: str | None = None
) -> Caso:
    """Read and validate a case file; `campo` names the file if it cannot be read (`--caso`)."""
    data, text = read_case_data(path, campo)
    return build_case(data, overrides, source=Path(path), text=text)


_MESSAGES = {
    "missing": "falta este dato obligatorio",
    "extra_forbidden": "campo desconocido",
    "date_from_datetime_parsing": "no es una fecha (AAAA-MM-DD)",
    "date_from_datetime_inexact": "lleva hora; escriba solo la fecha (AAAA-MM-DD)",
    "date_parsing": "no es una fecha (AAAA-MM-DD)",
    "date_type": "no es una fecha (AAAA-MM-DD)",
    "bool_type": "debe ser true o false",
    "bool_parsing": "debe ser true o false",
    "int_type": "debe ser un número entero",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "int_parsing_size": "es un número demasiado grande",
    "greater_than_equal": "no puede ser negativo",
    "string_type": "debe ser un texto (entre comillas)",
    "list_type": "debe ser una lista [ ]",
    "model_type": "debe ser una tabla (una [sección])",
    "model_attributes_type": "debe ser una tabla (una [sección])",
    "dict_type": "debe ser una tabla (una [sección])",
    "decimal_type": "debe ser un importe en euros",
    "decimal_parsing": "debe ser un importe en euros",
}
MAX_PROBLEMAS = 20  # a file with 5,000 bad events is reported by its first problems


def validation_error(e: ValidationError, origen: Origen) -> InputError:
    """Every pydantic error in Spanish, each naming the flag or `FICHERO, línea N, campo X`."""
    found = []
    errors = e.errors(include_url=False)
    for err in errors[:MAX_PROBLEMAS]:
        loc = [x for x in err["loc"] if isinstance(x, int) or "[" not in x]
        campo, mensaje = _campo(loc, origen), _mensaje(err)
        flag = _FIELD_FLAGS.get(tuple(loc[:2]))  # type: ignore[arg-type]
        if err["type"] == "missing" and flag and not campo.startswith("--"):
            mensaje += f" (añádalo al fichero o use --{flag})"
        found.append(InputError(campo, mensaje))
    if len(errors) > MAX_PROBLEMAS:
        found.append(
            InputError(
                str(origen.fichero or "caso"),
                f"y {len(errors) - MAX_PROBLEMAS} problemas más; corrija los anteriores primero",
            )
        )
    return InputError.todos(found)


def _campo(loc: list[Any], origen: Origen) -> str:
    if len(loc) >= 2 and all(isinstance(x, str) for x in loc[:2]):
        section, field = loc[0], loc[1]
        if (section, field) in origen.flags or origen.fichero is None:
            flag = _FIELD_FLAGS.get((section, field))
            if flag:
                return f"--{flag}"
    if origen.fichero is None:
        return _label(loc)
    return _where(origen.fichero, _line_of(origen.texto, loc), _label(loc))


def _label(loc: list[Any]) -> str:
    """`suceso n.º 2, campo fecha` or `campo reclamacion.reparaciones n.º 1, desde` (from 1)."""
    if len(loc) >= 2 and loc[0] == "eventos" and isinstance(loc[1], int):
        rest = _label(loc[2:]) if loc[2:] else ""
        return f"suceso n.º {loc[1] + 1}" + (f", {rest}" if rest else "")
    out = ""
    for x in loc:
        if isinstance(x, int):
            out += f" n.º {x + 1}"
        else:
            out += (", " if out and out[-1].isdigit() else "." if out else "") + str(x)
    return f"campo {out}" if out else ""


def _mensaje(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", "valor no válido"))
    if kind == "literal_error":
        expected = re.sub(
            r"'([^']*)'", lambda m: ESCRITO.get(m.group(1), m.group(1)), str(ctx.get("expected", ""))
        ).replace(" or ", " o ")
        return f"valor no admitido («{shown(err.get('input'))}»); use uno de: {expected}"
    if kind == "less_than_equal":
        return f"no puede pasar de {ctx.get('le')}"
    return _MESSAGES.get(kind, "valor no válido")


def _key_line(text: str, section: str, field: str) -> int | None:
    """The line of `field = ...` inside `[section]` (or `section.field = ...`), if written."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(#.*)?$")
    key = re.compile(rf"^\s*{re.escape(field)}\s*=")
    dotted = re.compile(rf"^\s*{re.escape(section)}\s*\.\s*{re.escape(field)}\s*=")
    inside = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
        elif (inside and key.match(line)) or dotted.match(line):
            return i + 1
    return None


def _line_of(text: str, loc: list[Any]) -> int | None:
    """Best-effort line number of a location in TOML text, for error messages.

    `["eventos", 2, "fecha"]` is looked up in the third `[[eventos]]` table; a top-level
    key (`version_esquema`) on its own line.
    """
    if not loc:
        return None
    lines = text.splitlines()
    section = str(loc[0])
    rest = list(loc[1:])
    nth = 0
    if rest and isinstance(rest[0], int):
        nth = rest.pop(0)
    field = next((str(x) for x in rest if isinstance(x, str)), None)
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
    starts = [i for i, line in enumerate(lines) if header.match(line)]
    if not starts:
        top = re.compile(rf"^\s*{re.escape(section)}\s*=")
        for i, line in enumerate(lines):
            if line.lstrip().startswith("["):
                break
            if top.match(line):
                return i + 1
        return None
    if len(starts) <= nth:
        return None
    start = starts[nth]
    if field is None:
        return start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if re.match(rf"^\s*{re.escape(field)}\s*=", lines[i]):
            return i + 1
    return start + 1
