"""resumen.jsonl / resumen.csv: the resumable record of a batch, one flushed line per row."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from reclama.batch.columns import LIST_SEPARATOR
from reclama.batch.reader import Row
from reclama.batch.rows import RowError
from reclama.errors import InputError
from reclama.files import write_atomic

SUMMARY_JSONL = "resumen.jsonl"
SUMMARY_CSV = "resumen.csv"
PLAZOS = (
    "garantia", "presuncion", "aviso", "prescripcion", "respuesta_empresario",
    "desistimiento", "reembolso_desistimiento", "cobertura_reparacion",
)  # fmt: skip
CSV_FIELDS = (
    "fila", "id", "estado", "referencia", "fecha_carta", "cliente", "vendedor", "exit_code",
    "regimen", "en_garantia", "prescrita", "carga_prueba", "aviso_tardio", "remedio",
    "remedio_admisible", "remedios_admisibles",
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
                check_target(path, forzar=True, campo="lote.salida")
            except InputError as e:
                raise e.named(e.campo, e.mensaje + " (resumen del lote)") from None
            if not path.exists() or ours(path):
                continue
            if not forzar:
                raise InputError(
                    "lote.salida",
                    f"ya existe {path} y no es un resumen escrito por reclama; muévalo, "
                    "elija otra carpeta o use --forzar para sustituirlo",
                )
            write_atomic(path, b"", forzar=True, campo="lote.salida")

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
        write_atomic(self.jsonl_path, jsonl.getvalue(), forzar=True, campo="lote.salida")
        write_atomic(self.csv_path, text.getvalue(), forzar=True, campo="lote.salida")


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
        raise InputError("lote.salida", f"{path}: {os_error_es(e)}") from None
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
