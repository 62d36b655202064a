"""`reclama arbitraje`: the request to the Junta Arbitral de Consumo, drafted from the case."""

from __future__ import annotations

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import user_errors


def register(app: typer.Typer) -> None:
    app.command("arbitraje")(arbitraje)


@user_errors
def arbitraje(
    caso: o.CasoRequeridoOpt,
    hoy: o.HoyOpt = None,
    formato: o.FormatoDocumentoOpt = "pdf",
    salida: o.SalidaDocumentoOpt = None,
    forzar: o.ForzarFicheroOpt = False,
    plantillas: o.PlantillasOpt = None,
) -> None:
    """Redacta la solicitud de arbitraje a la Junta Arbitral de Consumo de su domicilio: sus datos y los de la empresa, los hechos, lo que pide y su cuantía, la reclamación previa y su respuesta.

    Se niega (código 1), con la fecha, si no hubo reclamación previa, si aún no ha pasado un mes
    sin respuesta o si ha pasado más de un año desde la reclamación. El arbitraje es gratuito; si
    la empresa no está adherida, debe aceptarlo. reclama no presenta nada.

    \b
    Ejemplo:
        reclama arbitraje --caso mi-caso.toml --formato pdf -o arbitraje.pdf
    """
    from reclama import arbitraje as modulo
    from reclama.cli.commands._documento import write_document

    write_document(
        caso,
        hoy,
        formato,
        salida,
        forzar,
        plantillas,
        modulo=modulo,
        plantilla="arbitraje",
        hecho="Solicitud de arbitraje escrita",
        siguiente="Revísela, complete su nacionalidad y preséntela en la Junta Arbitral de Consumo o en "
        "cualquier registro público; después, regístrela con «reclama caso evento FICHERO arbitraje».",
    )
