"""docs/datos.md, the reference of the case facts, written from their declarations.

`make datos` rewrites it (`python -m reclama.cli.referencia > docs/datos.md`);
tests/test_datos.py checks that the committed page is what this produces.
"""

from __future__ import annotations

from typing import Any

from reclama.caso import DATOS
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


if __name__ == "__main__":
    print(datos_md(), end="")
