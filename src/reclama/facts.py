"""The facts of a purchase, as the consumer states them, checked for coherence."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from reclama.errors import InputError

# What people write for each choice -> the value the rules use. Keys are compared lower-case,
# without accents and with spaces, `_` and `-` alike (see `plain`), so «Sustitución»,
# «SUSTITUCION» and «sustitución» all match «sustitucion». Ambiguous words stay out on
# purpose: «cambio» or «devolución» could mean a replacement, termination or withdrawal.
SINONIMOS: dict[str, dict[str, str]] = {
    "remedio": {
        "reparacion": "reparacion",
        "reparar": "reparacion",
        "sustitucion": "sustitucion",
        "sustituir": "sustitucion",
        "rebaja": "rebaja",
        "rebaja del precio": "rebaja",
        "rebajar el precio": "rebaja",
        "reduccion del precio": "rebaja",  # the 2022 wording (art. 119 ter TRLGDCU)
        "resolucion": "resolucion",
        "resolucion del contrato": "resolucion",
        "resolver el contrato": "resolucion",
        "desistimiento": "desistimiento",
        "desistir": "desistimiento",
    },
    "canal": {
        "tienda": "tienda",
        "en tienda": "tienda",
        "presencial": "tienda",
        "establecimiento": "tienda",
        "distancia": "distancia",
        "a distancia": "distancia",
        "internet": "distancia",
        "por internet": "distancia",
        "online": "distancia",
        "on line": "distancia",
        "en linea": "distancia",
        "web": "distancia",
        "telefono": "distancia",
        "por telefono": "distancia",
        "por correo": "distancia",
        "fuera establecimiento": "fuera-establecimiento",
        "fuera de establecimiento": "fuera-establecimiento",
        "fuera del establecimiento": "fuera-establecimiento",
        "a domicilio": "fuera-establecimiento",
    },
}


def plain(text: str) -> str:
    """Lower case, no accents, one space between words: how choice values are compared."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def choice(field: str, value: Any) -> Any:
    """The canonical value of a choice; anything unknown is left for the Literal to refuse."""
    if not isinstance(value, str):
        return value
    return SINONIMOS[field].get(plain(value), value)


def _choice(field: str, values: Any) -> Any:
    """A choice type: the Literal of canonical values, reached through `SINONIMOS[field]`."""
    return Annotated[values, BeforeValidator(lambda v: choice(field, v))]


REMEDIOS: tuple[str, ...] = ("reparacion", "sustitucion", "rebaja", "resolucion", "desistimiento")
CANALES: tuple[str, ...] = ("tienda", "distancia", "fuera-establecimiento")
Remedio = _choice("remedio", Literal[REMEDIOS])  # type: ignore[valid-type]
Canal = _choice("canal", Literal[CANALES])  # type: ignore[valid-type]


class Reparacion(BaseModel):
    """A repair or replacement episode: goods handed over, and returned (None = still with the seller)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    desde: date
    hasta: date | None = None
    conforme: bool = True  # returned in conformity; only then does the after-repair cover start


class Hechos(BaseModel):
    """Everything the rules need to know about one purchase and its defect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fecha_compra: date
    fecha_entrega: date | None = None
    fecha_descubrimiento: date
    remedio: Remedio | None = None
    fecha_aviso: date | None = None
    segunda_mano: bool = False
    garantia_pactada_meses: int | None = Field(default=None, ge=0)
    digital: bool = False
    leve: bool = False
    grave: bool = False
    intento_fallido: bool = False
    negativa: bool = False
    reparaciones: tuple[Reparacion, ...] = ()
    interrupciones: tuple[date, ...] = ()
    # Later claims sent to the seller: without proof of receipt they do not interrupt
    # prescription, but the seller must still answer the latest one (art. 21.3).
    reclamaciones: tuple[date, ...] = ()
    canal: Canal | None = None
    fecha_recepcion: date | None = None
    fecha_desistimiento: date | None = None

    @property
    def entrega(self) -> date:
        """Delivery defaults to the purchase date (the ticket's date)."""
        return self.fecha_entrega or self.fecha_compra


def check_facts(h: Hechos, hoy: date) -> None:
    """Reject facts that cannot all be true; the error names the CLI flag at fault.

    Raises:
        InputError: the first incoherence found.
    """
    dated = [
        ("--compra", h.fecha_compra),
        ("--entrega", h.fecha_entrega),
        ("--descubrimiento", h.fecha_descubrimiento),
        ("--aviso", h.fecha_aviso),
        ("--recepcion", h.fecha_recepcion),
        ("--desistimiento", h.fecha_desistimiento),
    ]
    dated += [("--interrupcion", d) for d in h.interrupciones]
    dated += [("--aviso", d) for d in h.reclamaciones]
    for r in h.reparaciones:
        dated += [("--reparacion", r.desde), ("--reparacion", r.hasta)]
    for campo, d in dated:
        if d is not None and d > hoy:
            raise InputError(campo, f"la fecha {d:%d/%m/%Y} es posterior a hoy ({hoy:%d/%m/%Y})")
    if h.fecha_entrega and h.fecha_entrega < h.fecha_compra:
        raise InputError("--entrega", "la entrega no puede ser anterior a la compra")
    if h.fecha_descubrimiento < h.entrega:
        raise InputError(
            "--descubrimiento", "el defecto no puede descubrirse antes de la entrega del producto"
        )
    if h.fecha_aviso and h.fecha_aviso < h.fecha_descubrimiento:
        raise InputError("--aviso", "el aviso al vendedor no puede ser anterior al descubrimiento")
    for d in h.reclamaciones:
        if d < h.fecha_descubrimiento:
            raise InputError("--aviso", "una reclamación no puede ser anterior al descubrimiento del defecto")
    for d in h.interrupciones:
        if d < h.fecha_descubrimiento:
            raise InputError(
                "--interrupcion", "una reclamación no puede ser anterior al descubrimiento del defecto"
            )
    for r in h.reparaciones:
        if r.desde < h.entrega:
            raise InputError("--reparacion", "una reparación no puede empezar antes de la entrega")
        if r.hasta is not None and r.hasta < r.desde:
            raise InputError("--reparacion", "la devolución no puede ser anterior a la entrega al vendedor")
    if h.leve and h.grave:
        raise InputError("--leve", "un defecto no puede ser a la vez leve (--leve) y grave (--grave)")
    if h.canal == "tienda":
        for campo, d in (("--recepcion", h.fecha_recepcion), ("--desistimiento", h.fecha_desistimiento)):
            if d is not None:
                raise InputError(
                    campo, "en una compra en tienda no hay derecho legal de desistimiento que fechar"
                )
        if h.remedio == "desistimiento":
            raise InputError(
                "--remedio", "una compra en tienda no da derecho legal de desistimiento"
            )
    if h.remedio == "desistimiento" and h.canal is None:
        raise InputError(
            "--canal", "para el desistimiento indique el canal de compra (distancia o fuera-establecimiento)"
        )
    if h.fecha_recepcion and h.fecha_recepcion < h.fecha_compra:
        raise InputError("--recepcion", "la recepción no puede ser anterior a la compra")
    if h.fecha_desistimiento and h.fecha_desistimiento < h.fecha_compra:
        raise InputError("--desistimiento", "el desistimiento no puede ser anterior a la compra")
