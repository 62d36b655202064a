"""A row -> its case and verdict, every problem of the row reported at once; the row's
`--solo-plazos` line, its content hash, and `Preparer` (a row ready to render)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reclama.batch.columns import (
    _STAND_IN,
    BOOL_COLUMNS,
    COLUMN_OF,
    DATE_COLUMNS,
    FACT_COLUMNS,
    FALSE_WORDS,
    LIST_COLUMNS,
    LIST_SEPARATOR,
    TRUE_WORDS,
    WORD_COLUMNS,
    _key,
    _plain,
    _shown,
    column_of,
)
from reclama.batch.despacho import Despacho
from reclama.batch.naming import output_name, slug
from reclama.batch.reader import Row
from reclama.casefile import build_case
from reclama.caso import FLAG_FIELDS, Caso
from reclama.dates import parse_date
from reclama.errors import InputError, UserError, nombrar, visible
from reclama.overrides import fact_overrides
from reclama.rules import RulesError


def _columna(clave: str) -> str:
    """A fact named inside a message, as a sheet has it: the column «digital»."""
    col = COLUMN_OF.get(clave)
    return f"la columna «{col}»" if col else clave


class RowError(UserError):
    """A row that cannot become a letter; names the row and the column of each problem.

    `campo` (a column of reclama lote, or None) and `mensaje` are the first problem; `mas` holds the others, so a row
    with three bad cells is reported once with all three.
    """

    def __init__(
        self,
        fila: int,
        campo: str | None,
        mensaje: str,
        columna: str | None = None,
        mas: Iterable[tuple[str | None, str, str | None]] = (),
    ):
        self.fila, self.campo, self.columna = fila, campo, columna
        self.mensaje = nombrar(mensaje, _columna)
        self.mas = tuple((c, nombrar(m, _columna), col) for c, m, col in mas)
        self.verdict: dict[str, Any] | None = None
        super().__init__(str(self))

    def problems(self) -> list[tuple[str | None, str, str | None]]:
        """(campo, mensaje, columna as written in the header, if it differs) of each problem."""
        return [(self.campo, self.mensaje, self.columna), *self.mas]

    def lines(self) -> list[str]:
        out = []
        for campo, mensaje, columna in self.problems():
            where = f"fila {self.fila}"
            if campo:
                where += f", campo {campo}"
            if columna:
                where += f" (columna «{_shown(columna)}»)"
            out.append(f"{where}: {visible(mensaje)}")
        return out

    def __str__(self) -> str:
        return "; ".join(self.lines())

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowError, (self.fila, self.campo, self.mensaje, self.columna, self.mas))


def _row_error(row: Row, problems: list[tuple[str | None, str]]) -> RowError:
    """One RowError for all of a row's problems, each with the column as the firm wrote it."""
    full = [(campo, mensaje, _written(row, campo)) for campo, mensaje in problems]
    return RowError(row.fila, *full[0], mas=full[1:])


def _written(row: Row, campo: str | None) -> str | None:
    if not campo or not row.written:
        return None
    name = row.written.get(campo)
    return name if name and _key(name) != _key(campo) else None


def _bool(fila: int, col: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError(fila, col, f"«{value}» no es sí ni no (use sí/no, 1/0 o x)")


def _flag_value(fila: int, col: str, value: Any) -> Any:
    if col in BOOL_COLUMNS:
        return _bool(fila, col, value)
    if col in LIST_COLUMNS:
        items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
        items = [s.strip() for s in items if s.strip()]
        return [_plain(s) for s in items] if col in WORD_COLUMNS else items
    if isinstance(value, list | bool):
        raise RowError(fila, col, "debe ser un solo valor de texto")
    return _plain(value) if col in WORD_COLUMNS else value


def row_case(row: Row, only_facts: bool = False) -> Caso:
    """The case a row describes; `only_facts` skips the columns the rules do not read.

    Raises:
        RowError: naming the row and the column of every problem found in it.
    """
    problems: list[tuple[str | None, str]] = []
    if row.error:
        if not row.data:  # nothing was read: the other columns would only repeat it
            raise RowError(row.fila, None, row.error)
        problems.append((None, row.error))
    problems += list(row.problems)
    flags: dict[str, Any] = {}
    for col, v in row.data.items():
        if col in FACT_COLUMNS if only_facts else col not in ("id", "hoy"):
            try:
                flags[col.replace("-", "_")] = _flag_value(row.fila, col, v)
            except RowError as e:
                problems.append((e.campo, e.mensaje))
    try:
        overrides = fact_overrides(**flags)
    except (InputError, ValueError):  # find every bad cell, not just the first
        overrides = {}
        for name, value in flags.items():
            try:
                overrides.update(fact_overrides(**{name: value}))
            except InputError as e:
                problems.append((column_of(e), e.mensaje))
            except ValueError:  # e.g. «²», a digit int() refuses
                problems.append((name.replace("_", "-"), f"«{_shown(str(value))}» no es válido"))
    caso = _build_reporting(overrides, problems)
    if problems or caso is None:
        raise _row_error(row, problems)
    return caso


def _build_reporting(overrides: dict[str, Any], problems: list[tuple[str | None, str]]) -> Any:
    """The case, or None with every problem build_case finds added to `problems`.

    build_case stops at the first problem, so each bad cell is dropped and the case
    built again. A required date that is bad or missing is replaced by a stand-in so
    the other cells are still checked; from then on problems of date cells are not
    reported, as they could come from the stand-in.
    """
    stand_in = False
    for _ in range(2 * len(FLAG_FIELDS) + 2):
        try:
            return build_case({}, overrides)
        except InputError as e:
            col = column_of(e)
            doubtful = stand_in and (col in DATE_COLUMNS or col not in FLAG_FIELDS)
            if not doubtful and all(campo != col for campo, _ in problems):
                problems.append((col, e.mensaje))
            if col in _STAND_IN and overrides.get(col) != _STAND_IN[col]:
                overrides[col] = _STAND_IN[col]
                stand_in = True
            elif col in overrides:
                del overrides[col]
            else:
                break
    return None


def row_hoy(row: Row, default: date) -> date:
    """The reference date of a row: its own `hoy` cell, else the batch's."""
    text = row.data.get("hoy")
    if text is None:
        return default
    try:
        return parse_date(str(text))
    except ValueError as e:
        raise _row_error(row, [("hoy", str(e))]) from None


def evaluate_row(row: Row, hoy: date, only_facts: bool = False) -> tuple[Caso, Any, date]:
    """Case, verdict (`engine.Resultado`) and reference date of one row.

    Raises:
        RowError: bad or incoherent data, or rule data that cannot answer for this row.
    """
    from reclama.engine import evaluate

    caso = row_case(row, only_facts)
    today = row_hoy(row, hoy)
    try:
        return caso, evaluate(caso.hechos(), today), today
    except InputError as e:
        raise _row_error(row, [(column_of(e), e.mensaje)]) from None
    except RulesError as e:
        raise RowError(row.fila, None, f"error interno en las reglas legales: {e}") from None
    except (ArithmeticError, ValueError) as e:  # e.g. a date so late a period overflows
        raise RowError(
            row.fila,
            None,
            f"error interno al evaluar la fila ({type(e).__name__}); revise sus fechas",
        ) from None


def verdict(resultado: Any) -> dict[str, Any]:
    """The verdict fields of `comprobar --json` kept in the summary, plus `exit_code`.

    The cited law (`fundamentos`) and the reasoning (`conclusiones`) are left out:
    they are long, and `reclama comprobar --json` or the letter gives them.
    """
    out = resultado.model_dump(mode="json", exclude={"fundamentos", "conclusiones"})
    out["exit_code"] = exit_code(resultado)
    return out


def exit_code(resultado: Any) -> int:
    """What `reclama comprobar` would exit with for this verdict: 0 when the claim can be made
    now (`Resultado.exigible`), 1 when not; the summary keeps it so a row reads like the command."""
    return 0 if resultado.exigible else 1


# What a compact `--solo-plazos` line leaves out: the literal law (`fundamentos`), the
# reasoning (`conclusiones`) and the wording of each warning (its `codigo` stays), ~90% of
# the bytes; `--completo` keeps them.
_LONG: dict[str, Any] = {
    "fundamentos": True, "conclusiones": True, "avisos": {"__all__": {"texto"}},
    "plazos": {"__all__": {"derivacion"}}, "via_judicial": {"texto"}, "otra_lectura": {"texto"},
}  # fmt: skip


def plazos_parts(row: Row, resultado: Any, completo: bool = False) -> tuple[bytes, bytes, bytes]:
    """`plazos_line` in UTF-8 pieces, so a chunk of rows is joined with one copy.

    Why bytes: a chunk crosses from a worker to the parent several times faster as
    bytes than as text, and is written to stdout without encoding it again.
    """
    head = json.dumps(
        {"fila": row.fila, "id": row.id, "exit_code": exit_code(resultado)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    exclude = None if completo else _LONG
    body = resultado.__pydantic_serializer__.to_json(resultado, exclude=exclude)  # as bytes
    return head[:-1].encode("utf-8"), b"," + body[1:], b"\n"


def plazos_line(row: Row, resultado: Any, completo: bool = False) -> str:
    """One `--solo-plazos` line: `fila`, `id`, `exit_code` and the `comprobar --json` object
    (without the law's text and the reasoning unless `completo`)."""
    return b"".join(plazos_parts(row, resultado, completo)).decode("utf-8")


def error_line(e: RowError, row: Row) -> str:
    """The `--solo-plazos` line of a row that failed (exit_code 2, as `comprobar` on bad data)."""
    obj = {"fila": e.fila, "id": row.id, "error": str(e), "campo": e.campo, "exit_code": 2}
    return json.dumps(obj, ensure_ascii=False) + "\n"


def row_hash(row: Row, options: str = "") -> str:
    """Content hash of a row's cells plus the options that shape its letter."""
    payload = json.dumps(row.data, sort_keys=True, ensure_ascii=False) + "\0" + options
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# -- preparing rows for letters ---------------------------------------------------

EXTENSIONS = {"pdf": "pdf", "html": "html", "txt": "txt", "docx": "docx", "eml": "eml"}


@dataclass(slots=True)
class Prepared:
    """A row ready to render: its case, verdict, date, file name and the letter's own data."""

    row: Row
    caso: Caso
    resultado: Any
    hoy: date
    name: str  # relative to the output folder: `cliente/fichero` with --carpetas
    hash: str
    carta: Any = None  # the verdict once the seller has this letter (`reclama.evaluation`)
    firma: dict[str, Any] | None = None  # reference and signing firm, plain data

    @property
    def referencia(self) -> str | None:
        return (self.firma or {}).get("referencia")


@dataclass
class Preparer:
    """Turns rows into `Prepared`, checking ids and file names are unique in the batch.

    With a firm profile (`despacho`), the firm's lawyer signs every row that names no
    representative of its own, and the letter carries the firm's reference.
    """

    hoy: date
    formato: str
    options: str = ""
    check_letter: bool = True
    forzar_carta: bool = False
    despacho: Despacho | None = None
    carpetas: bool = False
    _ids: dict[str, int] = field(default_factory=dict)
    _names: dict[str, int] = field(default_factory=dict)

    def hash(self, row: Row) -> str:
        return row_hash(row, self.options)

    def __call__(self, row: Row) -> Prepared:
        if row.id:
            first = self._ids.setdefault(row.id, row.fila)
            if first != row.fila:
                raise RowError(row.fila, "id", f"el id «{row.id}» ya está en la fila {first}")
        caso, resultado, hoy = evaluate_row(row, self.hoy)
        caso = with_firm(caso, self.despacho)
        carta = None

        def fail(campo: str | None, mensaje: str) -> RowError:
            err = RowError(row.fila, campo, mensaje)
            err.verdict = verdict(resultado)
            return err

        if self.check_letter:
            from reclama.evaluation import letter_evaluation
            from reclama.letter import check_letter_ready

            try:
                check_letter_ready(caso, resultado, self.forzar_carta)
                carta = letter_evaluation(caso, hoy)
            except InputError as e:
                raise fail(column_of(e), e.mensaje) from None
            if self.formato == "eml" and not caso.vendedor.email:
                raise fail("email-vendedor", "falta el correo del vendedor (--formato eml)")
        name = output_name(row.fila, row.id, caso.vendedor.nombre, EXTENSIONS[self.formato])
        if self.carpetas:
            name = f"{client_folder(row.fila, caso)}/{name}"
        first = self._names.setdefault(name.casefold(), row.fila)
        if first != row.fila:
            raise fail("id", f"el fichero {name} ya es el de la fila {first}; use ids distintos")
        firma = firm_data(self.despacho, caso, row, hoy)
        return Prepared(row, caso, resultado, hoy, name, self.hash(row), carta, firma)


def with_firm(caso: Caso, despacho: Despacho | None) -> Caso:
    """The case signed by the firm's lawyer (unless the row names its own representative)."""
    if despacho is None:
        return caso
    update: dict[str, Any] = {}
    if not caso.representante.nombre:
        update["representante"] = caso.representante.model_copy(
            update={"nombre": despacho.abogado, "colegiado": despacho.colegiado}
        )
    if not caso.carta.lugar and despacho.lugar:
        update["carta"] = caso.carta.model_copy(update={"lugar": despacho.lugar})
    return caso.model_copy(update=update) if update else caso


def firm_data(despacho: Despacho | None, caso: Caso, row: Row, hoy: date) -> dict[str, Any]:
    """`letter.representation_data`'s arguments: the reference, and the firm with who signs."""
    if despacho is None:
        return {"referencia": row.id, "despacho": None}
    firm = despacho.data()
    firm["abogado"] = caso.representante.nombre or despacho.abogado
    firm["colegiado"] = caso.representante.colegiado or (
        despacho.colegiado if firm["abogado"] == despacho.abogado else None
    )
    return {"referencia": despacho.reference(row.fila, row.id, hoy), "despacho": firm}


def client_folder(fila: int, caso: Caso) -> str:
    """The client's folder with --carpetas: their name as a safe folder name."""
    c = caso.consumidor
    return slug(c.nombre or "", 60).lower() or slug(c.dni or "", 20) or f"fila-{fila:05d}"
