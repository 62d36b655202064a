"""Writing files the user owns: atomically, and never over an existing file unless asked."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from reclama.errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | str, *, forzar: bool = False, campo: str = "-o") -> Path:
    """Write `data` to `path` through a temp file in the same folder, then rename.

    A crash or Ctrl-C leaves either the old file or the new one, never half of one.

    Raises:
        InputError: the file exists and `forzar` is False, or the folder is not writable.
    """
    path = Path(path)
    if path.exists() and not forzar:
        raise InputError(campo, f"ya existe {path}; use --forzar para sobrescribirlo")
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise InputError(campo, f"no se puede escribir en {path.parent}: {e.strerror}") from None
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would (or keep the old one).
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_with_backup(path: Path, data: bytes | str, *, campo: str = "FICHERO") -> Path:
    """Replace `path` atomically and keep its previous content as `path.bak`.

    The copy is written first, itself atomically: a crash at any point leaves the
    original intact, and the .bak either as it was or equal to the original.
    Both keep the original's permissions.

    Raises:
        InputError: the folder is not writable.
    """
    path = Path(path)
    bak = path.with_name(path.name + ".bak")
    try:
        old = path.read_bytes()
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        old, mode = None, None
    if old is not None:
        write_atomic(bak, old, forzar=True, campo=campo)
        os.chmod(bak, mode)
    write_atomic(path, data, forzar=True, campo=campo)
    if mode is not None:
        os.chmod(path, mode)
    return path
