"""Every command is in the README's command table and has a docs page that explains it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reclama.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _row(command: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| `reclama {command}")]
    assert rows, f"`reclama {command}` is not in the README's command table"
    return rows[0]


def _registered() -> set[str]:
    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    return names | {g.name for g in app.registered_groups}


def test_the_commands_tuple_is_what_the_app_has():
    assert set(COMMANDS) == _registered()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_a_readme_row_linking_a_page_that_explains_it(command):
    links = re.findall(r"\]\((docs/[\w-]+\.md)\)", _row(command))
    assert links, f"the README row of `reclama {command}` links no docs page"
    page = (ROOT / links[0]).read_text(encoding="utf-8")
    assert f"reclama {command}" in page


def test_each_subcommand_of_caso_is_in_its_row():
    (caso,) = [g.typer_instance for g in app.registered_groups if g.name == "caso"]
    for c in caso.registered_commands:
        assert c.name in _row("caso")


@pytest.mark.parametrize("option", ["--version", "--install-completion", "--show-completion"])
def test_the_readme_explains_the_global_options(option):
    assert f"reclama {option}" in README
