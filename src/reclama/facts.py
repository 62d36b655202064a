"""The facts of a purchase, as the consumer states them, checked for coherence."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from reclama.dates import check_range, parse_date
from reclama.errors import InputError, dato, shown
from reclama.habiles import parse_comunidad

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
        "reduccion del precio": "rebaja",  # the wording of the 2022 text (rule trlgdcu.remedios_subsidiarios)
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


def codigo(values: tuple[str, ...]) -> Any:
    """A code type that takes each code as people write it: `Siete días` -> `siete-dias`.

    Codes (event types, excuses) have no synonyms; capitals, accents, spaces and
    underscores are forgiven, anything else is left for the Literal to refuse.
    """
    literal = Literal[values]  # type: ignore[valid-type]
    return Annotated[literal, BeforeValidator(lambda v: codigo_de(values, v))]


def codigo_de(values: tuple[str, ...], value: Any) -> Any:
    """The code `value` is written for (`Siete días` -> `siete-dias`), or `value` as it is."""
    if not isinstance(value, str):
        return value
    return next((v for v in values if plain(v) == plain(value)), value)


def _choice(field: str, values: Any) -> Any:
    """A choice type: the Literal of canonical values, reached through `SINONIMOS[field]`."""
    return Annotated[values, BeforeValidator(lambda v: choice(field, v))]


# How a choice value is written for the user (messages list what can be typed).
ESCRITO: dict[str, str] = {
    "reparacion": "reparación",
    "sustitucion": "sustitución",
    "resolucion": "resolución",
    "fuera-establecimiento": "fuera de establecimiento",
}

REMEDIOS: tuple[str, ...] = ("reparacion", "sustitucion", "rebaja", "resolucion", "desistimiento")
CANALES: tuple[str, ...] = ("tienda", "distancia", "fuera-establecimiento")
Remedio = _choice("remedio", Literal[REMEDIOS])  # type: ignore[valid-type]
Canal = _choice("canal", Literal[CANALES])  # type: ignore[valid-type]

# Longest contractual guarantee reclama takes, in months (50 years): more is a typo,
# and every period added to a date must stay inside dates.MAX_FECHA.
MAX_GARANTIA_MESES = 600


def _fecha(value: Any) -> date:
    """A date from a TOML date or a text (AAAA-MM-DD or DD/MM/AAAA), inside the admitted range."""
    if isinstance(value, datetime):
        raise ValueError("lleva hora; escriba solo la fecha (AAAA-MM-DD)")
    if isinstance(value, date):
        return check_range(value)
    if isinstance(value, str):
        return parse_date(value)
    raise ValueError("no es una fecha (AAAA-MM-DD)")


Fecha = Annotated[date, BeforeValidator(_fecha)]
Comunidad = Annotated[str, BeforeValidator(parse_comunidad)]
Meses = Annotated[int, Field(ge=0, le=MAX_GARANTIA_MESES)]

# Highest price reclama takes: 10 million euros. The legal guarantee covers what a
# consumer buys (a car, a kitchen, not a company); a larger figure is a typo or an
# attack (1e30, 1E+999999999), and it keeps euro arithmetic far inside Decimal's precision.
MAX_IMPORTE = Decimal("10000000")
_ES_MILES = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]{1,2})?")  # 1.299 / 1.299,00
_ES_COMA = re.compile(r"[0-9]+,[0-9]{1,2}")  # 899,5 / 899,00
_PUNTO = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?")  # 899 / 899.5 / 899.00
_EJEMPLOS = "ejemplos: 899,00 €, 1.299,00 o 899.50"


def parse_importe(value: Any) -> Decimal:
    """Euros as Decimal, as Spaniards, LibreOffice and Babel write them; never float maths.

    Takes `899,00 €` (with a normal, no-break or narrow no-break space), `€899`,
    `1.299,00`, `1.299`, `899.5` and TOML numbers. The result has two decimals.

    Raises:
        ValueError: (Spanish) not an amount, negative, or above MAX_IMPORTE.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"debe ser un importe en euros ({_EJEMPLOS})")
    if isinstance(value, str):
        text = "".join(value.split())  # every Unicode space: U+00A0, U+202F...
        for sign in ("€", "EUR", "eur"):
            text = text.removeprefix(sign).removesuffix(sign)
        if text.startswith("-") and text[1:2].isdigit():
            raise ValueError("el importe no puede ser negativo")
        if _ES_MILES.fullmatch(text) or _ES_COMA.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        elif not _PUNTO.fullmatch(text):
            raise ValueError(f"«{shown(value)}» no es un importe en euros ({_EJEMPLOS})")
        amount = Decimal(text)
    else:
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else value)
        except InvalidOperation:  # pragma: no cover - repr of a float is always a number
            amount = Decimal("NaN")
        if not amount.is_finite():
            raise ValueError(f"debe ser un importe en euros ({_EJEMPLOS})")
    if amount < 0:
        raise ValueError("el importe no puede ser negativo")
    if amount > MAX_IMPORTE:
        maximo = f"{MAX_IMPORTE:,.0f}".replace(",", ".")
        raise ValueError(f"el importe supera el máximo que admite reclama ({maximo} €)")
    return amount.quantize(Decimal("0.01"))


class Reparacion(BaseModel):
    """A repair or replacement episode: goods handed over, and returned (None = still with the seller)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    desde: Fecha
    hasta: Fecha | None = None
    conforme: bool = True  # returned in conformity; only then does the after-repair cover start
    # A replacement (2007 text): the periods stop from the consumer's choice, `desde`, to the
    # new unit's delivery, `hasta`, and the substitute gets a fresh presumption
    # (rules trlgdcu.suspension_reparacion and trlgdcu.presuncion_sustituto).
    sustitucion: bool = False


class Hechos(BaseModel):
    """Everything the rules need to know about one purchase and its defect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fecha_compra: Fecha
    fecha_entrega: Fecha | None = None
    fecha_descubrimiento: Fecha
    remedio: Remedio | None = None
    fecha_aviso: Fecha | None = None
    segunda_mano: bool = False
    garantia_pactada_meses: Meses | None = None
    digital: bool = False
    leve: bool = False
    grave: bool = False
    intento_fallido: bool = False
    negativa: bool = False
    reparaciones: tuple[Reparacion, ...] = ()
    interrupciones: tuple[Fecha, ...] = ()
    # Later claims sent to the seller: without proof of receipt they do not interrupt
    # prescription, but the seller must still answer the latest one (art. 21.3).
    reclamaciones: tuple[Fecha, ...] = ()
    canal: Canal | None = None
    fecha_recepcion: Fecha | None = None
    fecha_desistimiento: Fecha | None = None
    # The consumer kept the goods after withdrawing (event `conserva`): the withdrawal is off.
    fecha_conserva: Fecha | None = None
    # Digital content on a tangible medium (a disc): withdrawal runs from possession (104 b).
    soporte_material: bool = False
    # Supply began with the consumer's consent and acknowledgement (rule trlgdcu.desistimiento_digital).
    ejecucion_consentida: bool = False
    # The seller did not inform of the right of withdrawal (rule trlgdcu.desistimiento_sin_informacion).
    sin_informacion_desistimiento: bool = False
    # Last day of a continuous supply of digital content or services (arts. 120.2, 121.2).
    suministro_hasta: Fecha | None = None
    # The seller answered the claim (any dated answer or excuse): it shows receipt of the notice.
    respuesta_vendedor: bool = False
    # The seller's written answer that did not satisfy the claim (a refusal or an excuse):
    # from that day the prior claim lets the consumer sue (LO 1/2025 DA 7.ª).
    fecha_respuesta: Fecha | None = None
    # The seller is in the scope of Ley 10/2025 (art. 2), and the consumer's autonomous
    # community (ISO 3166-2:ES suffix) for the holidays of its working days.
    gran_empresa: bool = False
    comunidad: Comunidad | None = None

    @property
    def entrega(self) -> date:
        """Delivery defaults to the purchase date (the ticket's date)."""
        return self.fecha_entrega or self.fecha_compra


# The case-file key of each fact check_facts can blame.
_CLAVE = {
    "compra": "compra.fecha",
    "entrega": "compra.entrega",
    "descubrimiento": "defecto.descubrimiento",
    "aviso": "reclamacion.aviso",
    "reclamaciones": "reclamacion.reclamaciones",
    "interrupcion": "reclamacion.interrupciones",
    "reparacion": "reclamacion.reparaciones",
    "recepcion": "compra.recepcion",
    "desistimiento": "reclamacion.desistimiento",
    "leve": "defecto.leve",
    "remedio": "reclamacion.remedio",
    "canal": "compra.canal",
    "conserva": "reclamacion.conserva",
    "soporte": "compra.soporte_material",
    "ejecucion": "compra.ejecucion_consentida",
    "sin_informacion": "compra.sin_informacion_desistimiento",
    "suministro": "compra.suministro_hasta",
    "respuesta": "reclamacion.respuesta",
}


_DIGITAL = dato("compra.digital")  # the fact these messages ask to add; the front end names it
_ANTES_DEL_DEFECTO = "una reclamación no puede ser anterior al descubrimiento del defecto"
_SIN_DESISTIMIENTO = "en una compra en tienda no hay derecho legal de desistimiento que fechar"


def check_facts(h: Hechos, hoy: date) -> None:
    """Reject facts that cannot all be true, every incoherence at once.

    Each problem names the case-file key at fault (`clave`) and the offending date
    when there is one, so the command line can point at what the user actually
    wrote: the flag, or the file line or event.

    Raises:
        InputError: every incoherence found.
    """
    found: list[InputError] = []

    def bad(fact: str, mensaje: str, fecha: date | None = None) -> None:
        found.append(InputError(_CLAVE[fact], mensaje, fecha=fecha))

    dated = [
        ("compra", h.fecha_compra),
        ("entrega", h.fecha_entrega),
        ("descubrimiento", h.fecha_descubrimiento),
        ("aviso", h.fecha_aviso),
        ("recepcion", h.fecha_recepcion),
        ("desistimiento", h.fecha_desistimiento),
        ("conserva", h.fecha_conserva),
        ("respuesta", h.fecha_respuesta),
    ]
    dated += [("interrupcion", d) for d in h.interrupciones]
    dated += [("reclamaciones", d) for d in h.reclamaciones]
    for r in h.reparaciones:
        dated += [("reparacion", r.desde), ("reparacion", r.hasta)]
    for fact, d in dated:
        if d is not None and d > hoy:
            bad(fact, f"la fecha {d:%d/%m/%Y} es posterior a hoy ({hoy:%d/%m/%Y})", d)
    if h.fecha_entrega and h.fecha_entrega < h.fecha_compra:
        bad("entrega", "la entrega no puede ser anterior a la compra", h.fecha_entrega)
    if h.fecha_descubrimiento < h.entrega:
        bad(
            "descubrimiento",
            "el defecto no puede descubrirse antes de la entrega del producto",
            h.fecha_descubrimiento,
        )
    if h.fecha_aviso and h.fecha_aviso < h.fecha_descubrimiento:
        bad("aviso", "el aviso al vendedor no puede ser anterior al descubrimiento", h.fecha_aviso)
    for d in h.reclamaciones:
        if d < h.fecha_descubrimiento and d != h.fecha_aviso:
            bad("reclamaciones", _ANTES_DEL_DEFECTO, d)
    for d in h.interrupciones:
        if d < h.fecha_descubrimiento:
            bad("interrupcion", _ANTES_DEL_DEFECTO, d)
    for r in h.reparaciones:
        if r.desde < h.entrega:
            bad("reparacion", "una reparación no puede empezar antes de la entrega", r.desde)
        if r.hasta is not None and r.hasta < r.desde:
            bad(
                "reparacion",
                "la devolución no puede ser anterior a la entrega al vendedor",
                r.hasta,
            )
    if h.leve and h.grave:
        bad("leve", "un defecto no puede ser a la vez leve y grave")
    if h.canal == "tienda":
        for fact, d in (("recepcion", h.fecha_recepcion), ("desistimiento", h.fecha_desistimiento)):
            if d is not None:
                bad(fact, _SIN_DESISTIMIENTO, d)
        if h.remedio == "desistimiento":
            bad("remedio", "una compra en tienda no da derecho legal de desistimiento")
    if h.remedio == "desistimiento" and h.canal is None:
        bad(
            "canal",
            "para el desistimiento indique el canal de compra (distancia o fuera-establecimiento)",
        )
    if h.fecha_respuesta and h.fecha_respuesta < h.fecha_descubrimiento:
        bad(
            "respuesta",
            "la respuesta del vendedor no puede ser anterior al defecto",
            h.fecha_respuesta,
        )
    if h.fecha_recepcion and h.fecha_recepcion < h.fecha_compra:
        bad("recepcion", "la recepción no puede ser anterior a la compra", h.fecha_recepcion)
    if h.fecha_desistimiento and h.fecha_desistimiento < h.fecha_compra:
        bad(
            "desistimiento",
            "el desistimiento no puede ser anterior a la compra",
            h.fecha_desistimiento,
        )
    _check_withdrawal_facts(h, bad)
    if found:
        raise InputError.todos(found)


def _check_withdrawal_facts(h: Hechos, bad: Any) -> None:
    """The digital and withdrawal facts of issue 12: each needs the facts it qualifies."""
    if h.fecha_conserva is not None:
        if h.fecha_desistimiento is None:
            bad(
                "conserva",
                "conservar el producto solo se indica después de un desistimiento enviado",
            )
        elif h.fecha_conserva < h.fecha_desistimiento:
            bad("conserva", "no puede ser anterior al desistimiento enviado", h.fecha_conserva)
    if h.soporte_material and not h.digital:
        bad(
            "soporte",
            f"el soporte material solo se indica para contenido digital (añada {_DIGITAL})",
        )
    if h.ejecucion_consentida and not h.digital:
        bad("ejecucion", f"solo se aplica a contenido digital (añada {_DIGITAL})")
    if h.ejecucion_consentida and h.soporte_material:
        bad(
            "ejecucion",
            "no se aplica a contenido digital en soporte material (quite una de las dos)",
        )
    if h.canal == "tienda" and h.sin_informacion_desistimiento:
        bad("sin_informacion", _SIN_DESISTIMIENTO)
    if h.suministro_hasta is not None:
        if not h.digital:
            bad(
                "suministro",
                f"el suministro continuo es de contenido o servicio digital (añada {_DIGITAL})",
            )
        elif h.suministro_hasta < h.entrega:
            bad(
                "suministro",
                "el suministro no puede acabar antes de la entrega",
                h.suministro_hasta,
            )
