"""Safe-wording linter for public complaint drafts addressed to a company.

A public post can hurt the consumer who writes it: an accusation of a crime ("estafa",
"ladrones") can be defamatory and cannot be proved, and personal data (DNI, phone, address)
stays public for good. ``lint`` rejects such drafts with a Spanish explanation, and fixes
what can be fixed safely: full order numbers are masked to their last four characters.

The checks read a normalised view of the draft, so that what a reader sees is what is checked:
invisible characters (zero-width spaces, joiners, BOM...) are dropped, each character is put in
NFKC form (full-width and mathematical letters become plain ones), digits of any script become
ASCII digits, and for the vocabulary, Cyrillic and Greek look-alikes of Latin letters (Unicode
confusables, UTS #39) are read as those letters. The draft that comes out never carries invisible
characters, and one with bidirectional controls (which make text display in another order than
it was checked in) is rejected.

The vocabulary, street types, template seams and messages live in ``data/lint_es.toml``.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex
from pydantic import BaseModel
from stdnum import iban as stdnum_iban
from stdnum.es import dni as stdnum_dni
from stdnum.es import nie as stdnum_nie

_DATA = Path(__file__).parent / "data"
_MASK = "****"


class LintProblem(BaseModel):
    """One finding: ``bloquea`` means the draft must not be published as it is."""

    regla: str
    fragmento: str
    mensaje: str
    bloquea: bool


class LintResult(BaseModel):
    """``texto`` is the draft with the fixes applied (order numbers masked)."""

    texto: str
    problemas: list[LintProblem]
    rechazado: bool


@dataclass(frozen=True)
class _Family:
    regla: str
    pattern: regex.Pattern[str]


@dataclass(frozen=True)
class _Vocab:
    mensajes: dict[str, str]
    families: tuple[_Family, ...]
    address: regex.Pattern[str]
    seams: regex.Pattern[str]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    regla: str
    mensaje_key: str


# --- What the reader sees: invisible and bidirectional characters ---------------------------

# Kept, because emoji need them: a tag sequence (subdivision flags), a zero-width joiner between
# two pictographs (family, profession emoji), and the text/emoji presentation selectors.
_EMOJI_PARTS = (
    r"\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F"
    r"|(?<=[\p{ExtPict}\p{EMod}\uFE0F])\u200D(?=\p{ExtPict})"
    r"|[\uFE0E\uFE0F]"
)
# Default-ignorable code points and format characters (Cf): they show nothing, or nothing a
# reader notices, and can split a word or a number so that no check sees it.
_INVISIBLE = regex.compile(rf"({_EMOJI_PARTS})|[\p{{DI}}\p{{Cf}}]")
# Embeddings, overrides and isolates: the text is shown in another order than it is stored.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """``text`` without invisible or bidirectional-control characters (emoji sequences kept).

    Every public draft goes through this last, so a value that reaches it without being
    linted (the seller's account name) cannot smuggle them in either.
    """
    return _INVISIBLE.sub(lambda m: m.group(1) or "", text)


def _invisible_chars(text: str) -> list[str]:
    return [m.group() for m in _INVISIBLE.finditer(text) if m.group(1) is None]


def _code_points(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


# --- Normalised view for the checks ----------------------------------------------------------

# NFKC would turn the ordinal indicators into letters ("nº" into "no"), which the address
# patterns and Spanish ordinals ("1.º") rely on.
_KEEP = frozenset("ºª")


def _view(text: str) -> tuple[str, list[int]]:
    """NFKC, ASCII-digit copy of an invisible-free ``text`` and, per char, its index in ``text``.

    Done char by char, so that every finding maps back to the user's own wording.
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in ch if ch in _KEEP else unicodedata.normalize("NFKC", ch):
            digit = unicodedata.decimal(c, None)
            chars.append(str(digit) if digit is not None else c)
            origin.append(i)
    return "".join(chars), origin


@cache
def _latin_lookalike(ch: str) -> str:
    """The Latin letter a Cyrillic/Greek/... letter looks like (UTS #39 data), or ``ch``.

    Tries the letter's own case first, then the other case ("т" looks like a small-capital T).
    UTS #39 uses "l" as the prototype of "I"/"l"/"1": an upper-case look-alike of it is an I.
    """
    if ch.isascii() or not ch.isalpha():
        return ch
    from confusable_homoglyphs import categories, confusables  # ~70 ms of data, only when needed

    if categories.alias(ch) in ("LATIN", "COMMON"):
        return ch
    for variant in dict.fromkeys((ch, ch.upper(), ch.lower())):
        found = confusables.is_confusable(variant, greedy=True, preferred_aliases=["latin"])
        for glyph in (h["c"] for d in found or [] for h in d["homoglyphs"]):
            if len(glyph) == 1 and glyph.isascii() and glyph.isalpha():
                return "i" if glyph == "l" and variant.isupper() else glyph
    return ch


# --- Accent-, case- and look-alike-insensitive matching ---------------------------------------


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_latin_lookalike(c) for c in kept).lower()


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, accent-free copy of ``text`` and, per folded char, its index in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            chars.append(c)
            origin.append(i)
    return "".join(chars), origin


def _phrase_pattern(phrase: str) -> str:
    """Folded phrase as a regex: any whitespace between words, whole words at both ends."""
    words = _fold(phrase)[0].split()
    body = r"\s+".join(regex.escape(w) for w in words)
    left = r"(?<!\w)" if words and regex.match(r"\w", words[0]) else ""
    right = r"(?!\w)" if words and regex.search(r"\w$", words[-1]) else ""
    return f"{left}{body}{right}"


def _original_span(text: str, origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a folded span back to ``text``, keeping trailing combining accents."""
    s, e = origin[start], origin[end - 1] + 1
    while e < len(text) and unicodedata.combining(text[e]):
        e += 1
    return s, e


# --- Vocabulary from data/lint_es.toml --------------------------------------------------------


def _alternation(items: Iterable[str]) -> str:
    return "|".join(regex.escape(i) for i in sorted(items, key=len, reverse=True))


@cache
def _vocab() -> _Vocab:
    with open(_DATA / "lint_es.toml", "rb") as fh:
        data = tomllib.load(fh)
    families = tuple(
        _Family(
            f["regla"],
            regex.compile(
                "|".join(_phrase_pattern(p) for p in sorted(f["formas"], key=len, reverse=True))
            ),
        )
        for f in data["familias"]
    )
    d = data["direccion"]
    particle = rf"(?:{_alternation(d['particulas'])})"
    word = r"\p{L}[\p{L}'\u2019.\-]*"
    cap_word = r"\p{Lu}[\p{L}'\u2019.\-]*"
    number_mark = rf"(?:{_alternation(d['numero'])})"
    number = r"\d{1,4}(?!\d)"
    full = rf"(?i:{_alternation(d['tipos'])})(?!\w)"
    abbrev = rf"(?i:{_alternation(d['abreviaturas'])})"
    # Full street word + capitalised name + number ("Calle Mayor, 5").
    capitalised = (
        rf"{full}\s+(?:{particle}\s+)*{cap_word}(?:\s+(?:{particle}|{cap_word})){{0,5}}"
        rf"\s*,?\s*(?:{number_mark}\s*)?{number}"
    )
    # Any street type + any name + explicit number marker ("calle mayor nº 5").
    marked = (
        rf"(?:{full}|{abbrev})\s*(?:{word}\s+){{0,5}}?{word}\s*,?\s*(?i:{number_mark})\s*{number}"
    )
    # Abbreviation + any name + number ("c/ mayor 5", "Avda. de América, 12").
    abbreviated = rf"{abbrev}\s*(?:{word}\s+){{0,5}}?{word}\s*,?\s*{number}"
    address = regex.compile(rf"(?<!\w)(?:{capitalised}|{marked}|{abbreviated})")
    seams = regex.compile("|".join(f"(?:{p})" for p in data["plantilla"]["patrones"]))
    return _Vocab(data["mensajes"], families, address, seams)


# --- Detectors: each returns blocking hits on the (order-masked) text -------------------------

# After a space only a capital letter counts, so "12345678 y 87654321" is not a DNI.
_DNI = regex.compile(r"(?<![\w.,])(\d{8}|\d{1,2}\.\d{3}\.\d{3})(?:-?(\p{L})|\s(\p{Lu}))(?!\w)")
_NIE = regex.compile(r"(?<!\w)([XYZxyz])[\s\-]?(\d{7})[\s\-]?(\p{L})(?!\w)")
_PHONE = regex.compile(r"(?<![\w+])(?:\(?(?:\+|00)\s?34\)?[\s.\-]?)?[6789](?:[\s.\-]?\d){8}(?!\w)")
_EMAIL = regex.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IBAN = regex.compile(
    r"(?<!\w)[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{4}){3,7}(?:\s?[A-Za-z0-9]{1,3})?(?!\w)"
)
_ORDER_TOKEN = regex.compile(r"(?<![\w\-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![\w\-])")
_DATE = regex.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{2,4}")


def _vocabulary_hits(text: str) -> list[_Hit]:
    folded, origin = _fold(text)
    hits = []
    for family in _vocab().families:
        for m in family.pattern.finditer(folded):
            s, e = _original_span(text, origin, m.start(), m.end())
            hits.append(_Hit(s, e, family.regla, family.regla))
    return hits


def _id_hits(text: str) -> list[_Hit]:
    hits = []
    for m in _NIE.finditer(text):
        valid = stdnum_nie.is_valid("".join(m.groups()).upper())
        hits.append(_Hit(m.start(), m.end(), "nie", "nie" if valid else "nie_forma"))
    for m in _DNI.finditer(text):
        if any(h.start <= m.start() < h.end for h in hits):
            continue
        letter = m.group(2) or m.group(3)
        valid = stdnum_dni.is_valid(m.group(1).replace(".", "") + letter.upper())
        hits.append(_Hit(m.start(), m.end(), "dni", "dni" if valid else "dni_forma"))
    return hits


def _contact_hits(text: str) -> list[_Hit]:
    hits = [_Hit(m.start(), m.end(), "email", "email") for m in _EMAIL.finditer(text)]
    for m in _PHONE.finditer(text):
        hits.append(_Hit(m.start(), m.end(), "telefono", "telefono"))
    for m in _IBAN.finditer(text):
        if stdnum_iban.is_valid(m.group()) or m.group()[:2].upper() == "ES":
            hits.append(_Hit(m.start(), m.end(), "iban", "iban"))
    for m in _vocab().address.finditer(text):
        hits.append(_Hit(m.start(), m.end(), "direccion", "direccion"))
    return hits


def _datos_hits(text: str, datos: Iterable[str]) -> list[_Hit]:
    folded, origin = _fold(text)
    hits = []
    for dato in datos:
        if len(_fold(dato)[0].strip()) < 3:  # too short to tell apart from ordinary words
            continue
        for m in regex.finditer(_phrase_pattern(dato), folded):
            s, e = _original_span(text, origin, m.start(), m.end())
            hits.append(_Hit(s, e, "dato", "dato"))
    return hits


def _seam_hits(text: str) -> list[_Hit]:
    return [
        _Hit(m.start(), m.end(), "plantilla", "plantilla") for m in _vocab().seams.finditer(text)
    ]


# --- Order numbers ------------------------------------------------------------------------------


def _mask(fragment: str) -> str:
    alnum = "".join(c for c in fragment if c.isalnum())
    return _MASK + alnum[-4:] if len(alnum) > 4 else _MASK


def _mask_pedido(text: str, pedido: str, mensajes: dict[str, str]) -> tuple[str, list[LintProblem]]:
    """Mask every occurrence of the known order number, even written with other separators."""
    alnum = [c for c in pedido if c.isalnum()]
    if len(alnum) < 4:  # shorter "numbers" would mask ordinary words and amounts
        return text, []
    body = r"[\s.\-/]?".join(regex.escape(c) for c in alnum)
    pattern = regex.compile(rf"(?<![\p{{L}}\p{{N}}]){body}(?![\p{{L}}\p{{N}}])", regex.IGNORECASE)
    problems = []
    mask = _mask(pedido)

    def replace(m: regex.Match[str]) -> str:
        problems.append(
            LintProblem(
                regla="pedido",
                fragmento=m.group(),
                mensaje=mensajes["pedido"].format(fragmento=m.group(), mascara=mask),
                bloquea=False,
            )
        )
        return mask

    return pattern.sub(replace, text), problems


def _looks_like_order(token: str) -> bool:
    """8+ letters/digits, mostly digits (so "WH-1000XM4" or a word stays), and not a date."""
    alnum = [c for c in token if c.isalnum()]
    digits = sum(c.isdigit() for c in alnum)
    return (
        len(alnum) >= 8 and digits >= 6 and 2 * digits >= len(alnum) and not _DATE.fullmatch(token)
    )


# --- Entry point -------------------------------------------------------------------------------


def lint(text: str, *, pedido: str | None = None, datos: Iterable[str] = ()) -> LintResult:
    """Check a public complaint draft; ``texto`` of the result has order numbers masked.

    ``pedido`` is the full order number (masked wherever it appears); ``datos`` are strings
    that must never be published (the consumer's address, full name, ...). ``texto`` never
    carries invisible or bidirectional-control characters.
    """
    vocab = _vocab()
    problems = _invisible_problems(text, vocab.mensajes)
    text = visible(text)
    if pedido and pedido.strip():
        text, masked = _mask_pedido(text, pedido.strip(), vocab.mensajes)
        problems.extend(masked)

    view, origin = _view(text)
    hits = [
        _to_text(hit, origin)
        for hit in _vocabulary_hits(view)
        + _id_hits(view)
        + _contact_hits(view)
        + _datos_hits(view, datos)
        + _seam_hits(view)
        if hit.end > hit.start
    ]
    seen: set[tuple[int, int, str]] = set()
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if (hit.start, hit.end, hit.regla) in seen:
            continue
        seen.add((hit.start, hit.end, hit.regla))
        fragment = text[hit.start : hit.end]
        problems.append(
            LintProblem(
                regla=hit.regla,
                fragmento=fragment,
                mensaje=vocab.mensajes[hit.mensaje_key].format(fragmento=fragment),
                bloquea=True,
            )
        )

    # Mask other order-like ids, leaving alone what is already reported as personal data.
    pieces: list[str] = []
    pos = 0
    for m in _ORDER_TOKEN.finditer(view):
        if not _looks_like_order(m.group()):
            continue
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        if start < pos or any(h.start < end and start < h.end for h in hits):
            continue
        fragment, mask = text[start:end], _mask(m.group())
        problems.append(
            LintProblem(
                regla="pedido",
                fragmento=fragment,
                mensaje=vocab.mensajes["pedido_probable"].format(fragmento=fragment, mascara=mask),
                bloquea=False,
            )
        )
        pieces.append(text[pos:start] + mask)
        pos = end
    texto = "".join(pieces) + text[pos:]
    return LintResult(texto=texto, problemas=problems, rechazado=any(p.bloquea for p in problems))


def _to_text(hit: _Hit, origin: list[int]) -> _Hit:
    """A hit found in the normalised view, as a span of the text the user wrote."""
    return _Hit(origin[hit.start], origin[hit.end - 1] + 1, hit.regla, hit.mensaje_key)


def _invisible_problems(text: str, mensajes: dict[str, str]) -> list[LintProblem]:
    """Bidirectional controls block the draft; other invisible characters are just removed."""
    found = _invisible_chars(text)
    bidi = [c for c in found if c in _BIDI]
    if bidi:
        key, chars, blocks = "bidi", bidi, True
    elif found:
        key, chars, blocks = "invisible", found, False
    else:
        return []
    fragment = _code_points(chars)
    return [
        LintProblem(
            regla=key,
            fragmento=fragment,
            mensaje=mensajes[key].format(fragmento=fragment, n=len(found)),
            bloquea=blocks,
        )
    ]
