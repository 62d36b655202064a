"""Batches of claims from a spreadsheet: rows in, one letter per row and a summary out.

Reading (CSV or JSON Lines), column checking, row -> case, content hashes,
file naming and the resumable summary are plain functions; the process pools
that render letters or stream deadlines sit at the end of the module, because
their worker functions must be importable by the worker processes.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import json
import multiprocessing
import os
import re
import signal
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TextIO, get_args, get_origin

from reclama.caso import FLAG_FIELDS, Caso, build_case
from reclama.dates import parse_date
from reclama.errors import InputError
from reclama.files import write_atomic
from reclama.options import fact_overrides
from reclama.rules import RulesError

# -- columns ------------------------------------------------------------------

# Column -> what goes in it (Spanish; `reclama lote --plantilla` and docs/lote.md show it).
COLUMNS: dict[str, str] = {
    "id": "Identificador estable de la fila (expediente); da nombre al fichero. Opcional.",
    "hoy": "Fecha de referencia de esa fila (por defecto, --hoy o la de hoy).",
    "compra": "Fecha del contrato (compra o pedido). Obligatoria.",
    "entrega": "Fecha de entrega (por defecto, la de compra).",
    "canal": "tienda | distancia | fuera-establecimiento",
    "recepcion": "Fecha de recepción (compras a distancia).",
    "segunda-mano": "Producto de segunda mano (sí/no).",
    "garantia-pactada": "Meses de garantía pactados (segunda mano).",
    "digital": "Contenido o servicio digital (sí/no).",
    "producto": "Producto comprado.",
    "pedido": "Número de pedido o de factura.",
    "precio": "Precio pagado (899.00 o 1.299,00).",
    "descubrimiento": "Fecha en que apareció el defecto. Obligatoria.",
    "defecto": "Descripción del defecto.",
    "leve": "Defecto de escasa importancia (sí/no).",
    "grave": "Defecto grave (sí/no).",
    "remedio": "reparacion | sustitucion | rebaja | resolucion | desistimiento",
    "aviso": "Fecha en que avisó al vendedor.",
    "intento-fallido": "Una reparación o sustitución ya falló (sí/no).",
    "negativa": "El vendedor se negó o no actuó en plazo razonable (sí/no).",
    "respuesta": "Excusas del vendedor, separadas por |: marca | siete-dias | procedimientos "
    "| solo-reparacion | aviso-tardio | garantia-dos-anos | gastos | vale",
    "interrupcion": "Fechas en que el vendedor recibió una reclamación, separadas por |.",
    "desistimiento": "Fecha en que envió el desistimiento.",
    "reparacion": "Reparaciones DESDE:HASTA (HASTA vacío si sigue en curso), separadas por |.",
    "nombre": "Nombre y apellidos del consumidor.",
    "dni": "DNI o NIE del consumidor.",
    "domicilio": "Domicilio del consumidor.",
    "email": "Correo electrónico del consumidor.",
    "telefono": "Teléfono del consumidor.",
    "representante": "Nombre de quien firma en su representación (abogado, asociación).",
    "colegiado": "Número de colegiado del representante.",
    "vendedor": "Nombre o razón social del vendedor; da nombre al fichero.",
    "cif": "CIF/NIF del vendedor.",
    "domicilio-vendedor": "Domicilio del vendedor.",
    "email-vendedor": "Correo electrónico del vendedor.",
    "usuario-vendedor": "Usuario del vendedor en redes sociales.",
    "lugar": "Lugar de firma de la carta.",
}
REQUIRED_COLUMNS = ("compra", "descubrimiento")
LIST_SEPARATOR = "|"
TRUE_WORDS = frozenset({"si", "sí", "s", "true", "verdadero", "1", "x", "yes"})
FALSE_WORDS = frozenset({"", "no", "n", "false", "falso", "0"})


def known_columns() -> tuple[str, ...]:
    """Every column a batch may have: `id`, `hoy` and the case flags of `reclama carta`."""
    return ("id", "hoy", *FLAG_FIELDS)


def _field_annotation(flag: str) -> Any:
    section, name = FLAG_FIELDS[flag]
    return Caso.model_fields[section].annotation.model_fields[name].annotation


def _kinds() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Boolean, list and closed-vocabulary columns, read off the case model."""
    bools, lists, words = set(), set(), set()
    for flag in FLAG_FIELDS:
        ann = _field_annotation(flag)
        if ann is bool:
            bools.add(flag)
        elif get_origin(ann) is list:
            lists.add(flag)
            ann = get_args(ann)[0]
        if _is_choice(ann) or any(_is_choice(a) for a in get_args(ann)):
            words.add(flag)
    return frozenset(bools), frozenset(lists), frozenset(words)


def _is_choice(ann: Any) -> bool:
    """A Literal, bare or wrapped in Annotated (the choices of reclama.facts)."""
    return get_origin(ann) is Literal or (get_origin(ann) is Annotated and _is_choice(get_args(ann)[0]))


BOOL_COLUMNS, LIST_COLUMNS, WORD_COLUMNS = _kinds()
# Columns that reach the rules engine (`Caso.hechos`): all `--solo-plazos` reads.
FACT_COLUMNS = frozenset(
    flag
    for flag, (section, _) in FLAG_FIELDS.items()
    if section in ("compra", "defecto", "reclamacion")
) - {"producto", "pedido", "precio", "defecto"}


def _plain(text: str) -> str:
    """Lower case without accents: «Recepción» -> «recepcion»."""
    text = text.strip().lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def normalize_column(name: str) -> str:
    """A header cell as a column name: case, accents, `--` and `_` do not matter."""
    return _plain(name.lstrip("\ufeff")).lstrip("-").replace("_", "-").replace(" ", "-")


def check_columns(header: list[str]) -> list[str]:
    """The normalized column names of a header.

    Raises:
        InputError: no header, a repeated column, unknown columns (each with the closest
            known name) or a missing required column; the input is unusable.
    """
    known = known_columns()
    names = [normalize_column(h) for h in header]
    named = [n for n in names if n]
    if not named or not any(n in known for n in named):
        raise InputError(
            "ENTRADA",
            "la primera fila debe ser la cabecera con los nombres de las columnas "
            f"({', '.join(REQUIRED_COLUMNS)}, ...); vea reclama lote --plantilla",
        )
    repeated = sorted({n for n in named if named.count(n) > 1})
    if repeated:
        raise InputError("ENTRADA", f"columnas repetidas: {', '.join(repeated)}")
    unknown = [h.strip() for h, n in zip(header, names, strict=True) if n and n not in known]
    if unknown:
        raise InputError("ENTRADA", "columnas desconocidas: " + "; ".join(map(_suggest, unknown)))
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InputError("ENTRADA", f"faltan las columnas obligatorias: {', '.join(missing)}")
    return names


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(normalize_column(name), known_columns(), n=1, cutoff=0.6)
    return f"«{name}» (¿quería decir «{close[0]}»?)" if close else f"«{name}»"


EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {
        "id": "EXP-2026-001",
        "compra": "2026-05-04",
        "entrega": "2026-05-06",
        "canal": "distancia",
        "producto": "Teléfono móvil Nexo X12, 256 GB",
        "pedido": "PH-2026-0004815162",
        "precio": "899,00",
        "descubrimiento": "2026-09-14",
        "defecto": "El micrófono dejó de funcionar: en las llamadas no se oye a quien habla.",
        "remedio": "sustitucion",
        "aviso": "2026-09-15",
        "respuesta": "marca|solo-reparacion|siete-dias",
        "nombre": "Lucía Martín Ortega",
        "dni": "12345678Z",
        "domicilio": "Calle del Prado 14, 3.º B, 28014 Madrid",
        "email": "lucia.martin@example.org",
        "vendedor": "Telefonía Ejemplo, S.L.",
        "cif": "B12345674",
        "domicilio-vendedor": "Avenida de la Industria 8, 28108 Alcobendas (Madrid)",
        "email-vendedor": "atencion.cliente@telefonia-ejemplo.example",
        "lugar": "Madrid",
    },
    {
        "id": "EXP-2026-002",
        "compra": "12/03/2025",
        "canal": "tienda",
        "producto": "Lavadora Ejemplo 8 kg",
        "precio": "1.299,00",
        "descubrimiento": "02/02/2026",
        "defecto": "No centrifuga y deja la ropa empapada; volvió a fallar tras la reparación.",
        "remedio": "resolucion",
        "aviso": "03/02/2026",
        "intento-fallido": "sí",
        "reparacion": "05/02/2026:20/02/2026",
        "interrupcion": "03/02/2026",
        "respuesta": "gastos",
        "nombre": "Jorge Pérez Gil",
        "dni": "87654321X",
        "domicilio": "Calle de la Paz 3, 46003 Valencia",
        "representante": "Asociación de Consumidores Ejemplo",
        "vendedor": "Electrodomésticos Ejemplo, S.A.",
        "cif": "A12345674",
        "domicilio-vendedor": "Calle Mayor 1, 46001 Valencia",
        "lugar": "Valencia",
    },
)


def template_csv() -> str:
    """An example batch with every column and two rows, as Excel in Spanish writes it (`;`, BOM)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(known_columns())
    for example in EXAMPLE_ROWS:
        writer.writerow([example.get(c, "") for c in known_columns()])
    return out.getvalue()


# -- reading ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One claim as read: its spreadsheet row number and its non-empty cells."""

    fila: int
    data: dict[str, Any]
    error: str | None = None  # the row could not be read (bad JSON, cells beyond the header)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return str(value) if value is not None else None

    @property
    def key(self) -> str:
        """What identifies the row across runs: its id, or its row number."""
        return f"id:{self.id}" if self.id else f"fila:{self.fila}"


class Entrada:
    """A batch file, CSV or JSON Lines, whose columns have been checked.

    Rows are numbered as a spreadsheet shows them: in a CSV the header is row 1
    and the first claim row 2; in JSON Lines, the line number. Blank rows are skipped.

    Raises:
        InputError: the file is missing, unreadable, empty or has unusable columns.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError("ENTRADA", f"no existe el fichero {self.path}")
        self.jsonl = self.path.suffix.lower() in (".jsonl", ".ndjson", ".json")
        self.delimiter = ","
        try:
            if self.jsonl:
                self.encoding = "utf-8"
                self.columns = self._jsonl_columns()
            else:
                self.encoding = _encoding(self.path)
                self.columns = self._csv_columns()
        except OSError as e:
            raise InputError("ENTRADA", f"no se puede leer {self.path}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise InputError("ENTRADA", f"{self.path} no está en UTF-8") from None

    def _open(self) -> TextIO:
        return self.path.open(encoding=self.encoding, newline="")

    def _csv_columns(self) -> list[str]:
        with self._open() as f:
            first = f.readline()
        if not first.strip():
            raise InputError("ENTRADA", f"{self.path} está vacío o no tiene cabecera")
        self.delimiter = max(";,\t", key=first.count)  # Excel in Spanish writes ';'
        header = next(csv.reader([first], delimiter=self.delimiter))
        return check_columns(header)

    def _jsonl_columns(self) -> list[str]:
        seen: dict[str, str] = {}  # normalized -> as written
        with self.path.open(encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        continue
                    for k in obj if isinstance(obj, dict) else ():
                        seen.setdefault(normalize_column(k), k)
        if not seen:
            raise InputError("ENTRADA", f"{self.path} no tiene ninguna línea JSON con datos")
        header = list(seen.values())
        check_columns(header)
        return list(seen)

    def __iter__(self) -> Iterator[Row]:
        return self._jsonl_rows() if self.jsonl else self._csv_rows()

    def count(self) -> int:
        """How many claim rows the file holds (reads it once)."""
        return sum(1 for _ in self)

    def _csv_rows(self) -> Iterator[Row]:
        columns = self.columns
        width = len(columns)
        with self._open() as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            next(reader, None)
            for fila, cells in enumerate(reader, start=2):
                data: dict[str, Any] = {}
                error = None
                for i, cell in enumerate(cells):
                    value = cell.strip()
                    if not value:
                        continue
                    col = columns[i] if i < width else ""
                    if not col:
                        error = (
                            f"hay datos en la columna {i + 1}, que no tiene nombre en la cabecera"
                        )
                        continue
                    data[col] = value
                if data or error:
                    yield Row(fila, data, error)

    def _jsonl_rows(self) -> Iterator[Row]:
        with self.path.open(encoding="utf-8-sig") as f:
            for fila, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as e:
                    yield Row(fila, {}, f"la línea no es JSON válido ({e.msg})")
                    continue
                if not isinstance(obj, dict):
                    yield Row(fila, {}, "la línea debe ser un objeto JSON {...}")
                    continue
                data, error = {}, None
                for k, v in obj.items():
                    col = normalize_column(k)
                    try:
                        v = _json_cell(v)
                    except ValueError:
                        error = f"campo --{col}: valor no admitido ({type(v).__name__})"
                        continue
                    if v not in (None, "", []):
                        data[col] = v
                yield Row(fila, data, error)


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


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, what Excel's plain «CSV» writes in Spain."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


# -- row -> case ----------------------------------------------------------------


class RowError(Exception):
    """A row that cannot become a letter; names the row and the field."""

    def __init__(self, fila: int, campo: str | None, mensaje: str):
        self.fila, self.campo, self.mensaje = fila, campo, mensaje
        self.verdict: dict[str, Any] | None = None
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"fila {self.fila}, campo {self.campo}" if self.campo else f"fila {self.fila}"
        return f"{where}: {self.mensaje}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (RowError, (self.fila, self.campo, self.mensaje))


def _bool(fila: int, col: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RowError(fila, f"--{col}", f"«{value}» no es sí ni no (use sí/no, 1/0 o x)")


def _flag_value(fila: int, col: str, value: Any) -> Any:
    if col in BOOL_COLUMNS:
        return _bool(fila, col, value)
    if col in LIST_COLUMNS:
        items = value if isinstance(value, list) else str(value).split(LIST_SEPARATOR)
        items = [s.strip() for s in items if s.strip()]
        return [_plain(s) for s in items] if col in WORD_COLUMNS else items
    if isinstance(value, list | bool):
        raise RowError(fila, f"--{col}", "debe ser un solo valor de texto")
    return _plain(value) if col in WORD_COLUMNS else value


def row_case(row: Row, only_facts: bool = False) -> Caso:
    """The case a row describes; `only_facts` skips the columns the rules do not read.

    Raises:
        RowError: naming the row and the `--flag` at fault.
    """
    if row.error:
        raise RowError(row.fila, None, row.error)
    flags = {
        col.replace("-", "_"): _flag_value(row.fila, col, v)
        for col, v in row.data.items()
        if (col in FACT_COLUMNS if only_facts else col not in ("id", "hoy"))
    }
    try:
        return build_case({}, fact_overrides(**flags))
    except InputError as e:
        raise RowError(row.fila, e.campo, e.mensaje) from None


def row_hoy(row: Row, default: date) -> date:
    """The reference date of a row: its own `hoy` cell, else the batch's."""
    text = row.data.get("hoy")
    if text is None:
        return default
    try:
        return parse_date(str(text))
    except ValueError as e:
        raise RowError(row.fila, "hoy", str(e)) from None


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
        raise RowError(row.fila, e.campo, e.mensaje) from None
    except RulesError as e:
        raise RowError(row.fila, None, f"error interno en las reglas legales: {e}") from None


def verdict(resultado: Any) -> dict[str, Any]:
    """The verdict fields of `comprobar --json` kept in the summary, plus `exit_code`.

    The cited law (`fundamentos`) and the reasoning (`conclusiones`) are left out:
    they are long, and `reclama comprobar --json` or the letter gives them.
    """
    out = resultado.model_dump(mode="json", exclude={"fundamentos", "conclusiones"})
    out["exit_code"] = resultado.exit_code
    return out


def plazos_parts(row: Row, resultado: Any) -> tuple[bytes, bytes, bytes]:
    """`plazos_line` in UTF-8 pieces, so a chunk of rows is joined with one copy.

    Why bytes: a chunk crosses from a worker to the parent several times faster as
    bytes than as text, and is written to stdout without encoding it again.
    """
    head = json.dumps(
        {"fila": row.fila, "id": row.id, "exit_code": resultado.exit_code},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    body = resultado.__pydantic_serializer__.to_json(resultado)  # = model_dump_json(), as bytes
    return head[:-1].encode("utf-8"), b"," + body[1:], b"\n"


def plazos_line(row: Row, resultado: Any) -> str:
    """One `--solo-plazos` line: `fila`, `id`, `exit_code` and the `comprobar --json` object."""
    return b"".join(plazos_parts(row, resultado)).decode("utf-8")


def error_line(e: RowError, row: Row) -> str:
    """The `--solo-plazos` line of a row that failed (exit_code 2, as `comprobar` on bad data)."""
    obj = {"fila": e.fila, "id": row.id, "error": str(e), "campo": e.campo, "exit_code": 2}
    return json.dumps(obj, ensure_ascii=False) + "\n"


def row_hash(row: Row, options: str = "") -> str:
    """Content hash of a row's cells plus the options that shape its letter."""
    payload = json.dumps(row.data, sort_keys=True, ensure_ascii=False) + "\0" + options
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


# -- naming -----------------------------------------------------------------

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


def inside(folder: Path, name: str) -> Path:
    """`folder/name`, refusing any name that would land outside `folder`."""
    path = folder / name
    if name in ("", ".", "..") or os.sep in name or "/" in name or path.parent != folder:
        raise ValueError(f"nombre de fichero no válido: {name!r}")
    return path


_STALE_TEMP = re.compile(r"^\..+\.(pdf|html|txt|csv|jsonl)\.[^.]+\.tmp$")


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files a crash left behind (never a finished letter)."""
    n = 0
    for p in folder.iterdir():
        if _STALE_TEMP.match(p.name) and p.is_file():
            p.unlink(missing_ok=True)
            n += 1
    return n


# -- summary ------------------------------------------------------------------

SUMMARY_JSONL = "resumen.jsonl"
SUMMARY_CSV = "resumen.csv"
PLAZOS = (
    "garantia", "presuncion", "aviso", "prescripcion", "respuesta_empresario",
    "desistimiento", "reembolso_desistimiento", "cobertura_reparacion",
)  # fmt: skip
CSV_FIELDS = (
    "fila", "id", "estado", "exit_code", "regimen", "en_garantia", "prescrita", "carga_prueba",
    "aviso_tardio", "remedio", "remedio_admisible", "remedios_admisibles",
    *(f"vence_{k}" for k in PLAZOS), "salida", "error", "hash",
)  # fmt: skip
OK, ERROR = "correcta", "error"


def summary_entry(
    row: Row,
    estado: str,
    hash_: str,
    *,
    verdict_: dict[str, Any] | None = None,
    salida: str | None = None,
    error: RowError | None = None,
) -> dict[str, Any]:
    """One line of resumen.jsonl."""
    entry: dict[str, Any] = {"fila": row.fila, "id": row.id, "estado": estado, "salida": salida}
    entry["error"] = str(error) if error else None
    entry["campo"] = error.campo if error else None
    entry["hash"] = hash_
    if verdict_:
        entry.update(verdict_)
    return entry


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    return str(value)


def csv_record(entry: dict[str, Any]) -> list[str]:
    """resumen.csv cells of a summary entry: verdict flat, one date per deadline."""
    remedio = entry.get("remedio") or {}
    plazos = entry.get("plazos") or {}
    flat = {
        **entry,
        "remedio": remedio.get("solicitado"),
        "remedio_admisible": remedio.get("admisible"),
        **{f"vence_{k}": (plazos.get(k) or {}).get("vence") for k in PLAZOS},
    }
    return [_csv_cell(flat.get(k)) for k in CSV_FIELDS]


@dataclass(slots=True)
class Previous:
    """What the summary says about a row from an earlier run."""

    offset: int
    estado: str
    hash: str | None
    salida: str | None


class Summary:
    """resumen.jsonl and resumen.csv in the output folder, appended a flushed line per row.

    An interruption keeps every finished row; `load` reads them back (the last line
    of a row wins, a torn last line is ignored) and `compact` rewrites both files
    with one line per row of the input, in row order.
    """

    def __init__(self, folder: Path, delimiter: str = ","):
        self.folder = folder
        self.jsonl_path = folder / SUMMARY_JSONL
        self.csv_path = folder / SUMMARY_CSV
        self.delimiter = delimiter
        self._jsonl: io.BufferedWriter | None = None
        self._csv: TextIO | None = None
        self._writer: Any = None

    def load(self) -> dict[str, Previous]:
        out: dict[str, Previous] = {}
        if not self.jsonl_path.exists():
            return out
        with self.jsonl_path.open("rb") as f:
            offset = 0
            for line in f:
                try:
                    e = json.loads(line)
                    key = e.get("clave") or (
                        f"id:{e['id']}" if e.get("id") else f"fila:{e['fila']}"
                    )
                    out[key] = Previous(offset, e["estado"], e.get("hash"), e.get("salida"))
                except (ValueError, KeyError, TypeError):
                    pass
                offset += len(line)
        return out

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _end_line(self.jsonl_path)
        _end_line(self.csv_path)
        self._jsonl = self.jsonl_path.open("ab")
        new_csv = not self.csv_path.exists() or self.csv_path.stat().st_size == 0
        self._csv = self.csv_path.open("a", encoding="utf-8", newline="")
        self._writer = csv.writer(self._csv, delimiter=self.delimiter)
        if new_csv:
            self._csv.write("\ufeff")  # so Excel reads UTF-8
            self._writer.writerow(CSV_FIELDS)
            self._csv.flush()

    def append(self, entry: dict[str, Any]) -> None:
        assert self._jsonl is not None and self._csv is not None
        self._jsonl.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        self._jsonl.flush()
        self._writer.writerow(csv_record(entry))
        self._csv.flush()

    def close(self) -> None:
        for f in (self._jsonl, self._csv):
            if f is not None:
                f.close()
        self._jsonl = self._csv = None

    def compact(self, rows: Iterable[tuple[int, str]]) -> None:
        """Rewrite both files: for each (fila, key) of this input, its latest line."""
        self.close()
        latest = self.load()
        jsonl, text = io.BytesIO(), io.StringIO()
        writer = csv.writer(text, delimiter=self.delimiter)
        text.write("\ufeff")
        writer.writerow(CSV_FIELDS)
        with self.jsonl_path.open("rb") as f:
            for fila, key in sorted(rows):
                prev = latest.get(key)
                if prev is None:
                    continue
                f.seek(prev.offset)
                entry = json.loads(f.readline())
                entry["fila"] = fila
                jsonl.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
                writer.writerow(csv_record(entry))
        write_atomic(self.jsonl_path, jsonl.getvalue(), forzar=True, campo="--salida")
        write_atomic(self.csv_path, text.getvalue(), forzar=True, campo="--salida")


def _end_line(path: Path) -> None:
    """Finish a torn last line (a crash mid-write) so the next line starts clean."""
    if path.exists() and path.stat().st_size:
        with path.open("rb+") as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                f.write(b"\n")


# -- preparing rows for letters ---------------------------------------------------

EXTENSIONS = {"pdf": "pdf", "html": "html", "txt": "txt"}


@dataclass(slots=True)
class Prepared:
    """A row ready to render: its case, verdict, date and file name."""

    row: Row
    caso: Caso
    resultado: Any
    hoy: date
    name: str
    hash: str


@dataclass
class Preparer:
    """Turns rows into `Prepared`, checking ids and file names are unique in the batch."""

    hoy: date
    formato: str
    options: str = ""
    check_letter: bool = True
    forzar_carta: bool = False
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
        if self.check_letter:
            from reclama.letter import check_letter_ready

            try:
                check_letter_ready(caso, resultado, self.forzar_carta)
            except InputError as e:
                err = RowError(row.fila, e.campo, e.mensaje)
                err.verdict = verdict(resultado)
                raise err from None
        name = output_name(row.fila, row.id, caso.vendedor.nombre, EXTENSIONS[self.formato])
        first = self._names.setdefault(name.casefold(), row.fila)
        if first != row.fila:
            err = RowError(
                row.fila, "id", f"el fichero {name} ya es el de la fila {first}; use ids distintos"
            )
            err.verdict = verdict(resultado)
            raise err
        return Prepared(row, caso, resultado, hoy, name, self.hash(row))


# -- process pools ----------------------------------------------------------------

RECYCLE_AFTER = 100  # letters per worker process before it is replaced (keeps memory flat)
PLAZOS_CHUNK = 200  # rows per task in --solo-plazos
PLAZOS_PARALLEL_MIN = 2000  # fewer rows than this: one process is faster than starting a pool

_renderer: Any = None


def _context(preload: list[str]) -> multiprocessing.context.BaseContext:
    """forkserver where there is one: clean workers that start fast from preloaded modules."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed parent stays a zombie until its own parent reaps it
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except (OSError, IndexError):
        return True


def _worker_setup(parent: int) -> None:
    """Ctrl-C is the parent's to handle; a worker whose parent died (kill -9, a crash) exits.

    Why: a pool worker waits on a queue whose other end it also holds, and the
    forkserver outlives the parent while workers hold it open, so without this
    watch a crash would leave them running for ever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _alive(parent):
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _init_render_worker(parent: int, plantillas: str | None) -> None:
    """One LetterRenderer per worker: its fonts and parsed stylesheet serve every letter."""
    global _renderer
    _worker_setup(parent)
    from reclama.render import LetterRenderer

    _renderer = LetterRenderer(Path(plantillas) if plantillas else None)


def _render_one(job: tuple[Any, ...]) -> tuple[str | None, str] | None:
    """Render and atomically write one letter; an error comes back as (campo, mensaje)."""
    caso, resultado, hoy, formato, pdf_a, path = job
    try:
        data = _renderer.render(caso, resultado, hoy, formato, pdf_a=pdf_a)
        write_atomic(Path(path), data, forzar=True, campo="--salida")
    except InputError as e:
        return e.campo, e.mensaje
    except Exception as e:
        return None, f"error interno al generar la carta: {type(e).__name__}: {e}"
    return None


@dataclass
class Counts:
    ok: int = 0
    errors: int = 0
    skipped: int = 0
    interrupted: bool = False

    @property
    def total(self) -> int:
        return self.ok + self.errors + self.skipped

    def line(self) -> str:
        return (
            f"{self.total} filas: {self.ok} correctas, {self.errors} con errores, "
            f"{self.skipped} omitidas (ya hechas)"
        )


Event = Callable[[str, Row, "RowError | None"], None]  # (estado, row, error)


class _RenderPool:
    """A process pool for letters with a bounded queue and workers replaced in generations.

    Why generations: Python 3.11's `max_tasks_per_child` can deadlock
    (CPython gh-115634), so after `RECYCLE_AFTER` letters per worker the pool is
    drained and a fresh one started; a crashed worker breaks only its pool, and
    the rows it held are retried one at a time.
    """

    def __init__(self, jobs: int, plantillas: Path | None, done: Callable[[Prepared, Any], None]):
        self.jobs = jobs
        self.plantillas = str(plantillas) if plantillas else None
        self.done = done
        self.ctx = _context(["reclama.batch", "reclama.render", "weasyprint"])
        self.executor: ProcessPoolExecutor | None = None
        self.sent = 0
        self.inflight: dict[Future, tuple[Prepared, tuple[Any, ...]]] = {}
        self.tries: dict[int, int] = {}
        self.breaks = 0  # pools broken since the last letter came back

    def _executor(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                self.jobs,
                self.ctx,
                initializer=_init_render_worker,
                initargs=(os.getpid(), self.plantillas),
            )
            self.sent = 0
        return self.executor

    def submit(self, p: Prepared, job: tuple[Any, ...]) -> None:
        while len(self.inflight) >= 2 * self.jobs:
            self._collect(FIRST_COMPLETED)
        if self.sent >= self.jobs * RECYCLE_AFTER:
            self._collect(None)
            self._retire()
        self.inflight[self._executor().submit(_render_one, job)] = (p, job)
        self.sent += 1

    def _collect(self, how: str | None) -> None:
        finished, _ = wait(list(self.inflight), return_when=how or ALL_COMPLETED)
        broken = []
        for fut in finished:
            p, job = self.inflight.pop(fut)
            try:
                outcome = fut.result()
                self.breaks = 0
            except BrokenProcessPool:
                broken.append((p, job))
                continue
            except Exception as e:  # e.g. a case that cannot be sent to the worker
                outcome = (None, f"error interno al generar la carta: {type(e).__name__}: {e}")
            self.done(p, outcome)
        if broken:
            self._broken()
            self._retry(broken)

    def _retry(self, suspects: list[tuple[Prepared, tuple[Any, ...]]]) -> None:
        """Rows a crashed pool held, one per fresh pool, so only a row that crashes alone fails."""
        for p, job in sorted(suspects, key=lambda s: s[0].row.fila):
            while True:
                try:
                    outcome = self._executor().submit(_render_one, job).result()
                    self.breaks = 0
                    self.done(p, outcome)
                    break
                except BrokenProcessPool:
                    self._broken()
                    tries = self.tries[p.row.fila] = self.tries.get(p.row.fila, 0) + 1
                    if tries >= 2:
                        self.done(
                            p,
                            (None, "el proceso que generaba la carta terminó de forma inesperada"),
                        )
                        break

    def _broken(self) -> None:
        """A worker died: drop its pool; if no pool delivers any letter, stop the batch."""
        self._retire()
        self.breaks += 1
        if self.breaks > 5:
            raise RuntimeError(
                "los procesos que generan las cartas mueren al arrancar o en cada carta"
            )

    def _retire(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def finish(self) -> None:
        while self.inflight:
            self._collect(None)
        self._retire()

    def abort(self) -> None:
        """Ctrl-C: start nothing new, keep the letters already being written."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
        for fut, (p, _job) in list(self.inflight.items()):
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self.done(p, fut.result())
        self.inflight.clear()


def run_letters(
    entrada: Entrada,
    folder: Path,
    *,
    hoy: date,
    formato: str = "pdf",
    jobs: int = 1,
    forzar: bool = False,
    pdf_a: bool = False,
    plantillas: Path | None = None,
    hoy_explicito: str = "",
    on_row: Event | None = None,
) -> Counts:
    """Write one letter per row into `folder`, with resumen.jsonl/csv; resumable.

    A row is skipped when the summary says it was written from identical cells and
    options and its file still exists; `forzar` redoes it, and lets a letter ask for
    the remedy that can be demanded when the chosen one cannot yet (as `reclama carta
    --forzar`). Ctrl-C (KeyboardInterrupt)
    stops cleanly: finished rows are in the summary, no half-written file remains.
    """
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(folder)
    summary = Summary(folder, entrada.delimiter)
    previous = summary.load()
    if plantillas is not None:  # a bad folder is the whole batch's problem, not each row's
        from reclama.render import LetterRenderer

        LetterRenderer(plantillas)
    options = f"{formato}|pdf_a={pdf_a}|hoy={hoy_explicito}|plantillas={plantillas or ''}"
    prep = Preparer(hoy=hoy, formato=formato, options=options, forzar_carta=forzar)
    counts = Counts()
    seen: list[tuple[int, str]] = []
    # Test-only hook (tests/test_lote.py): after this many rows, wait for a signal, so an
    # interruption always lands mid-batch however fast the machine. Unset in normal use.
    pause_after = int(os.environ.get("RECLAMA_TEST_PAUSA_TRAS", "0") or 0)

    def report(estado: str, row: Row, error: RowError | None = None) -> None:
        if estado == OK:
            counts.ok += 1
        elif estado == ERROR:
            counts.errors += 1
        else:
            counts.skipped += 1
        if on_row:
            on_row(estado, row, error)
        while counts.total == pause_after:  # until a signal ends it; not signal.pause(): the
            time.sleep(0.05)  # signal may reach a pool thread, and only a sleep's end sees it

    def rendered(p: Prepared, outcome: tuple[str | None, str] | None) -> None:
        v = verdict(p.resultado)
        if outcome is None:
            summary.append(summary_entry(p.row, OK, p.hash, verdict_=v, salida=p.name))
            report(OK, p.row)
        else:
            err = RowError(p.row.fila, *outcome)
            summary.append(summary_entry(p.row, ERROR, p.hash, verdict_=v, salida=None, error=err))
            report(ERROR, p.row, err)

    pool = _RenderPool(max(1, jobs), plantillas, rendered)
    summary.open()
    try:
        for row in entrada:
            try:
                p = prep(row)
            except RowError as e:
                entry = summary_entry(row, ERROR, prep.hash(row), verdict_=e.verdict, error=e)
                if e.campo == "id":  # a repeated id must not take the place of the first row
                    entry["clave"] = f"fila:{row.fila}"
                seen.append((row.fila, entry.get("clave", row.key)))
                summary.append(entry)
                report(ERROR, row, e)
                continue
            seen.append((row.fila, row.key))
            prev = previous.get(row.key)
            if (
                not forzar
                and prev is not None
                and prev.estado == OK
                and prev.hash == p.hash
                and prev.salida == p.name
                and (folder / p.name).is_file()
            ):
                report("omitida", row)
                continue
            path = inside(folder, p.name)
            pool.submit(p, (p.caso, p.resultado, p.hoy, formato, pdf_a, str(path)))
        pool.finish()
    except KeyboardInterrupt:
        counts.interrupted = True
        pool.abort()
    except BaseException:
        pool.abort()
        raise
    finally:
        summary.close()
    if not counts.interrupted:  # only a finished run may drop lines of rows it did not see
        summary.compact(seen)
    return counts


def validate(
    entrada: Entrada,
    *,
    hoy: date,
    formato: str = "pdf",
    forzar: bool = False,
    on_row: Event | None = None,
) -> Counts:
    """Check every row as `run_letters` would, writing nothing."""
    prep = Preparer(hoy=hoy, formato=formato, forzar_carta=forzar)
    counts = Counts()
    for row in entrada:
        try:
            prep(row)
        except RowError as e:
            counts.errors += 1
            if on_row:
                on_row(ERROR, row, e)
            continue
        counts.ok += 1
        if on_row:
            on_row(OK, row, None)
    return counts


# -- deadlines only ------------------------------------------------------------------


def plazos_chunk(rows: list[Row], hoy: date) -> tuple[bytes, int]:
    """`--solo-plazos` lines (UTF-8) for some rows, and how many of them failed."""
    lines: list[bytes] = []
    errors = 0
    for row in rows:
        try:
            _, resultado, _ = evaluate_row(row, hoy, only_facts=True)
            lines += plazos_parts(row, resultado)
        except RowError as e:
            lines.append(error_line(e, row).encode("utf-8"))
            errors += 1
    return b"".join(lines), errors


def _init_plazos_worker(parent: int) -> None:
    _worker_setup(parent)
    from reclama.rules import load_rules

    load_rules()


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_plazos(
    entrada: Entrada,
    out: TextIO,
    *,
    hoy: date,
    jobs: int = 1,
    on_chunk: Callable[[int, int], None] | None = None,
) -> Counts:
    """Stream one JSON line per row to `out`, in input order; rows spread over `jobs` processes.

    Small inputs (under PLAZOS_PARALLEL_MIN rows) run in this process: starting a
    pool would cost more than it saves.
    """
    counts = Counts()
    chunks = _chunks(entrada, PLAZOS_CHUNK)
    head: list[list[Row]] = []
    for chunk in chunks:
        head.append(chunk)
        if len(head) * PLAZOS_CHUNK >= PLAZOS_PARALLEL_MIN:
            break

    binary = getattr(out, "buffer", None)
    out.flush()

    def emit(data: bytes, n: int, errors: int) -> None:
        if binary is not None:
            binary.write(data)
            binary.flush()
        else:
            out.write(data.decode("utf-8"))
            out.flush()
        counts.ok += n - errors
        counts.errors += errors
        if on_chunk:
            on_chunk(n, errors)

    all_chunks = _chain(head, chunks)
    try:
        if jobs <= 1 or len(head) * PLAZOS_CHUNK < PLAZOS_PARALLEL_MIN:
            for chunk in all_chunks:
                emit(*_fold(plazos_chunk(chunk, hoy), len(chunk)))
            return counts
        ctx = _context(["reclama.batch", "reclama.engine"])
        with ProcessPoolExecutor(
            jobs, ctx, initializer=_init_plazos_worker, initargs=(os.getpid(),)
        ) as ex:
            pending: deque[tuple[Future, int]] = deque()
            try:
                for chunk in all_chunks:
                    pending.append((ex.submit(plazos_chunk, chunk, hoy), len(chunk)))
                    while len(pending) > 2 * jobs or (pending and pending[0][0].done()):
                        fut, n = pending.popleft()
                        emit(*_fold(fut.result(), n))
                while pending:
                    fut, n = pending.popleft()
                    emit(*_fold(fut.result(), n))
            except BaseException:
                ex.shutdown(wait=False, cancel_futures=True)
                raise
    except KeyboardInterrupt:
        counts.interrupted = True
    return counts


def _fold(result: tuple[bytes, int], n: int) -> tuple[bytes, int, int]:
    return result[0], n, result[1]


def _chain(head: list[list[Row]], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    yield from head
    yield from rest
