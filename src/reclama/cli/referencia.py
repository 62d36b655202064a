"""docs/datos.md and the column table of docs/lote.md, written from the facts' declarations.

`make datos` rewrites both (`python -m reclama.cli.referencia`); tests/test_datos.py
checks that the committed pages are what this produces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reclama.batch.columns import COLUMNS
from reclama.caso import DATOS, dato
from reclama.datos import Dato

_CABECERA = """\
# Los datos del caso

<!-- Generado de las declaraciones de src/reclama/caso.py con `make datos`; no lo edite a mano. -->

Cada dato del caso se declara una vez, en su campo del modelo (`src/reclama/caso.py`): de ahí
salen la ayuda de las opciones, las columnas de [`reclama lote`](lote.md), las preguntas de
[`reclama caso nuevo`](casos.md) y esta tabla. La clave es la sección y el campo del fichero de
caso (`compra.fecha` es `fecha = ...` bajo `[compra]`); «—» quiere decir que el dato no tiene
columna u opción: se escribe en el fichero (o lo añaden sus sucesos). En una columna de lote,
un sí/no se escribe `sí` o `no` y varios valores se separan con `|`; una opción de lista se
repite.

| Clave en el fichero | Columna de lote | Opción | Tipo | Qué es |
|---|---|---|---|---|
"""


def option_names(command: Any) -> frozenset[str]:
    """Every `--option` of a click command and of its subcommands."""
    names = {o for p in command.params for o in getattr(p, "opts", ()) if o.startswith("--")}
    for sub in getattr(command, "commands", {}).values():
        names |= option_names(sub)
    return frozenset(names)


def _fila(d: Dato, opciones: frozenset[str]) -> str:
    columna = f"`{d.flag}`" if d.flag else "—"
    opcion = f"`--{d.flag}`" if d.flag and f"--{d.flag}" in opciones else "—"
    texto = d.explicacion.replace("|", "\\|")
    return f"| `{d.clave}` | {columna} | {opcion} | {d.tipo} | {texto} |"


def datos_md(opciones: frozenset[str] | None = None) -> str:
    """The page: one row per fact of the case file, in the order of the model."""
    if opciones is None:
        import typer

        from reclama.cli import app

        opciones = option_names(typer.main.get_command(app))
    return _CABECERA + "".join(_fila(d, opciones) + "\n" for d in DATOS)


# The columns of a batch that are no case fact (reclama.batch.columns describes them).
_TIPO_DE_COLUMNA = {"id": "texto", "hoy": "fecha"}
INICIO = "<!-- columnas: generado con `make datos` de las declaraciones; no lo edite a mano -->"
FIN = "<!-- fin de las columnas -->"


def columnas_md() -> str:
    """The table of docs/lote.md: every batch column, its type and what goes in it."""
    rows = [INICIO, "| Columna | Tipo | Qué es |", "|---|---|---|"]
    for column, texto in COLUMNS.items():
        tipo = _TIPO_DE_COLUMNA.get(column) or dato(column).tipo
        rows.append(f"| `{column}` | {tipo} | {texto.replace('|', chr(92) + '|')} |")
    return "\n".join([*rows, FIN]) + "\n"


def with_columns(page: str) -> str:
    """docs/lote.md with its column table (between INICIO and FIN) written afresh."""
    start, end = page.index(INICIO), page.index(FIN) + len(FIN) + 1
    return page[:start] + columnas_md() + page[end:]


def main(docs: Path) -> None:
    """Rewrite docs/datos.md and the column table of docs/lote.md."""
    (docs / "datos.md").write_text(datos_md(), encoding="utf-8")
    lote = docs / "lote.md"
    lote.write_text(with_columns(lote.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(Path("docs"))
