"""Case files on disk: reading (bounded, UTF-8, TOML errors by line), building a validated
case from file data plus flags, and updating (comments kept, atomic saves with a .bak,
one writer at a time).

The model is reclama.caso (no I/O there); the events are folded by reclama.timeline.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from reclama.caso import (
    CASE_SCHEMA_VERSION,
    FLAG_FIELDS,
    ORIGEN,
    Caso,
    Evento,
    Origen,
    _line_of,
    _where,
    relabel,
    upgrade,
    validation_error,
)
from reclama.errors import InputError
from reclama.files import os_error_es, write_atomic, write_with_backup
from reclama.timeline import EventoError, apply_events, check_events

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
    "ofrece",
    "reparado",
    "nota",
)


# A case file is a few KB; a thousand events take about 100 KB. Reading stops here,
# so `--caso /dev/zero` or a wrong 4 GB file is refused at once.
MAX_CASO_BYTES = 1 << 20
MAX_ANIDAMIENTO = 8  # the schema nests 4 levels ([[eventos]] -> respuestas); TOML bombs go deeper
_OS_ES = {
    "EACCES": "no tiene permiso para leerlo",
    "EPERM": "no tiene permiso para leerlo",
    "EISDIR": "es una carpeta, no un fichero",
    "ENOTDIR": "una parte de la ruta no es una carpeta",
    "ENAMETOOLONG": "el nombre es demasiado largo",
    "ELOOP": "hay un ciclo de enlaces simbólicos",
    "EIO": "error de lectura del disco",
}


def os_error(e: OSError) -> str:
    """An OS error in Spanish (the system's own text may be English)."""
    import errno

    name = errno.errorcode.get(e.errno or 0, "")
    return _OS_ES.get(name, f"error del sistema ({name or e.errno})")


def read_case_text(path: Path, campo: str | None = None) -> str:
    """The text of a case file, at most MAX_CASO_BYTES, decoded as UTF-8 (a BOM is accepted).

    Raises:
        InputError: missing, unreadable, too big or not UTF-8; named `campo` (the file by default).
    """
    path = Path(path)
    name = campo or str(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_CASO_BYTES + 1)
    except FileNotFoundError:
        raise InputError(name, f"no existe el fichero {path}") from None
    except OSError as e:
        raise InputError(name, f"no se puede leer {path}: {os_error(e)}") from None
    if len(raw) > MAX_CASO_BYTES:
        raise InputError(
            name, f"{path} ocupa más de {MAX_CASO_BYTES >> 20} MiB: no es un fichero de caso"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(
            f"{path}, línea {line}", "el fichero no está en UTF-8; guárdelo con esa codificación"
        ) from None


# tomllib's and tomlkit's messages, in the order they are tried (first match wins).
_TOML_ES = (
    ("Cannot overwrite a value", "un dato repetido: esta clave ya tiene valor más arriba"),
    ("already exists", "un dato repetido: esta clave o sección ya aparece más arriba"),
    ("Duplicate inline table key", "un dato repetido dentro de la tabla { }"),
    ("Cannot declare", "una sección repetida: ya está declarada más arriba"),
    ("Cannot mutate immutable namespace", "no se puede añadir a una tabla ya cerrada"),
    ("Cannot redefine namespace", "una sección redefinida"),
    ("Invalid date", "una fecha no válida (AAAA-MM-DD)"),
    ("Invalid value", "un valor no válido (¿faltan las comillas de un texto?)"),
    ("Expected '=' after a key", "falta «=» después del nombre del dato"),
    ("Expected ']]'", "falta «]]» al final de la sección"),
    ("Expected ']'", "falta «]» al final de la sección"),
    ("Expected newline or end of document", "sobra texto después del valor (uno por línea)"),
    ("Unclosed array", "falta «]» para cerrar la lista"),
    ("Unclosed inline table", "falta «}» para cerrar la tabla"),
    ("Unterminated string", "falta la comilla que cierra el texto"),
    ("Expected", "falta un carácter (¿una comilla o un corchete sin cerrar?)"),
    ("Control characters", "un carácter de control dentro de un texto"),
    ("Illegal character", "un carácter no permitido"),
    ("Found invalid character", "un carácter no permitido"),
    ("Invalid initial character for a key", "un nombre de dato con un carácter no válido"),
    ("Unescaped '\\'", "una barra invertida \\ sin escapar (escriba \\\\ o use comillas simples)"),
    ("Invalid hex value", "una secuencia de escape no válida"),
    ("Escaped character", "una secuencia de escape no válida"),
    ("nested more than", "demasiados niveles de anidamiento"),
    ("Unexpected character", "un carácter inesperado"),
    ("Invalid statement", "una línea que no es ni «clave = valor» ni una [sección]"),
)


def toml_error(path: Path, text: str, e: Exception) -> InputError:
    """A TOML parser error (tomllib or tomlkit) as a Spanish message naming the file and line."""
    message = str(e)
    es = next((es for en, es in _TOML_ES if en in message), "sintaxis no válida")
    line = getattr(e, "line", None)  # tomlkit
    if m := re.search(r"at line (\d+)", message):  # tomllib
        line = int(m.group(1))
    elif "end of document" in message:
        line = text.count("\n") + 1
    where = f"{path}, línea {line}" if line else str(path)
    return InputError(where, f"TOML no válido: {es}")


def _depth(value: Any) -> int:
    """Nesting depth of parsed TOML, without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack += [(v, level + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, level + 1) for v in item]
    return deepest


def parse_case_toml(path: Path, text: str) -> dict[str, Any]:
    """The TOML of a case file; errors (syntax, repeated keys, nesting bombs) name file and line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise toml_error(path, text, e) from None
    except RecursionError:
        raise InputError(str(path), "TOML no válido: demasiados niveles de anidamiento") from None
    if _depth(data) > MAX_ANIDAMIENTO:
        raise InputError(
            str(path),
            f"demasiados niveles de anidamiento (un caso tiene como mucho {MAX_ANIDAMIENTO})",
        )
    return data


def read_case_data(path: Path, campo: str | None = None) -> tuple[dict[str, Any], str]:
    """The raw TOML of a case file and its text (for line numbers in errors).

    `campo` names the file in "not found"-type errors (the option `caso`, say); by default
    the file itself, as for a positional argument.
    """
    text = read_case_text(path, campo)
    return parse_case_toml(Path(path), text), text


def _set_origin(caso: Caso, origen: Origen) -> Caso:
    caso._origen = origen
    ORIGEN.set(origen)
    return caso


def build_case(
    data: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    *,
    source: Path | None = None,
    text: str | None = None,
) -> Caso:
    """Validate a case from file data plus flag overrides (flag name -> value).

    The events are folded into `reclamacion` (reclama.timeline): the file's own
    values come first, then what the events add, and the flags win over both.

    Raises:
        InputError: every problem, each naming the flag, or the file, line and field.
    """
    given = frozenset(
        FLAG_FIELDS[f] for f, v in (overrides or {}).items() if v not in (None, [], False)
    )
    raw_events = (data or {}).get("eventos")
    origen = Origen(
        fichero=source,
        texto=text or "",
        flags=given,
        eventos=tuple(
            (ev.get("tipo"), ev.get("fecha")) if isinstance(ev, dict) else ("", None)
            for ev in (raw_events if isinstance(raw_events, list) else [])
        ),
    )
    try:
        merged: dict[str, Any] = dict(upgrade(copy.deepcopy(dict(data or {}))))
    except InputError as e:
        line = _line_of(origen.texto, [e.clave])
        campo = _where(source, line, f"campo {e.clave}") if source else None
        raise InputError(e.clave, e.mensaje, campo=campo) from None
    for flag, value in (overrides or {}).items():
        if value is None or value == [] or value is False:
            continue
        section, field = FLAG_FIELDS[flag]
        merged.setdefault(section, {})
        if not isinstance(merged[section], dict):
            raise InputError(
                f"{section}.{field}",
                f"[{section}] debe ser una tabla",
                campo=origen.name(section, field),
            )
        merged[section] = {**merged[section], field: value}
    merged.setdefault("compra", {})
    merged.setdefault("defecto", {})
    try:
        caso = Caso.model_validate(merged)
    except ValidationError as e:
        raise validation_error(e, origen) from None
    try:
        folded = apply_events(caso)
    except EventoError as e:
        raise relabel(e, origen) from None
    if overrides:
        data2 = folded.model_dump()
        for flag, value in overrides.items():
            if value is None or value == [] or value is False:
                continue
            section, field = FLAG_FIELDS[flag]
            data2[section][field] = merged[section][field]
        folded = Caso.model_validate(data2)
    return _set_origin(folded, origen)


def load_case(
    path: Path, overrides: dict[str, Any] | None = None, campo: str | None = None
) -> Caso:
    """Read and validate a case file; `campo` names the file if it cannot be read (`caso`)."""
    data, text = read_case_data(path, campo)
    return build_case(data, overrides, source=Path(path), text=text)


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
            (the message names the field: `evento.fecha` when the event's date is the problem).
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

    The new event is not in the file yet: what its date breaks is blamed on its date
    (`evento.fecha`, the option the command line names),
    what it breaks by its type on the event itself; anything else is in the file as it was.
    """
    nuevo = len(before.eventos)
    out = []
    for p in e.errores:
        if isinstance(p, EventoError) and p.indice == nuevo:
            out.append(p.named(f"el suceso que añade ({p.detalle})"))
        elif isinstance(p, EventoError):
            out.append(relabel(p, before._origen))
        elif p.fecha == evento.fecha:
            out.append(InputError("evento.fecha", p.mensaje, fecha=p.fecha))
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
    doc.add(tomlkit.comment(f"Creado con `{origen}` el {hoy:%d/%m/%Y}. Puede editarlo a mano."))
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
