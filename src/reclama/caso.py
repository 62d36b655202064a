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
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from reclama.errors import InputError
from reclama.facts import Canal, Hechos, Remedio, Reparacion

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
    "resuelto",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def parse_precio(value: Any) -> Decimal:
    """Money as Decimal from '1299.00', '1.299,00', '1299,5' or a TOML number; never float maths."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("el precio debe ser un importe")
    text = str(value).strip().replace("€", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"«{value}» no es un importe (ejemplo: 1299.00 o 1.299,00)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("el precio debe ser un importe positivo")
    return amount.quantize(Decimal("0.01"))


class Compra(_Section):
    fecha: date
    entrega: date | None = None
    canal: Canal | None = None
    recepcion: date | None = None
    segunda_mano: bool = False
    garantia_pactada_meses: int | None = Field(default=None, ge=0)
    digital: bool = False
    producto: str | None = None
    pedido: str | None = None
    precio: Decimal | None = None

    @field_validator("precio", mode="before")
    @classmethod
    def _precio(cls, v: Any) -> Decimal | None:
        return None if v is None else parse_precio(v)


class Defecto(_Section):
    descubrimiento: date
    descripcion: str | None = None
    leve: bool = False
    grave: bool = False


class ReparacionCaso(_Section):
    desde: date
    hasta: date | None = None
    conforme: bool = True


class Reclamacion(_Section):
    remedio: Remedio | None = None
    aviso: date | None = None
    intento_fallido: bool = False
    negativa: bool = False
    respuestas: list[Excusa] = Field(default_factory=list)
    interrupciones: list[date] = Field(default_factory=list)
    reclamaciones: list[date] = Field(default_factory=list)
    desistimiento: date | None = None
    reparaciones: list[ReparacionCaso] = Field(default_factory=list)


class Consumidor(_Section):
    nombre: str | None = None
    dni: str | None = None
    domicilio: str | None = None
    email: str | None = None
    telefono: str | None = None

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
    usuario: str | None = None

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
    "devolucion": ("reparado",),
}


class Evento(_Section):
    """Something that happened in the claim (see `reclama caso evento` and reclama.timeline)."""

    tipo: TipoEvento
    fecha: date
    canal: str | None = None
    prueba_recepcion: bool | None = None
    remedio: Remedio | None = None
    respuestas: list[Excusa] = Field(default_factory=list)
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
    eventos: list[Evento] = Field(default_factory=list)
    # True once the events are folded into `reclamacion` (reclama.timeline.apply_events).
    _eventos_aplicados: bool = PrivateAttr(default=False)

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
            ),
            interrupciones=tuple(r.interrupciones),
            reclamaciones=tuple(r.reclamaciones),
            canal=c.canal,
            fecha_recepcion=c.recepcion,
            fecha_desistimiento=r.desistimiento,
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
    "reparacion": ("reclamacion", "reparaciones"),
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
    "lugar": ("carta", "lugar"),
}
_FIELD_FLAGS = {v: k for k, v in FLAG_FIELDS.items()}


def read_case_data(path: Path) -> tuple[dict[str, Any], str]:
    """The raw TOML of a case file and its text (for line numbers in errors)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("--caso", f"no existe el fichero {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError("--caso", f"no se puede leer {path}: {e}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise InputError("--caso", f"{path}: TOML no válido ({e})") from None


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
        InputError: naming the flag (and the file line, when it came from a file).
    """
    merged: dict[str, Any] = dict(upgrade(copy.deepcopy(dict(data or {}))))
    for flag, value in (overrides or {}).items():
        if value is None or value == [] or value is False:
            continue
        section, field = FLAG_FIELDS[flag]
        merged.setdefault(section, {})
        if not isinstance(merged[section], dict):
            raise InputError(section, f"[{section}] debe ser una tabla")
        merged[section] = {**merged[section], field: value}
    merged.setdefault("compra", {})
    merged.setdefault("defecto", {})
    try:
        caso = Caso.model_validate(merged)
    except ValidationError as e:
        given = {FLAG_FIELDS[f] for f, v in (overrides or {}).items() if v not in (None, [], False)}
        raise _input_error(e, source, text, given) from None
    if not caso.eventos:
        caso._eventos_aplicados = True
        return caso
    from reclama.timeline import EventoError, apply_events

    try:
        folded = apply_events(caso)
    except EventoError as e:
        campo = e.campo
        if source is not None:
            line = _line_of(text or "", ["eventos", str(e.indice), "tipo"])
            campo += f" ({source}" + (f", línea {line})" if line else ")")
        raise InputError(campo, e.mensaje) from None
    if overrides:
        data2 = folded.model_dump()
        for flag, value in overrides.items():
            if value is None or value == [] or value is False:
                continue
            section, field = FLAG_FIELDS[flag]
            data2[section][field] = merged[section][field]
        folded = Caso.model_validate(data2)
        folded._eventos_aplicados = True
    return folded


def load_case(path: Path, overrides: dict[str, Any] | None = None) -> Caso:
    data, text = read_case_data(path)
    return build_case(data, overrides, source=path, text=text)


_MESSAGES = {
    "missing": "falta este dato obligatorio",
    "extra_forbidden": "campo desconocido",
    "date_from_datetime_parsing": "no es una fecha (AAAA-MM-DD)",
    "date_parsing": "no es una fecha (AAAA-MM-DD)",
    "date_type": "no es una fecha (AAAA-MM-DD)",
    "literal_error": "valor no admitido",
    "bool_type": "debe ser true o false",
    "bool_parsing": "debe ser true o false",
    "int_type": "debe ser un número entero",
    "int_parsing": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "greater_than_equal": "no puede ser negativo",
    "string_type": "debe ser un texto",
    "list_type": "debe ser una lista",
    "model_type": "debe ser una tabla",
}


def _input_error(
    e: ValidationError,
    source: Path | None,
    text: str | None,
    from_flags: set[tuple[str, str]] = frozenset(),  # type: ignore[assignment]
) -> InputError:
    err = e.errors()[0]
    loc = [str(x) for x in err["loc"]]
    key = tuple(loc[:2]) if len(loc) >= 2 else (loc[0], "") if loc else ("", "")
    flag = _FIELD_FLAGS.get(key)  # type: ignore[arg-type]
    campo = f"--{flag}" if flag else ".".join(loc)
    if err["type"] == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
    elif err["type"] == "literal_error":
        expected = str(err["ctx"]["expected"]).replace(" or ", " o ")
        msg = f"valor no admitido; use uno de: {expected}"
    else:
        msg = _MESSAGES.get(err["type"], err["msg"])
    if source is not None and key not in from_flags:
        where = f"{source}"
        line = _line_of(text or "", loc)
        if line:
            where += f", línea {line}"
        campo = f"{'.'.join(loc)} ({where})"
    return InputError(campo, msg)


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best-effort line number of a dotted key in TOML text, for error messages.

    `eventos.2.fecha` is looked up in the third `[[eventos]]` table.
    """
    if not loc:
        return None
    lines = text.splitlines()
    section = loc[0]
    rest = loc[1:]
    nth = 0
    if rest and rest[0].isdigit():
        nth = int(rest[0])
        rest = rest[1:]
    field = rest[-1] if rest else None
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(#.*)?$")
    starts = [i for i, line in enumerate(lines) if header.match(line)]
    if len(starts) <= nth:
        return None
    start = starts[nth]
    if field is None or field.isdigit():
        return start + 1
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if re.match(rf"^\s*{re.escape(field)}\s*=", lines[i]):
            return i + 1
    return start + 1
