"""What a shell user expects of any command: --version, readable help, Tab completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from reclama.cli import COMMANDS

ENV = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}


def _reclama(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reclama", *args], capture_output=True, text=True,
                          check=False, env={**ENV, **env})  # fmt: skip


def test_version_comes_from_the_package_metadata():
    proc = _reclama("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"reclama {version('reclama')}\n"


HELP = [[c, "--help"] for c in COMMANDS if c != "caso"] + [
    ["caso", s, "--help"] for s in ("nuevo", "evento", "ver")
]
# Usage lines as click writes them: options, then arguments in capitals, [OPTIONAL], MANY...
USAGE = re.compile(r"Uso: reclama [a-z ]+ \[OPCIONES\]( \[?[A-Z]+(\.\.\.)?\]?)*")


@pytest.mark.parametrize("args", HELP, ids=lambda a: " ".join(a[:-1]))
def test_usage_lines_and_value_names_read_the_same_in_every_command(args):
    out = _reclama(*args).stdout
    (usage,) = [line.strip() for line in out.splitlines() if "Uso:" in line]
    assert USAGE.fullmatch(usage), usage
    assert "{" not in usage
    assert not re.search(r"<(str|bool|int|float|path|list)\b", out, re.I), out  # Typer type names


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (["comprobar"], "--compra", "FECHA"),
        (["comprobar"], "--garantia-pactada", "MESES"),
        (["comprobar"], "--caso", "FICHERO"),
        (["carta"], "--precio", "EUROS"),
        (["carta"], "--salida", "FICHERO"),
        (["lote"], "--salida", "CARPETA"),
        (["lote"], "--jobs", "N"),
        (["plazos"], "--dentro-de", "DIAS"),
    ],
)
def test_options_show_the_value_they_take(args, option, value):
    out = _reclama(*args, "--help").stdout
    line = next(line for line in out.splitlines() if line.startswith(f"│ {option} "))
    assert re.search(rf"{option}\b.*\b{value}\b", line), line


def test_completion_is_offered_in_spanish_and_completes_commands_and_options():
    out = _reclama("--help").stdout
    assert "--install-completion" in out and "Instala el completado" in out
    assert "--show-completion" in out and "Install completion" not in out
    script = _reclama("--show-completion", "bash", _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert script.returncode == 0 and "_RECLAMA_COMPLETE" in script.stdout
    words = _reclama(
        _RECLAMA_COMPLETE="complete_bash", COMP_WORDS="reclama comprobar --rem", COMP_CWORD="2"
    )
    assert words.stdout.split() == ["--remedio"]


def test_an_extra_argument_is_reported_in_plain_spanish(capsys):
    from reclama.cli import main

    code = main(["comprobar", "--compra", "2026-01-01", "--descubrimiento", "2026-01-02", "a", "b"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no se esperaba (a b)" in err and "(s)" not in err and "argument" not in err


def test_a_home_without_completion_is_left_alone_by_ordinary_runs(tmp_path):
    proc = _reclama("comprobar", "--compra", "2026-01-01", "--descubrimiento", "2026-01-02",
                    "--hoy", "2026-01-03", "--json", HOME=str(tmp_path))  # fmt: skip
    assert proc.returncode == 0
    assert os.listdir(tmp_path) == []


def test_the_commands_that_evaluate_a_case_take_the_same_facts():
    """The case-fact options are declared once (options.CASE_FACTS) and reach every such command."""
    import typer.main

    from reclama.cli import app
    from reclama.cli.options import CASE_FACTS, LETTER_FACTS

    group = typer.main.get_command(app)
    for names, cmds in (
        (CASE_FACTS, ("comprobar", "carta", "tuit")),
        (LETTER_FACTS, ("carta", "tuit")),  # what letters and drafts say of the parties
    ):
        wanted = {name for name, _, _ in names}
        for cmd in cmds:
            params = {p.name for p in group.commands[cmd].params}
            assert wanted <= params, (cmd, sorted(wanted - params))


@pytest.mark.parametrize("flag", ["--conserva", "--suministro-hasta", "--contestacion", "--compra"])
def test_a_date_fact_shows_fecha_as_its_value_in_the_help(flag, capsys, monkeypatch):
    """The value name of a case fact follows its declared type, not Typer's `TEXTO`."""
    from reclama.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    main(["comprobar", "--help"])
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if f" {flag} " in ln]
    assert line.split(flag, 1)[1].split()[0] == "FECHA"
