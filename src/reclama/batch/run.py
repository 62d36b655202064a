"""A batch of letters: rows prepared in order, rendered by the pool, recorded in the summary;
resumable. Also `validate` (every row checked, nothing written)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reclama.batch.columns import column_of
from reclama.batch.despacho import Despacho
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


@dataclass(frozen=True, slots=True)
class Salidas:
    """What a run writes besides the letters: folders per client, case files, a merged PDF."""

    carpetas: bool = False  # one folder per client
    casos: Path | None = None  # a case file per row, for `reclama plazos`
    unir: Path | None = None  # one PDF of every letter, for printing


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
    despacho: Despacho | None = None,
    salidas: Salidas = Salidas(),
) -> Counts:
    """Write one letter per row into `folder`, with resumen.jsonl/csv; resumable.

    A row is skipped when the summary says it was written from identical cells and
    options and its file still exists; the options include the content of the template
    folder and of the firm profile, so editing the letterhead redoes every letter.
    `forzar` redoes every row, and lets a letter ask for the remedy that can be demanded
    when the chosen one cannot yet (as `reclama carta --forzar`). Ctrl-C
    (KeyboardInterrupt) stops cleanly: finished rows are in the summary, no half-written
    file remains. The summary's deadlines are those the letter gives, counted from its date.
    """
    plantillas = plantillas or (despacho.membrete if despacho else None)
    if plantillas is not None:  # a bad folder is the whole batch's problem, not each row's
        from reclama.render import LetterRenderer

        LetterRenderer(plantillas)
    if salidas.unir is not None:
        check_merged_target(salidas.unir, forzar)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(folder)
    summary = Summary(folder, entrada.delimiter)
    summary.check(forzar)
    previous = summary.load()
    written = {
        v.salida: v.sha256 for v in previous.values() if v.estado in (OK, PENDING) and v.salida
    }
    options = (
        f"{formato}|pdf_a={pdf_a}|hoy={hoy_explicito}|carpetas={salidas.carpetas}"
        f"|entrada={inputs_digest(plantillas, despacho)}"
    )
    prep = Preparer(
        hoy=hoy, formato=formato, options=options, forzar_carta=forzar, despacho=despacho,
        carpetas=salidas.carpetas,
    )  # fmt: skip
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
        v = verdict(p.carta or p.resultado)
        if isinstance(outcome, str) and salidas.casos is not None:
            try:
                write_case_file(salidas.casos, p, forzar)
            except InputError as e:
                outcome = (column_of(e), e.mensaje)
        if isinstance(outcome, str):
            entry = summary_entry(p.row, OK, p.hash, verdict_=v, salida=p.name)
            entry["sha256"] = outcome
            summary.append(letter_columns(entry, p))
            report(OK, p.row)
        else:
            err = RowError(p.row.fila, *outcome)
            entry = summary_entry(p.row, ERROR, p.hash, verdict_=v, salida=None, error=err)
            summary.append(letter_columns(entry, p))
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
                if salidas.casos is not None:  # --casos added on a later run: the done rows too
                    try:
                        write_case_file(salidas.casos, p, forzar=False)
                    except InputError as e:
                        rendered(p, (column_of(e), e.mensaje))
                        continue
                report("omitida", row)
                continue
            try:
                path = inside(folder, p.name, salidas.carpetas)
            except ValueError as e:  # a client folder that is a link, say
                rendered(p, (None, str(e)))
                continue
            replace = forzar or _ours(path, written, folder)
            if not replace and os.path.lexists(path):
                rendered(p, (None, _not_ours_message(path)))
                continue
            summary.append(summary_entry(row, PENDING, p.hash, salida=p.name), in_csv=False)
            job = (p.caso, p.resultado, p.hoy, formato, pdf_a, str(path), replace, p.firma, p.carta)
            pool.submit(p, job)
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
        if salidas.unir is not None:
            write_merged(salidas.unir, folder, summary, seen)
    return counts


def letter_columns(entry: dict[str, Any], p: Prepared) -> dict[str, Any]:
    """The deadline list's own columns: the letter's date and reference, client and seller."""
    entry["fecha_carta"] = p.hoy.isoformat()
    entry["referencia"] = p.referencia
    entry["cliente"] = p.caso.consumidor.nombre
    entry["vendedor"] = p.caso.vendedor.nombre
    return entry


MAX_TEMPLATES = 256 << 20  # bytes of template folder hashed; a letterhead is a few MB


def inputs_digest(plantillas: Path | None, despacho: Despacho | None) -> str:
    """Hash of what shapes every letter besides its row: the template folders' files (the
    logo too) and the firm profile, so editing the letterhead re-renders on resume.

    Raises:
        InputError: the template folder holds more than MAX_TEMPLATES bytes.
    """
    from reclama.paths import templates_dir

    h = hashlib.sha256()
    total = 0
    for root in (plantillas, templates_dir()):
        if root is None:
            continue
        root = Path(root)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            total += path.stat().st_size
            if total > MAX_TEMPLATES:
                raise InputError("plantillas", f"{root} pasa de 256 MB; no parece un membrete")
            h.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    if despacho is not None:
        profile = {**despacho.data(), "referencia": despacho.referencia, "lugar": despacho.lugar}
        h.update(json.dumps(profile, sort_keys=True).encode("utf-8"))
    return h.hexdigest()[:16]


def write_case_file(folder: Path, p: Prepared, forzar: bool) -> None:
    """The row as a case file (casefile's writer), with this letter as a claim the seller
    must answer, so `reclama plazos` watches the batch from now on.

    A case file already there is left alone (the firm may have added events to it) unless
    `forzar`, which keeps the old one as .bak.
    """
    from reclama.casefile import create, new_case_text

    path = inside(folder, str(Path(p.name).with_suffix(".toml")), carpeta=True)
    if os.path.lexists(path) and not forzar:
        return
    reclamacion = p.caso.reclamacion
    if p.hoy not in reclamacion.interrupciones:
        reclamacion = reclamacion.model_copy(
            update={"interrupciones": [*reclamacion.interrupciones, p.hoy]}
        )
    caso = p.caso.model_copy(update={"reclamacion": reclamacion})
    text = new_case_text(caso, p.hoy, origen=f"reclama lote (fila {p.row.fila})")
    try:
        create(path, text, forzar=forzar)
    except InputError as e:
        raise InputError("lote.casos", e.mensaje) from None


def check_merged_target(path: Path, forzar: bool) -> None:
    """Refuse, before any letter, a merged PDF that would replace a file reclama did not write.

    Raises:
        InputError: a link, a folder, or someone else's file without `forzar`.
    """
    from reclama.files import check_target
    from reclama.formatos import merged_by_reclama

    check_target(path, forzar=True, campo="lote.unir")
    if path.exists() and not forzar and not merged_by_reclama(path):
        raise InputError(
            "lote.unir",
            f"ya existe {path} y no lo escribió reclama lote; use --forzar para sustituirlo",
        )


def write_merged(path: Path, folder: Path, summary: Summary, seen: list[tuple[int, str]]) -> None:
    """Every correct letter of this input, in row order, as one PDF."""
    from reclama.files import write_atomic
    from reclama.formatos import merge_pdfs

    done = summary.load()
    letters = [
        folder / prev.salida
        for _fila, key in sorted(seen)
        if (prev := done.get(key)) is not None and prev.estado == OK and prev.salida
    ]
    write_atomic(path, merge_pdfs(letters), forzar=True, campo="lote.unir")


def _ours(path: Path, written: dict[str, str | None], folder: Path | None = None) -> bool:
    """`path` is a regular file an earlier run of this batch wrote, unchanged since.

    An entry without a sha256 (a summary from an older reclama) is trusted by name.
    """
    name = str(path.relative_to(folder)) if folder is not None else path.name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or name not in written:
            return False
        digest = written[name]
        return digest is None or hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False


def _not_ours_message(path: Path) -> str:
    from reclama.files import check_target

    try:
        check_target(path, forzar=True, campo="lote.salida")  # a link, a folder: its own message
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
    plantillas: Path | None = None,
    despacho: Despacho | None = None,
    carpetas: bool = False,
) -> Counts:
    """Check every row as `run_letters` would, writing nothing.

    With a template folder (`plantillas`, or the firm's letterhead), the first good row's
    letter is also rendered, in memory, so a broken template shows before the batch runs.

    Raises:
        PlantillaError: the sample letter cannot be rendered (names the file and line).
    """
    plantillas = plantillas or (despacho.membrete if despacho else None)
    prep = Preparer(
        hoy=hoy, formato=formato, forzar_carta=forzar, despacho=despacho, carpetas=carpetas
    )
    counts = Counts()
    sample: Prepared | None = None
    for row in entrada:
        try:
            p = prep(row)
        except RowError as e:
            counts.errors += 1
            if on_row:
                on_row(ERROR, row, e)
            continue
        sample = sample or p
        counts.ok += 1
        if on_row:
            on_row(OK, row, None)
    if plantillas is not None and sample is not None:
        render_sample(sample, plantillas, formato)
    return counts


def render_sample(p: Prepared, plantillas: Path, formato: str) -> None:
    """Render one letter with the firm's templates, discarding it; errors are the batch's."""
    from reclama.formatos import render_letter
    from reclama.render import LetterRenderer

    render_letter(
        LetterRenderer(plantillas), p.caso, p.resultado, p.hoy, formato, carta=p.carta, firma=p.firma,
        nombre_pdf=Path(p.name).with_suffix(".pdf").name,
    )  # fmt: skip
