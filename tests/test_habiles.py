"""Working days of Ley 10/2025 art. 17.1 (reclama.habiles): weekends and national and regional holidays skipped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reclama.engine import evaluate
from reclama.facts import Hechos
from reclama.habiles import COMUNIDADES, add_working_days, parse_comunidad

# (presented, community, expected end of 15 working days, holidays skipped) — DIGEST §16.7 E10 and neighbours.
TABLA = [
    (date(2027, 1, 4), "MD", date(2027, 1, 26), [date(2027, 1, 6)]),  # E10: only Epiphany
    (date(2027, 1, 4), None, date(2027, 1, 26), [date(2027, 1, 6)]),
    (date(2026, 12, 29), "CT", date(2027, 1, 21), [date(2027, 1, 1), date(2027, 1, 6)]),
    # Madrid, Holy Week 2026: 02-04 Jueves Santo (regional), 03-04 Viernes Santo (national)
    (date(2026, 3, 16), "MD", date(2026, 4, 8), [date(2026, 4, 2), date(2026, 4, 3)]),
    # national only: Jueves Santo is not a national holiday, so one day earlier
    (date(2026, 3, 16), None, date(2026, 4, 7), [date(2026, 4, 3)]),
    # the same dates in Cataluña: no San José nor Jueves Santo, but Lunes de Pascua (06-04)
    (date(2026, 3, 16), "CT", date(2026, 4, 8), [date(2026, 4, 3), date(2026, 4, 6)]),
]


@pytest.mark.parametrize(("desde", "comunidad", "vence", "festivos"), TABLA)
def test_fifteen_working_days_skip_weekends_and_holidays(desde, comunidad, vence, festivos):
    computo = add_working_days(desde, 15, comunidad)
    assert computo.vence == vence
    assert [d for d, _ in computo.festivos] == festivos


def test_a_complaint_on_friday_starts_counting_on_monday():
    assert add_working_days(date(2026, 5, 8), 1).vence == date(2026, 5, 11)


@pytest.mark.parametrize(
    ("texto", "codigo"), [("MD", "MD"), ("md", "MD"), ("ES-CT", "CT"), (" an ", "AN")]
)
def test_community_codes_are_iso_3166_2_es(texto, codigo):
    assert parse_comunidad(texto) == codigo


@pytest.mark.parametrize("texto", ["XX", "Madrid", "ES", ""])
def test_unknown_community_is_refused_in_spanish(texto):
    with pytest.raises(ValueError, match="comunidad autónoma"):
        parse_comunidad(texto)


@settings(max_examples=60, deadline=None)
@given(
    desde=st.dates(min_value=date(2026, 12, 29), max_value=date(2030, 12, 31)),
    comunidad=st.sampled_from([None, *COMUNIDADES]),
)
def test_working_day_deadline_is_never_before_the_calendar_day_one(desde, comunidad):
    """Art. 17.1 Ley 10/2025 (15 working days) never ends before art. 21.3 TRLGDCU (15 days)."""
    h = Hechos(
        fecha_compra=desde - timedelta(days=30),
        fecha_descubrimiento=desde,
        fecha_aviso=desde,
        gran_empresa=True,
        comunidad=comunidad,
    )
    r = evaluate(h, desde)
    habiles, naturales = r.plazos["resolucion_empresario"], r.plazos["respuesta_empresario"]
    assert habiles is not None and naturales is not None
    assert habiles.vence >= naturales.vence
    assert r.via_judicial is not None


# The saved calendars (data/festivos.json) are what the `holidays` package gives, and only
# stand in for it when they come from the installed version.


def test_saved_calendars_are_what_the_installed_holidays_package_gives():
    import json
    from importlib.metadata import version

    from reclama.habiles import CALENDARIOS, calendarios

    saved = json.loads(CALENDARIOS.read_text(encoding="utf-8"))
    if saved["version"] != version("holidays"):
        pytest.skip(
            "otra versión de holidays instalada: reclama le pregunta a ella (make festivos)"
        )
    anos = range(min(map(int, saved["anos"])), max(map(int, saved["anos"])) + 1)
    assert saved == calendarios(anos)


def test_another_holidays_version_is_asked_instead_of_the_saved_calendars(monkeypatch):
    import holidays

    from reclama import habiles

    habiles._guardados.cache_clear()
    habiles._festivos.cache_clear()
    monkeypatch.setattr("importlib.metadata.version", lambda name: "0.0")
    try:
        assert habiles._guardados() is None
        spain = holidays.Spain(years=2026, subdiv="MD", language="es")
        assert habiles._festivos(2026, "MD") == dict(spain.items())
    finally:
        habiles._guardados.cache_clear()
        habiles._festivos.cache_clear()


def test_checking_the_demo_case_does_not_import_the_holidays_package():
    """Its withdrawal ended months ago, so the holidays of that week are looked up."""
    import subprocess
    import sys
    from pathlib import Path

    demo = Path(__file__).parents[1] / "examples" / "caso-demo.toml"
    code = (
        "import sys; from reclama.cli import main; "
        f"rc = main(['comprobar', '--caso', {str(demo)!r}, '--hoy', '2026-11-22', '--json']); "
        "from reclama import habiles; "
        "print(habiles._festivos.cache_info().currsize, 'holidays' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    looked_up, imported = proc.stderr.split()[-2:]
    assert int(looked_up) > 0 and imported == "False", proc.stderr
