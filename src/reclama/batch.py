"""Batches of claims from a spreadsheet: rows in, one letter per row and a summary out.

Reading (CSV, .xlsx or JSON Lines; header aliases in data/columnas.toml), column
checking, row -> case, content hashes, file naming and the resumable summary are
plain functions; the process pools that render letters or stream deadlines sit at
the end of the module, because their worker functions must be importable by the
worker processes.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import difflib
import errno
import hashlib
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal, TextIO, get_args, get_origin

from reclama.casefile import build_case
from reclama.caso import FLAG_FIELDS, Caso
from reclama.dates import parse_date
from reclama.errors import InputError, UserError
from reclama.files import write_atomic
from reclama.overrides import fact_overrides
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
    "soporte-material": "Contenido digital en soporte material, como un disco (sí/no).",
    "ejecucion-consentida": "El suministro digital empezó con su consentimiento expreso y sabiendo que perdía el desistimiento (sí/no).",
    "sin-informacion-desistimiento": "El vendedor no le informó del derecho de desistimiento (sí/no).",
    "suministro-hasta": "Último día del suministro continuo de contenido o servicio digital.",
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
    "contestacion": "Fecha de la respuesta del vendedor que no atendió la reclamación.",
    "desistimiento": "Fecha en que envió el desistimiento.",
    "conserva": "Fecha en que decidió conservar el producto tras desistir.",
    "contestada": "El vendedor contestó a la reclamación (sí/no): muestra que la recibió.",
    "reparacion": "Reparaciones DESDE:HASTA (HASTA vacío si sigue en curso), separadas por |.",
    "sustitucion": "Sustituciones ELECCION:ENTREGA (desde que eligió la sustitución hasta la entrega del nuevo), separadas por |.",
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
    "usuario-vendedor": "Usuario del vendedor en X (columna anterior; la misma que usuario-x).",
    "usuario-x": "Cuenta del vendedor en X.",
    "usuario-mastodon": "Cuenta del vendedor en Mastodon: @usuario@servidor.",
    "usuario-bluesky": "Cuenta del vendedor en Bluesky: un dominio (tienda.bsky.social).",
    "gran-empresa": "El vendedor está en la Ley 10/2025: servicios básicos, o 250 trabajadores, "
    "más de 50 M€ de volumen de negocios o más de 43 M€ de balance (sí/no).",
    "comunidad": "Comunidad autónoma del consumidor, para los festivos: MD, CT, AN... (ISO 3166-2:ES).",
    "entidad-adr": "Entidad de resolución alternativa de litigios que indica el vendedor.",
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
DATE_COLUMNS = frozenset(flag for flag in FLAG_FIELDS if "date" in str(_field_annotation(flag))) | {
    "reparacion",
    "sustitucion",
}
_STAND_IN = {c: date(2000, 1, 1) for c in REQUIRED_COLUMNS}  # see _build_reporting
# Columns that reach the rules engine (`Caso.hechos`): all `--solo-plazos` reads.
FACT_COLUMNS = frozenset(
    flag
    for flag, (section, _) in FLAG_FIELDS.items()
    if section in ("compra", "defecto", "reclamacion")
) - {"producto", "pedido", "precio", "defecto"} | {"gran-empresa", "comunidad"}


def _plain(text: str) -> str:
    """Lower case without accents: «Recepción» -> «recepcion»."""
    text = text.strip().lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _key(name: str) -> str:
    """A header cell as people mean it: «F. compra», «f_compra», «FECHA COMPRA» -> «f compra»."""
    text = name.replace("\ufeff", "").replace("º", " ").replace("ª", " ")
    text = _plain(text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _load_aliases() -> dict[str, str]:
    """Header key -> column: each column's own name plus the aliases in data/columnas.toml."""
    import tomllib

    with (Path(__file__).parent / "data" / "columnas.toml").open("rb") as f:
        table = tomllib.load(f)["alias"]
    out = {_key(c): c for c in known_columns()}
    for column, aliases in table.items():
        for alias in aliases:
            out.setdefault(_key(alias), column)
    return out


_ALIASES: dict[str, str] | None = None


def aliases() -> dict[str, str]:
    global _ALIASES
    if _ALIASES is None:
        _ALIASES = _load_aliases()
    return _ALIASES


def normalize_column(name: str, mapa: dict[str, str] | None = None) -> str:
    """The column a header cell names (an alias, the firm's `--columnas` name or the column
    itself, whatever the case, accents or punctuation); an unknown one as its key with `-`."""
    key = _key(name)
    if mapa and key in mapa:
        return mapa[key]
    return aliases().get(key) or key.replace(" ", "-")


MAX_MAPA_BYTES = 1 << 20


def load_mapa(path: Path) -> dict[str, str]:
    """A firm's `--columnas MAPA.toml`: `[columnas]` with «Su nombre» = "columna de reclama".

    Raises:
        InputError: unreadable, not TOML, no [columnas] table, or a target that is no column.
    """
    import tomllib

    campo = "--columnas"
    try:
        with Path(path).open("rb") as f:
            raw = f.read(MAX_MAPA_BYTES + 1)
    except FileNotFoundError:
        raise InputError(campo, f"no existe el fichero {path}") from None
    except OSError as e:
        raise InputError(campo, f"no se puede leer {path}: {_oserror(e)}") from None
    if len(raw) > MAX_MAPA_BYTES:
        raise InputError(campo, f"{path} pasa de 1 MB; no parece un mapa de columnas")
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(campo, f"{path} no está en UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        at = f" (línea {where[1]}, columna {where[2]})" if where else ""
        raise InputError(campo, f"{path} no es TOML válido{at}") from None
    except RecursionError:
        raise InputError(campo, f"{path} anida demasiadas tablas") from None
    table = data.get("columnas")
    if not isinstance(table, dict):
        raise InputError(
            campo, f'{path} debe tener una tabla [columnas] con líneas «"Su nombre" = "compra"»'
        )
    out: dict[str, str] = {}
    for theirs, ours in table.items():
        column = normalize_column(ours) if isinstance(ours, str) else ""
        if column not in known_columns():
            raise InputError(
                campo, f"«{theirs}»: {_suggest(str(ours))} no es una columna de reclama lote"
            )
        out[_key(theirs)] = column
    return out


@dataclass(frozen=True, slots=True)
class Header:
    """A checked header: the column of each position ("" = ignored) and the names as written."""

    columns: list[str]
    written: dict[str, str]  # column -> header cell as written
    unknown: list[str]  # header cells that name no column, as written


MAX_LISTED = 10  # unknown columns named in a message; why: 100,000 of them must not take minutes


def check_columns(
    header: list[str], mapa: dict[str, str] | None = None, estricto: bool = False
) -> Header:
    """The column each header cell names; unknown ones are ignored unless `estricto`.

    Raises:
        InputError: no header, a repeated column, unknown columns with `estricto` (each
            with the closest known name) or a missing required column; the input is unusable.
    """
    known = set(known_columns())
    names = [normalize_column(h, mapa) for h in header]
    if not any(n in known for n in names):
        raise InputError(
            "ENTRADA",
            "la primera fila debe ser la cabecera con los nombres de las columnas "
            f"({', '.join(REQUIRED_COLUMNS)}, ...); vea reclama lote --plantilla",
        )
    counts = Counter(n for n in names if n in known)
    repeated = sorted(n for n, k in counts.items() if k > 1)
    if repeated:
        raise InputError("ENTRADA", f"columnas repetidas: {', '.join(repeated)}")
    unknown = [h.strip() for h, n in zip(header, names, strict=True) if n and n not in known]
    missing = [c for c in REQUIRED_COLUMNS if c not in counts]
    if missing:
        extra = f"; columnas desconocidas: {describe_unknown(unknown)}" if unknown else ""
        raise InputError(
            "ENTRADA", f"faltan las columnas obligatorias: {', '.join(missing)}{extra}"
        )
    if unknown and estricto:
        raise InputError("ENTRADA", f"columnas desconocidas: {describe_unknown(unknown)}")
    columns = [n if n in known else "" for n in names]
    written = {n: h.strip() for h, n in zip(header, names, strict=True) if n in known}
    return Header(columns, written, unknown)


def describe_unknown(unknown: list[str]) -> str:
    """The first MAX_LISTED unknown columns with the closest known name, and how many more."""
    text = "; ".join(map(_suggest, unknown[:MAX_LISTED]))
    if len(unknown) > MAX_LISTED:
        text += f" y {len(unknown) - MAX_LISTED} más"
    return text


def _suggest(name: str) -> str:
    shown = _shown(name)
    close = difflib.get_close_matches(
        normalize_column(name[:100]), known_columns(), n=1, cutoff=0.6
    )
    return f"«{shown}» (¿quería decir «{close[0]}»?)" if close else f"«{shown}»"


def _shown(text: str, limit: int = 60) -> str:
    """A value as echoed in a message: control characters escaped, long ones cut."""
    text = _escaped(text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def _escaped(text: str) -> str:
    """Control and bidi characters as escapes: a cell must not drive the terminal it is shown on."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _oserror(e: OSError) -> str:
    """An OSError in Spanish, for the errors a user can meet reading a file or folder."""
    return {
        errno.EACCES: "no tiene permiso de lectura",
        errno.EPERM: "no tiene permiso de lectura",
        errno.ENOENT: "no existe",
        errno.EISDIR: "es una carpeta",
        errno.ENOTDIR: "no es una carpeta",
        errno.ELOOP: "demasiados enlaces simbólicos",
        errno.EIO: "error de entrada/salida del disco",
    }.get(e.errno or 0, "no se puede leer")


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


# -- row -> case ----------------------------------------------------------------


class RowError(UserError):
    """A row that cannot become a letter; names the row and the field of each problem.

    `campo` and `mensaje` are the first problem; `mas` holds the others, so a row
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
        self.fila, self.campo, self.mensaje, self.columna = fila, campo, mensaje, columna
        self.mas = tuple(mas)
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
            out.append(f"{where}: {_escaped(mensaje)}")
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
    col = campo.removeprefix("--")
    name = row.written.get(col)
    return name if name and _key(name) != _key(col) else None


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
        RowError: naming the row and the `--flag` of every problem found in it.
    """
    problems: list[tuple[str | None, str]] = []
    if row.error:
        if not row.data:  # nothing was read: the other columns would only repeat it
            raise RowError(row.fila, None, row.error)
        problems.append((None, row.error))
    problems += [(f"--{col}", mensaje) for col, mensaje in row.problems]
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
                problems.append((e.campo, e.mensaje))
            except ValueError:  # e.g. «²», a digit int() refuses
                problems.append(
                    (f"--{name.replace('_', '-')}", f"«{_shown(str(value))}» no es válido")
                )
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
            flag = e.campo.removeprefix("--")
            doubtful = stand_in and (flag in DATE_COLUMNS or flag not in FLAG_FIELDS)
            if not doubtful and all(campo != e.campo for campo, _ in problems):
                problems.append((e.campo, e.mensaje))
            if flag in _STAND_IN and overrides.get(flag) != _STAND_IN[flag]:
                overrides[flag] = _STAND_IN[flag]
                stand_in = True
            elif flag in overrides:
                del overrides[flag]
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
        raise _row_error(row, [(e.campo, e.mensaje)]) from None
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
# Journaled in resumen.jsonl (not the CSV) before a letter is written, so that a letter an
# interruption left unrecorded is still known as reclama's on the next run.
PENDING = "en curso"


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def neutralize_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula, made text with a leading quote (OWASP).

    Why: ids, names and error messages come from the batch's author; `=HYPERLINK(...)`
    or `=cmd|...` would run when the firm opens resumen.csv in Excel. A plain negative
    number (`-5`) is left alone: a spreadsheet reads it as that number, nothing runs.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, list):
        return neutralize_formula(LIST_SEPARATOR.join(map(str, value)))
    return neutralize_formula(str(value))


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
    sha256: str | None = None  # of the letter as written, to recognise it in a later run


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
        with _open_nofollow(self.jsonl_path, os.O_RDONLY, "rb") as f:
            offset = 0
            for line in f:
                try:
                    e = json.loads(line)
                    key = e.get("clave") or (
                        f"id:{e['id']}" if e.get("id") else f"fila:{e['fila']}"
                    )
                    out[key] = Previous(
                        offset, e["estado"], e.get("hash"), e.get("salida"), e.get("sha256")
                    )
                except (ValueError, KeyError, TypeError):
                    pass
                offset += len(line)
        return out

    def check(self, forzar: bool) -> None:
        """Refuse summaries reclama would not write safely: links, folders, a user's own file.

        A summary reclama wrote (its first line is one of ours) is appended to and resumed;
        anything else named resumen.csv / resumen.jsonl is the user's: replaced (emptied)
        only with `forzar`. A symbolic link is refused even then: its target is not ours.

        Raises:
            InputError: before anything is written, naming the file.
        """
        from reclama.files import check_target, write_atomic

        for path, ours in ((self.jsonl_path, _our_jsonl), (self.csv_path, _our_csv)):
            try:
                check_target(path, forzar=True, campo="--salida")
            except InputError as e:
                raise InputError(e.campo, e.mensaje + " (resumen del lote)") from None
            if not path.exists() or ours(path):
                continue
            if not forzar:
                raise InputError(
                    "--salida",
                    f"ya existe {path} y no es un resumen escrito por reclama; muévalo, "
                    "elija otra carpeta o use --forzar para sustituirlo",
                )
            write_atomic(path, b"", forzar=True, campo="--salida")

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _end_line(self.jsonl_path)
        _end_line(self.csv_path)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        self._jsonl = _open_nofollow(self.jsonl_path, flags, "ab")
        new_csv = not self.csv_path.exists() or self.csv_path.stat().st_size == 0
        self._csv = _open_nofollow(self.csv_path, flags, "a", encoding="utf-8", newline="")
        self._writer = csv.writer(self._csv, delimiter=self.delimiter)
        if new_csv:
            self._csv.write("\ufeff")  # so Excel reads UTF-8
            self._writer.writerow(CSV_FIELDS)
            self._csv.flush()

    def append(self, entry: dict[str, Any], *, in_csv: bool = True) -> None:
        assert self._jsonl is not None and self._csv is not None
        self._jsonl.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        self._jsonl.flush()
        if not in_csv:
            return
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
        with _open_nofollow(self.jsonl_path, os.O_RDONLY, "rb") as f:
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


def _open_nofollow(path: Path, flags: int, mode: str, **kw: Any) -> Any:
    """open() that fails on a symbolic link (a link planted after `Summary.check`).

    Raises:
        InputError: in Spanish, naming the file.
    """
    from reclama.files import os_error_es

    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as e:
        raise InputError("--salida", f"{path}: {os_error_es(e)}") from None
    return os.fdopen(fd, mode, **kw)


def _first_line(path: Path) -> bytes:
    with _open_nofollow(path, os.O_RDONLY, "rb") as f:
        return f.readline(1 << 16)


def _our_jsonl(path: Path) -> bool:
    """Empty, or its first line is a summary entry (fila, estado, hash)."""
    line = _first_line(path)
    if not line.strip():
        return True
    try:
        entry = json.loads(line)
    except ValueError:
        return False
    return isinstance(entry, dict) and {"fila", "estado", "hash"} <= entry.keys()


def _our_csv(path: Path) -> bool:
    """Empty, or its header is the one reclama writes (with any delimiter)."""
    line = _first_line(path).decode("utf-8", "replace").lstrip("\ufeff")
    if not line.strip():
        return True
    return any(line.startswith(d.join(CSV_FIELDS[:3])) for d in ",;\t")


def _end_line(path: Path) -> None:
    """Finish a torn last line (a crash mid-write) so the next line starts clean."""
    if path.exists() and path.stat().st_size:
        with _open_nofollow(path, os.O_RDWR, "rb+") as f:
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
        from reclama.files import remove_pending_temps

        while _alive(parent):
            time.sleep(0.1)
        remove_pending_temps()  # os._exit skips the cleanup of a letter being written
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _init_render_worker(parent: int, plantillas: str | None) -> None:
    """One LetterRenderer per worker: its fonts and parsed stylesheet serve every letter."""
    global _renderer
    _worker_setup(parent)
    from reclama.render import LetterRenderer

    _renderer = LetterRenderer(Path(plantillas) if plantillas else None)


def _render_one(job: tuple[Any, ...]) -> tuple[str | None, str] | str:
    """Render and atomically write one letter.

    Returns:
        The letter's sha256 (so a later run knows the file is reclama's), or
        (campo, mensaje) for an error.
    """
    caso, resultado, hoy, formato, pdf_a, path, replace = job
    try:
        data = _renderer.render(caso, resultado, hoy, formato, pdf_a=pdf_a)
        write_atomic(Path(path), data, forzar=replace, campo="--salida")
    except InputError as e:
        return e.campo, e.mensaje
    except Exception as e:
        return None, f"error interno al generar la carta: {type(e).__name__}: {e}"
    return hashlib.sha256(data).hexdigest()


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
    summary.check(forzar)
    previous = summary.load()
    written = {
        v.salida: v.sha256 for v in previous.values() if v.estado in (OK, PENDING) and v.salida
    }
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
        while counts.total == pause_after and not counts.interrupted:  # until a signal ends it;
            time.sleep(0.05)  # not signal.pause(): the signal may reach a pool thread

    def rendered(p: Prepared, outcome: tuple[str | None, str] | str) -> None:
        v = verdict(p.resultado)
        if isinstance(outcome, str):
            entry = summary_entry(p.row, OK, p.hash, verdict_=v, salida=p.name)
            entry["sha256"] = outcome
            summary.append(entry)
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
            replace = forzar or _ours(path, written)
            if not replace and os.path.lexists(path):
                rendered(p, ("--salida", _not_ours_message(path)))
                continue
            summary.append(summary_entry(row, PENDING, p.hash, salida=p.name), in_csv=False)
            pool.submit(p, (p.caso, p.resultado, p.hoy, formato, pdf_a, str(path), replace))
        pool.finish()
    except KeyboardInterrupt:
        counts.interrupted = True  # also ends the test pause, which abort's reports could re-enter
        pool.abort()
    except BaseException:
        pool.abort()
        raise
    finally:
        summary.close()
    if not counts.interrupted:  # only a finished run may drop lines of rows it did not see
        summary.compact(seen)
    return counts


def _ours(path: Path, written: dict[str, str | None]) -> bool:
    """`path` is a regular file an earlier run of this batch wrote, unchanged since.

    An entry without a sha256 (a summary from an older reclama) is trusted by name.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or path.name not in written:
            return False
        digest = written[path.name]
        return digest is None or hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _not_ours_message(path: Path) -> str:
    from reclama.files import check_target

    try:
        check_target(path, forzar=True, campo="--salida")  # a link, a folder: its own message
    except InputError as e:
        return e.mensaje
    return (
        f"ya existe {path.name} y no lo escribió reclama en este lote; "
        "muévalo o use --forzar para sustituirlo"
    )


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
