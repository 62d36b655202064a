"""Reading a batch file (CSV, .xlsx, JSON Lines or standard input) into `Row`s, bounded in size."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from reclama.batch.columns import _key, _oserror, check_columns, known_columns, normalize_column
from reclama.errors import InputError

STDIN = "-"
MAX_CELL = 20_000  # characters in one cell: a defect told in several pages still fits
MAX_LINE = 1_000_000  # characters in one CSV line or JSON Lines line
MAX_XLSX_UNZIPPED = 1 << 30  # bytes a .xlsx may expand to (a zip bomb is refused)
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True, slots=True)
class Row:
    """One claim as read: its spreadsheet row number and its non-empty cells."""

    fila: int
    data: dict[str, Any]
    error: str | None = None  # the row could not be read (bad JSON, cells beyond the header)
    problems: tuple[tuple[str, str], ...] = ()  # (column, message): cells that could not be read
    written: dict[str, str] | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return str(value) if value is not None else None

    @property
    def key(self) -> str:
        """What identifies the row across runs: its id, or its row number."""
        return f"id:{self.id}" if self.id else f"fila:{self.fila}"


class _LineTooLong(Exception):
    """A physical line over MAX_LINE characters (already skipped to its end)."""


class _Lines:
    """Physical lines of a text file, each bounded by MAX_LINE, for csv.reader.

    Why a class and not a generator: after an over-long line raises, reading goes on
    with the next line, and csv.reader starts a fresh record.
    """

    def __init__(self, f: TextIO):
        self.f = f
        self.n = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.f.readline(MAX_LINE + 1)
        if not line:
            raise StopIteration
        self.n += 1
        if len(line) > MAX_LINE:
            while (rest := self.f.readline(1 << 16)) and not rest.endswith(("\n", "\r")):
                pass
            raise _LineTooLong
        return line


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Entrada:
    """A batch file, CSV, .xlsx or JSON Lines (or `-`, standard input), whose columns are checked.

    Rows are numbered as a spreadsheet shows them: in a CSV or a workbook the header
    is row 1 and the first claim row 2; in JSON Lines, the line number. Blank rows are
    skipped. Header cells are matched through aliases (data/columnas.toml) and the
    firm's own `mapa` (`--columnas`); unknown columns are left in `ignored` (the caller
    warns once) unless `estricto`.

    Raises:
        InputError: the file is missing, unreadable, empty, has unusable columns, or
            (CSV) a quote that is never closed.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        mapa: dict[str, str] | None = None,
        estricto: bool = False,
        stdin: BinaryIO | None = None,
    ):
        self.mapa = mapa
        self.estricto = estricto
        self._spool: BinaryIO | None = None
        self.delimiter = ","
        self._sep = ","
        self.encoding = "utf-8-sig"
        if str(path) == STDIN:
            self.path = Path(STDIN)
            self.name = "la entrada estándar"
            self._spool = _spool(stdin)
        else:
            self.path = Path(path)
            self.name = str(self.path)
            if self.path.is_dir():
                raise InputError("ENTRADA", f"{self.path} es una carpeta, no un fichero")
            if not self.path.is_file():
                raise InputError("ENTRADA", f"no existe el fichero {self.path}")
        try:
            with self._binary() as f:
                head = f.read(4096)
            self.kind = self._kind(head)
            self.jsonl = self.kind == "jsonl"
            if self.kind == "xlsx":
                self.delimiter = ";"
                header = self._first(self._xlsx_records())
                self._header(header)
            elif self.jsonl:
                self._jsonl_columns()
            else:
                self._csv_columns(head)
        except OSError as e:
            raise InputError("ENTRADA", f"no se puede leer {self.name}: {_oserror(e)}") from None

    # -- what the file is

    def _kind(self, head: bytes) -> str:
        suffix = self.path.suffix.lower()
        if head.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".xls", ".ods"):
            raise InputError(
                "ENTRADA",
                f"{self.name} es un libro .xls antiguo o de LibreOffice (.ods); "
                "guárdelo como .xlsx o como «CSV UTF-8»",
            )
        if head.startswith(b"PK\x03\x04") or suffix in _XLSX_SUFFIXES:
            return "xlsx"
        if suffix in _JSONL_SUFFIXES:
            return "jsonl"
        if self._spool is not None and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return "jsonl"
        return "csv"

    @contextlib.contextmanager
    def _binary(self) -> Iterator[BinaryIO]:
        if self._spool is None:
            with self.path.open("rb") as f:
                yield f
        else:  # each reader gets its own handle on the spooled copy of stdin
            with os.fdopen(os.dup(self._spool.fileno()), "rb") as f:
                f.seek(0)
                yield f

    @contextlib.contextmanager
    def _text(self) -> Iterator[TextIO]:
        with self._binary() as b, io.TextIOWrapper(b, encoding=self.encoding, newline="") as f:
            yield f

    def _header(self, cells: list[Any] | None) -> None:
        if cells is None:
            raise InputError("ENTRADA", f"{self.name} está vacío o no tiene cabecera")
        header = ["" if c is None else str(c) for c in cells]
        checked = check_columns(header, self.mapa, self.estricto)
        self.columns = checked.columns
        self.written = checked.written
        self.ignored = checked.unknown
        self._named = [bool(_key(h)) for h in header]

    @staticmethod
    def _first(records: Iterator[tuple[int, Any, str | None]]) -> Any:
        for _fila, cells, problem in records:
            if problem:
                raise InputError("ENTRADA", f"fila 1 (cabecera): {problem}")
            return cells
        return None

    # -- CSV

    def _csv_columns(self, head: bytes) -> None:
        bom = _bom_encoding(head)
        for encoding in (bom,) if bom else ("utf-8-sig", "cp1252"):
            self.encoding = encoding
            try:
                with self._text() as f:
                    first = f.readline(MAX_LINE + 1)
                if len(first) > MAX_LINE:
                    raise InputError(
                        "ENTRADA", f"la cabecera pasa de {_number(MAX_LINE)} caracteres"
                    )
                if not first.strip():
                    raise InputError("ENTRADA", f"{self.name} está vacío o no tiene cabecera")
                self._sep = max(";,\t", key=first.count)  # Excel in Spanish writes ';'
                self.delimiter = ";" if self._sep == "\t" else self._sep
                self._header(self._first(self._csv_records()))
                if self._has_quotes():  # only quotes can swallow rows: check them now
                    for _ in self._csv_records():
                        pass
                return
            except UnicodeError:
                continue
        raise InputError(
            "ENTRADA",
            f"{self.name} no es texto en UTF-8, UTF-16 ni Windows-1252; "
            "guárdelo como «CSV UTF-8» o como libro .xlsx",
        )

    def _has_quotes(self) -> bool:
        """Decode the whole file once, so a wrong encoding shows before any row is done."""
        quotes = False
        with self._text() as f:
            while chunk := f.read(1 << 20):
                quotes = quotes or '"' in chunk
        return quotes

    def _csv_records(self) -> Iterator[tuple[int, list[str] | None, str | None]]:
        """(fila, cells, problem) per record, header first.

        Raises:
            InputError: quotes opened and never closed (every row after them is lost).
        """
        csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))  # MAX_LINE bounds it
        with self._text() as f:
            lines = _Lines(f)
            reader = csv.reader(lines, delimiter=self._sep, strict=True)
            fila = 0
            while True:
                fila += 1
                start = lines.n + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except _LineTooLong:
                    yield fila, None, f"la fila pasa de {_number(MAX_LINE)} caracteres"
                    continue
                except csv.Error as e:
                    text = str(e)
                    if lines.n > start and ("end of data" in text or "field limit" in text):
                        raise InputError(
                            "ENTRADA",
                            f'fila {fila}: unas comillas («"») abiertas en la línea {start} no '
                            "se cierran, y todo lo que sigue quedaría dentro de una celda; "
                            "corrija esas comillas",
                        ) from None
                    if "end of data" in text:
                        yield fila, None, 'unas comillas («"») de la fila no se cierran'
                    elif "field limit" in text:
                        yield fila, None, f"una celda pasa de {_number(MAX_LINE)} caracteres"
                    else:
                        yield (
                            fila,
                            None,
                            (
                                "comillas mal puestas: tras las comillas que cierran una celda "
                                f"debe venir el separador «{self._sep}»"
                            ),
                        )
                    continue
                yield fila, cells, None

    def _rows_of(self, records: Iterator[tuple[int, Any, str | None]]) -> Iterator[Row]:
        """Rows from the records after the header: cells to columns, bounded in size."""
        columns, named, written = self.columns, self._named, self.written
        width = len(columns)
        next(records, None)
        for fila, cells, problem in records:
            if cells is None:
                yield Row(fila, {}, problem, written=written)
                continue
            data: dict[str, Any] = {}
            error = None
            problems: list[tuple[str, str]] = []
            for i, cell in enumerate(cells):
                if cell is None:
                    continue
                if isinstance(cell, str):
                    value: Any = cell.strip()
                    if not value:
                        continue
                else:
                    value = _xlsx_cell(cell)
                    if value is None or value == "":
                        continue
                col = columns[i] if i < width else ""
                if not col:
                    if i >= width or not named[i]:
                        error = (
                            f"hay datos en la columna {i + 1}, que no tiene nombre en la cabecera"
                        )
                    continue
                if isinstance(value, str) and len(value) > MAX_CELL:
                    problems.append((col, _too_long(value)))
                    continue
                data[col] = value
            if data or error or problems:
                yield Row(fila, data, error, tuple(problems), written)

    # -- workbook

    def _xlsx_records(self) -> Iterator[tuple[int, list[Any] | None, str | None]]:
        try:
            import openpyxl
        except ImportError:  # pragma: no cover - a dependency of reclama
            raise InputError("ENTRADA", "leer .xlsx requiere el paquete openpyxl") from None
        with self._binary() as b:
            bad = f"{self.name} no es un libro de Excel .xlsx válido"
            try:
                with zipfile.ZipFile(b) as z:
                    size = sum(i.file_size for i in z.infolist())
            except (zipfile.BadZipFile, ValueError):
                raise InputError("ENTRADA", bad) from None
            if size > MAX_XLSX_UNZIPPED:
                raise InputError(
                    "ENTRADA", f"{self.name} ocupa más de 1 GB descomprimido; no se lee"
                )
            b.seek(0)
            try:
                wb = openpyxl.load_workbook(b, read_only=True, data_only=True)
            except Exception:  # openpyxl raises many kinds for a damaged workbook
                raise InputError("ENTRADA", bad) from None
            fila = 0
            try:
                if not wb.worksheets:
                    return
                for fila, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), 1):
                    yield fila, list(values), None
            except InputError:
                raise
            except Exception:
                raise InputError(
                    "ENTRADA", f"{self.name}: el libro está dañado tras la fila {fila}"
                ) from None
            finally:
                wb.close()

    # -- JSON Lines

    def _jsonl_columns(self) -> None:
        self.encoding = "utf-8-sig"
        seen: dict[str, str] = {}  # column -> as written
        unknown: dict[str, None] = {}
        try:
            for _fila, obj, _problem in self._jsonl_lines():
                for k in obj if isinstance(obj, dict) else ():
                    col = normalize_column(str(k), self.mapa)
                    if col in self._known:
                        seen.setdefault(col, str(k))
                    else:
                        unknown.setdefault(str(k), None)
        except UnicodeError:
            raise InputError("ENTRADA", f"{self.name} no está en UTF-8") from None
        if not seen and not unknown:
            raise InputError("ENTRADA", f"{self.name} no tiene ninguna línea JSON con datos")
        checked = check_columns([*seen.values(), *unknown], self.mapa, self.estricto)
        self.columns = list(seen)
        self.written = checked.written
        self.ignored = checked.unknown

    _known = frozenset(known_columns())

    def _jsonl_lines(self) -> Iterator[tuple[int, Any, str | None]]:
        """(line number, parsed object, problem) per non-blank line."""
        with self._text() as f:
            lines = _Lines(f)
            while True:
                try:
                    line = next(lines)
                except StopIteration:
                    return
                except _LineTooLong:
                    yield lines.n, None, f"la línea pasa de {_number(MAX_LINE)} caracteres"
                    continue
                if not line.strip():
                    continue
                try:
                    yield lines.n, json.loads(line.rstrip("\r\n")), None
                except RecursionError:
                    yield lines.n, None, "la línea anida demasiados niveles de [ ] o { }"
                except json.JSONDecodeError as e:
                    yield lines.n, None, f"la línea no es JSON válido (columna {e.colno})"
                except ValueError:
                    yield lines.n, None, "la línea no es JSON válido"

    def _jsonl_rows(self) -> Iterator[Row]:
        cache: dict[str, str] = {}
        written = self.written
        for fila, obj, problem in self._jsonl_lines():
            if problem:
                yield Row(fila, {}, problem, written=written)
                continue
            if not isinstance(obj, dict):
                yield Row(fila, {}, "la línea debe ser un objeto JSON {...}", written=written)
                continue
            data: dict[str, Any] = {}
            problems: list[tuple[str, str]] = []
            for k, v in obj.items():
                col = cache.get(k)
                if col is None:
                    col = cache[k] = normalize_column(str(k), self.mapa)
                if col not in self._known:
                    continue
                try:
                    v = _json_cell(v)
                except ValueError:
                    problems.append((col, f"valor no admitido ({_json_kind(v)})"))
                    continue
                if isinstance(v, str) and len(v) > MAX_CELL:
                    problems.append((col, _too_long(v)))
                elif v not in (None, "", []):
                    data[col] = v
            yield Row(fila, data, None, tuple(problems), written)

    # -- rows

    def __iter__(self) -> Iterator[Row]:
        if self.jsonl:
            return self._jsonl_rows()
        if self.kind == "xlsx":
            return self._rows_of(self._xlsx_records())
        return self._rows_of(self._csv_records())

    def count(self) -> int:
        """How many claim rows the file holds (reads it once)."""
        return sum(1 for _ in self)


def _too_long(value: str) -> str:
    return f"la celda tiene {_number(len(value))} caracteres; el máximo es {_number(MAX_CELL)}"


def _json_kind(value: Any) -> str:
    return {dict: "un objeto", list: "una lista con objetos o listas"}.get(type(value), "")


def _json_cell(value: Any) -> Any:
    """A JSON value as a cell: text, a boolean or a list of texts."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(x, str | int | float) for x in value):
        return [s for s in (str(x).strip() for x in value) if s]
    raise ValueError(value)


def _xlsx_cell(value: Any) -> Any:
    """A workbook cell as the text a CSV would hold: dates ISO, amounts as plain numbers."""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | dt_time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _bom_encoding(head: bytes) -> str | None:
    """The encoding a byte order mark (or UTF-16's NUL bytes) gives away, if any."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:512]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:  # ASCII text as UTF-16
        return "utf-16-le" if sample[1::2].count(0) > sample[::2].count(0) else "utf-16-be"
    return None


def _spool(stdin: BinaryIO | None) -> BinaryIO:
    """Standard input copied to an unnamed temporary file: a batch is read more than once."""
    if stdin is None:
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("ENTRADA", "la entrada estándar está cerrada; no hay filas que leer")
        if sys.stdin.isatty():
            raise InputError(
                "ENTRADA",
                "«-» lee las filas de la entrada estándar, pero es un terminal; "
                "envíelas por una tubería: cat casos.csv | reclama lote - ...",
            )
        stdin = getattr(sys.stdin, "buffer", sys.stdin)
    tmp = tempfile.TemporaryFile(prefix="reclama-lote-")  # noqa: SIM115 - the Entrada keeps it
    try:
        shutil.copyfileobj(stdin, tmp, 1 << 20)
        tmp.flush()
    except (OSError, ValueError) as e:
        tmp.close()
        why = _oserror(e) if isinstance(e, OSError) else "está cerrada"
        raise InputError("ENTRADA", f"no se puede leer la entrada estándar: {why}") from None
    return tmp
