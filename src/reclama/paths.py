"""Where the bundled data folders are, in a wheel and in a source checkout alike."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

# A folder of rule files to use instead of the bundled legal_rules/ (a reform drafted as data).
RULES_ENV = "RECLAMA_REGLAS"

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folder inside the package (hatchling force-include);
    # a source checkout or an editable install finds it at the repository root.
    for candidate in (_PKG / name, _PKG.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no se encuentra la carpeta {name}/ de reclama")


def rules_dir() -> Path:
    """$RECLAMA_REGLAS if set, so a lawyer can try a reform on a copy; else the bundled rules."""
    return _rules_dir(os.environ.get(RULES_ENV))


@cache
def _rules_dir(override: str | None) -> Path:
    # Cached: every evaluation asks for the rule book, and must not touch the disk to find it.
    return Path(override).resolve() if override else _data_dir("legal_rules")


def templates_dir() -> Path:
    return _data_dir("templates")
