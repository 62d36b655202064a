"""`reclama demanda`: the small-claims lawsuit (juicio verbal) against the seller, drafted from the case."""

from __future__ import annotations

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import user_errors


def register(app: typer.Typer) -> None:
    app.command("demanda")(demanda)


@user_errors
def demanda(
    caso: o.CasoRequeridoOpt,
    hoy: o.HoyOpt = None,
    formato: o.FormatoDemandaOpt = "pdf",
    salida: o.SalidaDocumentoOpt = None,
    forzar: o.ForzarFicheroOpt = False,
    plantillas: o.PlantillasOpt = None,
) -> None:
    """Redacta la demanda de juicio verbal contra el vendedor, si la ley ya permite presentarla: tribunal, partes, cuantía, hechos del caso en orden, fundamentos con su texto literal, reclamación previa, documentos y súplica.

    Se niega (código 1), con la fecha y lo que falta, si no consta la recepción de la reclamación
    previa, si su plazo de respuesta no ha terminado, si pasó el año para demandar con ella, si la
    acción prescribió o si la cuantía supera el límite del juicio verbal. --hoy es la fecha de la
    demanda. reclama no presenta nada y no es asesoramiento jurídico.

    \b
    Ejemplo:
        reclama demanda --caso mi-caso.toml --formato pdf -o demanda.pdf
    """
    from reclama import demanda as modulo
    from reclama.cli.commands._documento import write_document

    write_document(
        caso,
        hoy,
        formato,
        salida,
        forzar,
        plantillas,
        modulo=modulo,
        plantilla="demanda",
        hecho="Demanda escrita",
        siguiente="Revísela y preséntela en el registro del tribunal o en la sede judicial electrónica "
        "con los documentos que enumera; después, regístrela con «reclama caso evento FICHERO demanda».",
    )
