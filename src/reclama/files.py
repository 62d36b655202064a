"""Writing files the user owns: atomically, never through a link, never over a file unless asked.

What every output of reclama promises (docs/seguridad.md):
- a file is written whole or not at all: temp file in the same folder, fsync, rename;
- an existing symbolic link is never followed nor replaced (the user names the real file);
- an existing file is replaced only with `forzar` (the caller decides what counts as
  "reclama wrote it itself", e.g. a batch's own letters);
- a failure (full disk, a name too long, a folder in the way) is a Spanish InputError
  and leaves no temp file behind.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import threading
import unicodedata
from datetime import date
from pathlib import Path

from reclama.errors import InputError

STDOUT = "-"  # `-o -`: the output goes to standard output

# Temp files being written by this process, so that a worker told to die (its parent was
# killed) removes them before it exits: see `remove_pending_temps`.
_pending: set[str] = set()
_pending_lock = threading.Lock()

_ERRNO_ES = {
    errno.ENOSPC: "no queda espacio en el disco",
    errno.EDQUOT: "se ha superado la cuota de disco",
    errno.EACCES: "no tiene permiso de escritura",
    errno.EPERM: "no tiene permiso de escritura",
    errno.EROFS: "el sistema de ficheros es de solo lectura",
    errno.ENAMETOOLONG: "el nombre es demasiado largo para el sistema de ficheros",
    errno.EISDIR: "es una carpeta; indique un nombre de fichero",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta",
    errno.ENOENT: "no existe la carpeta",
    errno.ELOOP: "es un enlace simbólico; reclama no escribe a través de enlaces",
    errno.EIO: "error de entrada/salida del disco",
    errno.EFBIG: "el fichero es demasiado grande para el sistema de ficheros",
}


def document_name(tipo: str, vendedor: str | None, hoy: date, formato: str) -> str:
    """<tipo>-<vendedor>-<AAAA-MM-DD>.<formato>, in ASCII: a document's file when none is named
    (`tipo` is reclamacion, demanda or arbitraje)."""
    nombre = unicodedata.normalize("NFKD", vendedor or "vendedor")
    slug = re.sub(r"[^a-z0-9]+", "-", nombre.encode("ascii", "ignore").decode().lower()).strip("-")
    return f"{tipo}-{slug or 'vendedor'}-{hoy.isoformat()}.{formato}"


def os_error_es(e: OSError) -> str:
    """A system error in Spanish (the library's strerror is English)."""
    code = e.errno or 0
    return _ERRNO_ES.get(code, f"error del sistema ({errno.errorcode.get(code, code)})")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_stream(path: Path) -> bool:
    """A device, FIFO or socket (following links), or anything under /dev (/dev/stdout...)."""
    if str(path).startswith("/dev/"):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


def check_target(path: Path, *, forzar: bool, campo: str, streams: bool = False) -> str:
    """What writing `path` would do: "new", "replace" or "stream" (write into a device or FIFO).

    `streams`: an existing device or FIFO the user named (`-o /dev/stdout`, a named pipe) is
    written into directly, never replaced by a regular file; without it, it is refused.

    Raises:
        InputError: a symbolic link, a folder, something that is not a file, or an
            existing file without `forzar`.
    """
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "new"
    except OSError as e:
        raise InputError(campo, f"{path}: {os_error_es(e)}") from None
    if streams and _is_stream(path):
        return "stream"
    if stat.S_ISLNK(st.st_mode):
        raise InputError(
            campo,
            f"{path} es un enlace simbólico: reclama no escribe a través de enlaces ni los "
            "sustituye; indique el fichero de destino real",
        )
    if stat.S_ISDIR(st.st_mode):
        raise InputError(campo, f"{path} es una carpeta; indique un nombre de fichero")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(campo, f"{path} no es un fichero normal; no se sobrescribe")
    if not forzar:
        raise InputError(campo, f"ya existe {path}; use --forzar para sobrescribirlo")
    return "replace"


def is_stdout(path: Path) -> bool:
    """`-` or a device that is this process's standard output (`-o /dev/stdout`, `/dev/fd/1`).

    Why: written through a second descriptor, the letter and the lines printed on
    stdout would overwrite each other when stdout is redirected to a file.
    """
    if str(path) == STDOUT:
        return True
    if not _is_stream(Path(path)):
        return False
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False


def write_stdout(data: bytes | str) -> None:
    """`-o -`: the output on standard output, as bytes (a PDF must not be re-encoded)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _temp_prefix(name: str) -> str:
    """`.NAME.` for the temp file; a long name keeps only its tail, so the temp fits too."""
    return f".{name if len(name) <= 200 else name[-200:]}."


def remove_pending_temps() -> None:
    """Delete the temp files this process is writing; called by a worker about to `_exit`.

    The lock is kept: no new temp file can be created after this call.
    """
    _pending_lock.acquire()
    for tmp in list(_pending):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _new_temp(path: Path) -> tuple[int, str]:
    with _pending_lock:
        import tempfile  # only writers need it: it costs ~5 ms of every start

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path.name), suffix=".tmp")
        _pending.add(tmp)
    return fd, tmp


def _drop_temp(tmp: str) -> None:
    with _pending_lock:
        _pending.discard(tmp)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _link_new(tmp: str, path: Path, campo: str) -> None:
    """Give the temp file its final name only if nothing took that name meanwhile."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise InputError(campo, f"ya existe {path}; use --forzar para sobrescribirlo") from None
    except OSError as e:  # a file system without hard links (FAT, some network shares)
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        if os.path.lexists(path):
            raise InputError(campo, f"ya existe {path}; use --forzar para sobrescribirlo") from None
        os.replace(tmp, path)


def _write_stream(path: Path, data: bytes, campo: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as e:
        raise InputError(campo, f"no se pudo escribir en {path}: {os_error_es(e)}") from None


def write_atomic(
    path: Path,
    data: bytes | str,
    *,
    forzar: bool = False,
    campo: str = "salida",
    streams: bool = False,
) -> Path:
    """Write `data` to `path` through a temp file in the same folder, then rename.

    A crash or Ctrl-C leaves either the old file or the new one, never half of one;
    without `forzar` the final name is taken with a hard link, so a file that appeared
    meanwhile is not overwritten either. See `check_target` for links and devices.

    Raises:
        InputError: see `check_target`; or the file cannot be written (in Spanish).
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    how = check_target(path, forzar=forzar, campo=campo, streams=streams)
    if how == "stream":
        _write_stream(path, data, campo)
        return path
    made = _missing_parents(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_temp(path)
    except OSError as e:
        _remove_empty(made)
        raise InputError(campo, f"no se puede escribir {path}: {os_error_es(e)}") from None
    try:
        try:
            # mkstemp creates 0600: give the mode a plain open() would, or keep the old one.
            old = os.lstat(path) if how == "replace" else None
            os.chmod(tmp, stat.S_IMODE(old.st_mode) if old else 0o666 & ~_umask())
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if how == "new":
            _link_new(tmp, path, campo)
        else:
            os.replace(tmp, path)
    except OSError as e:
        _drop_temp(tmp)
        _remove_empty(made)
        raise InputError(campo, f"no se pudo escribir {path}: {os_error_es(e)}") from None
    finally:
        _drop_temp(tmp)
    return path


def _missing_parents(path: Path) -> list[Path]:
    """The folders `mkdir(parents=True)` would create for `path`, deepest first."""
    missing = []
    parent = path.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Undo the folders a failed write created: a failed command leaves nothing behind."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def write_with_backup(path: Path, data: bytes | str, *, campo: str = "FICHERO") -> Path:
    """Replace `path` atomically and keep its previous content as `path.bak`.

    A symbolic link is updated THROUGH the link: the temp file and the .bak sit next to
    the real file, which is renamed over; the link stays a link (a case kept in a synced
    folder and linked from elsewhere gets the change where it really lives).

    The copy is written first, itself atomically: a crash at any point leaves the
    original intact, and the .bak either as it was or equal to the original.
    Both keep the original's permissions.

    Raises:
        InputError: the folder is not writable.
    """
    path = Path(os.path.realpath(path))
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
