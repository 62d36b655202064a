"""Evaluation: apply the rule versions in force to the facts of one purchase.

Every number comes from legal_rules/ (through RuleBook); every rule used is
recorded as a `Fundamento` so the answer, the letter and the JSON cite exactly
what was applied. Pure: "today" is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reclama import dates
from reclama.errors import InputError
from reclama.facts import Hechos, check_facts
from reclama.rules import Fechas, RuleBook, RulesError, RuleVersion, load_rules
from reclama.via_judicial import ViaJudicial, resolucion, via_judicial

SCHEMA_VERSION = 1
PLAZO_KEYS = (
    "garantia",
    "presuncion",
    "aviso",
    "prescripcion",
    "respuesta_empresario",
    "resolucion_empresario",
    "demanda",
    "desistimiento",
    "reembolso_desistimiento",
    "cobertura_reparacion",
)
REMEDIO_NOMBRE = {
    "reparacion": "la reparación",
    "sustitucion": "la sustitución",
    "rebaja": "la rebaja del precio",
    "resolucion": "la resolución del contrato (devolución del dinero)",
    "desistimiento": "el desistimiento",
}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Plazo(_Out):
    """One deadline: when it ends, how many days are left, and the article that sets it."""

    vence: date
    dias_restantes: int
    vencido: bool
    articulo: str
    regla: str
    desde: date
    descripcion: str
    ampliado_dias: int = 0
    fin_de_semana: bool = False
    actuar_antes_de: date | None = None
    hipotetico: bool = False
    no_verificado: str | None = None


class RemedioEvaluado(_Out):
    solicitado: str
    admisible: bool
    motivo: str


class Conclusion(_Out):
    """One sentence a lawyer would say, with the article behind it."""

    tema: str
    texto: str
    articulo: str


class Fundamento(_Out):
    regla: str
    regimen: str | None
    norma: str
    articulo: str
    texto: str
    url: str
    explicacion: str
    valido_desde: date
    valido_hasta: date | None


class Aviso(_Out):
    codigo: str
    texto: str
    no_verificado: bool = False


class Resultado(_Out):
    """The answer of `reclama comprobar` (JSON schema version `version_esquema`)."""

    version_esquema: int = SCHEMA_VERSION
    hoy: date
    regimen: Literal["2007", "2022"]
    regimen_incierto: bool
    fecha_compra: date
    fecha_entrega: date
    fecha_descubrimiento: date
    en_garantia: bool
    prescrita: bool
    carga_prueba: Literal["empresario", "consumidor"]
    aviso_tardio: bool | None
    plazos: dict[str, Plazo | None]
    remedios_admisibles: list[str]
    remedio: RemedioEvaluado | None
    conclusiones: list[Conclusion]
    fundamentos: list[Fundamento]
    avisos: list[Aviso]
    # When the prior claim lets the consumer sue (LO 1/2025); None for dates before it.
    via_judicial: ViaJudicial | None = None

    @property
    def exit_code(self) -> int:
        """0 when inside the guarantee, not time-barred and the remedy asked can be demanded."""
        ok = self.en_garantia and not self.prescrita
        if self.remedio is not None:
            ok = ok and self.remedio.admisible
        return 0 if ok else 1


@dataclass(frozen=True)
class _Suspension:
    desde: date
    hasta: date
    inclusive: bool  # covid: both ends suspended; repairs: handover-to-return difference

    def days_after(self, start: date) -> int:
        if self.inclusive:
            return dates.overlap_after(start, self.desde, self.hasta)
        return max(0, (self.hasta - max(self.desde, start)).days)


def _run(start: date, months: int, suspensions: list[_Suspension]) -> tuple[date, int]:
    """End of a month-based period from `start`, lengthened by the suspensions it lives through."""
    end = dates.add_months(start, months)
    added = 0
    for s in sorted(suspensions, key=lambda s: s.desde):
        if s.desde > end or s.hasta <= start:
            continue
        extra = s.days_after(start)
        end = dates.add_days(end, extra)
        added += extra
    return end, added


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"  # strftime is several times slower


def _duracion(meses: int | None = None, dias: int | None = None) -> str:
    if dias is not None:
        return f"{dias} días" if dias != 1 else "1 día"
    assert meses is not None
    if meses % 12 == 0:
        anos = meses // 12
        return f"{anos} años" if anos != 1 else "1 año"
    return f"{meses} meses" if meses != 1 else "1 mes"


class _Evaluation:
    """Collects the rules used, the deadlines and the warnings of one evaluation."""

    def __init__(self, h: Hechos, hoy: date, book: RuleBook):
        self.h, self.hoy, self.book = h, hoy, book
        self.reclamacion = ultima_reclamacion(h)
        self.fechas = fechas_del_caso(h, hoy)
        self.fundamentos: list[Fundamento] = []
        self._used: set[tuple[str, date]] = set()
        self.avisos: list[Aviso] = []
        self.conclusiones: list[Conclusion] = []
        self.regimen: str | None = None

    # -- rules --------------------------------------------------------------
    def use(self, rule_id: str, hecho: date | None = None) -> RuleVersion:
        """The rule's version for this case, recorded as a ground of the answer.

        The rule file's `selecciona_por` picks the date: the contract's, the claim's, or
        `hecho`, the day of the event the rule is applied to (an interruption, a deadline's end).
        """
        v = self.peek(rule_id, hecho)
        if v is None:
            fecha = self.book.rule(rule_id).fecha(self._fechas(hecho))
            raise RulesError(f"la regla {rule_id} no tiene versión en vigor el {_fmt(fecha)}")
        return v

    def _fechas(self, hecho: date | None) -> Fechas:
        return self.fechas if hecho is None else {**self.fechas, "fecha_hecho": hecho}

    def peek(
        self, rule_id: str, hecho: date | None = None, record: bool = True
    ) -> RuleVersion | None:
        """Like `use`, but None when no version is in force; `record=False` cites nothing."""
        rule = self.book.rule(rule_id)
        v = rule.at(rule.fecha(self._fechas(hecho)))  # Rule.select, inlined: called ~15 times
        if v is None or not record:
            return v
        if v.regimen is not None and self.regimen is not None and v.regimen != self.regimen:
            raise RulesError(f"{rule_id}: la versión del régimen {v.regimen} no es la del caso")
        key = (rule_id, v.valido_desde)
        if key not in self._used:
            self._used.add(key)
            self.fundamentos += fundamentos_of(self.book, rule_id, v)
            if v.no_verificado:
                self.warn(f"no_verificado:{rule_id}", f"Punto no verificado: {v.no_verificado}", True)
        return v

    def warn(self, codigo: str, texto: str, no_verificado: bool = False) -> None:
        if all(a.codigo != codigo for a in self.avisos):
            self.avisos.append(Aviso(codigo=codigo, texto=texto, no_verificado=no_verificado))

    def conclude(self, tema: str, texto: str, v: RuleVersion | None) -> None:
        articulo = v.principal.etiqueta if v is not None else ""
        self.conclusiones.append(Conclusion(tema=tema, texto=texto, articulo=articulo))

    def plazo(
        self,
        v: RuleVersion,
        rule_id: str,
        desde: date,
        vence: date,
        descripcion: str,
        ampliado: int = 0,
        hipotetico: bool = False,
        accion: bool = True,
    ) -> Plazo:
        """A deadline; `accion` marks one the consumer must act by (weekend warning applies)."""
        weekend = dates.is_weekend(vence)
        if weekend and accion and vence >= self.hoy:
            self.use("cc.computo_plazos", hecho=vence)
        return Plazo(
            vence=vence,
            dias_restantes=(vence - self.hoy).days,
            vencido=vence < self.hoy,
            articulo=v.principal.etiqueta,
            regla=rule_id,
            desde=desde,
            descripcion=descripcion,
            ampliado_dias=ampliado,
            fin_de_semana=weekend,
            actuar_antes_de=dates.previous_working_day(vence) if weekend and accion else None,
            hipotetico=hipotetico,
            no_verificado=v.no_verificado,
        )


def fundamentos_of(book: RuleBook, rule_id: str, v: RuleVersion) -> list[Fundamento]:
    """The citations of one rule version, built once per rule book (they never change)."""
    key = ("fundamentos", rule_id, v.valido_desde)
    if key not in book.memo:
        rule = book.rule(rule_id)
        book.memo[key] = [
            Fundamento(
                regla=rule_id,
                regimen=v.regimen,
                norma=c.norma,
                articulo=c.articulo,
                texto=c.texto,
                url=c.url,
                explicacion=c.explicacion,
                valido_desde=v.valido_desde,
                valido_hasta=rule.valid_until(v),
            )
            for c in v.cita
        ]
    return book.memo[key]


def ultima_reclamacion(h: Hechos) -> date | None:
    """The latest claim the seller has: the first notice or a later claim it received."""
    claims = [d for d in (h.fecha_aviso, *h.reclamaciones, *h.interrupciones) if d is not None]
    return max(claims) if claims else None


def fechas_del_caso(h: Hechos, hoy: date) -> dict[str, date]:
    """The dates a rule version can be chosen by (`selecciona_por`), for one evaluation.

    A claim not yet sent is supposed sent today. `fecha_hecho` is the day of each event a
    rule is applied to, so it is given where that event is (`_Evaluation.use(..., hecho=)`).
    """
    return {"fecha_contrato": h.fecha_compra, "fecha_reclamacion": ultima_reclamacion(h) or hoy}


def evaluate(h: Hechos, hoy: date, book: RuleBook | None = None) -> Resultado:
    """Apply the law in force for this purchase to its facts, as of `hoy`.

    Args:
        h: the facts.
        hoy: the date the answer is given for (deadlines count days left from it).
        book: the rules; the bundled legal_rules/ by default.

    Returns:
        The verdict, every deadline with its article, the remedies and the grounds.

    Raises:
        InputError: incoherent facts, or a purchase outside the rules' dates.
        RulesError: the rule data is broken or incomplete.
    """
    check_facts(h, hoy)
    book = book or load_rules()
    ev = _Evaluation(h, hoy, book)

    reg_v = ev.peek("trlgdcu.regimen", record=False)
    if reg_v is None:
        first = book.rule("trlgdcu.regimen").version[0].valido_desde
        raise InputError(
            "--compra",
            f"reclama solo cubre contratos celebrados desde el {_fmt(first)}; "
            "consulte a un profesional para compras anteriores",
        )
    ev.regimen = reg_v.valores["regimen"]
    ev.use("trlgdcu.regimen")
    ev.use("trlgdcu.responsable_vendedor")
    regimen_incierto = _regime(ev)

    entrega = h.entrega
    repairs = [
        _Suspension(r.desde, r.hasta or hoy, inclusive=False) for r in h.reparaciones
    ]
    susp_v = ev.use("trlgdcu.suspension_reparacion") if repairs else None
    suspende = set(susp_v.valores["suspende"]) if susp_v else set()

    plazos: dict[str, Plazo | None] = dict.fromkeys(PLAZO_KEYS)
    plazos["garantia"] = _garantia(ev, repairs if "garantia" in suspende else [])
    en_garantia = h.fecha_descubrimiento <= plazos["garantia"].vence
    plazos["presuncion"] = _presuncion(ev, repairs if "presuncion" in suspende else [])
    carga = "empresario" if h.fecha_descubrimiento <= plazos["presuncion"].vence else "consumidor"
    _conclude_guarantee(ev, plazos, en_garantia, carga)

    plazos["aviso"], aviso_tardio = _aviso(ev)
    plazos["prescripcion"] = _prescripcion(ev, repairs if "prescripcion" in suspende else [])
    prescrita = plazos["prescripcion"].vencido
    plazos["respuesta_empresario"] = _respuesta(ev)
    plazos["resolucion_empresario"] = resolucion(ev)
    plazos["demanda"], judicial = via_judicial(
        ev, plazos["respuesta_empresario"], plazos["resolucion_empresario"]
    )
    plazos["desistimiento"] = _desistimiento(ev)
    plazos["reembolso_desistimiento"] = _reembolso_desistimiento(ev, plazos["desistimiento"])
    plazos["cobertura_reparacion"] = _cobertura(ev)

    admisibles = _remedios_admisibles(ev, en_garantia, prescrita, plazos["desistimiento"])
    remedio = _remedio(ev, admisibles, en_garantia, prescrita, plazos) if h.remedio else None

    return Resultado(
        hoy=hoy,
        regimen=ev.regimen,
        regimen_incierto=regimen_incierto,
        fecha_compra=h.fecha_compra,
        fecha_entrega=entrega,
        fecha_descubrimiento=h.fecha_descubrimiento,
        en_garantia=en_garantia,
        prescrita=prescrita,
        carga_prueba=carga,
        aviso_tardio=aviso_tardio,
        plazos=plazos,
        remedios_admisibles=admisibles,
        remedio=remedio,
        conclusiones=ev.conclusiones,
        fundamentos=ev.fundamentos,
        avisos=ev.avisos,
        via_judicial=judicial,
    )


def _regime(ev: _Evaluation) -> bool:
    h = ev.h
    v = ev.peek("trlgdcu.regimen", record=False)
    edge = ev.peek("rdl7_2021.entrega_posterior", record=False)
    # The rule's own cut-off: a contract made before it and delivered from it.
    incierto = edge is not None and h.fecha_compra < edge.valores["fecha_corte"] <= h.entrega
    if incierto:
        edge = ev.use("rdl7_2021.entrega_posterior")
        ev.conclude(
            "regimen",
            f"Contrato celebrado el {_fmt(h.fecha_compra)} y entrega el {_fmt(h.entrega)}: "
            f"se aplica el régimen anterior a {edge.valores['fecha_corte']:%Y} por la fecha del "
            "contrato, pero este punto no está resuelto con certeza.",
            edge,
        )
    else:
        ev.conclude(
            "regimen",
            f"Contrato celebrado el {_fmt(h.fecha_compra)}: se aplica el régimen de garantías "
            f"«{ev.regimen}» del TRLGDCU, que se elige por la fecha del contrato.",
            v,
        )
    return incierto


def _garantia(ev: _Evaluation, repairs: list[_Suspension]) -> Plazo:
    h = ev.h
    v = ev.use("trlgdcu.garantia_plazo")
    vals = v.valores
    meses = vals["meses_bienes"]
    objeto = "desde la entrega"
    if h.digital:
        if "meses_digital" in vals:
            meses = vals["meses_digital"]
            objeto = "desde el suministro (contenido o servicio digital)"
        else:
            # Named by the year the next version starts, as the rule data says.
            hasta = ev.book.rule("trlgdcu.garantia_plazo").valid_until(v)
            siguiente = dates.add_days(hasta, 1) if hasta else None
            cual = f"el régimen anterior a {siguiente:%Y}" if siguiente else "este régimen"
            ev.warn(
                "digital_2007",
                f"Punto no verificado: {cual} no tiene regla propia para "
                "contenidos digitales; se aplica el plazo de los productos.",
                True,
            )
    pactada = h.garantia_pactada_meses
    if pactada is not None:
        minimo = vals["meses_segunda_mano_minimo"]
        nula = ev.peek("trlgdcu.renuncia_nula", record=False)
        if not h.segunda_mano:
            ev.use("trlgdcu.renuncia_nula")
            ev.warn(
                "pacto_bienes_nuevos",
                f"Un plazo pactado solo puede acortar la garantía de bienes de segunda mano; "
                f"para un bien nuevo rige el plazo legal de {_duracion(meses)} "
                f"({nula.principal.etiqueta if nula else ''}).",
            )
        elif pactada < minimo:
            ev.use("trlgdcu.renuncia_nula")
            ev.warn(
                "pacto_inferior_minimo",
                f"El pacto de {_duracion(pactada)} no vincula al consumidor: la ley no permite "
                f"bajar de {_duracion(minimo)} desde la entrega ({v.cita[-1].etiqueta}); se "
                f"aplica ese mínimo.",
            )
            meses = minimo
        elif pactada < meses:
            meses = pactada
            ev.warn(
                "pacto_segunda_mano",
                f"Se aplica el plazo pactado de {_duracion(pactada)} para un bien de segunda "
                f"mano, que solo vale si se pactó de forma expresa ({v.cita[-1].etiqueta}).",
            )
    vence, added = _run(h.entrega, meses, repairs)
    return ev.plazo(
        v,
        "trlgdcu.garantia_plazo",
        h.entrega,
        vence,
        f"Garantía legal: {_duracion(meses)} {objeto}",
        added,
        accion=False,
    )


def _presuncion(ev: _Evaluation, repairs: list[_Suspension]) -> Plazo:
    h = ev.h
    v = ev.use("trlgdcu.presuncion")
    meses = v.valores["meses_bienes"]
    if h.digital and "meses_digital" in v.valores:
        meses = v.valores["meses_digital"]
    vence, added = _run(h.entrega, meses, repairs)
    return ev.plazo(
        v,
        "trlgdcu.presuncion",
        h.entrega,
        vence,
        f"Presunción de que el defecto ya existía en la entrega: {_duracion(meses)}",
        added,
        accion=False,
    )


def _conclude_guarantee(ev: _Evaluation, plazos: dict, en_garantia: bool, carga: str) -> None:
    h = ev.h
    g, p = plazos["garantia"], plazos["presuncion"]
    gv = ev.use("trlgdcu.garantia_plazo")
    pv = ev.use("trlgdcu.presuncion")
    if en_garantia:
        texto = (
            f"El defecto apareció el {_fmt(h.fecha_descubrimiento)}, dentro de la garantía legal, "
            f"que vence el {_fmt(g.vence)}; cuenta la fecha en que apareció, no la de la reclamación."
        )
    else:
        texto = (
            f"El defecto apareció el {_fmt(h.fecha_descubrimiento)}, después de que terminara la "
            f"garantía legal el {_fmt(g.vence)}; queda revisar si hay garantía comercial o si "
            "alguna reparación suspendió el plazo (indíquela con --reparacion)."
        )
    ev.conclude("garantia", texto, gv)
    if carga == "empresario":
        texto = (
            f"Como apareció antes del {_fmt(p.vence)}, la ley presume que el defecto ya existía "
            "en la entrega: si el vendedor lo niega, es él quien debe probarlo."
        )
    else:
        texto = (
            f"Como apareció después del {_fmt(p.vence)}, fin de la presunción, el consumidor debe "
            "probar que el defecto ya existía en la entrega (por ejemplo, con un informe técnico)."
        )
    ev.conclude("carga_prueba", texto, pv)


def _aviso(ev: _Evaluation) -> tuple[Plazo | None, bool | None]:
    h = ev.h
    v = ev.use("trlgdcu.aviso")
    if not v.valores["aplica"]:
        ev.conclude(
            "aviso",
            "En este régimen no hay plazo para avisar al vendedor: la ley actual no lo exige, "
            "así que la fecha del aviso no afecta a sus derechos.",
            v,
        )
        return None, None
    meses = v.valores["meses"]
    vence = dates.add_months(h.fecha_descubrimiento, meses)
    plazo = ev.plazo(
        v,
        "trlgdcu.aviso",
        h.fecha_descubrimiento,
        vence,
        f"Informar al vendedor: {_duracion(meses)} desde que conoció el defecto",
    )
    when = h.fecha_aviso or ev.hoy
    tardio = when > vence
    sujeto = f"El aviso del {_fmt(when)}" if h.fecha_aviso else "Un aviso enviado hoy"
    if tardio:
        texto = (
            f"{sujeto} llega después del plazo de {_duracion(meses)} (vencía el {_fmt(vence)}), "
            "pero el retraso no hace perder los derechos de garantía: solo obliga a responder de "
            "los daños que el propio retraso haya causado, y se presume que el aviso fue a tiempo "
            "salvo prueba en contrario."
        )
    else:
        texto = (
            f"{sujeto} está dentro del plazo de {_duracion(meses)} desde que conoció el defecto "
            f"(vence el {_fmt(vence)}). Aun fuera de plazo no perdería sus derechos."
        )
    ev.conclude("aviso", texto, v)
    return plazo, tardio


_COVID = "rd463_2020.suspension_prescripcion"


def _prescripcion(ev: _Evaluation, repairs: list[_Suspension]) -> Plazo:
    h = ev.h
    v = ev.use("trlgdcu.prescripcion")
    meses = v.valores["meses"]
    start = h.entrega if v.valores["desde"] == "entrega" else h.fecha_descubrimiento
    origen = "la entrega" if v.valores["desde"] == "entrega" else "la manifestación del defecto"

    def run(desde: date) -> tuple[date, int, int, date]:
        """End, days added, of which 2020 suspension, and the day it would end without it.

        The 2020 suspension (a `fecha_hecho` rule) is the version in force on the day the
        period would end without it: the law then in force says which days did not count.
        """
        end_no_covid, added_rep = _run(desde, meses, repairs)
        covid_v = ev.peek(_COVID, hecho=end_no_covid, record=False)
        if covid_v is None:
            return end_no_covid, added_rep, 0, end_no_covid
        covid = _Suspension(covid_v.valores["desde"], covid_v.valores["hasta"], inclusive=True)
        end, added = _run(desde, meses, [*repairs, covid])
        return end, added, added - added_rep, end_no_covid

    vence, added, covid_days, sin_covid = run(start)
    reiniciado = None
    for d in sorted(h.interrupciones):
        if d <= vence:
            ev.use("cc.interrupcion_prescripcion", hecho=d)
            start, reiniciado = d, d
            vence, added, covid_days, sin_covid = run(d)
        else:
            ev.warn(
                f"interrupcion_tardia_{d}",
                f"La reclamación del {_fmt(d)} llegó cuando el plazo de prescripción ya había "
                "vencido, así que no lo reinicia.",
            )
    if covid_days:
        ev.use(_COVID, hecho=sin_covid)
    if repairs:
        ev.warn(
            "suspension_prescripcion_2007",
            "Punto no verificado: se ha sumado el tiempo de reparación también al plazo de "
            "prescripción, según la lectura literal del antiguo artículo sobre plazos.",
            True,
        )
    desc = f"Prescripción de la acción: {_duracion(meses)} desde {origen}"
    if reiniciado:
        desc = f"Prescripción de la acción: {_duracion(meses)} desde la reclamación recibida el {_fmt(reiniciado)}"
    plazo = ev.plazo(v, "trlgdcu.prescripcion", start, vence, desc, added)
    partes = [f"La acción para exigir la garantía prescribe el {_fmt(vence)}"]
    if reiniciado:
        partes.append(
            f"porque la reclamación que el vendedor recibió el {_fmt(reiniciado)} reinició el plazo"
        )
    if covid_days:
        partes.append(f"sumados {covid_days} días de suspensión por el estado de alarma de 2020")
    texto = ", ".join(partes) + "."
    if plazo.vencido:
        texto += (
            " Con los datos dados ese plazo ya pasó; si el vendedor recibió antes alguna "
            "reclamación suya, indíquela con --interrupcion, porque reinicia el plazo."
        )
    else:
        texto += " Una reclamación que el vendedor reciba, y que usted pueda probar, lo reinicia."
    ev.conclude("prescripcion", texto, v)
    return plazo


def _respuesta(ev: _Evaluation) -> Plazo | None:
    hipotetico = ev.reclamacion is None
    fecha = ev.reclamacion or ev.hoy  # counted from the claim (one sent today if none yet)
    v = ev.peek("trlgdcu.respuesta_reclamacion", record=False)
    if v is None:
        return None
    ev.use("trlgdcu.respuesta_reclamacion")
    if "dias" in v.valores:
        vence, dur = dates.add_days(fecha, v.valores["dias"]), _duracion(dias=v.valores["dias"])
    else:
        vence, dur = dates.add_months(fecha, v.valores["meses"]), _duracion(v.valores["meses"])
    quien = "si reclama hoy" if hipotetico else f"para la reclamación del {_fmt(fecha)}"
    plazo = ev.plazo(
        v,
        "trlgdcu.respuesta_reclamacion",
        fecha,
        vence,
        f"Respuesta del vendedor a la reclamación: {dur} ({quien})",
        hipotetico=hipotetico,
        accion=False,
    )
    ev.conclude(
        "respuesta_empresario",
        f"El vendedor debe responder a la reclamación en {dur} como máximo: "
        f"{quien}, hasta el {_fmt(vence)}.",
        v,
    )
    return plazo


def _desistimiento(ev: _Evaluation) -> Plazo | None:
    h = ev.h
    if h.canal is None:
        return None
    if h.canal == "tienda":
        v = ev.peek("trlgdcu.desistimiento_contractual")
        if v is not None:
            ev.conclude(
                "desistimiento",
                "Compra en tienda: la ley no da derecho a devolver el producto por cambiar de "
                "opinión, salvo que la tienda lo ofreciera; la garantía por defecto no depende de "
                "eso.",
                v,
            )
        return None
    v = ev.peek("trlgdcu.desistimiento_plazo")
    if v is None:
        first = ev.book.rule("trlgdcu.desistimiento_plazo").version[0]
        ev.warn(
            "desistimiento_fuera_de_ambito",
            "reclama no calcula el desistimiento de contratos anteriores al régimen de "
            f"{_duracion(dias=first.valores['dias'])}.",
        )
        return None
    recepcion = h.fecha_recepcion or h.entrega
    dias = v.valores["dias"]
    vence = dates.add_days(recepcion, dias)
    plazo = ev.plazo(
        v,
        "trlgdcu.desistimiento_plazo",
        recepcion,
        vence,
        f"Desistimiento: {_duracion(dias=dias)} naturales desde la recepción",
    )
    sin_info = ev.peek("trlgdcu.desistimiento_sin_informacion", record=False)
    extra = ""
    if sin_info is not None:
        ev.use("trlgdcu.desistimiento_sin_informacion")
        fin = dates.add_months(vence, sin_info.valores["meses"])
        extra = (
            f" Si el vendedor no le informó de este derecho, el plazo se alarga hasta el "
            f"{_fmt(fin)} ({sin_info.principal.etiqueta})."
        )
    if h.fecha_desistimiento:
        a_tiempo = h.fecha_desistimiento <= vence
        texto = (
            f"El desistimiento enviado el {_fmt(h.fecha_desistimiento)} "
            f"{'llegó a tiempo' if a_tiempo else 'se envió después del plazo'}: el plazo de "
            f"{_duracion(dias=dias)} naturales desde la recepción vencía el {_fmt(vence)}, y "
            "cuenta la fecha de envío. Una política de «solo 7 días» no lo acorta."
        )
    else:
        texto = (
            f"Por ser una compra a distancia o fuera del establecimiento puede desistir sin dar "
            f"motivos hasta el {_fmt(vence)} ({_duracion(dias=dias)} naturales desde la "
            "recepción; cuenta la fecha de envío). Una política de «solo 7 días» no lo acorta."
        )
    ev.conclude("desistimiento", texto + extra, v)
    return plazo


def _reembolso_desistimiento(ev: _Evaluation, desist: Plazo | None) -> Plazo | None:
    """Refund after a timely withdrawal, counted from the day it was sent (seller informed)."""
    sent = ev.h.fecha_desistimiento
    if desist is None or sent is None or sent > desist.vence:
        return None
    v = ev.use("trlgdcu.desistimiento_reembolso")
    dias = v.valores["dias"]
    vence = dates.add_days(sent, dias)
    ev.conclude(
        "reembolso_desistimiento",
        f"El vendedor debe devolver todo lo pagado, incluido el envío ordinario, antes del "
        f"{_fmt(vence)} ({_duracion(dias=dias)} naturales desde que conoció el desistimiento); "
        "puede esperar a recibir el producto o la prueba de su envío.",
        v,
    )
    return ev.plazo(
        v,
        "trlgdcu.desistimiento_reembolso",
        sent,
        vence,
        f"Reembolso tras el desistimiento: {_duracion(dias=dias)} naturales",
        accion=False,
    )


def _cobertura(ev: _Evaluation) -> Plazo | None:
    h = ev.h
    returned = [r.hasta for r in h.reparaciones if r.hasta is not None and r.conforme]
    if not returned:
        return None
    v = ev.use("trlgdcu.cobertura_reparacion")
    last = max(returned)
    meses = v.valores["meses"]
    vence = dates.add_months(last, meses)
    ev.conclude(
        "cobertura_reparacion",
        f"Tras la devolución del {_fmt(last)}, el vendedor responde del mismo defecto durante "
        f"{_duracion(meses)}, hasta el {_fmt(vence)}, y se presume que es el mismo si reaparece.",
        v,
    )
    return ev.plazo(
        v,
        "trlgdcu.cobertura_reparacion",
        last,
        vence,
        f"Cobertura del defecto reparado: {_duracion(meses)} desde la devolución",
        accion=False,
    )


def _remedios_admisibles(
    ev: _Evaluation, en_garantia: bool, prescrita: bool, desist: Plazo | None
) -> list[str]:
    h = ev.h
    out: list[str] = []
    if en_garantia and not prescrita:
        prim = ev.use("trlgdcu.remedios_primarios")
        out += list(prim.valores["remedios"])
        if h.segunda_mano:
            sm = ev.use("trlgdcu.sustitucion_segunda_mano")
            if sm.valores["excluida"]:
                out.remove("sustitucion")
        sub = ev.use("trlgdcu.remedios_subsidiarios")
        supuestos = [s for s in sub.valores["supuestos"] if getattr(h, s)]
        if h.grave and "grave" not in sub.valores["supuestos"]:
            ev.warn(
                "grave_sin_regla",
                "En este régimen la gravedad del defecto no permite por sí sola pedir la rebaja o "
                "la resolución: primero hay que pedir la reparación o la sustitución.",
            )
        if supuestos:
            out += [r for r in sub.valores["remedios"] if r not in out]
            if h.leve:
                esc = ev.use("trlgdcu.resolucion_escasa_importancia")
                if esc.valores["excluye"] in out:
                    out.remove(esc.valores["excluye"])
    if desist is not None:
        sent = ev.h.fecha_desistimiento or ev.hoy
        if sent <= desist.vence:
            out.append("desistimiento")
    return out


SUPUESTO_CONDICION = {
    "intento_fallido": "la reparación o sustitución falla",
    "negativa": "el vendedor se niega o no cumple en un plazo razonable",
    "grave": "la falta de conformidad es grave",
}
SUPUESTO_TEXTO = {
    "intento_fallido": "la reparación o sustitución ya falló",
    "negativa": "el vendedor se negó o no cumplió en un plazo razonable",
    "grave": "la falta de conformidad es grave",
}


def _cita(v: RuleVersion, articulo: str):
    """The citation of `v` for one article (e.g. '119 d)'), as the rule data lists it."""
    return next(c for c in v.cita if c.articulo == articulo)


def _supuesto_texto(h: Hechos, sub: RuleVersion) -> str:
    """Which listed case opens the fallback remedies, each with the article that lists it."""
    pairs = zip(sub.valores["supuestos"], sub.valores["articulos_supuestos"], strict=True)
    return "; ".join(
        f"{SUPUESTO_TEXTO[s]} ({_cita(sub, a).etiqueta})" for s, a in pairs if getattr(h, s)
    )


def _remedio(
    ev: _Evaluation, admisibles: list[str], en_garantia: bool, prescrita: bool, plazos: dict
) -> RemedioEvaluado:
    h = ev.h
    pedido = h.remedio
    nombre = REMEDIO_NOMBRE[pedido]
    ok = pedido in admisibles
    v = None
    if pedido == "desistimiento":
        d = plazos["desistimiento"]
        v = ev.use("trlgdcu.desistimiento_plazo")
        if ok:
            motivo = f"Puede desistir: el plazo vence el {_fmt(d.vence)} ({v.principal.etiqueta})."
        else:
            motivo = f"El plazo de desistimiento venció el {_fmt(d.vence)} ({v.principal.etiqueta}); queda la garantía si el producto es defectuoso."
    elif not en_garantia:
        g = plazos["garantia"]
        v = ev.use("trlgdcu.garantia_plazo")
        motivo = (
            f"No puede exigirse {nombre} por la garantía legal: el defecto apareció después del "
            f"{_fmt(g.vence)} ({g.articulo})."
        )
    elif prescrita:
        p = plazos["prescripcion"]
        v = ev.use("trlgdcu.prescripcion")
        motivo = (
            f"Con los datos dados la acción prescribió el {_fmt(p.vence)} ({p.articulo}); si el "
            "vendedor recibió antes una reclamación suya, indíquela con --interrupcion."
        )
    elif pedido in ev.use("trlgdcu.remedios_primarios").valores["remedios"]:
        # The first tier, as the rule lists it (already applied for the admissible list).
        v = prim = ev.use("trlgdcu.remedios_primarios")
        if ok:
            motivo = (
                f"Puede exigir {nombre}: elegir entre reparación y sustitución le corresponde a "
                f"usted, salvo que sea imposible o desproporcionada ({prim.principal.etiqueta}); "
                "debe ser gratuita y en un plazo razonable."
            )
        else:
            v = sm = ev.use("trlgdcu.sustitucion_segunda_mano")
            motivo = (
                f"No puede exigirse la sustitución de un producto de segunda mano "
                f"({sm.principal.etiqueta}); pida la reparación."
            )
    else:
        v = sub = ev.use("trlgdcu.remedios_subsidiarios")
        if ok:
            motivo = (
                f"Puede exigir {nombre}: {_supuesto_texto(h, sub)}, lo que abre la rebaja o la "
                "resolución."
            )
        elif pedido == "resolucion" and "rebaja" in admisibles:
            v = esc = ev.use("trlgdcu.resolucion_escasa_importancia")
            motivo = (
                "La resolución no procede para un defecto de escasa importancia "
                f"({esc.principal.etiqueta}); puede pedir la rebaja del precio."
            )
        else:
            pairs = zip(sub.valores["supuestos"], sub.valores["articulos_supuestos"], strict=True)
            casos = "; ".join(f"{SUPUESTO_CONDICION[s]} ({_cita(sub, a).etiqueta})" for s, a in pairs)
            prim = ev.use("trlgdcu.remedios_primarios")
            primero = " o ".join(REMEDIO_NOMBRE[r] for r in prim.valores["remedios"])
            motivo = (
                f"Todavía no puede exigirse {nombre}: primero hay que pedir {primero}; la rebaja "
                f"o la resolución proceden solo si {casos}."
            )
    ev.conclude("remedio", motivo, v)
    return RemedioEvaluado(solicitado=pedido, admisible=ok, motivo=motivo)
