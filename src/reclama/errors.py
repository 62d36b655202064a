"""Errors reclama raises on purpose: user errors (exit 2) and internal errors (exit 3).

Every exception class of reclama derives from `ReclamaError`, so the command line
has one place that turns them into one Spanish line each (reclama.cli.main).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date

# A fact or setting named inside a message (`dato("compra.digital")`): the library does not
# know how the user gives it; each front end writes it its way (a flag, a column).
_DATO = re.compile(r"⟨([a-z_]+(?:\.[a-z_]+)?)⟩")


def dato(clave: str) -> str:
    """`clave` inside a message, for the front end to name: `(añada ⟨compra.digital⟩)`."""
    return f"⟨{clave}⟩"


def nombrar(texto: str, nombre: Callable[[str], str] | None = None) -> str:
    """`texto` with each fact written as `nombre` writes it (by default, its key)."""
    if "⟨" not in texto:
        return texto
    return _DATO.sub(lambda m: (nombre or str)(m.group(1)), texto)


class ReclamaError(Exception):
    """Base of every error reclama raises; `exit_code` is what the command line returns."""

    exit_code = 1


class UserError(ReclamaError):
    """Something the user can fix (a value, a file, an option): exit code 2."""

    exit_code = 2


class InternalError(ReclamaError):
    """A fault of reclama or of its bundled data, never of the user's input: exit code 3."""

    exit_code = 3


class InputError(UserError):
    """Bad input: the CLI prints the Spanish message and exits with code 2.

    `clave` names what is at fault in the library's terms, never a flag: a case fact
    (`reclamacion.aviso`), an option's neutral key (`carta.formato`), a file. `campo` is
    where the user should look when the library knows better (`FICHERO, línea N, campo
    X`); by default the clave, which the command line turns into the flag typed
    (reclama.cli.campos). `fecha` is the offending date, to find the event that brought it.
    `errores` holds every problem found (this one first), to report them all at once.
    """

    def __init__(
        self, clave: str, mensaje: str, *, campo: str | None = None, fecha: date | None = None
    ):
        campo = campo or clave
        super().__init__(f"{campo}: {mensaje}")
        self.clave = clave
        self.campo = campo
        self.mensaje = mensaje
        self.fecha = fecha
        self.errores: list[InputError] = [self]

    def named(self, campo: str, mensaje: str | None = None) -> InputError:
        """This problem shown at `campo` (and with `mensaje`), keeping its clave and date."""
        return InputError(
            self.clave, self.mensaje if mensaje is None else mensaje, campo=campo, fecha=self.fecha
        )

    @classmethod
    def todos(cls, errores: Iterable[InputError]) -> InputError:
        """One error carrying several problems (duplicates dropped); the first one names it."""
        unique: dict[tuple[str, str], InputError] = {}
        for e in errores:
            for p in e.errores:
                unique.setdefault((p.campo, p.mensaje), p)
        items = list(unique.values())
        if len(items) == 1:
            return items[0]
        first = items[0]
        out = cls(first.clave, first.mensaje, campo=first.campo, fecha=first.fecha)
        out.errores = [out, *items[1:]]
        return out

    def lines(self) -> Iterator[str]:
        """`Error en CAMPO: mensaje`, one per problem, with control characters made visible."""
        for p in self.errores:
            yield visible(f"Error en {p.campo}: {nombrar(p.mensaje)}")

    def __str__(self) -> str:
        return "; ".join(f"{p.campo}: {nombrar(p.mensaje)}" for p in self.errores)


# Characters never echoed as they are: controls (C0, DEL, C1: ESC starts terminal escape
# sequences), format characters (bidi overrides, zero-width), line/paragraph separators
# and lone surrogates (undecodable bytes from argv or a file name).
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def visible(text: str, lines: bool = True) -> str:
    """Text safe to print on a terminal: hidden and control characters shown as `\\x1b`, `\\u202e`.

    Line breaks stay (reclama's own messages use them for lists) unless `lines` is
    False: a value quoted inside a one-line message, such as a spreadsheet cell.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if (ch != "\n" or not lines) and unicodedata.category(ch) in _HIDDEN:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def shown(value: object, limit: int = 60) -> str:
    """A user's value quoted in a message, cut to `limit` characters: a 1 MB cell stays one line."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
