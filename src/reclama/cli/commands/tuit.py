"""`reclama tuit`: public messages to the seller's account, one per stage of the claim."""

from __future__ import annotations

import json as _json
import sys
from typing import Any

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import get_case, user_errors


def register(app: typer.Typer) -> None:
    app.command("tuit")(tuit)


@user_errors
@o.case_facts
@o.letter_facts
def tuit(
    usuario_x: o.UsuarioXOpt = None,
    usuario_mastodon: o.UsuarioMastodonOpt = None,
    usuario_bluesky: o.UsuarioBlueskyOpt = None,
    etapa: o.EtapaOpt = None,
    red: o.RedOpt = "x",
    texto: o.TextoOpt = None,
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
    **hechos: Any,
) -> None:
    """Escribe los mensajes públicos a la cuenta del vendedor: inicial, recordatorio (reclamación abierta sin solución), escalado (una negativa, una excusa, o el plazo legal de respuesta vencido sin ninguna respuesta) y agradecimiento (resuelto, o el producto volvió conforme).

    Cada mensaje nombra la cuenta del vendedor en esa red (--usuario-x, --usuario-mastodon, --usuario-bluesky; --usuario-vendedor vale como la de X), el producto, el defecto, lo que se pide y el artículo que lo ampara, rebate la última excusa del vendedor y pide respuesta por el mismo canal. Solo dice que venció el plazo de respuesta si no hubo ninguna respuesta. Antes de mostrarlo se revisa: sin insultos, sin acusaciones que no se pueden probar y sin datos personales; el número de pedido sale enmascarado. Si no cabe en una publicación, sale como hilo numerado. Sin --etapa se escriben los cuatro y se marca el que corresponde al caso hoy.

    Código de salida: 0 = escritos; 2 = datos erróneos o texto rechazado (no se escribe nada).

    \b
    Ejemplo:
        reclama tuit --caso examples/caso-demo.toml --etapa inicial
        reclama tuit --caso movil.toml --red mastodon --usuario-mastodon @tienda@mastodon.social --json
    """
    overrides = o.case_overrides({**locals(), **hechos})  # before any other local exists
    caso = hechos["caso"]
    from reclama.engine import evaluate
    from reclama.rules import load_rules
    from reclama.seguimiento import etapa as etapa_social
    from reclama.social import drafts
    from reclama.timeline import check_events

    today = o.parse_hoy(hoy)
    case = get_case(caso, overrides)
    check_events(case, today)
    book = load_rules()
    result = evaluate(case.hechos(), today, book)
    borradores = drafts(case, result, today, red, [etapa] if etapa else None, texto, book)
    if json:
        out = {
            "hoy": today.isoformat(),
            "red": red,
            "limite": borradores[0].limite,
            "etapa_sugerida": etapa_social(case, result, today),
            "borradores": [d.model_dump(mode="json") for d in borradores],
        }
        sys.stdout.write(_json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    _print(borradores)


def _print(borradores: list) -> None:
    """Each draft under a header with its stage and count, ready to copy; warnings to stderr."""
    from reclama.social import RED_NOMBRE

    for n, d in enumerate(borradores):
        if n:
            sys.stdout.write("\n")
        titulo = f"### {d.etapa}{' (sugerida)' if d.sugerida else ''} · {RED_NOMBRE[d.red]}"
        if d.hilo:
            sys.stdout.write(f"{titulo} · hilo de {len(d.partes)} publicaciones\n")
            for k, (parte, n_) in enumerate(zip(d.partes, d.longitudes, strict=True), 1):
                sys.stdout.write(f"[{k}/{len(d.partes)} · {n_}/{d.limite}]\n{parte}\n")
        else:
            sys.stdout.write(f"{titulo} · {d.longitudes[0]}/{d.limite}\n{d.partes[0]}\n")
    avisos = dict.fromkeys(a for d in borradores for a in d.avisos)
    for aviso in avisos:
        sys.stderr.write(f"Aviso: {aviso}\n")
