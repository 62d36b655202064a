"""Shared pytest options and fixtures (keep minimal; append, do not rewrite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# CI must give the same answer on every run: the property tests draw the same examples each
# time. `make fuzz` draws new ones (`--hypothesis-profile=fuzz`) to hunt for fresh failures;
# a failure it finds becomes a table case in tests/scenarios/.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("fuzz", derandomize=False, print_blob=True)
settings.load_profile("ci")

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Reescribe los ficheros de referencia de tests/golden/ con la salida actual.",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """compare(text, name): text must equal tests/golden/<test module>/<name> (--update-golden rewrites it)."""
    folder = GOLDEN / Path(request.node.fspath).stem

    def compare(text: str, name: str) -> None:
        path = folder / name
        if request.config.getoption("--update-golden"):
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"falta {path}: genérelo con pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"{path} cambió: revise la diferencia y, si es correcta, use --update-golden"
        )

    return compare


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """No test reads the developer's own ~/.config/reclama (a firm profile would sign letters)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
