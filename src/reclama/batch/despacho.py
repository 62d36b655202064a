"""A law firm's profile (`--despacho despacho.toml`): who signs, where replies go, the
letterhead folder and the firm's numbering of its letters.

Why a file and not columns: the firm's data is the same in every row; repeated in a
spreadsheet it drifts, and a row without it would send the seller's reply to the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reclama.errors import InputError, visible

CAMPO = "lote.despacho"
DEFAULT_NAME = "despacho.toml"
FIELDS = ("nombre", "abogado", "colegiado", "domicilio", "email", "telefono", "membrete",
          "referencia", "lugar")  # fmt: skip
REQUIRED = ("nombre", "abogado", "domicilio")
DEFAULT_PATTERN = "{id}"
# {id}, {fila}, {anio}, {mes}, {dia}, optionally zero-padded: {fila:05}. Nothing else:
# a pattern is the firm's data, and str.format would let it reach attributes.
_PLACEHOLDER = re.compile(r"\{([a-z]+)(?::0?(\d{1,2}))?\}")
_NAMES = ("id", "fila", "anio", "mes", "dia")


@dataclass(frozen=True, slots=True)
class Despacho:
    """The firm: the lawyer signs for each client and receives the seller's replies."""

    nombre: str
    abogado: str
    domicilio: str
    colegiado: str | None = None
    email: str | None = None
    telefono: str | None = None
    membrete: Path | None = None  # template folder (letterhead, logo, styles)
    referencia: str = DEFAULT_PATTERN
    lugar: str | None = None
    path: Path | None = None

    def data(self) -> dict[str, Any]:
        """What templates see (`despacho`): plain strings only."""
        return {
            "nombre": self.nombre,
            "abogado": self.abogado,
            "colegiado": self.colegiado,
            "domicilio": self.domicilio,
            "email": self.email,
            "telefono": self.telefono,
        }

    def reference(self, fila: int, row_id: str | None, hoy: date) -> str:
        return reference(self.referencia, fila, row_id, hoy)


def reference(pattern: str, fila: int, row_id: str | None, hoy: date) -> str:
    """A letter's reference from the firm's pattern: `MO/{anio}/{fila:04}` -> `MO/2026/0007`."""
    values: dict[str, Any] = {
        "id": row_id or f"fila-{fila:05d}",
        "fila": fila,
        "anio": hoy.year,
        "mes": hoy.month,
        "dia": hoy.day,
    }

    def fill(m: re.Match[str]) -> str:
        value = values[m[1]]
        return f"{value:0{int(m[2])}d}" if m[2] and isinstance(value, int) else str(value)

    return _PLACEHOLDER.sub(fill, pattern)


def check_pattern(pattern: str) -> None:
    """Raises InputError for a placeholder the pattern cannot have."""
    for m in re.finditer(r"\{[^{}]*\}?", pattern):
        ok = _PLACEHOLDER.fullmatch(m[0])
        if not ok or ok[1] not in _NAMES:
            raise InputError(
                CAMPO,
                f"referencia: «{visible(m[0], lines=False)}» no es un dato de la referencia; "
                "use {id}, {fila}, {anio}, {mes} o {dia} (p. ej. {fila:04})",
            )


def default_path() -> Path:
    """The profile reclama uses when `--despacho` is not given, if it exists."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("reclama")) / DEFAULT_NAME


def find(path: Path | None) -> Despacho | None:
    """`--despacho` if given, else the default profile if there is one, else None."""
    if path is not None:
        return load(path)
    default = default_path()
    return load(default) if default.is_file() else None


def load(path: Path) -> Despacho:
    """Read and check a firm profile.

    Raises:
        InputError: unreadable, not TOML, an unknown or missing field, a field that is not
            text, a letterhead folder that does not exist, or a bad reference pattern.
    """
    from reclama.batch.columns import read_toml

    data = read_toml(path, CAMPO, "un perfil de despacho")
    table = data.get("despacho")
    if not isinstance(table, dict):
        raise InputError(CAMPO, f"{path} debe tener una tabla [despacho] (vea docs/lote.md)")
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in FIELDS:
            raise InputError(
                CAMPO,
                f"{path}: «{visible(str(key), lines=False)}» no es un dato del despacho; "
                f"use {', '.join(FIELDS)}",
            )
        if not isinstance(value, str):
            raise InputError(CAMPO, f"{path}: {key} debe ser un texto entre comillas")
        if value.strip():
            values[key] = value.strip()
    missing = [k for k in REQUIRED if k not in values]
    if missing:
        raise InputError(CAMPO, f"{path}: faltan {', '.join(missing)} en [despacho]")
    membrete = None
    if "membrete" in values:
        membrete = (Path(path).parent / values.pop("membrete")).resolve()
        if not membrete.is_dir():
            raise InputError(CAMPO, f"{path}: no existe la carpeta de membrete {membrete}")
    pattern = values.pop("referencia", DEFAULT_PATTERN)
    check_pattern(pattern)
    return Despacho(**values, membrete=membrete, referencia=pattern, path=Path(path))
