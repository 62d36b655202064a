"""`reclama comprobar`: the verdict, the deadlines and the remedies for one purchase."""

from __future__ import annotations

import sys

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import get_case, user_errors


def register(app: typer.Typer) -> None:
    app.command("comprobar")(comprobar)


@user_errors
def comprobar(
    caso: o.CasoOpt = None,
    compra: o.CompraOpt = None,
    entrega: o.EntregaOpt = None,
    descubrimiento: o.DescubrimientoOpt = None,
    remedio: o.RemedioOpt = None,
    aviso: o.AvisoOpt = None,
    segunda_mano: o.SegundaManoOpt = False,
    garantia_pactada: o.GarantiaPactadaOpt = None,
    digital: o.DigitalOpt = False,
    leve: o.LeveOpt = False,
    grave: o.GraveOpt = False,
    intento_fallido: o.IntentoFallidoOpt = False,
    negativa: o.NegativaOpt = False,
    reparacion: o.ReparacionOpt = None,
    interrupcion: o.InterrupcionOpt = None,
    canal: o.CanalOpt = None,
    recepcion: o.RecepcionOpt = None,
    desistimiento: o.DesistimientoOpt = None,
    conserva: o.ConservaOpt = None,
    soporte_material: o.SoporteMaterialOpt = False,
    ejecucion_consentida: o.EjecucionConsentidaOpt = False,
    sin_informacion_desistimiento: o.SinInformacionOpt = False,
    suministro_hasta: o.SuministroHastaOpt = None,
    sustitucion: o.SustitucionOpt = None,
    contestada: o.ContestadaOpt = False,
    contestacion: o.ContestacionOpt = None,
    gran_empresa: o.GranEmpresaOpt = False,
    comunidad: o.ComunidadOpt = None,
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
) -> None:
    """Dice qué ley se aplica, si está en plazo, quién debe probar el defecto, cada plazo con su artículo y si el remedio pedido puede exigirse ya.

    Código de salida: 0 = en garantía, sin prescribir y remedio exigible; 1 = no; 2 = datos erróneos.
    """
    overrides = o.case_overrides(locals())  # before any other local exists
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
    raise typer.Exit(result.exit_code)
