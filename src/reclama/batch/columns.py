"""Columns of a batch: names, aliases, the firm's map, the header check and the example batch."""

from __future__ import annotations

import csv
import difflib
import errno
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from reclama.caso import DATOS, FLAG_FIELDS, Caso
from reclama.datos import Dato
from reclama.errors import InputError, visible

REQUIRED_COLUMNS = ("compra", "descubrimiento")
LIST_SEPARATOR = "|"
TRUE_WORDS = frozenset({"si", "sí", "s", "true", "verdadero", "1", "x", "yes"})
FALSE_WORDS = frozenset({"", "no", "n", "false", "falso", "0"})


def _described(d: Dato) -> str:
    """A fact column's text: the fact's description on the case model, and how a cell lists values."""
    return d.explicacion + (f" Varios valores se separan con {LIST_SEPARATOR}." if d.lista else "")


# Column -> what goes in it (Spanish; docs/lote.md and docs/datos.md show it). The columns
# that are no case fact are described here; every other one is a case fact, described once
# on its field in reclama.caso.
COLUMNS: dict[str, str] = {
    "id": "Identificador estable de la fila (expediente): da nombre al fichero y reconoce la "
    "fila al repetir el lote. Opcional (si falta, cuenta el número de fila).",
    "hoy": "Fecha de referencia de esa fila (por defecto, --hoy o la de hoy).",
    **{d.flag: _described(d) for d in DATOS if d.flag},
}


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
    if get_origin(ann) is Annotated:
        return _is_choice(get_args(ann)[0])
    return get_origin(ann) is Literal


BOOL_COLUMNS, LIST_COLUMNS, WORD_COLUMNS = _kinds()
# The column of each case fact (`compra.fecha` -> `compra`); the claims an `aviso` brings too.
COLUMN_OF = {f"{s}.{f}": col for col, (s, f) in FLAG_FIELDS.items()} | {
    "reclamacion.reclamaciones": "aviso"
}


def column_of(e: InputError) -> str | None:
    """The column a problem of a row is about, for its message: the library names the fact
    (`compra.fecha`), the firm's sheet has the column (`compra`). None for the batch's own
    outputs (`lote.salida`, ...), whose message names the file."""
    if e.clave in COLUMN_OF:
        return COLUMN_OF[e.clave]
    return None if e.clave.startswith("lote.") or e.clave == "plantillas" else e.campo


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


ALIASES_FILE = Path(__file__).parent.parent / "data" / "columnas.toml"


def _load_aliases() -> dict[str, str]:
    """Header key -> column: each column's own name plus the aliases in data/columnas.toml."""
    import tomllib

    with ALIASES_FILE.open("rb") as f:
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


def read_toml(path: Path, campo: str, what: str) -> dict[str, Any]:
    """A small TOML file the firm wrote (a column map, a firm profile), read whole.

    Raises:
        InputError: missing, unreadable, over 1 MB, not UTF-8 or not TOML; names `campo`.
    """
    import tomllib

    try:
        with Path(path).open("rb") as f:
            raw = f.read(MAX_MAPA_BYTES + 1)
    except FileNotFoundError:
        raise InputError(campo, f"no existe el fichero {path}") from None
    except OSError as e:
        raise InputError(campo, f"no se puede leer {path}: {_oserror(e)}") from None
    if len(raw) > MAX_MAPA_BYTES:
        raise InputError(campo, f"{path} pasa de 1 MB; no parece {what}")
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(campo, f"{path} no está en UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        at = f" (línea {where[1]}, columna {where[2]})" if where else ""
        raise InputError(campo, f"{path} no es TOML válido{at}") from None
    except RecursionError:
        raise InputError(campo, f"{path} anida demasiadas tablas") from None


def load_mapa(path: Path) -> dict[str, str]:
    """A firm's `--columnas MAPA.toml`: `[columnas]` with «Su nombre» = "columna de reclama".

    Raises:
        InputError: unreadable, not TOML, no [columnas] table, or a target that is no column.
    """
    campo = "lote.columnas"
    data = read_toml(path, campo, "un mapa de columnas")
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
    text = visible(text[: limit + 1], lines=False)
    return text if len(text) <= limit else text[:limit] + "…"


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
