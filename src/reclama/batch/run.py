"""A batch of letters: rows prepared in order, rendered by the pool, recorded in the summary;
resumable. Also `validate` (every row checked, nothing written)."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reclama.batch.naming import inside, remove_stale_temps
from reclama.batch.pool import _RenderPool
from reclama.batch.reader import Entrada, Row
from reclama.batch.rows import Prepared, Preparer, RowError, verdict
from reclama.batch.summary import ERROR, OK, PENDING, Summary, summary_entry
from reclama.errors import InputError


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
