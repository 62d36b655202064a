"""`reclama comprobar`: the verdict, the deadlines and the remedies for one purchase."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import get_case, user_errors

if TYPE_CHECKING:
    from reclama.engine import Resultado


def register(app: typer.Typer) -> None:
    app.command("comprobar")(comprobar)


@user_errors
@o.case_facts
def comprobar(
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
    **hechos: Any,
) -> None:
    """Dice qué ley se aplica, si está en plazo, quién debe probar el defecto, cada plazo con su artículo y si el remedio pedido puede exigirse ya.

    Código de salida: 0 = en garantía, sin prescribir y remedio exigible; 1 = no; 2 = datos erróneos.
    """
    overrides = o.case_overrides({**locals(), **hechos})  # before any other local exists
    caso = hechos["caso"]
    from reclama.engine import evaluate

    today = o.parse_hoy(hoy)
    case = get_case(caso, overrides)
    result = evaluate(case.hechos(), today)
    if json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        from reclama.cli.vistas import print_result
        from reclama.remedio import exigible

        print_result(result, demanda=exigible(case, result))
    raise typer.Exit(exit_code(result))


def exit_code(result: Resultado) -> int:
    """The documented exit code: 0 when the claim can be made now (`Resultado.exigible`), else 1."""
    return 0 if result.exigible else 1
