"""The comprobar and reglas commands as a user and a script see them: output, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_has_the_published_fields(capsys):
    code, out, _ = run(capsys, "comprobar", "--caso", str(DEMO), "--hoy", "2026-11-22", "--json")
    data = json.loads(out)
    assert code == 0
    for key in (
        "version_esquema",
        "regimen",
        "regimen_incierto",
        "en_garantia",
        "prescrita",
        "carga_prueba",
        "aviso_tardio",
        "plazos",
        "remedios_admisibles",
        "remedio",
        "fundamentos",
        "avisos",
    ):
        assert key in data
    assert set(data["plazos"]) >= {
        "garantia",
        "presuncion",
        "aviso",
        "prescripcion",
        "respuesta_empresario",
        "desistimiento",
    }
    assert data["plazos"]["aviso"] is None  # 2022 regime: no notice deadline
    assert data["plazos"]["garantia"] == data["plazos"]["garantia"] | {
        "vence": "2029-05-06",
        "articulo": "art. 120.1 TRLGDCU",
    }
    assert {f["regimen"] for f in data["fundamentos"]} <= {"2022", None}


def test_human_output_starts_with_the_verdict_and_cites_articles(capsys):
    code, out, _ = run(
        capsys,
        "comprobar",
        "--compra",
        "2021-03-10",
        "--descubrimiento",
        "2021-08-01",
        "--aviso",
        "2021-08-20",
        "--remedio",
        "reparacion",
        "--hoy",
        "2021-09-01",
    )
    assert code == 0
    assert out.splitlines()[0].startswith("En garantía")
    assert "art. 123.1 TRLGDCU" in out and "10/03/2023" in out


def test_exit_1_when_the_remedy_cannot_be_demanded_yet(capsys):
    code, out, _ = run(
        capsys,
        "comprobar",
        "--compra",
        "2023-06-01",
        "--descubrimiento",
        "2023-09-01",
        "--remedio",
        "rebaja",
        "--hoy",
        "2024-01-01",
        "--json",
    )
    assert code == 1
    assert json.loads(out)["remedio"]["admisible"] is False


def test_exit_1_outside_the_guarantee(capsys):
    code, _, _ = run(
        capsys,
        "comprobar",
        "--compra",
        "2023-09-01",
        "--descubrimiento",
        "2024-10-15",
        "--segunda-mano",
        "--garantia-pactada",
        "12",
        "--hoy",
        "2024-10-20",
    )
    assert code == 1


BAD = [
    (["--compra", "2021-02-30", "--descubrimiento", "2021-03-01"], "--compra", "no existe"),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-01-05"],
        "--descubrimiento",
        "antes de la entrega",
    ),
    (
        ["--compra", "2021-01-10", "--entrega", "2021-01-05", "--descubrimiento", "2021-02-01"],
        "--entrega",
        "anterior a la compra",
    ),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2030-01-01"],
        "--descubrimiento",
        "posterior a hoy",
    ),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-02-01", "--remedio", "cambio"],
        "--remedio",
        "reparación",
    ),
    (
        [
            "--compra",
            "2021-01-10",
            "--descubrimiento",
            "2021-02-01",
            "--segunda-mano",
            "--garantia-pactada",
            "6.5",
        ],
        "--garantia-pactada",
        "entero",
    ),
    (
        [
            "--compra",
            "2021-01-10",
            "--descubrimiento",
            "2021-02-01",
            "--canal",
            "tienda",
            "--desistimiento",
            "2021-01-15",
        ],
        "--desistimiento",
        "tienda",
    ),
    (
        [
            "--compra",
            "2021-01-10",
            "--descubrimiento",
            "2021-02-01",
            "--canal",
            "tienda",
            "--remedio",
            "desistimiento",
        ],
        "--remedio",
        "tienda",
    ),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-02-01", "--canal", "luna"],
        "--canal",
        "distancia",
    ),
    (["--descubrimiento", "2021-02-01"], "--compra", "falta"),
    (["--compra", "2021-01-10"], "--descubrimiento", "falta"),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-02-01", "--leve", "--grave"],
        "--leve",
        "leve",
    ),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-02-01", "--reparacion", "2021-02-03"],
        "--reparacion",
        "DESDE:HASTA",
    ),
    (
        [
            "--compra",
            "2021-01-10",
            "--descubrimiento",
            "2021-02-01",
            "--reparacion",
            "2021-02-09:2021-02-03",
        ],
        "--reparacion",
        "anterior",
    ),
    (["--compra", "2005-01-10", "--descubrimiento", "2005-02-01"], "--compra", "2010"),
    (["--caso", "/no/existe.toml"], "--caso", "no existe"),
    (
        ["--compra", "2021-01-10", "--descubrimiento", "2021-02-01", "--hoy", "ayer"],
        "--hoy",
        "fecha",
    ),
]


@pytest.mark.parametrize(("args", "campo", "texto"), BAD, ids=[f"{b[1]}: {b[2]}" for b in BAD])
def test_bad_input_is_one_spanish_line_naming_the_field_and_exit_2(capsys, args, campo, texto):
    code, out, err = (
        run(capsys, "comprobar", *args, "--hoy", "2022-01-01")
        if "--hoy" not in args
        else run(capsys, "comprobar", *args)
    )
    assert code == 2
    assert out == ""
    assert err.startswith(f"Error en {campo}:"), err
    assert texto in err
    assert "Traceback" not in err


def test_unknown_option_is_reported_in_spanish(capsys):
    code, _, err = run(capsys, "comprobar", "--fecha-rara", "2021-01-01")
    assert code == 2
    assert "opción desconocida" in err


def test_second_hand_guarantee_below_one_year_is_not_an_error_but_the_law_applies(capsys):
    code, out, _ = run(
        capsys,
        "comprobar",
        "--compra",
        "2023-03-01",
        "--descubrimiento",
        "2023-12-01",
        "--segunda-mano",
        "--garantia-pactada",
        "6",
        "--hoy",
        "2024-01-01",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    # Art. 10: the clause is void and the full three years apply (2023-03-01 + 3 years); the
    # one-year reading (2024-03-01) is shown as an unverified point, not as the answer.
    assert data["plazos"]["garantia"]["vence"] == "2026-03-01"
    aviso = next(a for a in data["avisos"] if a["codigo"] == "pacto_inferior_minimo")
    assert "no vincula" in aviso["texto"] and "01/03/2024" in aviso["texto"]
    assert aviso["no_verificado"]


def test_case_file_errors_name_the_line_and_field(tmp_path, capsys):
    bad = tmp_path / "caso.toml"
    bad.write_text(
        '[compra]\nfecha = 2024-01-10\n\n[defecto]\ndescubrimiento = "ayer"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "comprobar", "--caso", str(bad), "--hoy", "2024-06-01")
    assert code == 2
    assert "defecto.descubrimiento" in err and "línea 5" in err


def test_flags_override_the_case_file(capsys):
    code, out, _ = run(
        capsys,
        "comprobar",
        "--caso",
        str(DEMO),
        "--remedio",
        "rebaja",
        "--hoy",
        "2026-11-22",
        "--json",
    )
    assert json.loads(out)["remedio"]["solicitado"] == "rebaja"
    # the demo's seller sent the buyer to the brand and offered only repair when she had chosen
    # replacement: a refusal (arts. 117.1, 118.1, 119 f TRLGDCU), so a price reduction is open
    assert code == 0 and json.loads(out)["remedio"]["admisible"] is True


def test_reglas_lists_the_versions_in_force_with_their_literal_text(capsys):
    code, out, _ = run(capsys, "reglas", "--fecha", "2021-06-01", "--json")
    rows = {r["regla"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["trlgdcu.garantia_plazo"]["regimen"] == "2007"
    assert rows["trlgdcu.garantia_plazo"]["valido_hasta"] == "2021-12-31"
    assert "dos años" in rows["trlgdcu.garantia_plazo"]["citas"][0]["texto"]
    assert rows["trlgdcu.respuesta_reclamacion"]["valores"] == {"meses": 1}
    # the full text, and the short excerpt the letter quotes (null when the letter quotes it all)
    (cita,) = rows["trlgdcu.respuesta_reclamacion"]["citas"]
    assert "en el plazo más breve posible" in cita["texto"]
    assert cita["breve"].startswith("Los empresarios deberán dar respuesta")
    assert "[…]" in cita["breve"]
    assert rows["trlgdcu.garantia_plazo"]["citas"][0]["breve"] is None


def test_reglas_after_the_2025_reform_gives_fifteen_days(capsys):
    _, out, _ = run(
        capsys,
        "reglas",
        "--fecha",
        "2025-12-28",
        "--regla",
        "trlgdcu.respuesta_reclamacion",
        "--json",
    )
    (row,) = json.loads(out)
    assert row["valores"] == {"dias": 15}
    assert row["no_verificado"]


def test_comprobar_json_never_imports_weasyprint_jinja_babel_rich_or_holidays():
    code = (
        "import sys; from reclama.cli import main; "
        f"rc = main(['comprobar', '--caso', {str(DEMO)!r}, '--hoy', '2026-11-22', '--json']); "
        "bad = [m for m in ('weasyprint', 'jinja2', 'babel', 'rich', 'holidays') if m in sys.modules]; "
        "print(bad, file=sys.stderr); sys.exit(1 if bad else rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "reclama",
            "comprobar",
            "--compra",
            "2024-01-10",
            "--descubrimiento",
            "2024-05-01",
            "--hoy",
            "2024-06-01",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["regimen"] == "2022"


def test_a_bad_flag_next_to_a_case_file_is_blamed_on_the_flag_not_the_file(capsys):
    code, _, _err = run(capsys, "comprobar", "--caso", str(DEMO), "--hoy", "2026-11-22", "--json")
    assert code == 0
    from reclama.cli.campos import named
    from reclama.cli.commands._common import get_case
    from reclama.errors import InputError

    with pytest.raises(InputError) as e:
        get_case(DEMO, {"dni": "12345678A"})
    assert e.value.clave == "consumidor.dni"  # the library names the fact ...
    assert named(e.value).campo == "--dni"  # ... the command line, the flag typed


def test_written_files_get_the_usual_permissions(tmp_path):
    import os

    from reclama.files import write_atomic

    mask = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "carta.txt", "hola")
    finally:
        os.umask(mask)
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_a_closed_pipe_ends_quietly_without_a_traceback():
    proc = subprocess.run(
        f"{sys.executable} -m reclama comprobar --caso {DEMO} --hoy 2026-11-22 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.startswith("En garantía")
    assert "Traceback" not in proc.stderr and "Exception" not in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "args", [["--help"], ["comprobar", "--help"], ["caso", "evento", "--help"], []]
)
def test_help_screens_are_in_spanish(args):
    proc = subprocess.run(
        [sys.executable, "-m", "reclama", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
    )
    text = proc.stdout + proc.stderr
    assert "Uso: reclama" in text and "Opciones" in text, text
    for english in ("Usage:", "Show this message", "[OPTIONS]", "Commands", "Options"):
        assert english not in text


# An answer from the seller shows it received the notice (rule cc.reconocimiento_deuda, an
# interpretation of CC art. 1973 flagged as unverified): the notice then restarts prescription.
# A dated answer (--contestacion) says so as much as --contestada, if it came after the notice.
CONTESTACION = [
    ([], "2031-09-01"),  # 5 years from the defect (art. 124 TRLGDCU): no proof of receipt
    (["--contestada"], "2031-09-15"),  # restarted by the notice of 15-09-2026
    (["--contestacion", "2026-09-20"], "2031-09-15"),  # the answer of 20-09 shows the same
    (["--contestacion", "2026-09-10"], "2031-09-01"),  # earlier than the notice: proves nothing
]


@pytest.mark.parametrize(("extra", "prescribe"), CONTESTACION)
def test_a_dated_answer_shows_receipt_of_the_notice_it_answers(capsys, extra, prescribe):
    args = ["comprobar", "--compra", "2026-05-04", "--descubrimiento", "2026-09-01",
            "--aviso", "2026-09-15", *extra, "--hoy", "2026-11-22", "--json"]  # fmt: skip
    main(args)
    data = json.loads(capsys.readouterr().out)
    assert data["plazos"]["prescripcion"]["vence"] == prescribe
