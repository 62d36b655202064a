"""Before court: when the consumer may sue after the prior claim (LO 1/2025), and Ley 10/2025's 15 working days.

Called by the engine with its evaluation, so every rule used is cited in the answer like the
others. The numbers come from lo1_2025.reclamacion_previa and ley10_2025.plazo_atencion_clientela;
the working days from reclama.habiles.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from reclama import dates
from reclama.habiles import COMUNIDADES, add_working_days

if TYPE_CHECKING:
    from reclama.engine import Plazo, _Evaluation

REQUISITO = "lo1_2025.reclamacion_previa"
ATENCION_CLIENTELA = "ley10_2025.plazo_atencion_clientela"

Estado = Literal["sin_reclamacion", "sin_prueba", "esperando", "puede_demandar", "caducado"]


class ViaJudicial(BaseModel):
    """When the prior claim lets the consumer sue (LO 1/2025 DA 7.ª, arts. 7.3 and 10.4 a)).

    `puede_demandar_desde` is the safe date: both the consumer rule (DA 7.ª, the seller's legal
    answer period) and the general rule (30 calendar days without a written answer) are met.
    `puede_demandar_desde_da7` is the earlier date of the literal consumer rule alone (unverified).
    """

    model_config = ConfigDict(extra="forbid")

    estado: Estado
    reclamacion: date | None
    prueba_recepcion: bool
    respuesta: date | None
    puede_demandar_desde: date | None
    puede_demandar_desde_da7: date | None
    requisito_hasta: date | None
    actuar_antes_de: date | None
    articulo: str
    texto: str
    no_verificado: str | None = None


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def resolucion(ev: _Evaluation) -> Plazo | None:
    """Ley 10/2025 art. 17.1: a firm in its scope resolves the claim within 15 working days."""
    h = ev.h
    if not h.gran_empresa:
        return None
    hipotetico = ev.reclamacion is None
    fecha = ev.reclamacion or ev.hoy
    v = ev.peek(ATENCION_CLIENTELA, record=False)
    if v is None:
        ev.warn(
            "ley10_2025_adaptacion",
            "La obligación de resolver en quince días hábiles de la Ley 10/2025 se aplica a las "
            "reclamaciones presentadas desde que acaba el plazo de adaptación de las empresas; la de "
            f"{_fmt(fecha)} es anterior, así que solo rige el plazo de respuesta del vendedor.",
        )
        return None
    ev.use(ATENCION_CLIENTELA)
    dias = v.valores["dias_habiles"]
    computo = add_working_days(fecha, dias, h.comunidad)
    donde = f"nacionales y de {COMUNIDADES[h.comunidad]}" if h.comunidad else "nacionales"
    quien = "si reclama hoy" if hipotetico else f"para la reclamación del {_fmt(fecha)}"
    plazo = ev.plazo(
        v,
        ATENCION_CLIENTELA,
        fecha,
        computo.vence,
        f"Resolución de la reclamación por una empresa de la Ley 10/2025: {dias} días hábiles ({quien})",
        hipotetico=hipotetico,
        accion=False,
    )
    saltados = ", ".join(f"{_fmt(d)} ({n})" for d, n in computo.festivos)
    texto = (
        f"Como empresa incluida en la Ley 10/2025, el vendedor debe resolver la reclamación en "
        f"{dias} días hábiles: {quien}, hasta el {_fmt(computo.vence)}, sin contar sábados, domingos "
        f"ni festivos {donde}"
    )
    texto += f" (se han saltado: {saltados})." if saltados else "."
    ev.conclude("resolucion_empresario", texto, v)
    ev.warn(
        "festivos_locales",
        "Punto no verificado: los días hábiles no descuentan los festivos locales del municipio; "
        "si alguno cae dentro del plazo, este termina un día hábil más tarde por cada uno.",
        True,
    )
    if not h.comunidad:
        ev.warn(
            "sin_comunidad",
            "No se ha indicado la comunidad autónoma: los días hábiles solo descuentan los "
            "festivos nacionales.",
            indicar=("consumidor.comunidad",),
        )
    if computo.sin_verificar:
        ev.warn(
            "festivos_proyectados",
            f"Punto no verificado: el calendario de festivos de {computo.vence.year} es una "
            "proyección; compruébelo en el BOE y en el diario oficial de la comunidad.",
            True,
        )
    return plazo


def via_judicial(
    ev: _Evaluation, respuesta: Plazo | None, resolucion_plazo: Plazo | None
) -> tuple[ViaJudicial | None, Plazo | None]:
    """From when, and until when, the prior claim lets the consumer sue (None before LO 1/2025).

    Returns:
        The answer, and the deadline of art. 7.3 (the year the claim can be used) as a `Plazo`.
    """
    h, hoy = ev.h, ev.hoy
    v = ev.peek(REQUISITO, hecho=hoy, record=False)
    if v is None:
        return None, None
    ev.use(REQUISITO, hecho=hoy)
    articulo = v.principal.etiqueta
    recibidas = sorted(d for d in (*h.interrupciones,) if d is not None)
    enviadas = sorted(d for d in (h.fecha_aviso, *h.reclamaciones) if d is not None)
    base = {"articulo": articulo, "no_verificado": v.no_verificado}
    if not recibidas:
        if not enviadas:
            return None, ViaJudicial(
                estado="sin_reclamacion",
                reclamacion=None,
                prueba_recepcion=False,
                respuesta=None,
                puede_demandar_desde=None,
                puede_demandar_desde_da7=None,
                requisito_hasta=None,
                actuar_antes_de=None,
                texto="Para poder demandar al vendedor hace falta antes una reclamación por escrito "
                "que él reciba y cuya recepción pueda probar (la carta de reclama lo es).",
                **base,
            )
        ultima = enviadas[-1]
        return None, ViaJudicial(
            estado="sin_prueba",
            reclamacion=ultima,
            prueba_recepcion=False,
            respuesta=None,
            puede_demandar_desde=None,
            puede_demandar_desde_da7=None,
            requisito_hasta=None,
            actuar_antes_de=None,
            texto=f"La reclamación del {_fmt(ultima)} no consta recibida: para demandar hace falta "
            "probar que el vendedor recibió la reclamación previa (burofax, correo certificado o "
            "justificante de la empresa); indíquelo o envíe una por un medio así.",
            **base,
        )
    recibida = recibidas[-1]
    # The seller's legal answer period ("legislación especial", DA 7.ª): art. 21.3 TRLGDCU,
    # and Ley 10/2025 art. 17 where it binds the seller; counted for this claim.
    especial = [
        p.vence for p in (respuesta, resolucion_plazo) if p is not None and p.desde == recibida
    ]
    general = dates.add_days(recibida, v.valores["dias_sin_respuesta"])
    fin_especial = max(especial) if especial else general
    respuesta_fecha = (
        h.fecha_respuesta if h.fecha_respuesta and h.fecha_respuesta >= recibida else None
    )
    if respuesta_fecha is not None:
        desde = desde_da7 = respuesta_fecha
        hasta = dates.add_months(respuesta_fecha, v.valores["meses_validez"])
        texto = (
            f"El vendedor contestó el {_fmt(respuesta_fecha)} sin atender la reclamación del "
            f"{_fmt(recibida)}: ya puede demandarle, según {articulo}, hasta el {_fmt(hasta)} "
            "(un año desde que terminó la negociación sin acuerdo)."
        )
    else:
        desde = dates.add_days(max(general, fin_especial), 1)
        desde_da7 = dates.add_days(fin_especial, 1)
        hasta = dates.add_months(recibida, v.valores["meses_validez"])
        texto = (
            f"Si el vendedor no contesta la reclamación recibida el {_fmt(recibida)}, puede "
            f"demandarle desde el {_fmt(desde)} (pasados su plazo legal de respuesta y los "
            f"{v.valores['dias_sin_respuesta']} días naturales sin respuesta por escrito), y hasta el "
            f"{_fmt(hasta)} (un año desde la recepción)."
        )
        if desde_da7 < desde:
            texto += (
                f" Leída al pie de la letra, la ley del consumidor ya lo permitiría desde el "
                f"{_fmt(desde_da7)}, al acabar el plazo de respuesta del vendedor."
            )
    if hoy > hasta:
        estado: Estado = "caducado"
        texto += " Ese año ya pasó: antes de demandar hay que enviar una nueva reclamación."
    elif hoy >= desde:
        estado = "puede_demandar"
    else:
        estado = "esperando"
    actuar = dates.previous_working_day(hasta) if dates.is_weekend(hasta) and hoy <= hasta else None
    ev.conclude("via_judicial", texto, v)
    plazo = ev.plazo(
        v,
        REQUISITO,
        respuesta_fecha or recibida,
        hasta,
        "Demandar con la reclamación previa: un año desde "
        + ("la respuesta" if respuesta_fecha else "su recepción"),
    ).model_copy(update={"articulo": next(c.etiqueta for c in v.cita if c.articulo == "7.3")})
    return plazo, ViaJudicial(
        estado=estado,
        reclamacion=recibida,
        prueba_recepcion=True,
        respuesta=respuesta_fecha,
        puede_demandar_desde=desde,
        puede_demandar_desde_da7=desde_da7,
        requisito_hasta=hasta,
        actuar_antes_de=actuar,
        texto=texto,
        **base,
    )
