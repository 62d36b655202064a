"""Safe file names for a row's letter, confined to the output folder."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def slug(text: str, max_len: int) -> str:
    """Letters, digits, '-' and '_' only: no separators, dots or control characters survive."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text.encode("ascii", "ignore").decode())
    return text.strip("-_")[:max_len].strip("-_")


def output_name(fila: int, row_id: str | None, vendedor: str | None, ext: str) -> str:
    """File name of a row's letter: `<id or fila-NNNNN>_<seller>.<ext>`, safe on any system."""
    base = slug(row_id or "", 60) or f"fila-{fila:05d}"
    if _WINDOWS_RESERVED.match(base):
        base = f"_{base}"
    seller = slug(vendedor or "", 40).lower()
    return f"{base}_{seller}.{ext}" if seller else f"{base}.{ext}"


def inside(folder: Path, name: str, carpeta: bool = False) -> Path:
    """`folder/name`, refusing any name that would land outside `folder`; with `carpeta`
    (--carpetas) `name` may be `cliente/fichero`, and a client folder that is a link is refused."""
    parts = name.split("/")
    if len(parts) > (2 if carpeta else 1) or any(
        part in ("", ".", "..") or os.sep in part or "\\" in part for part in parts
    ):
        raise ValueError(f"nombre de fichero no válido: {name!r}")
    path = folder.joinpath(*parts)
    if len(parts) == 2 and os.path.islink(path.parent):
        raise ValueError(f"{path.parent} es un enlace simbólico; no se escribe a través de él")
    return path


_STALE_TEMP = re.compile(r"^\..+\.(pdf|html|txt|docx|eml|toml|csv|jsonl)\.[^.]+\.tmp$")


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a crash left behind (never a finished letter), also in the client
    folders of --carpetas (one level down, never through a link)."""
    n = 0
    for p in folder.iterdir():
        if _STALE_TEMP.match(p.name) and p.is_file():
            p.unlink(missing_ok=True)
            n += 1
        elif not p.is_symlink() and p.is_dir():
            for q in p.iterdir():
                if _STALE_TEMP.match(q.name) and not q.is_symlink() and q.is_file():
                    q.unlink(missing_ok=True)
                    n += 1
    return n
