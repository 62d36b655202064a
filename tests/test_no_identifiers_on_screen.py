"""What reclama prints for people carries no internal names (`reembolso_desistimiento`).

Every command's main outputs are run and scanned for snake_case identifiers. The only ones
allowed are what the user typed or must type: file names given on the command line, and the
rule ids that `reclama reglas --regla` takes (`trlgdcu.garantia_plazo`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reclama.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = "2026-11-22"
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
RULE_ID = re.compile(r"\b[a-z0-9_]+\.[a-z0-9_]+\b")
# Choice codes written without their accent are for typing, not for reading.
CODES = re.compile(r"\b(reparacion|sustitucion|resolucion)\b")  # what `reglas --regla` takes


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory) -> Path:
    """The demo case, with its events, plus a withdrawal case, in a folder (for `plazos`)."""
    folder = tmp_path_factory.mktemp("casos")
    shutil.copy(DEMO, folder / "movil.toml")
    assert main(["caso", "nuevo", str(folder / "desiste.toml"), "--compra", "2026-11-01", "--canal", "online",
                 "--descubrimiento", "2026-11-03", "--remedio", "desistimiento", "--no-interactivo",
                 "--hoy", HOY]) == 0  # fmt: skip
    return folder


def _outputs(folder: Path) -> list[list[str]]:
    movil, desiste = str(folder / "movil.toml"), str(folder / "desiste.toml")
    runs = [
        [
            "caso",
            "evento",
            movil,
            "aviso",
            "--fecha",
            "2026-09-16",
            "--canal",
            "burofax",
            "--prueba-recepcion",
            "--remedio",
            "sustitucion",
            "--hoy",
            HOY,
        ],
        [
            "caso",
            "evento",
            movil,
            "respuesta",
            "--fecha",
            "2026-09-20",
            "--respuesta",
            "marca",
            "--negativa",
            "--hoy",
            HOY,
        ],
        ["comprobar", "--caso", movil, "--hoy", HOY],
        ["comprobar", "--caso", desiste, "--desistimiento", "2026-11-05", "--hoy", HOY],
        ["caso", "ver", movil, "--hoy", HOY],
        ["caso", "ver", desiste, "--hoy", HOY],
        ["caso", "evento", str(folder / "otro.toml"), "aviso", "--hoy", HOY],  # a missing file
        ["plazos", str(folder), "--dentro-de", "400", "--hoy", HOY],
        ["tuit", "--caso", movil, "--hoy", HOY],
        [
            "carta",
            "--caso",
            movil,
            "--formato",
            "txt",
            "-o",
            str(folder / "carta.txt"),
            "--forzar",
            "--hoy",
            HOY,
        ],
        ["reglas", "--fecha", HOY],
        ["doctor"],
    ]
    csv = folder / "lote.csv"
    csv.write_text("compra,descubrimiento,remedio,canal,cif\n2026-01-01,2026-13-01,cambio,luna,X1\n"
                   "2026-01-01,2026-02-01,rebaja,tienda,\n", encoding="utf-8")  # fmt: skip
    runs.append(["lote", str(csv), "--validar", "--hoy", HOY])
    return runs


def _screen(capsys, args: list[str]) -> str:
    main(args)
    out = capsys.readouterr()
    return out.out + out.err


def _identifiers(text: str, allowed: set[str]) -> set[str]:
    text = RULE_ID.sub(" ", text)
    for word in allowed:
        text = text.replace(word, " ")
    return set(SNAKE.findall(text))


def test_the_main_outputs_show_no_internal_names(case_dir, capsys):
    allowed = {str(case_dir)}
    found = {}
    for args in _outputs(case_dir):
        screen = _screen(capsys, args)
        ids = _identifiers(screen, allowed)
        if args[:2] != ["caso", "nuevo"] and "Siguiente paso" not in screen:
            ids |= set(CODES.findall(RULE_ID.sub(" ", screen)))
        if ids:
            found[" ".join(args[:2])] = sorted(ids)
    assert found == {}


def _help_screens() -> list[list[str]]:
    screens = [["--help"]]
    for name in COMMANDS:
        screens.append([name, "--help"])
    screens += [["caso", sub, "--help"] for sub in ("nuevo", "evento", "ver")]
    return screens


@pytest.mark.parametrize("args", _help_screens(), ids=lambda a: " ".join(a))
def test_help_screens_show_no_internal_names(args):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "reclama", *args], capture_output=True, text=True,
                          check=False, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert _identifiers(proc.stdout, set()) == set()
    assert "<str>" not in proc.stdout and "<bool>" not in proc.stdout and "<list" not in proc.stdout
