"""Evaluation: apply the rule versions in force to the facts of one purchase.

Every number comes from legal_rules/ (through RuleBook); every rule used is
recorded as a `Fundamento` so the answer, the letter and the JSON cite exactly
what was applied. Pure: "today" is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from reclama import dates
from reclama.errors import InputError
from reclama.facts import Hechos, check_facts
from reclama.rules import Fechas, RuleBook, RulesError, RuleVersion, load_rules
from reclama.via_judicial import ViaJudicial, resolucion, via_judicial

SCHEMA_VERSION = 3  # 2: each Plazo carries its `derivacion`; 3: `indicar` in conclusions and remedy
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
    "presuncion_sustituto",
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


class Paso(_Out):
    """One step of how a date was computed: the base rule, or one adjustment with its rule."""

    texto: str
    articulo: str
    regla: str
    dias: int = 0  # days this step added (0 for the base rule or a shortening agreement)
    desde: date | None = None
    hasta: date | None = None


class Plazo(_Out):
    """One deadline: when it ends, how many days are left, and the article that sets it.

    `derivacion` lists how the date was reached, base rule first, then each adjustment
    (repair suspensions, a second-hand agreement, a received claim that restarted it, the
    2020 suspension), so that every output can say why the date is what it is.
    """

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
    derivacion: list[Paso] = []  # not default_factory: see caso.py on start-up cost


class RemedioEvaluado(_Out):
    solicitado: str
    admisible: bool
    motivo: str
    # When it is not admissible: not yet (a fallback not open yet), no longer (a deadline
    # passed or the right was used) or not at all (excluded by the law).
    disponible: Literal["ahora", "todavia_no", "ya_no", "no"] = "ahora"
    # Facts (case-file keys) the reason asks to indicate, because they could change it.
    indicar: tuple[str, ...] = ()


class Conclusion(_Out):
    """One sentence a lawyer would say, with the article behind it."""

    tema: str
    texto: str
    articulo: str
    # Facts (case-file keys) the sentence asks to indicate; the command line names the flag.
    indicar: tuple[str, ...] = ()


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
    # Facts (case-file keys) the warning asks to indicate; the command line names the flag.
    indicar: tuple[str, ...] = ()


class OtraLectura(_Out):
    """The answer under another reasonable reading of an unsettled point, when it differs."""

    motivo: Literal["regimen", "covid_garantia"]
    en_garantia: bool
    prescrita: bool
    remedios_admisibles: list[str]
    remedio_admisible: bool | None
    actuar_hasta: date | None
    favorable: bool  # this reading is the more favourable one to the consumer
    texto: str


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
    # The verdict under the other reading of an unverified point, when it changes the answer.
    otra_lectura: OtraLectura | None = None
    # When the prior claim lets the consumer sue (LO 1/2025); None for dates before it.
    via_judicial: ViaJudicial | None = None

    @property
    def exigible(self) -> bool:
        """The claim can be made now: inside the guarantee, not time-barred, and the remedy
        asked (when one is) can be demanded. A property, so `comprobar --json` stays as it is."""
        ok = self.en_garantia and not self.prescrita
        if self.remedio is not None:
            ok = ok and self.remedio.admisible
        return ok


@dataclass(frozen=True)
class _Suspension:
    desde: date
    hasta: date
    inclusive: bool  # covid: both ends suspended; repairs: handover-to-return difference
    paso: Paso | None = None  # how the derivation names it (its rule and article)

    def span(self, start: date) -> tuple[date, date] | None:
        """The suspended days after `start`, as an inclusive interval (None when there are none).

        Covid suspended both ends; a repair suspends the days after the handover up to the
        return, so its length is the handover-to-return difference.
        """
        first = self.desde if self.inclusive else self.desde + timedelta(days=1)
        first = max(first, start + timedelta(days=1))
        return (first, self.hasta) if first <= self.hasta else None

    def days_after(self, start: date) -> int:
        span = self.span(start)
        return (span[1] - span[0]).days + 1 if span else 0


def _new_days(span: tuple[date, date], counted: list[tuple[date, date]]) -> int:
    """Days of `span` not already in `counted`: a day suspended twice still adds one day."""
    a, b = span
    days = (b - a).days + 1
    for c, d in _merged(counted):
        lo, hi = max(a, c), min(b, d)
        if lo <= hi:
            days -= (hi - lo).days + 1
    return days


def _merged(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _run(
    start: date, months: int, suspensions: list[_Suspension], pasos: list[Paso] | None = None
) -> tuple[date, int]:
    """End of a month-based period from `start`, lengthened by the suspensions it lives through.

    Overlapping suspensions (a repair during the 2020 state of alarm, two repairs recorded
    over the same days) lengthen it once per suspended day, not once per suspension.
    Each suspension that adds days is recorded in `pasos` (when given) with its days.
    """
    end = dates.add_months(start, months)
    added = 0
    counted: list[tuple[date, date]] = []
    for s in sorted(suspensions, key=lambda s: s.desde):
        if s.desde > end or s.hasta <= start:
            continue
        span = s.span(start)
        if span is None:
            continue
        extra = _new_days(span, counted)
        counted.append(span)
        end = dates.add_days(end, extra)
        added += extra
        if pasos is not None and s.paso is not None and extra:
            pasos.append(s.paso.model_copy(update={"dias": extra}))
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
        self.lectura: str | None = None
        # Set when the alternative reading of the 2020 suspension would save the window.
        self.ventana_covid: date | None = None
        # Why there is no withdrawal although the channel gives one (trlgdcu.desistimiento_digital).
        self.sin_desistimiento: str | None = None

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
                self.warn(
                    f"no_verificado:{rule_id}", f"Punto no verificado: {v.no_verificado}", True
                )
        return v

    def warn(
        self, codigo: str, texto: str, no_verificado: bool = False, indicar: tuple[str, ...] = ()
    ) -> None:
        if all(a.codigo != codigo for a in self.avisos):
            self.avisos.append(
                Aviso(codigo=codigo, texto=texto, no_verificado=no_verificado, indicar=indicar)
            )

    def conclude(
        self,
        tema: str,
        texto: str,
        v: RuleVersion | None,
        cita: str | None = None,
        indicar: tuple[str, ...] = (),
    ) -> None:
        """One conclusion; `cita` names the article of `v` it rests on (default: the first).

        `indicar` names the facts (case-file keys) the text asks to indicate: the front end
        says how (a flag, a file field, a column); the engine does not know.
        """
        articulo = "" if v is None else (_cita(v, cita) if cita else v.principal).etiqueta
        self.conclusiones.append(
            Conclusion(tema=tema, texto=texto, articulo=articulo, indicar=indicar)
        )

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
        pasos: list[Paso] | None = None,
    ) -> Plazo:
        """A deadline; `accion` marks one the consumer must act by (weekend warning applies).

        Its derivation is the base rule (`descripcion`, from `desde`) and then `pasos`.
        """
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
            # A deadline that is today is alive all day: never advise a day already past.
            actuar_antes_de=max(dates.previous_working_day(vence), self.hoy)
            if weekend and accion
            else None,
            hipotetico=hipotetico,
            no_verificado=v.no_verificado,
            derivacion=[
                Paso(texto=descripcion, articulo=v.principal.etiqueta, regla=rule_id, desde=desde),
                *(pasos or []),
            ],
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
    res = _evaluate(h, hoy, book, None)
    return _with_other_reading(res, h, hoy, book)


def _evaluate(h: Hechos, hoy: date, book: RuleBook, lectura: str | None) -> Resultado:
    """One evaluation; `lectura` names the other reading of an unsettled point, if asked.

    "regimen": a contract of before the new regime delivered after it, read under the
    regime of the delivery date; "covid_garantia": the 2020 suspension applied also to the
    guarantee window.
    """
    ev = _Evaluation(h, hoy, book)
    ev.lectura = lectura

    reg_v = ev.peek("trlgdcu.regimen", record=False)
    if reg_v is None:
        first = book.rule("trlgdcu.regimen").version[0].valido_desde
        raise InputError(
            "compra.fecha",
            f"reclama solo cubre contratos celebrados desde el {_fmt(first)}; "
            "consulte a un profesional para compras anteriores",
        )
    ev.regimen = reg_v.valores["regimen"]
    ev.use("trlgdcu.regimen")
    ev.use("trlgdcu.responsable_vendedor")
    regimen_incierto = _regime(ev)
    if lectura == "regimen":
        # The rules of the delivery date's regime: versions are picked by that date.
        ev.fechas = {**ev.fechas, "fecha_contrato": h.entrega}
        ev.regimen = ev.peek("trlgdcu.regimen", record=False).valores["regimen"]

    entrega = h.entrega
    susp_v = ev.use("trlgdcu.suspension_reparacion") if h.reparaciones else None
    repairs = [
        _Suspension(
            r.desde,
            r.hasta or hoy,
            inclusive=False,
            paso=Paso(
                texto=(
                    f"Suspendido mientras el producto estuvo en manos del vendedor para su "
                    f"reparación o sustitución (del {_fmt(r.desde)} "
                    + (f"al {_fmt(r.hasta)})" if r.hasta else "hasta hoy, sin devolver)")
                ),
                articulo=susp_v.principal.etiqueta,
                regla="trlgdcu.suspension_reparacion",
                desde=r.desde,
                hasta=r.hasta or hoy,
            )
            if susp_v
            else None,
        )
        for r in h.reparaciones
    ]
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
    plazos["presuncion_sustituto"] = _presuncion_sustituto(ev)

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
    pasos: list[Paso] = []
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
            _pacto_inferior_minimo(ev, v, pactada, minimo, meses, repairs)
            pasos.append(
                Paso(
                    texto=(
                        f"El pacto de {_duracion(pactada)} baja del mínimo legal y no vincula: "
                        f"se aplica el plazo entero de {_duracion(meses)}"
                    ),
                    articulo=v.cita[-1].etiqueta,
                    regla="trlgdcu.garantia_plazo",
                )
            )
        elif pactada < meses:
            pasos.append(
                Paso(
                    texto=(
                        f"Bien de segunda mano: plazo pactado de {_duracion(pactada)} en lugar de "
                        f"{_duracion(meses)}"
                    ),
                    articulo=v.cita[-1].etiqueta,
                    regla="trlgdcu.garantia_plazo",
                )
            )
            meses = pactada
            ev.warn(
                "pacto_segunda_mano",
                f"Se aplica el plazo pactado de {_duracion(pactada)} para un bien de segunda "
                f"mano, que solo vale si se pactó de forma expresa ({v.cita[-1].etiqueta}).",
            )
    suministro = _suministro_continuo(ev, "garantia", repairs)
    if suministro is not None:
        return suministro
    vence, added = _run(h.entrega, meses, repairs, pasos)
    _ventana_covid(ev, meses, repairs, vence)
    if ev.ventana_covid is not None and ev.lectura is None:
        ev.use(_COVID, hecho=vence)
        ev.warn(
            "ventana_covid",
            f"Punto no verificado: el defecto apareció el {_fmt(h.fecha_descubrimiento)}, después "
            f"del fin de la garantía ({_fmt(vence)}) pero antes del {_fmt(ev.ventana_covid)}, "
            "fecha en que acabaría si la suspensión de 2020 se aplicara también a este plazo.",
            True,
        )
    if ev.lectura == "covid_garantia" and ev.ventana_covid is not None:
        added += (ev.ventana_covid - vence).days
        vence = ev.ventana_covid
    return ev.plazo(
        v,
        "trlgdcu.garantia_plazo",
        h.entrega,
        vence,
        f"Garantía legal: {_duracion(meses)} {objeto}",
        added,
        accion=False,
        pasos=pasos,
    )


def _pacto_inferior_minimo(
    ev: _Evaluation, v: RuleVersion, pactada: int, minimo: int, meses: int, repairs: list
) -> None:
    """A second-hand pact below the minimum: the stronger reading voids it (full period).

    Both results are shown, the other one as an unverified point, never as certain.
    """
    h = ev.h
    ev.use("trlgdcu.renuncia_nula")
    pv = ev.use("trlgdcu.pacto_inferior_minimo")
    completo, _ = _run(h.entrega, meses, repairs)
    reducido, _ = _run(h.entrega, minimo, repairs)
    ev.warn(
        "pacto_inferior_minimo",
        f"El pacto de {_duracion(pactada)} baja del mínimo de {_duracion(minimo)} desde la "
        f"entrega ({_cita(pv, pv.cita[-1].articulo).etiqueta}), así que no vincula al "
        f"consumidor. Se aplica el plazo legal entero, {_duracion(meses)}, hasta el "
        f"{_fmt(completo)}, porque la cláusula es nula ({pv.principal.etiqueta}); con la "
        f"lectura menos favorable regiría el mínimo, hasta el {_fmt(reducido)}.",
        True,
    )


def _suministro_continuo(ev: _Evaluation, cual: str, repairs: list) -> Plazo | None:
    """Continuous digital supply (arts. 120.2, 121.2): liability and burden last the supply."""
    h = ev.h
    if h.suministro_hasta is None:
        return None
    v = ev.peek("trlgdcu.suministro_continuo")
    if v is None:
        ev.warn(
            "suministro_continuo_2007",
            "Punto no verificado: el régimen de este contrato no tiene regla propia para el "
            "suministro continuo de contenidos o servicios digitales; se aplica el plazo general.",
            True,
        )
        return None
    spans = [sp for s in repairs if s.desde <= h.suministro_hasta if (sp := s.span(h.entrega))]
    extra = sum((b - a).days + 1 for a, b in _merged(spans))
    vence = dates.add_days(h.suministro_hasta, extra)
    if cual == "garantia":
        desc = "Garantía legal: todo el período de suministro"
    else:
        desc = "Carga de la prueba del empresario: todo el período de suministro"
    plazo = ev.plazo(v, "trlgdcu.suministro_continuo", h.entrega, vence, desc, extra, accion=False)
    if cual == "garantia":
        ev.conclude(
            "suministro_continuo",
            f"El contrato prevé un suministro continuo hasta el {_fmt(h.suministro_hasta)}: el "
            "empresario responde de cualquier falta de conformidad que se produzca o manifieste "
            "mientras dura, y es él quien debe probar que el contenido o servicio era conforme.",
            v,
        )
    if cual == "presuncion":
        plazo = plazo.model_copy(update={"articulo": _cita(v, "121.2").etiqueta})
    return plazo


def _ventana_covid(ev: _Evaluation, meses: int, repairs: list, vence: date) -> None:
    """The 2020 suspension applied to the guarantee window (debatable): note when it matters.

    Only when the defect appeared after the window's end and within the suspended days does
    the reading decide the answer; then `ev.ventana_covid` holds the window's other end.
    """
    h = ev.h
    covid_v = ev.peek(_COVID, hecho=vence, record=False)
    if covid_v is None:
        return
    covid = _Suspension(covid_v.valores["desde"], covid_v.valores["hasta"], inclusive=True)
    otra, _ = _run(h.entrega, meses, [*repairs, covid])
    if vence < h.fecha_descubrimiento <= otra:
        ev.ventana_covid = otra


def _presuncion(ev: _Evaluation, repairs: list[_Suspension]) -> Plazo:
    h = ev.h
    v = ev.use("trlgdcu.presuncion")
    suministro = _suministro_continuo(ev, "presuncion", repairs)
    if suministro is not None:
        return suministro
    meses = v.valores["meses_bienes"]
    if h.digital and "meses_digital" in v.valores:
        meses = v.valores["meses_digital"]
    pasos: list[Paso] = []
    vence, added = _run(h.entrega, meses, repairs, pasos)
    return ev.plazo(
        v,
        "trlgdcu.presuncion",
        h.entrega,
        vence,
        f"Presunción de que el defecto ya existía en la entrega: {_duracion(meses)}",
        added,
        accion=False,
        pasos=pasos,
    )


def _conclude_guarantee(ev: _Evaluation, plazos: dict, en_garantia: bool, carga: str) -> None:
    h = ev.h
    g, p = plazos["garantia"], plazos["presuncion"]
    gv = ev.use("trlgdcu.garantia_plazo")
    pv = ev.use("trlgdcu.presuncion")
    indicar: tuple[str, ...] = ()
    if en_garantia:
        texto = (
            f"El defecto apareció el {_fmt(h.fecha_descubrimiento)}, dentro de la garantía legal, "
            f"que vence el {_fmt(g.vence)}; cuenta la fecha en que apareció, no la de la reclamación."
        )
    else:
        texto = (
            f"El defecto apareció el {_fmt(h.fecha_descubrimiento)}, después de que terminara la "
            f"garantía legal el {_fmt(g.vence)}; queda revisar si hay garantía comercial o si "
            "alguna reparación suspendió el plazo (indíquela)."
        )
        indicar = (_REPARACIONES,)
    ev.conclude("garantia", texto, gv, indicar=indicar)
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
# The facts the conclusions ask to indicate when they could change the answer (case-file keys).
_REPARACIONES = "reclamacion.reparaciones"
_INTERRUPCIONES = "reclamacion.interrupciones"
_SIN_INFORMACION = "compra.sin_informacion_desistimiento"


def _prescripcion(ev: _Evaluation, repairs: list[_Suspension]) -> Plazo:
    h = ev.h
    v = ev.use("trlgdcu.prescripcion")
    meses = v.valores["meses"]
    start = h.entrega if v.valores["desde"] == "entrega" else h.fecha_descubrimiento
    origen = "la entrega" if v.valores["desde"] == "entrega" else "la manifestación del defecto"

    suspensiones: list[Paso] = []

    def run(desde: date) -> tuple[date, int, int, date]:
        """End, days added, of which 2020 suspension, and the day it would end without it.

        The 2020 suspension (a `fecha_hecho` rule) is the version in force on the day the
        period would end without it: the law then in force says which days did not count.
        The suspensions this run lived through are left in `suspensiones`.
        """
        suspensiones.clear()
        end_no_covid, added_rep = _run(desde, meses, repairs)
        covid_v = ev.peek(_COVID, hecho=end_no_covid, record=False)
        if covid_v is None:
            _run(desde, meses, repairs, suspensiones)
            return end_no_covid, added_rep, 0, end_no_covid
        desde_c, hasta_c = covid_v.valores["desde"], covid_v.valores["hasta"]
        paso = Paso(
            texto=f"Suspensión de los plazos de prescripción por el estado de alarma de 2020 (del {_fmt(desde_c)} al {_fmt(hasta_c)})",
            articulo=covid_v.principal.etiqueta,
            regla=_COVID,
            desde=desde_c,
            hasta=hasta_c,
        )
        covid = _Suspension(desde_c, hasta_c, inclusive=True, paso=paso)
        end, added = _run(desde, meses, [*repairs, covid], suspensiones)
        return end, added, added - added_rep, end_no_covid

    vence, added, covid_days, sin_covid = run(start)
    derivadas = _interrupciones_derivadas(h)
    sin_derivadas = vence
    for d in sorted(h.interrupciones):  # the end without the interpreted interruptions
        if d <= sin_derivadas:
            sin_derivadas = run(d)[0]
    reiniciado = None
    reinicios: list[Paso] = []
    for d in sorted(set(h.interrupciones) | set(derivadas)):
        if d <= vence:
            iv = ev.use("cc.interrupcion_prescripcion", hecho=d)
            if d in derivadas and d not in h.interrupciones:
                ev.use("cc.reconocimiento_deuda", hecho=d)
                ev.warn(f"interrupcion_derivada_{d}", derivadas[d])
            reinicios.append(
                Paso(
                    texto=f"La reclamación recibida el {_fmt(d)} interrumpió la prescripción: el plazo vuelve a contar entero desde ese día",
                    articulo=iv.principal.etiqueta,
                    regla="cc.interrupcion_prescripcion",
                    desde=d,
                )
            )
            start, reiniciado = d, d
            vence, added, covid_days, sin_covid = run(d)
        else:
            ev.warn(
                f"interrupcion_tardia_{d}",
                f"La reclamación del {_fmt(d)} llegó cuando el plazo de prescripción ya había "
                "vencido, así que no lo reinicia.",
            )
    if sin_derivadas != vence:
        ev.warn(
            "prescripcion_sin_derivadas",
            f"Si no se admitiera que esa conducta del vendedor interrumpe la prescripción, "
            f"vencería el {_fmt(sin_derivadas)}: por prudencia, no espere a esa fecha.",
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
    base = f"Prescripción de la acción: {_duracion(meses)} desde {origen}"
    plazo = ev.plazo(
        v, "trlgdcu.prescripcion", start, vence, base, added, pasos=[*reinicios, *suspensiones]
    )
    plazo = plazo.model_copy(update={"descripcion": desc})
    intr = (
        ev.peek("cc.interrupcion_prescripcion", hecho=reiniciado, record=False)
        if reiniciado
        else None
    )
    if reiniciado and intr is not None:
        # The period is the TRLGDCU's; its restart is the Civil Code's (art. 1973).
        plazo = plazo.model_copy(
            update={"articulo": f"{plazo.articulo}; {intr.principal.etiqueta}"}
        )
    partes = [f"La acción para exigir la garantía prescribe el {_fmt(vence)}"]
    if reiniciado:
        partes.append(
            f"porque la reclamación que el vendedor recibió el {_fmt(reiniciado)} reinició el plazo"
        )
    if covid_days:
        partes.append(f"sumados {covid_days} días de suspensión por el estado de alarma de 2020")
    texto = ", ".join(partes) + "."
    indicar: tuple[str, ...] = ()
    if plazo.vencido:
        texto += (
            " Con los datos dados ese plazo ya pasó; si el vendedor recibió antes alguna "
            "reclamación suya, indíquela, porque reinicia el plazo."
        )
        indicar = (_INTERRUPCIONES,)
    else:
        texto += " Una reclamación que el vendedor reciba, y que usted pueda probar, lo reinicia."
    if reiniciado and intr is not None:
        ev.conclude("prescripcion", texto, intr, indicar=indicar)
    else:
        ev.conclude("prescripcion", texto, v, indicar=indicar)
    return plazo


def _interrupciones_derivadas(h: Hechos) -> dict[date, str]:
    """Claims whose receipt the seller's own conduct shows, and its acts of acknowledgement.

    A seller that answered the notice, or took the goods for repair after it, received it:
    the first notice then counts as a received claim. Taking the goods for repair is itself
    an act of acknowledgement (CC art. 1973). Both are interpretation (rule data says so).
    """
    out: dict[date, str] = {}
    repairs = [r for r in h.reparaciones if not r.sustitucion]
    if h.fecha_aviso is not None:
        por = []
        if h.respuesta_vendedor:
            por.append("le contestó")
        if any(r.desde >= h.fecha_aviso for r in repairs):
            por.append("recogió el producto para repararlo")
        if por:
            out[h.fecha_aviso] = (
                f"El aviso del {_fmt(h.fecha_aviso)} cuenta como reclamación recibida porque el "
                f"vendedor {' y '.join(por)}, lo que muestra que lo recibió."
            )
    for r in repairs:
        out.setdefault(
            r.desde,
            f"El vendedor recogió el producto para repararlo el {_fmt(r.desde)}: eso reconoce "
            "su obligación e interrumpe la prescripción.",
        )
    return out


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
    dias = v.valores["dias"]
    sin_soporte = h.digital and not h.soporte_material
    if sin_soporte:
        dv = ev.use("trlgdcu.desistimiento_digital")
        if h.ejecucion_consentida:
            ev.sin_desistimiento = (
                "Ya no cabe el desistimiento: el suministro del contenido digital empezó con su "
                "consentimiento previo y sabiendo que así lo perdía "
                f"({_cita(dv, '103 m)').etiqueta})."
            )
            ev.conclude("desistimiento", ev.sin_desistimiento, dv, "103 m)")
            return None
        inicio, origen = h.fecha_compra, "la celebración del contrato"
        objeto = "el contenido o servicio digital"
    else:
        inicio, origen = h.fecha_recepcion or h.entrega, "la recepción"
        objeto = "el producto"
    vence = dates.add_days(inicio, dias)
    pv, desc = v, f"Desistimiento: {_duracion(dias=dias)} naturales desde {origen}"
    sin_info = ev.peek("trlgdcu.desistimiento_sin_informacion", record=False)
    extra = ""
    indicar: tuple[str, ...] = ()
    if sin_info is not None:
        ev.use("trlgdcu.desistimiento_sin_informacion")
        fin = dates.add_months(vence, sin_info.valores["meses"])
        if h.sin_informacion_desistimiento:
            extra = (
                f" Como el vendedor no le informó de este derecho, el plazo inicial, que acababa "
                f"el {_fmt(vence)}, se alarga {_duracion(sin_info.valores['meses'])}: hasta el "
                f"{_fmt(fin)}."
            )
            vence, pv = fin, sin_info
            desc += f", ampliado {_duracion(sin_info.valores['meses'])} por falta de información"
        else:
            extra = (
                f" Si el vendedor no le informó de este derecho, el plazo se alarga hasta el "
                f"{_fmt(fin)} ({sin_info.principal.etiqueta}); indíquelo."
            )
            indicar = (_SIN_INFORMACION,)
    if sin_soporte:
        extra += " No hay nada que devolver: basta con comunicar la decisión."
    plazo = ev.plazo(pv, "trlgdcu.desistimiento_plazo", inicio, vence, desc)
    fin_ue = _fin_desistimiento_ue(ev, vence)
    if h.fecha_desistimiento:
        a_tiempo = h.fecha_desistimiento <= vence
        if a_tiempo:
            como = "llegó a tiempo"
        elif fin_ue is not None and h.fecha_desistimiento <= fin_ue:
            como = "se envió después del último día según el cómputo civil (véase la otra lectura)"
        else:
            como = "se envió después del plazo"
        texto = (
            f"El desistimiento enviado el {_fmt(h.fecha_desistimiento)} {como}: el plazo "
            f"vencía el {_fmt(vence)} ({desc[len('Desistimiento: ') :]}), y cuenta la fecha de "
            "envío, no la de recepción. Una política de «solo 7 días» no lo acorta."
        )
    else:
        texto = (
            f"Por ser una compra a distancia o fuera del establecimiento puede desistir de "
            f"{objeto} sin dar motivos hasta el {_fmt(vence)} ({_duracion(dias=dias)} naturales "
            f"desde {origen}; cuenta la fecha de envío de su comunicación). Una política de "
            "«solo 7 días» no lo acorta."
        )
    ev.conclude("desistimiento", texto + extra, v, "106.2", indicar=indicar)
    if sin_soporte:
        cita = "104 a)" if h.fecha_compra == inicio else "104 c)"
        ev.conclude(
            "desistimiento_inicio",
            f"En un contrato de contenido o servicio digital sin soporte material el plazo cuenta "
            f"desde la celebración del contrato ({_cita(dv, '104 a)').etiqueta} y "
            f"{_cita(dv, '104 c)').etiqueta}), no desde ninguna entrega.",
            dv,
            cita,
        )
    if fin_ue is not None:
        _desistimiento_dia_inhabil(ev, vence, fin_ue)
    if h.fecha_conserva is not None:
        ev.conclude(
            "desistimiento",
            f"El {_fmt(h.fecha_conserva)} usted decidió conservar {objeto} tras desistir: el "
            "desistimiento queda sin efecto y el contrato sigue, con su garantía legal.",
            v,
        )
    return plazo


def _fin_desistimiento_ue(ev: _Evaluation, vence: date) -> date | None:
    """The next working day, when the withdrawal period ends on a Saturday, Sunday or holiday.

    That is where the EU reading (Reg. 1182/71 art. 3.4, rule data) would end it; the
    civil reading does not extend it. Holidays (national, and regional with `comunidad`)
    are looked up only when the withdrawal is late, the one case where they decide.
    """
    late = (ev.h.fecha_desistimiento or ev.hoy) > vence

    def inhabil(d: date) -> bool:
        if dates.is_weekend(d):
            return True
        if not late:
            return False
        from reclama.habiles import festivo

        return festivo(d, ev.h.comunidad) is not None

    if not inhabil(vence):
        return None
    d = vence
    while inhabil(d):
        d = dates.add_days(d, 1)
    return d


def _desistimiento_dia_inhabil(ev: _Evaluation, vence: date, fin_ue: date) -> None:
    """Flag the EU reading only where it decides the answer, and give both answers."""
    h = ev.h
    sent = h.fecha_desistimiento
    if sent is not None and vence < sent <= fin_ue:
        cual = f"El desistimiento enviado el {_fmt(sent)}"
    elif sent is None and vence < ev.hoy <= fin_ue:
        cual = "Un desistimiento enviado hoy"
    else:
        return
    v = ev.use("trlgdcu.desistimiento_dia_inhabil", hecho=vence)
    ev.conclude(
        "desistimiento_dia_inhabil",
        f"El plazo de desistimiento acababa el {_fmt(vence)}, {_inhabil(ev, vence)}. {cual} llega "
        f"tarde según el cómputo civil, que no prorroga el plazo ({v.principal.etiqueta}), y a "
        f"tiempo según la lectura europea, que lo lleva al siguiente día hábil, el "
        f"{_fmt(fin_ue)}. Es un punto no verificado: reclama aplica la lectura más favorable "
        "para usted, pero si aún puede, no apure el plazo.",
        v,
    )


def _inhabil(ev: _Evaluation, d: date) -> str:
    """Why `d` is not a working day, in words."""
    if dates.is_weekend(d):
        return "en fin de semana"
    from reclama.habiles import festivo

    return f"festivo ({festivo(d, ev.h.comunidad)})"


def _desistimiento_a_tiempo(ev: _Evaluation, desist: Plazo | None) -> bool:
    """Sent (or sendable today) in time, under the more favourable reading of a weekend end."""
    if desist is None:
        return False
    sent = ev.h.fecha_desistimiento or ev.hoy
    fin = _fin_desistimiento_ue(ev, desist.vence) or desist.vence
    return sent <= fin


def _reembolso_desistimiento(ev: _Evaluation, desist: Plazo | None) -> Plazo | None:
    """Refund after a timely withdrawal, counted from the day it was sent (seller informed)."""
    sent = ev.h.fecha_desistimiento
    if sent is None or ev.h.fecha_conserva is not None or not _desistimiento_a_tiempo(ev, desist):
        return None
    v = ev.use("trlgdcu.desistimiento_reembolso")
    dias = v.valores["dias"]
    vence = dates.add_days(sent, dias)
    bienes = not (ev.h.digital and not ev.h.soporte_material)  # nothing to send back otherwise
    _envio = ", incluido el envío ordinario," if bienes else ""
    _espera = "; puede esperar a recibir el producto o la prueba de su envío" if bienes else ""
    ev.conclude(
        "reembolso_desistimiento",
        f"El vendedor debe devolver todo lo pagado{_envio} antes del {_fmt(vence)} "
        f"({_duracion(dias=dias)} naturales desde que conoció el desistimiento){_espera}.",
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
    # A withdrawal already sent (or given up by keeping the goods) is no longer to demand.
    if h.fecha_desistimiento is None and _desistimiento_a_tiempo(ev, desist):
        out.append("desistimiento")
    return out


SUPUESTO_CONDICION = {
    "plazo_razonable": "el vendedor no la realiza en un plazo razonable",
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
    fallidas = [r for r in h.reparaciones if r.hasta is not None and not r.conforme]
    if fallidas and max(fallidas, key=lambda r: r.hasta).sustitucion:
        # A failed replacement opens the fallback by its own letter (old 120 f).
        sust = sub.valores["articulo_reemplazo_fallido"]
        pairs = [(s, sust if s == "intento_fallido" else a) for s, a in pairs]
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
    disponible = "ahora"
    indicar: tuple[str, ...] = ()
    if pedido == "desistimiento":
        ok, disponible, motivo, v, indicar = _remedio_desistimiento(ev, plazos["desistimiento"])
    elif not en_garantia:
        disponible = "ya_no"
        g = plazos["garantia"]
        v = ev.use("trlgdcu.garantia_plazo")
        motivo = (
            f"No puede exigirse {nombre} por la garantía legal: el defecto apareció después del "
            f"{_fmt(g.vence)} ({g.articulo})."
        )
    elif prescrita:
        disponible = "ya_no"
        p = plazos["prescripcion"]
        v = ev.use("trlgdcu.prescripcion")
        motivo = (
            f"Con los datos dados la acción prescribió el {_fmt(p.vence)} ({p.articulo}); si el "
            "vendedor recibió antes una reclamación suya, indíquela."
        )
        indicar = (_INTERRUPCIONES,)
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
            disponible = "no"
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
            disponible = "no"
            v = esc = ev.use("trlgdcu.resolucion_escasa_importancia")
            motivo = (
                "La resolución no procede para un defecto de escasa importancia "
                f"({esc.principal.etiqueta}); puede pedir la rebaja del precio."
            )
        else:
            disponible = "todavia_no"
            prim = ev.use("trlgdcu.remedios_primarios")
            primero = " o ".join(REMEDIO_NOMBRE[r] for r in prim.valores["remedios"])
            motivo = (
                f"Todavía no puede exigirse {nombre}: primero hay que pedir {primero}; la rebaja "
                f"o la resolución se abren si {_casos_pendientes(h, sub)}."
            )
    if ok:
        disponible = "ahora"
    if all(
        c.texto != motivo for c in ev.conclusiones
    ):  # e.g. the digital-supply exception, said once
        ev.conclude("remedio", motivo, v, indicar=indicar)
    return RemedioEvaluado(
        solicitado=pedido, admisible=ok, motivo=motivo, disponible=disponible, indicar=indicar
    )


def _casos_pendientes(h: Hechos, sub: RuleVersion) -> str:
    """The cases that could still open the fallback, those the facts point at first.

    A repair under way points at its failure and at the reasonable time (119 d, b);
    an answer from the seller at its refusal (119 f); the serious defect comes last.
    """
    razonable = sub.valores["articulo_plazo_razonable"]
    casos = [("plazo_razonable", razonable)]
    casos += list(zip(sub.valores["supuestos"], sub.valores["articulos_supuestos"], strict=True))
    if any(r.sustitucion for r in h.reparaciones):
        casos = [
            (s, sub.valores["articulo_reemplazo_fallido"] if s == "intento_fallido" else a)
            for s, a in casos
        ]
    peso = {"intento_fallido": 0 if h.reparaciones else 2, "plazo_razonable": 1}
    peso["negativa"] = 0 if h.respuesta_vendedor else 2
    peso["grave"] = 3
    casos.sort(key=lambda c: peso[c[0]])
    seen: set[str] = set()
    partes = []
    for s, a in casos:
        etiqueta = _cita(sub, a).etiqueta
        texto = SUPUESTO_CONDICION[s]
        if (texto, etiqueta) not in seen:
            seen.add((texto, etiqueta))
            partes.append(f"{texto} ({etiqueta})")
    return "; ".join(partes)


def _remedio_desistimiento(
    ev: _Evaluation, d: Plazo | None
) -> tuple[bool, str, str, RuleVersion | None, tuple[str, ...]]:
    """Withdrawal asked: sent in time, still open, excluded, given up, or past its deadline.

    The last item names the facts that, indicated, could change the answer.
    """
    h = ev.h
    if d is None:
        v = ev.peek("trlgdcu.desistimiento_plazo")
        if ev.sin_desistimiento:
            return False, "no", ev.sin_desistimiento, v, ()
        if v is None:
            return (
                False,
                "no",
                "reclama no calcula el desistimiento de un contrato de esta fecha.",
                v,
                (),
            )
        return False, "no", "Esta compra no da derecho legal de desistimiento.", v, ()
    v = ev.use("trlgdcu.desistimiento_plazo")
    a_tiempo = _desistimiento_a_tiempo(ev, d)
    if h.fecha_conserva is not None:
        return (
            False,
            "ya_no",
            f"Ejerció el desistimiento el {_fmt(h.fecha_desistimiento)} y el "
            f"{_fmt(h.fecha_conserva)} decidió conservar la compra: ya no hay desistimiento "
            "que exigir; queda la garantía si hay un defecto.",
            v,
            (),
        )
    if h.fecha_desistimiento is not None and a_tiempo:
        return (
            True,
            "ahora",
            f"Desistió a tiempo el {_fmt(h.fecha_desistimiento)}: el plazo vencía el "
            f"{_fmt(d.vence)} y cuenta la fecha de envío ({_cita(v, '106.2').etiqueta}); el "
            "vendedor debe reembolsarle.",
            v,
            (),
        )
    if a_tiempo:
        return (
            True,
            "ahora",
            f"Puede desistir: el plazo vence el {_fmt(d.vence)} ({d.articulo}).",
            v,
            (),
        )
    motivo = f"El plazo de desistimiento venció el {_fmt(d.vence)} ({d.articulo})"
    sin_info = ev.peek("trlgdcu.desistimiento_sin_informacion", record=False)
    if sin_info is not None and not h.sin_informacion_desistimiento:
        fin = dates.add_months(d.vence, sin_info.valores["meses"])
        motivo += (
            f" si el vendedor le informó de este derecho; si no le informó, llega hasta el "
            f"{_fmt(fin)} ({sin_info.principal.etiqueta}): indíquelo"
        )
        indicar: tuple[str, ...] = (_SIN_INFORMACION,)
    else:
        indicar = ()
    motivo += ". La garantía sigue si el producto es defectuoso."
    return False, "ya_no", motivo, v, indicar


def _presuncion_sustituto(ev: _Evaluation) -> Plazo | None:
    """2007 text (rule trlgdcu.presuncion_sustituto): the substitute gets its own presumption from its delivery."""
    h = ev.h
    entregadas = [r.hasta for r in h.reparaciones if r.sustitucion and r.hasta is not None]
    if not entregadas:
        return None
    v = ev.peek("trlgdcu.presuncion_sustituto")
    if v is None:
        return None  # the 2022 text has no such rule: its own suspension rule covers it
    last = max(entregadas)
    meses = v.valores["meses"]
    vence = dates.add_months(last, meses)
    ev.conclude(
        "presuncion_sustituto",
        f"El producto sustituto entregado el {_fmt(last)} tiene su propia presunción de "
        f"{_duracion(meses)}: si en él aparece un defecto hasta el {_fmt(vence)}, se presume "
        "que ya existía y es el vendedor quien debe probar lo contrario.",
        v,
    )
    return ev.plazo(
        v,
        "trlgdcu.presuncion_sustituto",
        last,
        vence,
        f"Presunción para el producto sustituto: {_duracion(meses)} desde su entrega",
        accion=False,
    )


def _with_other_reading(res: Resultado, h: Hechos, hoy: date, book: RuleBook) -> Resultado:
    """Add the answer under the other reading of an unsettled point, where it changes it.

    The regime of a contract made before 2022 and delivered after, and the 2020 suspension
    of the guarantee window, are not settled: when the verdict depends on them the answer
    says so and gives the date to act by under the reading more favourable to the consumer.
    """
    if res.regimen_incierto:
        lectura = "regimen"
    elif any(a.codigo == "ventana_covid" for a in res.avisos):
        lectura = "covid_garantia"
    else:
        return res
    try:
        alt = _evaluate(h, hoy, book, lectura)
    except InputError:
        return res
    alt_ok = alt.remedio.admisible if alt.remedio else None
    res_ok = res.remedio.admisible if res.remedio else None
    if (alt.en_garantia, alt.prescrita, alt_ok) == (res.en_garantia, res.prescrita, res_ok):
        return res
    favorable = _puntos(alt) > _puntos(res)
    fav = alt if favorable else res
    otra = res if favorable else alt
    actuar = None
    if fav.en_garantia and not fav.prescrita:
        actuar = fav.plazos["prescripcion"].vence
    if lectura == "regimen":
        cual = (
            f"Si se aplicara el régimen {alt.regimen} (por la fecha de entrega) en lugar del "
            f"{res.regimen} (por la fecha del contrato)"
        )
    else:
        cual = (
            "Si la suspensión de 2020 se aplicara también al plazo de garantía (punto discutible)"
        )
    texto = (
        f"{cual}, la respuesta cambia: {_resumen(alt)}; con la lectura aplicada, {_resumen(res)}."
    )
    if actuar is not None:
        texto += f" Con la lectura más favorable para usted puede reclamar hasta el {_fmt(actuar)}"
        p_otra = otra.plazos["prescripcion"]
        if otra.en_garantia and not p_otra.vencido and p_otra.vence < actuar:
            texto += (
                f"; si puede, hágalo antes del {_fmt(p_otra.vence)}, fecha que vale con las dos "
                "lecturas"
            )
        texto += "."
    avisos = [
        *res.avisos,
        Aviso(
            codigo=f"otra_lectura_{lectura}",
            texto=f"Punto no verificado: {texto}",
            no_verificado=True,
        ),
    ]
    return res.model_copy(
        update={
            "avisos": avisos,
            "otra_lectura": OtraLectura(
                motivo=lectura,
                en_garantia=alt.en_garantia,
                prescrita=alt.prescrita,
                remedios_admisibles=alt.remedios_admisibles,
                remedio_admisible=alt_ok,
                actuar_hasta=actuar,
                favorable=favorable,
                texto=texto,
            ),
        }
    )


def _puntos(r: Resultado) -> int:
    """How good an answer is for the consumer, to tell which reading favours them."""
    return (
        2 * (r.en_garantia and not r.prescrita)
        + (r.remedio is not None and r.remedio.admisible)
        + len(r.remedios_admisibles)
    )


def _resumen(r: Resultado) -> str:
    if not r.en_garantia:
        return "el defecto quedaría fuera de la garantía legal"
    if r.prescrita:
        return "la acción estaría prescrita"
    if r.remedio is not None and not r.remedio.admisible:
        return f"{REMEDIO_NOMBRE[r.remedio.solicitado]} no podría exigirse aún"
    nombres = ", ".join(REMEDIO_NOMBRE[x] for x in r.remedios_admisibles) or "ningún remedio"
    return f"podría exigir {nombres}"
