"""The consumer-arbitration request to the Junta Arbitral de Consumo (RD 713/2024, arts. 7, 31, 32, 35 and 36).

Drafted from the case like the lawsuit (reclama.demanda), with templates/arbitraje.toml; the
request is possible once the seller answered the prior claim, or a month went by without an
answer, and within a year of that claim (rule rd713_2024.solicitud_arbitraje).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reclama import dates
from reclama.caso import Caso
from reclama.demanda import DemandaNoProcede, _DemandaBuilder, _fmt, demanda_data
from reclama.engine import Resultado, ultima_reclamacion
from reclama.errors import InputError
from reclama.letter import load_texts
from reclama.rules import RuleBook, load_rules
from reclama.timeline import apply_events

REGLA = "rd713_2024.solicitud_arbitraje"
TEXT_FILE = "arbitraje.toml"
_REQUIRED = (
    ("consumidor", "nombre"),
    ("consumidor", "dni"),
    ("consumidor", "domicilio"),
    ("vendedor", "nombre"),
    ("vendedor", "domicilio"),
    ("compra", "producto"),
    ("defecto", "descripcion"),
)


class ArbitrajeNoProcede(DemandaNoProcede):
    """The arbitration request would not be admitted today: the message says why and the date."""


def check_arbitraje_ready(
    caso: Caso, resultado: Resultado, hoy: date, book: RuleBook | None = None
) -> None:
    """Refuse a request the Junta would not admit (art. 35.2 c) and d)), or one missing data.

    Raises:
        InputError: a fact the request needs is missing (exit 2), every one at once.
        ArbitrajeNoProcede: no prior claim, less than a month without an answer (the date from
            which it is possible), or more than a year since the claim (exit 1).
    """
    book = book or load_rules()
    missing = [
        InputError(f"{sec}.{campo}", "falta este dato, necesario para la solicitud de arbitraje")
        for sec, campo in _REQUIRED
        if getattr(getattr(caso, sec), campo) in (None, "")
    ]
    if missing:
        raise InputError.todos(missing)
    v = book.rule(REGLA).at(hoy)
    if v is None:
        raise ArbitrajeNoProcede(
            f"reclama solo redacta solicitudes conforme al RD 713/2024; para una del {_fmt(hoy)} "
            "consulte a la Junta Arbitral de Consumo."
        )
    h = apply_events(caso).hechos()
    reclamacion = ultima_reclamacion(h)
    if reclamacion is None:
        raise ArbitrajeNoProcede(
            f"a {_fmt(hoy)} no consta ninguna reclamación previa a la empresa, y la Junta no admite la "
            "solicitud sin ella: envíe antes la carta de «reclama carta»."
        )
    desde = dates.add_days(dates.add_months(reclamacion, v.valores["meses_sin_respuesta"]), 1)
    contestada = h.fecha_respuesta is not None and h.fecha_respuesta >= reclamacion
    if not contestada and hoy < desde:
        raise ArbitrajeNoProcede(
            f"a {_fmt(hoy)} la empresa todavía puede responder a la reclamación del {_fmt(reclamacion)}: "
            f"si no responde, podrá solicitar el arbitraje desde el {_fmt(desde)}."
        )
    hasta = dates.add_months(reclamacion, v.valores["meses_maximo"])
    if hoy > hasta:
        raise ArbitrajeNoProcede(
            f"la reclamación a la empresa es del {_fmt(reclamacion)} y ha pasado más de un año (desde el "
            f"{_fmt(hasta)}): la Junta no admitiría la solicitud; envíe antes una nueva reclamación."
        )


class _ArbitrajeBuilder(_DemandaBuilder):
    clave = "arbitraje"
    titulo = "Solicitud de arbitraje de consumo"

    def __init__(
        self,
        caso: Caso,
        resultado: Resultado,
        hoy: date,
        textos: dict,
        book: RuleBook,
        *,
        carta: Resultado,
    ):
        super().__init__(caso, resultado, hoy, textos, book, carta=carta)
        self.valores |= {
            "entidad_adr": caso.vendedor.entidad_adr,
            "fecha_reclamacion": ultima_reclamacion(caso.hechos()),
        }
        self.condiciones |= {
            "entidad-adr": bool(caso.vendedor.entidad_adr),
            "cif": bool(caso.vendedor.cif),
        }


def load_arbitraje_texts(*dirs: Path) -> dict[str, dict[str, Any]]:
    """arbitraje.toml, and the letter's texts whose remedy names it uses, from template folders."""
    return {**load_texts(*dirs), **load_texts(*dirs, names=(TEXT_FILE,))}


def build_arbitraje(
    caso: Caso,
    resultado: Resultado,
    hoy: date,
    textos: dict | None = None,
    book: RuleBook | None = None,
) -> dict[str, Any]:
    """The request, already worded; call `check_arbitraje_ready` first (engine run as in
    `reclama.demanda.build_demanda`)."""
    from reclama.evaluation import letter_evaluation

    caso = apply_events(caso)
    textos = textos or load_arbitraje_texts()
    book = book or load_rules()
    carta = letter_evaluation(caso, hoy, book)
    return _ArbitrajeBuilder(caso, resultado, hoy, textos, book, carta=carta).demanda()


arbitraje_data = demanda_data
