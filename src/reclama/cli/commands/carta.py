"""`reclama carta`: the formal claim letter to the seller, as PDF, HTML or e-mail text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.cli import campos
from reclama.cli import options as o
from reclama.cli.commands._common import get_case, user_errors


def register(app: typer.Typer) -> None:
    app.command("carta")(carta)


@user_errors
@o.case_facts
@o.letter_facts
def carta(
    hoy: o.HoyOpt = None,
    formato: o.FormatoOpt = "pdf",
    salida: o.SalidaOpt = None,
    forzar: o.ForzarOpt = False,
    pdf_a: o.PdfAOpt = False,
    plantillas: o.PlantillasOpt = None,
    borrador: Annotated[
        bool,
        typer.Option(
            "--borrador",
            help="Borrador: escribe la carta aunque falten datos (DNI, CIF, domicilios...), con "
            "huecos marcados para completarlos y la marca BORRADOR.",
            rich_help_panel=o._S,
        ),
    ] = False,
    **hechos: Any,
) -> None:
    """Escribe la carta de reclamación al vendedor: hechos, artículos aplicables con su texto literal, la medida exigida, respuesta a sus excusas, plazo para contestar y qué vendrá después.

    --hoy es la fecha de la carta. Sin -o, el fichero se llama reclamacion-<vendedor>-<fecha>.<formato>
    y nunca sobrescribe uno existente (salvo con --forzar). Con -o - la carta sale por la salida
    estándar; en un dispositivo o una tubería con nombre (-o /dev/stdout) se escribe dentro.
    Nunca se escribe a través de un enlace simbólico.

    Con --borrador la carta sale aunque falten sus datos personales o los del vendedor, con
    huecos marcados («[número: complete este dato]»); sin él, falta un dato y no hay carta.

    \b
    Ejemplo:
        reclama carta --caso examples/caso-demo.toml --formato pdf -o carta.pdf
        reclama carta --caso movil.toml --borrador --formato html
    """
    overrides = o.case_overrides({**locals(), **hechos})  # before any other local exists
    caso = hechos["caso"]
    from reclama.engine import evaluate
    from reclama.evaluation import letter_evaluation
    from reclama.files import check_target, document_name, is_stdout, write_atomic, write_stdout
    from reclama.letter import check_format, check_letter_ready, with_blanks

    check_format(formato, pdf_a)
    today = o.parse_hoy(hoy)
    case = get_case(caso, overrides)
    result = evaluate(case.hechos(), today)
    name = document_name("reclamacion", case.vendedor.nombre, today, formato)
    blanks: list[str] = []
    if borrador:
        case, blanks = with_blanks(case)
        name = f"borrador-{name}"
    check_letter_ready(case, result, forzar)
    carta_ = letter_evaluation(case, today)  # the letter is itself a claim, dated today
    path = salida or Path(name)
    to_stdout = is_stdout(path)
    if not to_stdout:  # fail before rendering; write_atomic checks again
        check_target(path, forzar=forzar, campo="-o", streams=True)

    from reclama.render import LetterRenderer

    data, ctx = LetterRenderer(plantillas).render_with_context(
        case, result, today, formato, pdf_a, carta=carta_
    )
    if to_stdout:
        write_stdout(data)
    else:
        write_atomic(path, data, forzar=forzar, streams=True)
    for aviso_ in ctx["avisos"]:
        sys.stderr.write(f"Aviso: {aviso_}\n")
    donde = "la salida estándar" if to_stdout else path
    if blanks:
        sys.stderr.write(
            f"Borrador escrito en {donde}, con huecos por completar "
            f"({', '.join(campos.shown(c) for c in blanks)}): "
            "rellénelos, o repita la orden con esos datos y sin --borrador.\n"
        )
        if not to_stdout:
            sys.stdout.write(f"{path}\n")
        return
    interrupcion_ = next(
        (c.etiqueta for c in ctx["citas"] if c.regla == "cc.interrupcion_prescripcion"), None
    )
    sys.stderr.write(
        f"Carta escrita en {donde}. Envíela por burofax con certificación de texto y acuse de "
        "recibo, o por correo electrónico con acuse de recibo, y guarde el justificante: la "
        "recepción abre el plazo de respuesta del vendedor"
        + (f" e interrumpe la prescripción, según {interrupcion_}" if interrupcion_ else "")
        + ".\n"
    )
    if not to_stdout:
        sys.stdout.write(f"{path}\n")
