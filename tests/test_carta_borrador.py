"""`carta --borrador`: a letter even without the invoice at hand, with its blanks marked.

The final letter (no --borrador) still refuses to go without the buyer's and seller's data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = "2026-11-22"
FACTS = [
    "--compra",
    "2026-05-04",
    "--descubrimiento",
    "2026-09-14",
    "--remedio",
    "sustitucion",
    "--hoy",
    HOY,
]
# What a letter cannot go without, and the blank a draft writes in its place.
BLANKS = {
    "--nombre": "[nombre y apellidos: complete este dato]",
    "--dni": "DNI [número: complete este dato]",
    "--domicilio": "[domicilio: complete este dato]",
    "--vendedor": "[razón social del vendedor: complete este dato]",
    "--cif": "CIF [número: complete este dato]",
    "--producto": "[producto, como figura en la factura: complete este dato]",
    "--defecto": "[descripción del defecto: complete este dato]",
}


def _carta(capsys, tmp_path, *args, formato="txt"):
    out = tmp_path / f"carta.{formato}"
    code = main(["carta", *args, "--formato", formato, "-o", str(out)])
    err = capsys.readouterr().err
    return code, (out.read_text(encoding="utf-8") if out.exists() else None), err


def test_the_final_letter_refuses_missing_data_naming_the_flag(capsys, tmp_path):
    code, text, err = _carta(capsys, tmp_path, *FACTS)
    assert code == 2 and text is None
    assert err.startswith("Error en --nombre:") and "--cif" in err


@pytest.mark.parametrize("formato", ["txt", "html"])
def test_a_draft_without_personal_data_marks_every_blank(capsys, tmp_path, formato):
    code, text, err = _carta(capsys, tmp_path, *FACTS, "--borrador", formato=formato)
    assert code == 0, err
    assert "BORRADOR" in text
    for flag, blank in BLANKS.items():
        if formato == "txt":
            assert blank in text, flag
        else:
            label = blank.split("[")[1]
            assert f'<mark class="hueco">[{label}</mark>' in text, flag
        assert flag in err  # the user is told what is left to fill in


def test_a_draft_keeps_the_data_it_has(capsys, tmp_path):
    code, text, _ = _carta(
        capsys,
        tmp_path,
        *FACTS,
        "--nombre",
        "Ana Pérez",
        "--vendedor",
        "Tienda, S.L.",
        "--borrador",
    )
    assert code == 0
    assert "Ana Pérez" in text and "Tienda, S.L." in text
    assert BLANKS["--nombre"] not in text and BLANKS["--cif"] in text


def test_a_draft_of_a_complete_case_is_the_final_letter(capsys, tmp_path):
    args = ["--caso", str(DEMO), "--hoy", HOY]
    code, final, _ = _carta(capsys, tmp_path, *args)
    (tmp_path / "carta.txt").unlink()
    code2, draft, _ = _carta(capsys, tmp_path, *args, "--borrador")
    assert code == code2 == 0
    assert draft == final and "BORRADOR" not in draft


def test_a_draft_still_needs_what_the_law_decides(capsys, tmp_path):
    """Blanks stand in for personal data only: without a remedy there is nothing to claim."""
    code, text, err = _carta(capsys, tmp_path, "--compra", "2026-05-04", "--descubrimiento", "2026-09-14",
                             "--hoy", HOY, "--borrador")  # fmt: skip
    assert code == 2 and text is None
    assert err.startswith("Error en --remedio:")
