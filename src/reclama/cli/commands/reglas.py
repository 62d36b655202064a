"""`reclama reglas`: which rule versions were in force on a date, with their literal text."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import user_errors


def register(app: typer.Typer) -> None:
    app.command("reglas")(reglas)


@user_errors
def reglas(
    fecha: Annotated[str | None, typer.Option("--fecha", help="Fecha (por defecto, hoy).")] = None,
    regla: Annotated[str | None, typer.Option("--regla", help="Solo esta regla (id).")] = None,
    json: o.JsonOpt = False,
) -> None:
    """Lista las versiones de las reglas en vigor en una fecha, con su cita literal."""
    from reclama.rules import load_rules

    day = o.to_date("fecha", fecha) if fecha else o.parse_hoy(None)
    book = load_rules()
    rows = book.in_force(day)
    if regla is not None:
        if regla not in book.rules:
            from reclama.errors import InputError

            raise InputError("--regla", f"no existe la regla «{regla}»; vea `reclama reglas`")
        rows = [(r, v) for r, v in rows if r.id == regla]
    if json:
        import json as _json

        out = [
            {
                "regla": r.id,
                "titulo": r.titulo,
                "selecciona_por": r.selecciona_por,
                "regimen": v.regimen,
                "valido_desde": v.valido_desde.isoformat(),
                "valido_hasta": (u.isoformat() if (u := r.valid_until(v)) else None),
                "valores": {
                    k: (x.isoformat() if hasattr(x, "isoformat") else x)
                    for k, x in v.valores.items()
                },
                "no_verificado": v.no_verificado,
                "citas": [c.model_dump(mode="json") for c in v.cita],
            }
            for r, v in rows
        ]
        sys.stdout.write(_json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    from reclama.cli.vistas import print_rules

    print_rules(day, rows)
