"""`reclama plazos`: what a cron job or a lawyer's morning script sees across a folder of cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from reclama.cli import main

HOY = "2024-12-10"

TV = """\
# Televisor: reclamado por teléfono el 3 de noviembre; el vendedor no contesta.
version_esquema = 1

[compra]
fecha = 2024-05-10
canal = "distancia"
producto = "Televisor 55 pulgadas"

[defecto]
descubrimiento = 2024-11-01

[vendedor]
nombre = "Tiendas Ejemplo, S.A."

[[eventos]]
tipo = "aviso"
fecha = 2024-11-03
canal = "teléfono"
"""

LAVADORA = """\
# Régimen de 2007: la acción prescribe tres años después de la entrega.
[compra]
fecha = 2021-12-20
canal = "tienda"
producto = "Lavadora"

[defecto]
descubrimiento = 2022-03-01

[reclamacion]
aviso = 2022-03-05

[vendedor]
nombre = "Electro Ejemplo, S.L."
"""

TRANQUILO = """\
[compra]
fecha = 2024-09-01
producto = "Cafetera"

[defecto]
descubrimiento = 2024-11-01
"""

RESUELTO = (
    TV
    + """
[[eventos]]
tipo = "resuelto"
fecha = 2024-11-20
"""
)

ROTO = """\
[compra]
fecha = 2024-05-10

[defecto]
descubrimiento = "la semana pasada"
"""


@pytest.fixture
def casos(tmp_path) -> Path:
    folder = tmp_path / "casos"
    (folder / "cliente-b").mkdir(parents=True)
    (folder / ".borradores").mkdir()
    (folder / "tv.toml").write_text(TV, encoding="utf-8")
    (folder / "cliente-b" / "lavadora.toml").write_text(LAVADORA, encoding="utf-8")
    (folder / "cafetera.toml").write_text(TRANQUILO, encoding="utf-8")
    (folder / "resuelto.toml").write_text(RESUELTO, encoding="utf-8")
    (folder / "tv.toml.bak").write_text("no es un caso", encoding="utf-8")
    (folder / ".borradores" / "a-medias.toml").write_text("[compra", encoding="utf-8")
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_due_and_passed_deadlines_soonest_first_exit_1(casos, capsys):
    code, out, err = run(capsys, "plazos", str(casos), "--hoy", HOY, "--json")
    rows = json.loads(out)
    assert code == 1, err
    assert err == ""
    assert [(Path(r["fichero"]).name, r["plazo"], r["vence"], r["estado"]) for r in rows] == [
        ("tv.toml", "respuesta_empresario", "2024-12-03", "vencido"),
        ("lavadora.toml", "prescripcion", "2024-12-20", "proximo"),
    ]
    tv = rows[0]
    assert tv == {
        "fichero": str(casos / "tv.toml"),
        "caso": "Tiendas Ejemplo, S.A. — Televisor 55 pulgadas",
        "plazo": "respuesta_empresario",
        "vence": "2024-12-03",
        "dias_restantes": -7,
        "articulo": "art. 21.3 TRLGDCU",
        "estado": "vencido",
        "descripcion": tv["descripcion"],
        "actuar_antes_de": None,
        "puede_demandar_desde": None,  # a claim of 2024: before LO 1/2025 there is no such date
    }
    assert rows[1]["articulo"] == "art. 123.4 TRLGDCU" and rows[1]["dias_restantes"] == 10


def test_a_broken_file_is_reported_and_makes_exit_2_but_the_others_are_still_listed(casos, capsys):
    (casos / "roto.toml").write_text(ROTO, encoding="utf-8")
    code, out, err = run(capsys, "plazos", str(casos), "--hoy", HOY, "--json")
    assert code == 2
    assert len(json.loads(out)) == 2
    assert "roto.toml" in err and "línea 5" in err and "defecto.descubrimiento" in err
    assert err.count("Error en") == 1


def test_nothing_due_exit_0(casos, capsys):
    code, out, _ = run(
        capsys, "plazos", str(casos / "cafetera.toml"), str(casos / "resuelto.toml"), "--hoy", HOY
    )
    assert code == 0
    assert "Ningún plazo vence" in out


def test_the_window_decides_what_is_near(casos, capsys):
    code, out, _ = run(
        capsys, "plazos", str(casos / "cliente-b"), "--dentro-de", "5", "--hoy", HOY, "--json"
    )
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = run(
        capsys, "plazos", str(casos / "cliente-b"), "--dentro-de", "10", "--hoy", HOY, "--json"
    )
    assert code == 1 and [r["plazo"] for r in json.loads(out)] == ["prescripcion"]


def test_answered_claims_and_resolved_cases_are_not_listed(casos, capsys):
    (casos / "tv.toml").write_text(
        TV + '\n[[eventos]]\ntipo = "respuesta"\nfecha = 2024-11-20\nrespuestas = ["marca"]\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        capsys,
        "plazos",
        str(casos / "tv.toml"),
        str(casos / "resuelto.toml"),
        "--hoy",
        HOY,
        "--json",
    )
    assert (code, json.loads(out)) == (0, [])


def test_a_folder_that_does_not_exist_is_bad_input(tmp_path, capsys):
    code, _, err = run(capsys, "plazos", str(tmp_path / "no-existe"), "--hoy", HOY)
    assert code == 2 and "no existe" in err


def test_the_table_names_file_case_and_article(casos, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    code, out, _ = run(capsys, "plazos", str(casos), "--hoy", HOY)
    assert code == 1
    assert (
        "Respuesta del vendedor" in out and "Tiendas Ejemplo, S.A. — Televisor 55 pulgadas" in out
    )
    assert "art. 123.4 TRLGDCU" in out and "lavadora.toml" in out
    assert out.index("03/12/2024") < out.index("20/12/2024")


def test_ics_export_opens_in_a_standard_parser(casos, tmp_path, capsys):
    from icalendar import Calendar

    ics = tmp_path / "plazos.ics"
    code, _, _ = run(capsys, "plazos", str(casos), "--hoy", HOY, "--ics", str(ics))
    assert code == 1
    cal = Calendar.from_ical(ics.read_bytes())
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    got = [(str(e.get("summary")), e.decoded("dtstart"), e.decoded("dtend")) for e in events]
    assert got == [
        (
            "Respuesta del vendedor: Tiendas Ejemplo, S.A. — Televisor 55 pulgadas",
            date(2024, 12, 3),
            date(2024, 12, 4),
        ),
        (
            "Prescripción de la acción: Electro Ejemplo, S.L. — Lavadora",
            date(2024, 12, 20),
            date(2024, 12, 21),
        ),
    ]
    assert "art. 123.4 TRLGDCU" in str(events[1].get("description"))
    assert len({str(e.get("uid")) for e in events}) == 2
    assert events[1].walk("VALARM") and not events[0].walk(
        "VALARM"
    )  # no alarm for what already passed
    first = ics.read_bytes()
    run(capsys, "plazos", str(casos), "--hoy", HOY, "--ics", str(ics))
    assert ics.read_bytes() == first  # same day, same calendar: the UIDs are stable


def test_ics_never_overwrites_a_file_that_is_not_a_calendar(casos, capsys):
    target = casos / "tv.toml"
    original = target.read_bytes()
    code, _, err = run(capsys, "plazos", str(casos), "--hoy", HOY, "--ics", str(target))
    assert code == 2 and "no es un calendario" in err
    assert target.read_bytes() == original


def test_a_folder_scan_skips_toml_files_that_are_not_cases(capsys, tmp_path):
    """A firm profile or a column map kept beside the cases is not a broken case."""
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "movil.toml").write_text(
        (root / "examples" / "caso-demo.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "despacho.toml").write_text(
        (root / "examples" / "despacho" / "despacho.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "columnas.toml").write_text('[columnas]\n"Fecha de compra" = "compra"\n')
    (tmp_path / "roto.toml").write_text("[compra\nfecha = 2026-01-01\n")  # a case, broken
    code, out, err = run(capsys, "plazos", str(tmp_path), "--hoy", "2026-11-22", "--json")
    assert code == 2
    assert "roto.toml" in err and "despacho.toml" not in err and "columnas.toml" not in err
    assert {r["fichero"] for r in json.loads(out)} <= {str(tmp_path / "movil.toml")}
    code, _out, err = run(capsys, "plazos", str(tmp_path / "despacho.toml"), "--hoy", "2026-11-22")
    assert code == 2 and "despacho.toml" in err  # named on purpose: read as a case
