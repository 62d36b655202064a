"""Case files on disk, for update: comments kept, atomic saves with a .bak, one writer at a time.

The reader for everything else is reclama.caso.load_case; this module is for the
commands that change a case file (`reclama caso nuevo`, `reclama caso evento`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reclama.caso import (
    CASE_SCHEMA_VERSION,
    Caso,
    Evento,
    build_case,
    parse_case_toml,
    read_case_text,
    relabel,
    toml_error,
    upgrade,
)
from reclama.errors import InputError
from reclama.files import os_error_es, write_atomic, write_with_backup

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

LOCK_TIMEOUT = 10.0  # seconds to wait for another reclama writing the same file

# Key order of a new event in the file.
_EVENT_FIELDS = (
    "tipo",
    "fecha",
    "canal",
    "prueba_recepcion",
    "remedio",
    "respuestas",
    "negativa",
    "reparado",
    "nota",
)


@dataclass
class CaseFile:
    """A case file loaded for update: the TOML (with its comments) and the validated case."""

    path: Path
    doc: TOMLDocument
    caso: Caso
    upgraded: bool  # the file was in an older schema; saving writes the current one


def lock_path(path: Path) -> Path:
    """`FICHERO.lock` next to the real file (a case reached through a link shares its lock)."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + ".lock")


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold `FICHERO.lock` so that two reclama processes never update one file at once.

    The lock file exists only while held: it is unlinked BEFORE the lock is released.
    Why that order is safe: a waiter that then gets the flock on the unlinked file sees
    it has no name left (filelock >= 4 checks st_nlink) and retries on a fresh one, so
    two holders never coexist; unlinking after the release would allow exactly that.
    Why not a lock in a cache folder: it would not exclude another user or machine
    working on the same shared case folder. A kill -9 may leave the empty file; the
    next command reuses it and removes it.

    Raises:
        InputError: another process held the lock for `timeout` seconds, or the lock
            cannot be created (a folder with that name, a read-only folder).
    """
    from filelock import FileLock, Timeout

    lock_file = lock_path(path)
    if lock_file.is_dir():
        raise InputError(
            str(path),
            f"{lock_file.name} es una carpeta y reclama necesita ese nombre para el bloqueo; "
            "bórrela o cámbiele el nombre",
        )
    lock = FileLock(str(lock_file), timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise InputError(
            str(path),
            f"otra orden de reclama lleva más de {timeout:g} s modificando este fichero "
            f"(bloqueo {lock_file.name}); inténtelo de nuevo en unos segundos",
        ) from None
    except OSError as e:
        raise InputError(
            str(path), f"no se puede crear el bloqueo {lock_file.name}: {os_error_es(e)}"
        ) from None
    try:
        yield
    finally:
        try:
            os.unlink(lock_file)
        except OSError:
            pass
        lock.release()


def load_for_update(path: Path) -> CaseFile:
    """Parse a case file keeping its comments, validate it, and upgrade an older schema in memory.

    Raises:
        InputError: unreadable, not TOML or not a valid case; the message names the line and field.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = Path(path)
    text = read_case_text(path)
    data = parse_case_toml(path, text)  # tomllib first: it names the line of a repeated key
    try:
        doc = tomlkit.parse(text)
    except (TOMLKitError, RecursionError) as e:
        raise toml_error(path, text, e) from None
    caso = build_case(data, source=path, text=text)
    upgraded = doc.get("version_esquema") != CASE_SCHEMA_VERSION
    if upgraded:
        upgrade(doc, table=tomlkit.table)
    return CaseFile(path=path, doc=doc, caso=caso, upgraded=upgraded)


def event_table(evento: Evento) -> Any:
    """An event as a TOML table: type and date first, then only the fields it carries."""
    import tomlkit

    table = tomlkit.table()
    data = evento.model_dump()
    for key in _EVENT_FIELDS:
        value = data[key]
        if key in ("tipo", "fecha") or value not in (None, []):
            table[key] = value
    return table


def add_event(doc: TOMLDocument, evento: Evento) -> None:
    """Append `evento` at the end of the document's `[[eventos]]` (created if missing)."""
    import tomlkit
    from tomlkit.items import AoT, Array

    table = event_table(evento)
    eventos = doc.get("eventos")
    if eventos is None:
        aot = tomlkit.aot()
        aot.append(table)
        doc.append("eventos", aot)
    elif isinstance(eventos, AoT):
        eventos.append(table)
    elif isinstance(eventos, Array):  # written by hand as `eventos = [{...}]`
        inline = tomlkit.inline_table()
        inline.update(table.unwrap())
        eventos.append(inline)
    else:
        raise InputError("eventos", "debe ser una lista de tablas [[eventos]]")


def check(caso: Caso, hoy: date) -> None:
    """The case is coherent as of `hoy`: events not in the future, facts that can all be true.

    Raises:
        InputError: every problem found, each named where the user wrote it.
    """
    from reclama.facts import check_facts
    from reclama.timeline import check_events

    found = []
    for step in (lambda: check_events(caso, hoy), lambda: check_facts(caso.hechos(), hoy)):
        try:
            step()
        except InputError as e:
            found.append(e)
    if found:
        raise relabel(InputError.todos(found), caso._origen)


def save(path: Path, text: str) -> None:
    """Write a case file over the old one atomically, the old one kept as .bak.

    The text is read back as a case first: an invalid case is never written.

    Raises:
        InputError: the text is not a valid case, or the folder is not writable.
    """
    build_case(tomllib.loads(text), source=path, text=text)
    try:
        write_with_backup(path, text, campo=str(path))
    except InputError as e:
        raise InputError(str(path), f"no se pudo guardar ({e.mensaje})") from None
    except OSError as e:
        raise InputError(str(path), f"no se pudo guardar: {os_error_es(e)}") from None


def append_event(
    path: Path,
    evento: Evento,
    hoy: date,
    *,
    timeout: float = LOCK_TIMEOUT,
    prepare: Callable[[Caso, Caso], Any] | None = None,
) -> tuple[Caso, Caso]:
    """Add one event to a case file, under its lock; the file is untouched if anything fails.

    The whole new case (the file's events plus this one) is validated and evaluated
    before writing; `prepare(before, after)` runs then too, so a command computes its
    report first and a failure there leaves the file as it was.

    Returns:
        The case before and after the event (both with their events folded in).

    Raises:
        InputError: the file is broken or locked, or the event cannot happen there
            (the message names the field: `--fecha` when the event's date is the problem).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            str(path), "no existe el fichero de caso (créelo con `reclama caso nuevo`)"
        )
    with locked(path, timeout):
        cf = load_for_update(path)
        check(cf.caso, hoy)
        add_event(cf.doc, evento)
        text = cf.doc.as_string()
        try:
            after = build_case(tomllib.loads(text))
            check(after, hoy)
            _evaluate(after, hoy)
        except InputError as e:
            raise _blame(e, evento, cf.caso) from None
        if prepare is not None:
            prepare(cf.caso, after)
        save(path, text)
    return cf.caso, after


def _evaluate(caso: Caso, hoy: date) -> None:
    """The engine answers for the new case: a case it cannot evaluate is never written."""
    from reclama.engine import evaluate

    evaluate(caso.hechos(), hoy)


def _blame(e: InputError, evento: Evento, before: Caso) -> InputError:
    """Problems of the case with the new event, named as the user sees them.

    The new event is not in the file yet: what its date breaks is blamed on `--fecha`,
    what it breaks by its type on the event itself; anything else is in the file as it was.
    """
    from reclama.timeline import EventoError

    nuevo = len(before.eventos)
    out = []
    for p in e.errores:
        if isinstance(p, EventoError) and p.indice == nuevo:
            out.append(InputError(f"el suceso que añade ({p.detalle})", p.mensaje))
        elif isinstance(p, EventoError):
            out.append(relabel(p, before._origen))
        elif p.fecha == evento.fecha:
            out.append(InputError("--fecha", p.mensaje))
        else:
            out.append(relabel(p, before._origen))
    return InputError.todos(out)


def new_case_text(caso: Caso, hoy: date, origen: str = "reclama caso nuevo") -> str:
    """A new case file: a header comment, then only the sections and fields that have a value.

    `origen` names what created it (`reclama lote` writes one per row with --casos).
    """
    import tomlkit

    doc = tomlkit.document()
    producto = caso.compra.producto or "producto"
    doc.add(tomlkit.comment(f"Caso de reclama: {producto}"))
    doc.add(
        tomlkit.comment(
            f"Creado con `{origen}` el {hoy:%d/%m/%Y}. Puede editarlo a mano."
        )
    )
    doc.add(
        tomlkit.comment(
            "Añada lo que vaya pasando con `reclama caso evento FICHERO TIPO --fecha AAAA-MM-DD`."
        )
    )
    doc.add(tomlkit.nl())
    doc["version_esquema"] = CASE_SCHEMA_VERSION
    data = caso.model_dump(exclude={"version_esquema", "eventos"}, exclude_defaults=True)
    for section in (
        "compra",
        "defecto",
        "reclamacion",
        "consumidor",
        "representante",
        "vendedor",
        "carta",
    ):
        values = data.get(section)
        if not values:
            continue
        table = tomlkit.table()
        for key, value in values.items():
            table[key] = str(value) if key == "precio" else value
        doc[section] = table
    return doc.as_string()


def create(path: Path, text: str, *, forzar: bool = False) -> None:
    """Write a new case file; over an existing one only with `forzar` (the old one kept as .bak).

    Raises:
        InputError: the file exists and `forzar` is False, or it cannot be written.
    """
    path = Path(path)
    build_case(tomllib.loads(text), source=path, text=text)
    if not path.exists():
        write_atomic(path, text, campo="FICHERO")
        return
    if not forzar:
        raise InputError(
            "FICHERO",
            f"ya existe {path}; use --forzar para sustituirlo (se guardará una copia .bak)",
        )
    with locked(path):
        save(path, text)
