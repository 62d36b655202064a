"""Worker processes: the letter pool (bounded queue, generations, crash retry) and what
each worker runs. The worker functions live here so the workers can import them."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reclama.batch.columns import column_of
from reclama.errors import InputError
from reclama.files import write_atomic

if TYPE_CHECKING:
    from reclama.batch.rows import Prepared

RECYCLE_AFTER = 100  # letters per worker process before it is replaced (keeps memory flat)

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
    from reclama.formatos import render_letter

    caso, resultado, hoy, formato, pdf_a, path, replace, firma, carta = job
    try:
        pdf_name = Path(path).with_suffix(".pdf").name
        data = render_letter(
            _renderer, caso, resultado, hoy, formato,
            carta=carta, pdf_a=pdf_a, firma=firma, nombre_pdf=pdf_name,
        )  # fmt: skip
        write_atomic(Path(path), data, forzar=replace, campo="lote.salida")
    except InputError as e:
        return column_of(e), e.mensaje
    except Exception as e:
        return None, f"error interno al generar la carta: {type(e).__name__}: {e}"
    return hashlib.sha256(data).hexdigest()


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
        self.ctx = _context(["reclama.batch", "reclama.render", "reclama.formatos", "weasyprint"])
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
