"""Template folders: rendering reads a file only if, symlinks resolved, it lies inside one of them."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable
from pathlib import Path

from reclama.errors import InputError

MAX_BYTES = 1_000_000  # a template, stylesheet or text file; a letterhead is a few kilobytes
MAX_RECURSO = 20_000_000  # an image or font fetched by WeasyPrint


_MOTIVOS = {
    errno.ENOENT: "no existe",
    errno.EACCES: "sin permiso de lectura",
    errno.EISDIR: "es una carpeta",
}


class PlantillaError(InputError):
    """A template that cannot be used: «Error en la plantilla FICHERO, línea N: ...»."""

    def __init__(self, fichero: str | Path, mensaje: str, linea: int | None = None):
        donde = f"la plantilla {fichero}" + (f", línea {linea}" if linea else "")
        super().__init__(donde, mensaje)
        self.fichero, self.linea = str(fichero), linea


class Carpetas:
    """The template folders, first one first; every path they hand out is checked.

    Why after resolving: a letterhead pack may carry a symlink (`carta.css -> ~/.ssh/id_rsa`);
    only the real target decides whether a file may end up in a letter.
    """

    def __init__(self, dirs: Iterable[Path]):
        self.dirs = tuple(Path(d).resolve() for d in dirs)

    def contains(self, path: Path) -> bool:
        real = Path(path).resolve()
        return any(real.is_relative_to(d) for d in self.dirs)

    def find(self, name: str, folder: Path | None = None) -> Path | None:
        """`name` in `folder` (or the first folder that has it), refused if it leads outside."""
        for d in (folder,) if folder is not None else self.dirs:
            path = Path(d) / name
            if not (path.exists() or path.is_symlink()):
                continue
            if not self.contains(path):
                raise PlantillaError(
                    path,
                    "lleva a un fichero fuera de las carpetas de plantillas (enlace simbólico); no se lee",
                )
            if not path.is_file():
                raise PlantillaError(path, "no es un fichero")
            return path
        return None

    def read_bytes(self, path: Path, limit: int = MAX_BYTES) -> bytes:
        """The bytes of a path inside the folders (checked again here), at most `limit`."""
        if not self.contains(path):
            raise PlantillaError(path, "está fuera de las carpetas de plantillas; no se lee")
        try:
            with Path(path).resolve().open("rb") as f:
                data = f.read(limit + 1)
        except OSError as e:
            raise PlantillaError(
                path, f"no se puede leer ({_MOTIVOS.get(e.errno, 'error de lectura')})"
            ) from None
        if len(data) > limit:
            raise PlantillaError(path, f"ocupa más de {limit // 1_000_000} MB")
        return data

    def read_text(self, path: Path) -> str:
        """UTF-8 text of a template file; a bad byte is reported with its line."""
        data = self.read_bytes(path)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            linea = data[: e.start].count(b"\n") + 1
            raise PlantillaError(
                path, "no está en UTF-8; guárdelo con esa codificación", linea
            ) from None


def toml_line(text: str, section: str, key: str | None = None) -> int | None:
    """Line of `[section]` (or of `key = ` inside it) in a TOML text, for error messages."""
    lines = text.splitlines()
    head = re.compile(rf"""^\s*\[\s*["']?{re.escape(section)}["']?\s*[\].]""")
    start = next((i for i, line in enumerate(lines) if head.match(line)), None)
    if start is None:
        return None
    if key is not None:
        field = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("[") and not head.match(lines[i]):
                break
            if field.match(lines[i]):
                return i + 1
    return start + 1
