"""The case model: one claim's facts, people and history, validated with pydantic.

A case carries the same facts as the flags of `comprobar` plus the people, the
product and the dated history (`eventos`) that `carta` and `tuit` need. No file
I/O here: reclama.casefile reads and writes case files, reclama.timeline folds
the events into the facts. Error messages name each value where the user wrote it.
"""

from __future__ import annotations

import re
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

from reclama.datos import Dato, declarados
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
    codigo,
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
# As a case file or an option takes them: `Respuesta`, `entrega reparación` are fine.
ExcusaEscrita = codigo(EXCUSAS)
TipoEscrito = codigo(TipoEvento.__args__)


# Empty lists default to `[]`, which pydantic copies per instance: `default_factory=list`
# would make pydantic parse the builtin's signature, a regex compile on every start.
class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# One parser of euros for flags, case files, answers and batch rows (reclama.facts).
parse_precio = parse_importe


def _dato(
    default: Any, descripcion: str, *, flag: str | None = None, pregunta: str | None = None
) -> Any:
    """A case fact's field: its description, and its flag (= batch column) and question.

    Why: the option help, the batch columns, `caso nuevo` and docs/datos.md read these
    (reclama.datos); a fact is described here and nowhere else.
    """
    extra = {k: v for k, v in (("flag", flag), ("pregunta", pregunta)) if v}
    return Field(default, description=descripcion, json_schema_extra=extra or None)


class Compra(_Section):
    fecha: Fecha = _dato(
        ...,
        "Fecha del contrato (compra o pedido): elige el régimen legal que se aplica.",
        flag="compra",
        pregunta="Fecha de la compra o del pedido",
    )
    entrega: Fecha | None = _dato(
        None,
        "Fecha de entrega (por defecto, la de compra); desde ella corre la garantía.",
        flag="entrega",
        pregunta="Fecha de entrega",
    )
    canal: Canal | None = _dato(
        None,
        "Dónde se contrató: en tienda (presencial), a distancia (internet, teléfono) o fuera "
        "del establecimiento; en los dos últimos hay desistimiento.",
        flag="canal",
        pregunta="Dónde compró",
    )
    recepcion: Fecha | None = _dato(
        None, "Fecha en que recibió el producto (compras a distancia).", flag="recepcion"
    )
    segunda_mano: bool = _dato(
        False, "Producto de segunda mano.", flag="segunda-mano", pregunta="¿Es de segunda mano?"
    )
    garantia_pactada_meses: Meses | None = _dato(
        None, "Meses de garantía pactados (segunda mano).", flag="garantia-pactada"
    )
    digital: bool = _dato(
        False,
        "Contenido o servicio digital.",
        flag="digital",
        pregunta="¿Es contenido o servicio digital (descarga, suscripción)?",
    )
    soporte_material: bool = _dato(
        False,
        "Contenido digital en soporte material (un disco): el desistimiento cuenta desde que "
        "lo recibe.",
        flag="soporte-material",
        pregunta="¿Le llegó en un soporte material (un disco)?",
    )
    ejecucion_consentida: bool = _dato(
        False,
        "El suministro digital empezó con su consentimiento expreso, sabiendo que perdía el "
        "desistimiento.",
        flag="ejecucion-consentida",
        pregunta="¿Aceptó expresamente que el suministro empezara ya, sabiendo que perdía el "
        "desistimiento?",
    )
    sin_informacion_desistimiento: bool = _dato(
        False,
        "El vendedor no le informó del derecho de desistimiento (doce meses más).",
        flag="sin-informacion-desistimiento",
        pregunta="¿Le dejó de informar el vendedor de su derecho a desistir?",
    )
    suministro_hasta: Fecha | None = _dato(
        None,
        "Último día de un suministro continuo de contenido o servicio digital.",
        flag="suministro-hasta",
        pregunta="Si es un suministro continuo, ¿hasta qué fecha?",
    )
    producto: str | None = _dato(
        None,
        "El producto, como figura en la factura (marca y modelo).",
        flag="producto",
        pregunta="Producto (marca y modelo)",
    )
    pedido: str | None = _dato(
        None,
        "Número de pedido o de factura.",
        flag="pedido",
        pregunta="Número de pedido o de factura",
    )
    precio: Decimal | None = _dato(
        None,
        "Precio pagado, en euros (899.00 o 1.299,00).",
        flag="precio",
        pregunta="Precio pagado en euros",
    )

    @field_validator("precio", mode="before")
    @classmethod
    def _precio(cls, v: Any) -> Decimal | None:
        return None if v is None else parse_importe(v)


class Defecto(_Section):
    descubrimiento: Fecha = _dato(
        ...,
        "Fecha en que apareció el defecto.",
        flag="descubrimiento",
        pregunta="Fecha en que apareció el defecto",
    )
    descripcion: str | None = _dato(
        None,
        "Descripción del defecto, con las palabras del consumidor (la carta la cita).",
        flag="defecto",
        pregunta="Describa el defecto",
    )
    leve: bool = _dato(
        False, "Defecto de escasa importancia (no permite resolver el contrato).", flag="leve"
    )
    grave: bool = _dato(
        False, "Defecto grave (en el régimen de 2022, rebaja o resolución directas).", flag="grave"
    )
    pruebas: list[str] = _dato(
        [], "Fotos, informes y otras pruebas del defecto, que la demanda lista como documentos."
    )


class ReparacionCaso(_Section):
    desde: Fecha
    hasta: Fecha | None = None
    conforme: bool = True


class Reclamacion(_Section):
    remedio: Remedio | None = _dato(
        None,
        "Medida que se exige al vendedor.",
        flag="remedio",
        pregunta="Qué pide al vendedor",
    )
    aviso: Fecha | None = _dato(None, "Fecha en que avisó al vendedor del defecto.", flag="aviso")
    intento_fallido: bool = _dato(
        False, "Una reparación o sustitución ya falló.", flag="intento-fallido"
    )
    negativa: bool = _dato(
        False, "El vendedor se negó o no actuó en plazo razonable.", flag="negativa"
    )
    respuestas: list[ExcusaEscrita] = _dato(
        [], "Excusa que dio el vendedor y que la carta rebate.", flag="respuesta"
    )
    interrupciones: list[Fecha] = _dato(
        [],
        "Fecha en que el vendedor recibió una reclamación (interrumpe la prescripción).",
        flag="interrupcion",
    )
    reclamaciones: list[Fecha] = _dato(
        [],
        "Reclamaciones enviadas después del primer aviso, con o sin prueba de recepción (las "
        "añaden los sucesos «aviso»): el plazo de respuesta del vendedor cuenta desde la última.",
    )
    desistimiento: Fecha | None = _dato(
        None, "Fecha en que envió el desistimiento.", flag="desistimiento"
    )
    conserva: Fecha | None = _dato(
        None, "Fecha en que decidió conservar el producto tras desistir.", flag="conserva"
    )
    contestada: bool = _dato(
        False, "El vendedor contestó a la reclamación: muestra que la recibió.", flag="contestada"
    )
    reparaciones: list[ReparacionCaso] = _dato(
        [],
        "Reparación DESDE:HASTA, el tiempo que el producto estuvo en manos del vendedor (HASTA "
        "vacío si sigue en curso).",
        flag="reparacion",
    )
    # Replacements: from the consumer's choice to the new unit's delivery (rule trlgdcu.suspension_reparacion, 2007 text).
    sustituciones: list[ReparacionCaso] = _dato(
        [],
        "Sustitución ELECCION:ENTREGA, desde que la eligió hasta que recibió el nuevo (ENTREGA "
        "vacía si no ha llegado).",
        flag="sustitucion",
    )
    # Date of the seller's written answer that did not satisfy the claim (LO 1/2025 DA 7.ª).
    respuesta: Fecha | None = _dato(
        None,
        "Fecha de la respuesta del vendedor que no atendió la reclamación (desde ella puede "
        "demandar).",
        flag="contestacion",
    )


class Consumidor(_Section):
    nombre: str | None = _dato(
        None, "Nombre y apellidos del consumidor.", flag="nombre", pregunta="Su nombre y apellidos"
    )
    dni: str | None = _dato(
        None,
        "DNI o NIE del consumidor (se comprueba la letra).",
        flag="dni",
        pregunta="Su DNI o NIE",
    )
    domicilio: str | None = _dato(
        None, "Domicilio del consumidor.", flag="domicilio", pregunta="Su domicilio"
    )
    email: str | None = _dato(
        None, "Correo electrónico del consumidor.", flag="email", pregunta="Su correo electrónico"
    )
    telefono: str | None = _dato(
        None, "Teléfono del consumidor.", flag="telefono", pregunta="Su teléfono"
    )
    comunidad: Comunidad | None = _dato(
        None,
        "Comunidad autónoma del consumidor, para los festivos de los plazos en días hábiles "
        "(código ISO 3166-2:ES: MD, CT, AN...).",
        flag="comunidad",
        pregunta="Su comunidad autónoma (MD, CT, AN...), para los festivos",
    )

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
    nombre: str | None = _dato(
        None,
        "Quien firma en nombre y representación del consumidor (abogado, asociación).",
        flag="representante",
    )
    colegiado: str | None = _dato(
        None, "Número de colegiación del representante (exige su nombre).", flag="colegiado"
    )


class Vendedor(_Section):
    nombre: str | None = _dato(
        None,
        "Razón social del vendedor (no la marca); da nombre al fichero de la carta.",
        flag="vendedor",
        pregunta="Nombre o razón social del vendedor",
    )
    cif: str | None = _dato(
        None,
        "CIF/NIF del vendedor (se comprueba el dígito de control).",
        flag="cif",
        pregunta="CIF/NIF del vendedor",
    )
    domicilio: str | None = _dato(
        None,
        "Domicilio del vendedor.",
        flag="domicilio-vendedor",
        pregunta="Domicilio del vendedor",
    )
    email: str | None = _dato(
        None,
        "Correo electrónico del vendedor para reclamaciones.",
        flag="email-vendedor",
        pregunta="Correo electrónico del vendedor",
    )
    # The older single field: the X account (reclama.social.usuario_en).
    usuario: str | None = _dato(
        None,
        "Usuario del vendedor en X (el dato anterior; si también consta la cuenta en X, manda esa).",
        flag="usuario-vendedor",
    )
    usuario_x: str | None = _dato(
        None,
        "Cuenta del vendedor en X (TiendaEjemplo): de 1 a 15 letras, cifras o _.",
        flag="usuario-x",
        pregunta="Cuenta del vendedor en X (TiendaEjemplo)",
    )
    usuario_mastodon: str | None = _dato(
        None,
        "Cuenta del vendedor en Mastodon: @usuario@servidor.",
        flag="usuario-mastodon",
        pregunta="Cuenta del vendedor en Mastodon (@usuario@servidor)",
    )
    usuario_bluesky: str | None = _dato(
        None,
        "Cuenta del vendedor en Bluesky: un dominio (tienda.bsky.social).",
        flag="usuario-bluesky",
        pregunta="Cuenta del vendedor en Bluesky (tienda.bsky.social)",
    )
    gran_empresa: bool = _dato(
        False,
        "El vendedor está en el ámbito de la Ley 10/2025 (servicios básicos o gran empresa, según "
        "su art. 2, que cita reclama reglas): responde a las reclamaciones en el plazo de esa ley.",
        flag="gran-empresa",
        pregunta="¿Está el vendedor en el ámbito de la Ley 10/2025 (servicios básicos o gran "
        "empresa)?",
    )
    # The ADR entity the seller names (Ley 7/2017), for the arbitration request's alternative.
    entidad_adr: str | None = _dato(
        None,
        "Entidad de resolución alternativa de litigios que indica el vendedor (para la solicitud "
        "de arbitraje).",
        flag="entidad-adr",
    )

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
    lugar: str | None = _dato(None, "Lugar que figura junto a la fecha de la carta.", flag="lugar")
    canal: str | None = _dato(
        None, "Cómo se envía esta carta (burofax, correo certificado, correo electrónico...)."
    )
    prueba_recepcion: bool = _dato(
        False, "El envío de esta carta deja prueba de recepción (la carta lo dice)."
    )


TIPOS_EVENTO: tuple[str, ...] = TipoEvento.__args__

# Fields an event of each type may carry besides tipo, fecha and nota (see docs/casos.md).
CAMPOS_EVENTO: dict[str, tuple[str, ...]] = {
    "aviso": ("canal", "prueba_recepcion", "remedio"),
    "respuesta": ("canal", "respuestas", "negativa", "ofrece"),
    "desistimiento": (
        "canal",
    ),  # the consumer must prove the withdrawal (rule trlgdcu.desistimiento_plazo)
    "devolucion": ("reparado",),
}


class Evento(_Section):
    """Something that happened in the claim (see `reclama caso evento` and reclama.timeline)."""

    tipo: TipoEscrito
    fecha: Fecha
    canal: str | None = None
    prueba_recepcion: bool | None = None
    remedio: Remedio | None = None
    respuestas: list[ExcusaEscrita] = []
    negativa: bool | None = None
    ofrece: Remedio | None = None  # respuesta: the remedy the seller offered instead
    reparado: bool | None = None
    nota: str | None = None

    @model_validator(mode="after")
    def _fields_of_type(self) -> Evento:
        allowed = CAMPOS_EVENTO.get(self.tipo, ())
        for name in (
            "canal",
            "prueba_recepcion",
            "remedio",
            "respuestas",
            "negativa",
            "ofrece",
            "reparado",
        ):
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
    # Where its values came from, to name them as the user wrote them (see relabel).
    _origen: Origen | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Same facts, whatever file or flags they came from."""
        if not isinstance(other, Caso):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def hechos(self) -> Hechos:
        """The facts the rules engine needs.

        A case read with reclama.casefile (`build_case`, `load_case`) has its events folded
        into `reclamacion` already (reclama.timeline.apply_events). The refusal the engine
        needs is the one said (`negativa`) or the one the law reads into the answers
        (`negativas`), derived here once.
        """
        c, d, r = self.compra, self.defecto, self.reclamacion
        negativa = r.negativa or bool(negativas(self))  # said, or read into the answers
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
            negativa=negativa,
            reparaciones=tuple(
                Reparacion(desde=x.desde, hasta=x.hasta, conforme=x.conforme)
                for x in r.reparaciones
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
            # An answer on file (dated or not) shows the seller received the claim; a dated
            # one (--contestacion) only if it came after the notice it would answer.
            respuesta_vendedor=r.contestada
            or bool(r.respuestas)
            or any(ev.tipo == "respuesta" for ev in self.eventos)
            or (r.respuesta is not None and (r.aviso is None or r.respuesta >= r.aviso)),
            fecha_respuesta=r.respuesta,
            gran_empresa=self.vendedor.gran_empresa,
            comunidad=self.consumidor.comunidad,
        )


# --- what the history says: refusals, demands (pure; reclama.timeline folds the rest) ---


def in_order(caso: Caso) -> list[tuple[int, Evento]]:
    """The events by date (file order breaks ties), each with its index in the file."""
    return sorted(enumerate(caso.eventos), key=lambda pair: (pair[1].fecha, pair[0]))


@dataclass(frozen=True)
class Negativa:
    """A seller answer the law treats as a refusal to put the goods in conformity.

    `motivo` says why, in Spanish; `regla`/`supuesto` name the rule (and its listed case)
    whose article the letter and `caso ver` cite for it.
    """

    fecha: date
    indice: int  # the answer's place in the file
    motivo: str
    codigos: tuple[str, ...] = ()  # why: expresa, solo-reparacion, marca, or the excuse code
    regla: str = "trlgdcu.remedios_subsidiarios"
    supuesto: str = "negativa"


# Excuses that reject the claim itself on a ground the law does not admit.
_RECHAZO = {
    "aviso-tardio": "rechazó la reclamación por un aviso tardío, que no hace perder los derechos",
    "garantia-dos-anos": "rechazó la reclamación invocando una garantía más corta que la legal",
}


def demandas(caso: Caso) -> list[tuple[date, str]]:
    """(date, remedy) of each claim that named the remedy demanded, in order."""
    return [(ev.fecha, ev.remedio) for _, ev in in_order(caso) if ev.tipo == "aviso" and ev.remedio]


def negativas(caso: Caso) -> list[Negativa]:
    """The answers that amount to a refusal of what the consumer demanded, each explained.

    Derived from the history, never re-typed: an explicit `negativa = true`; only repair
    offered (`solo-reparacion` or `ofrece = "reparacion"`) after replacement was demanded,
    because the choice is the consumer's; a referral to the brand, because the seller is
    the one liable; a ground the law does not admit (late notice, a shorter guarantee).
    An answer to no recorded claim refuses nothing. Answers written in `[reclamacion]`
    (or typed as --respuesta), undated, are read as answers to the claim of
    `reclamacion.aviso` that demanded `reclamacion.remedio` (`indice` -1).
    """
    out: list[Negativa] = []
    r = caso.reclamacion
    if r.aviso is not None and not any(ev.tipo == "respuesta" for ev in caso.eventos):
        escritas = Evento(tipo="respuesta", fecha=r.aviso, respuestas=list(r.respuestas))
        out += _refusals(-1, escritas, r.remedio)
    pedido, reclamado = r.remedio, r.aviso is not None
    for i, ev in in_order(caso):
        if ev.tipo == "aviso":
            pedido, reclamado = ev.remedio or pedido, True
            continue
        if ev.tipo == "respuesta" and reclamado:
            out += _refusals(i, ev, pedido)
    return out


def _refusals(i: int, ev: Evento, pedido: str | None) -> list[Negativa]:
    """The refusal in one answer to a claim that demanded `pedido`, if it is one."""
    motivos: list[tuple[str, str]] = []
    if ev.negativa:
        motivos.append(("expresa", "se negó a atender la reclamación"))
    solo_reparar = "solo-reparacion" in ev.respuestas or ev.ofrece == "reparacion"
    if pedido == "sustitucion" and solo_reparar:
        motivos.append(
            (
                "solo-reparacion",
                "ofreció solo la reparación cuando el comprador había elegido la sustitución, "
                "elección que corresponde al comprador",
            )
        )
    if "marca" in ev.respuestas:
        motivos.append(
            (
                "marca",
                "remitió al comprador a la marca en lugar de poner el producto en conformidad, "
                "lo que corresponde al vendedor",
            )
        )
    motivos += [(x, _RECHAZO[x]) for x in ev.respuestas if x in _RECHAZO]
    if not motivos:
        return []
    return [
        Negativa(
            fecha=ev.fecha,
            indice=i,
            motivo="; ".join(m for _, m in motivos),
            codigos=tuple(c for c, _ in motivos),
        )
    ]


# Every fact of the case file, read off the field declarations above (reclama.datos).
DATOS: tuple[Dato, ...] = declarados(Caso)
# Flag name (without --) -> (section, field) in the case file; the flag is also the batch column.
FLAG_FIELDS: dict[str, tuple[str, str]] = {d.flag: (d.seccion, d.campo) for d in DATOS if d.flag}
_DATO_DE_FLAG = {d.flag: d for d in DATOS if d.flag}


def dato(flag: str) -> Dato:
    """The declaration of the fact a flag (or batch column) sets."""
    return _DATO_DE_FLAG[flag]


_FIELD_FLAGS = {v: k for k, v in FLAG_FIELDS.items()}


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


def parece_caso(data: MutableMapping[str, Any]) -> bool:
    """Whether a TOML document is meant as a case file: one of its sections, or a flat
    key of schema 0. A firm profile or a column map kept beside the cases is not."""
    return any(k in data for k in Caso.model_fields) or any(k in data for k in _V0_KEYS)


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
    """Where a case's values came from: a file (and its text) and the facts given as options."""

    fichero: Path | None = None
    texto: str = ""
    flags: frozenset[tuple[str, str]] = frozenset()
    eventos: tuple[tuple[str, date | None], ...] = ()  # (tipo, fecha) in file order

    def event(self, indice: int) -> str:
        """`FICHERO, línea N, suceso n.º K`: the event's `[[eventos]]` table."""
        line = _line_of(self.texto, ["eventos", indice, "tipo"])
        return _where(self.fichero, line, f"suceso n.º {indice + 1}")

    def name(self, section: str, field: str, fecha: date | None = None) -> str:
        """Where the user wrote `section.field`: the file line or its event, else the fact
        itself (`section.field`, given as an option: the command line names the flag)."""
        if (section, field) in self.flags or self.fichero is None:
            return f"{section}.{field}"
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


def fact_key(clave: str) -> tuple[str, str] | None:
    """(section, field) when `clave` is a case fact (`reclamacion.aviso`), else None."""
    section, _, field = clave.partition(".")
    info = Caso.model_fields.get(section)
    model = info.annotation if info else None
    if isinstance(model, type) and issubclass(model, BaseModel) and field in model.model_fields:
        return section, field
    return None


def relabel(e: InputError, origen: Origen | None) -> InputError:
    """The error with each fact of a case file named at its line and field (or its event).

    The library names a fact by its case-file key; a fact read from a file is named
    where it is written, and one given as an option keeps its key, for the command
    line to name the flag typed.
    """
    if origen is None or origen.fichero is None:
        return e
    out = []
    for p in e.errores:
        indice = getattr(p, "indice", None)  # a reclama.timeline.EventoError
        if indice is not None:
            out.append(p.named(f"{origen.event(indice)} ({p.detalle})"))  # type: ignore[attr-defined]
            continue
        key = fact_key(p.clave)
        if key is None or p.campo != p.clave:  # not a fact, or already named
            out.append(p)
            continue
        out.append(p.named(origen.name(*key, fecha=p.fecha)))
    return InputError.todos(out)


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
    """Every pydantic error in Spanish, each naming its fact, or `FICHERO, línea N, campo X`."""
    found = []
    errors = e.errors(include_url=False)
    for err in errors[:MAX_PROBLEMAS]:
        loc = [x for x in err["loc"] if isinstance(x, int) or "[" not in x]
        strs = [x for x in loc[:2] if isinstance(x, str)]
        clave = ".".join(strs) if len(strs) == 2 else (str(loc[0]) if loc else "caso")
        found.append(InputError(clave, _mensaje(err), campo=_campo(loc, origen)))
    if len(errors) > MAX_PROBLEMAS:
        found.append(
            InputError(
                str(origen.fichero or "caso"),
                f"y {len(errors) - MAX_PROBLEMAS} problemas más; corrija los anteriores primero",
            )
        )
    return InputError.todos(found)


def _campo(loc: list[Any], origen: Origen) -> str | None:
    """Where a pydantic error is: None (the fact itself) when given as an option."""
    if len(loc) >= 2 and all(isinstance(x, str) for x in loc[:2]):
        key = (loc[0], loc[1])
        if (key in origen.flags or origen.fichero is None) and key in _FIELD_FLAGS:
            return None
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
            r"'([^']*)'",
            lambda m: ESCRITO.get(m.group(1), m.group(1)),
            str(ctx.get("expected", "")),
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
