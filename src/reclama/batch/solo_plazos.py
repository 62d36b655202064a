"""`--solo-plazos`: one JSON line of deadlines per row, streamed in input order over processes."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from typing import TextIO

from reclama.batch.pool import _context, _worker_setup
from reclama.batch.reader import Entrada, Row
from reclama.batch.rows import RowError, error_line, evaluate_row, plazos_parts
from reclama.batch.run import Counts

PLAZOS_CHUNK = 200  # rows per task in --solo-plazos
PLAZOS_PARALLEL_MIN = 2000  # fewer rows than this: one process is faster than starting a pool
PLAZOS_DEFAULT_JOBS = 1  # measured as fast as 2 or faster, with 3.5x less memory (docs/lote.md)


def plazos_chunk(rows: list[Row], hoy: date, completo: bool = False) -> tuple[bytes, int]:
    """`--solo-plazos` lines (UTF-8) for some rows, and how many of them failed."""
    lines: list[bytes] = []
    errors = 0
    for row in rows:
        try:
            _, resultado, _ = evaluate_row(row, hoy, only_facts=True)
            lines += plazos_parts(row, resultado, completo)
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
    completo: bool = False,
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
                emit(*_fold(plazos_chunk(chunk, hoy, completo), len(chunk)))
            return counts
        ctx = _context(["reclama.batch", "reclama.engine"])
        with ProcessPoolExecutor(
            jobs, ctx, initializer=_init_plazos_worker, initargs=(os.getpid(),)
        ) as ex:
            pending: deque[tuple[Future, int]] = deque()
            try:
                for chunk in all_chunks:
                    pending.append((ex.submit(plazos_chunk, chunk, hoy, completo), len(chunk)))
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
