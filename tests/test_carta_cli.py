"""`reclama carta` as a consumer uses it: files written, never overwritten, clear errors, no stray files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
DEFAULT_NAME = "reclamacion-telefonia-ejemplo-s-l-2026-11-22"
FLAGS = [
    "--compra",
    "2026-01-10",
    "--descubrimiento",
    "2026-03-01",
    "--remedio",
    "reparacion",
    "--nombre",
    "Ana Gil Pons",
    "--dni",
    "12345678Z",
    "--domicilio",
    "Calle Mayor 1, 42001 Soria",
    "--vendedor",
    "Electro Ejemplo, S.L.",
    "--cif",
    "B12345674",
    "--producto",
    "Portátil Z",
    "--precio",
    "1.299,00",
    "--defecto",
    "No enciende.",
    "--respuesta",
    "marca",
    "--respuesta",
    "gastos",
    "--lugar",
    "Soria",
    "--hoy",
    "2026-11-22",
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_demo_letter_as_pdf(capsys, tmp_path):
    code, out, err = run(
        capsys, "carta", "--caso", str(DEMO), "--hoy", "2026-11-22", "-o", "carta.pdf"
    )
    assert code == 0, err
    assert out.strip() == "carta.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "carta.pdf").pages)
    assert "Telefonía Ejemplo, S.L." in text and "art. 117.1 del TRLGDCU" in text
    assert "burofax" in err and "acuse de recibo" in err  # how to send it, told to the user
    assert "Aviso: Punto no verificado (trlgdcu.respuesta_reclamacion)" in err


def test_the_file_name_comes_from_the_case_and_is_never_overwritten(capsys, tmp_path):
    args = ("carta", "--caso", str(DEMO), "--hoy", "2026-11-22", "--formato", "txt")
    assert run(capsys, *args)[0] == 0
    path = tmp_path / f"{DEFAULT_NAME}.txt"
    path.write_text("carta ya enviada", encoding="utf-8")
    code, _, err = run(capsys, *args)
    assert code == 2 and "Error en -o" in err and "--forzar" in err
    assert path.read_text(encoding="utf-8") == "carta ya enviada"
    assert run(capsys, *args, "--forzar")[0] == 0
    assert "Muy señores míos" in path.read_text(encoding="utf-8")


def test_a_letter_from_flags_alone(capsys, tmp_path):
    code, _, err = run(capsys, "carta", *FLAGS, "--formato", "txt", "-o", "c.txt")
    assert code == 0, err
    txt = (tmp_path / "c.txt").read_text(encoding="utf-8")
    assert txt.startswith("Asunto: Reclamación por falta de conformidad de «Portátil Z»")
    assert "1.299,00\xa0€" in txt and "Soria, 22 de noviembre de 2026" in txt
    assert "Sobre la remisión al fabricante" in txt and "Sobre los gastos de envío" in txt


@pytest.mark.parametrize(
    ("change", "campo"),
    [
        (("--dni", "12345678A"), "--dni"),
        (("--cif", "B12345675"), "--cif"),
        (("--remedio", "resolucion"), "--remedio"),
        (("--formato", "docx"), "--formato"),
        (("--pdf-a",), "--pdf-a"),
        (("--respuesta", "excusa-inventada"), "--respuesta"),
        (("--plantillas", "no-existe"), "--plantillas"),
    ],
)
def test_bad_input_names_the_field_exits_2_and_leaves_no_file(capsys, tmp_path, change, campo):
    args = list(FLAGS)
    if change[0] in args:
        i = args.index(change[0])
        args[i : i + 2] = change
    else:
        args += change
    code, out, err = run(capsys, "carta", "--formato", "txt", *args)
    assert code == 2
    assert err.startswith(f"Error en {campo}"), err
    assert out == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "flag", ["--nombre", "--dni", "--domicilio", "--vendedor", "--cif", "--producto", "--defecto"]
)
def test_each_required_field_missing_is_named(capsys, tmp_path, flag):
    args = list(FLAGS)
    i = args.index(flag)
    del args[i : i + 2]
    code, _, err = run(capsys, "carta", *args, "--formato", "txt")
    assert code == 2 and err.startswith(f"Error en {flag}: falta este dato"), err
    assert list(tmp_path.iterdir()) == []


def test_forzar_asks_for_what_can_be_demanded_and_says_why(capsys, tmp_path):
    args = [a if a != "reparacion" else "resolucion" for a in FLAGS]
    code, _, err = run(capsys, "carta", *args, "--formato", "txt", "-o", "c.txt", "--forzar")
    assert code == 0, err
    txt = (tmp_path / "c.txt").read_text(encoding="utf-8")
    assert "Se exige la reparación o la sustitución del producto" in txt
    # never argued against the client: the preferred remedy is reserved (art. 119 b)
    assert "La opción preferida" not in txt
    assert "De no atenderse en el plazo indicado, exigiré la resolución del contrato" in txt
    assert "Aviso: La carta exige la reparación o la sustitución" in err


def test_pdf_a_from_the_command_line(capsys, tmp_path):
    code, _, err = run(
        capsys, "carta", "--caso", str(DEMO), "--hoy", "2026-11-22", "--pdf-a", "-o", "a.pdf"
    )
    assert code == 0, err
    assert "reclama-caso.json" in PdfReader(tmp_path / "a.pdf").attachments


def test_comprobar_json_never_imports_the_rendering_stack():
    code = (
        "import sys, io, contextlib\n"
        "from reclama.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['comprobar', '--caso', {str(DEMO)!r}, '--json', '--hoy', '2026-11-22'])\n"
        "heavy = [m for m in ('weasyprint', 'jinja2', 'babel', 'pydyf', 'reclama.render') if m in sys.modules]\n"
        "assert rc == 0 and not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_the_command_is_documented(capsys):
    code, out, _ = run(capsys, "carta", "--help")
    assert code == 0
    assert "--formato" in out and "--plantillas" in out and "Ejemplo" in out
