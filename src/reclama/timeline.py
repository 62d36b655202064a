"""A claim's timeline: its events folded into the facts the law needs, and where it stands.

Pure: no I/O, and "today" is always an argument. The legal effect of each event
type (docs/casos.md):

- `aviso`: the first one is the notice to the seller (`reclamacion.aviso`); one whose
  receipt can be proven interrupts prescription (rule cc.interrupcion_prescripcion);
  its `remedio`, if given, becomes the remedy demanded.
- `respuesta`: its excuse codes join `reclamacion.respuestas` (in order, no repeats);
  `negativa = true` is a refusal (rule trlgdcu.remedios_subsidiarios), and so is an
  answer the law treats as one (`negativas`: only repair offered when replacement was
  chosen, a referral to the brand, a reason the law does not admit), derived here once.
- `entrega-reparacion` / `devolucion`: open and close a repair or replacement episode
  (rule trlgdcu.suspension_reparacion); a return that is not conforming is a failed
  attempt, as is `reaparece` after a return (trlgdcu.remedios_subsidiarios).
- `desistimiento`: the date the withdrawal was sent (trlgdcu.desistimiento_plazo); its
  `canal` is how the consumer can prove it (the burden is the consumer's, per the rule's citations).
- `conserva`: after withdrawing, the consumer kept the goods: the withdrawal is off.
- `demanda` / `arbitraje`: the lawsuit or the arbitration request was filed (reclama.demanda,
  reclama.arbitraje): recorded so the timeline goes on; the case stays open.
- `resuelto`: the claim is closed; any later event reopens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from reclama import dates
from reclama.caso import Caso, Evento, ReparacionCaso, in_order, negativas
from reclama.errors import InputError

if TYPE_CHECKING:
    from reclama.engine import Plazo, Resultado
    from reclama.rules import RuleBook

Etapa = Literal["inicial", "recordatorio", "escalado", "agradecimiento"]
Estado = Literal["vencido", "proximo"]

# Events by which the seller answers a claim, and those by which it acts on it.
_RESPONDE = frozenset({"respuesta", "entrega-reparacion", "devolucion"})
_ACTUA = frozenset({"entrega-reparacion", "devolucion"})

TIPO_NOMBRE = {
    "aviso": "Reclamación al vendedor",
    "respuesta": "Respuesta del vendedor",
    "entrega-reparacion": "Entrega para reparar o sustituir",
    "devolucion": "Devolución del producto",
    "reaparece": "El defecto reaparece",
    "desistimiento": "Desistimiento enviado",
    "conserva": "Conserva el producto tras desistir",
    "demanda": "Demanda presentada",
    "arbitraje": "Solicitud de arbitraje presentada",
    "resuelto": "Caso resuelto",
}
EXCUSA_NOMBRE = {
    "marca": "le remite al servicio técnico de la marca",
    "siete-dias": "solo admite devoluciones en 7 días",
    "procedimientos": "alega sus procedimientos internos",
    "solo-reparacion": "solo ofrece reparar",
    "aviso-tardio": "dice que avisó tarde",
    "garantia-dos-anos": "dice que la garantía es de dos años",
    "gastos": "quiere cobrar gastos",
    "vale": "ofrece un vale en vez del dinero",
}


class EventoError(InputError):
    """An event that cannot follow the ones before it; `indice` is its place in the file."""

    def __init__(self, indice: int, evento: Evento, mensaje: str):
        self.detalle = f"{evento.tipo} del {evento.fecha:%d/%m/%Y}"
        super().__init__("eventos", mensaje, campo=f"suceso n.º {indice + 1} ({self.detalle})")
        self.indice = indice


def apply_events(caso: Caso) -> Caso:
    """The case with its events folded into `reclamacion` (the events stay, for the timeline).

    The file's own `reclamacion` values are the starting point; events add to them.
    Folding is idempotent by construction (each fact is a union, a minimum, or an episode
    keyed by its dates), so folding a folded case returns it unchanged: no flag is needed.
    `negativa` keeps what was said in so many words; the refusals the law reads into the
    answers are derived from the history by `Caso.negativas` and reach the engine through
    `Caso.hechos`.

    Raises:
        EventoError: an event that cannot happen where it is (a return with the goods
            already back, a reappearance before any attempt, an event before the purchase).
    """
    r = caso.reclamacion
    if not caso.eventos:
        return caso
    aviso, remedio, desistimiento, conserva = r.aviso, r.remedio, r.desistimiento, r.conserva
    contestada = r.respuesta
    intento_fallido, negativa = r.intento_fallido, r.negativa
    respuestas = list(r.respuestas)
    interrupciones = list(r.interrupciones)
    reclamaciones = list(r.reclamaciones)
    episodios = list(r.reparaciones)
    abierto = next((i for i in reversed(range(len(episodios))) if episodios[i].hasta is None), None)
    for i, ev in in_order(caso):
        if ev.fecha < caso.compra.fecha:
            raise EventoError(i, ev, "un suceso no puede ser anterior a la compra")
        if ev.tipo == "aviso":
            aviso = min(aviso, ev.fecha) if aviso else ev.fecha
            reclamaciones.append(ev.fecha)
            if ev.prueba_recepcion:
                interrupciones.append(ev.fecha)
            remedio = ev.remedio or remedio
        elif ev.tipo == "respuesta":
            respuestas += [x for x in ev.respuestas if x not in respuestas]
            negativa = negativa or bool(ev.negativa)
            if ev.negativa or ev.respuestas:  # an answer that does not satisfy the claim
                contestada = ev.fecha
        elif ev.tipo == "entrega-reparacion":
            known = next((n for n, e in enumerate(episodios) if e.desde == ev.fecha), None)
            if known is not None:  # already folded: the same hand-over
                abierto = known if episodios[known].hasta is None else abierto
                continue
            if abierto is not None:
                desde = episodios[abierto].desde
                raise EventoError(
                    i,
                    ev,
                    f"el producto ya está en manos del vendedor desde el {desde:%d/%m/%Y} "
                    "y no consta su devolución (añada antes un suceso «devolucion»)",
                )
            episodios.append(ReparacionCaso(desde=ev.fecha))
            abierto = len(episodios) - 1
        elif ev.tipo == "devolucion":
            conforme = ev.reparado is not False
            if abierto is None:
                if any(e.hasta == ev.fecha for e in episodios):
                    pass  # already folded: the same return
                else:
                    # A replacement handed over without taking the old goods first: no suspension.
                    episodios.append(
                        ReparacionCaso(desde=ev.fecha, hasta=ev.fecha, conforme=conforme)
                    )
            else:
                episodios[abierto] = ReparacionCaso(
                    desde=episodios[abierto].desde, hasta=ev.fecha, conforme=conforme
                )
                abierto = None
            intento_fallido = intento_fallido or ev.reparado is False
        elif ev.tipo == "reaparece":
            if abierto is not None:
                raise EventoError(
                    i, ev, "el producto sigue en manos del vendedor: no puede reaparecer el defecto"
                )
            if not any(e.hasta is not None and e.hasta <= ev.fecha for e in episodios):
                raise EventoError(
                    i,
                    ev,
                    "no consta ningún intento de reparación o sustitución anterior "
                    "(añada antes los sucesos «entrega-reparacion» y «devolucion»)",
                )
            intento_fallido = True
        elif ev.tipo == "desistimiento":
            desistimiento = min(desistimiento, ev.fecha) if desistimiento else ev.fecha
        elif ev.tipo == "conserva":
            if desistimiento is None:
                raise EventoError(
                    i, ev, "no consta ningún desistimiento anterior (añada antes «desistimiento»)"
                )
            conserva = ev.fecha
    folded = r.model_copy(
        update={
            "aviso": aviso,
            "remedio": remedio,
            "desistimiento": desistimiento,
            "conserva": conserva,
            "respuesta": contestada,
            "intento_fallido": intento_fallido,
            "negativa": negativa,
            "respuestas": respuestas,
            "interrupciones": sorted(set(interrupciones)),
            "reclamaciones": sorted(set(reclamaciones)),
            "reparaciones": episodios,
        }
    )
    return caso.model_copy(update={"reclamacion": folded})


@dataclass(frozen=True)
class Situacion:
    """Where the claim stands according to its events."""

    cerrado: date | None  # date of the `resuelto` that closed it (None: open)
    reclamacion: date | None  # the latest claim sent to the seller
    registrada: bool  # that claim is an `aviso` event, so the file tracks its answers
    contestada: bool  # the seller answered or acted after that claim
    actuado: bool  # ... by taking the goods or returning them
    negativa: bool  # its latest answer to that claim is a refusal
    en_reparacion: date | None  # the goods are with the seller since this date


def situacion(caso: Caso) -> Situacion:
    """Read the events: is the claim closed, which claim is pending, did the seller answer."""
    events = [ev for _, ev in in_order(caso)]
    cerrado = None
    for ev in events:
        cerrado = ev.fecha if ev.tipo == "resuelto" else None
    avisos = [n for n, ev in enumerate(events) if ev.tipo == "aviso"]
    r = caso.reclamacion
    if avisos:
        reclamacion = events[avisos[-1]].fecha
        after = events[avisos[-1] + 1 :]
        previas = False
    else:
        reclamacion = r.aviso
        after = [ev for ev in events if reclamacion is not None and ev.fecha >= reclamacion]
        previas = bool(r.respuestas) or r.negativa  # answers written in the file, undated
    answers = [ev for ev in after if ev.tipo == "respuesta"]
    # The stage of the public drafts follows what the seller said last in so many words
    # (reclama.social); the letter and the engine use every derived refusal (`negativas`).
    negativa = bool(answers[-1].negativa) if answers else (not avisos and r.negativa)
    open_repairs = [x.desde for x in caso.reclamacion.reparaciones if x.hasta is None]
    return Situacion(
        cerrado=cerrado,
        reclamacion=reclamacion,
        registrada=bool(avisos),
        contestada=previas or any(ev.tipo in _RESPONDE for ev in after),
        actuado=any(ev.tipo in _ACTUA for ev in after),
        negativa=negativa,
        en_reparacion=max(open_repairs) if open_repairs else None,
    )


def plazo_respuesta(caso: Caso, resultado: Resultado) -> Plazo | None:
    """The seller's deadline to answer the latest claim (trlgdcu.respuesta_reclamacion), or None.

    The engine counts it from the latest claim it knows of (the events fold every
    claim sent into the facts); a deadline only supposed for a claim sent today is
    not one the seller has.
    """
    if situacion(caso).reclamacion is None:
        return None
    p = resultado.plazos.get("respuesta_empresario")
    return None if p is None or p.hipotetico else p


@dataclass(frozen=True)
class Pendiente:
    """A deadline to see today: due within the window, or passed and still calling for action."""

    clave: str
    plazo: Plazo
    estado: Estado


def pendientes(caso: Caso, resultado: Resultado, hoy: date, dentro_de: int) -> list[Pendiente]:
    """The deadlines of an open case due within `dentro_de` days or passed, soonest first.

    A passed deadline is listed only while it still calls for action: prescription
    (always), the seller's answer (while the latest claim, recorded as an `aviso`
    event, has no answer; a claim date written in `[reclamacion]` says nothing of
    answers, so its deadline is listed only before it passes), the 2007 notice
    (while none was sent), withdrawal (when chosen but not yet sent) and the year to
    sue with the prior claim (LO 1/2025 art. 7.3; after it, a new claim is needed). The
    guarantee window and the cover after a repair are listed only before they end.
    Hypothetical deadlines ("if you claim today") are never listed.
    """
    s = situacion(caso)
    if s.cerrado is not None:
        return []
    h = caso.hechos()
    plazos = resultado.plazos
    candidates: list[tuple[str, Plazo | None, bool]] = [
        ("prescripcion", plazos.get("prescripcion"), True),
        ("aviso", plazos.get("aviso") if h.fecha_aviso is None else None, True),
        (
            "desistimiento",
            plazos.get("desistimiento") if h.fecha_desistimiento is None else None,
            h.remedio == "desistimiento",
        ),
        (
            "respuesta_empresario",
            plazo_respuesta(caso, resultado) if not s.contestada else None,
            s.registrada,
        ),
        ("demanda", plazos.get("demanda"), True),
        ("cobertura_reparacion", plazos.get("cobertura_reparacion"), False),
        ("garantia", plazos.get("garantia"), False),
    ]
    out = []
    for clave, p, listed_when_passed in candidates:
        if p is None or p.hipotetico:
            continue
        if p.vence < hoy:
            if listed_when_passed:
                out.append(Pendiente(clave, p, "vencido"))
        elif (p.vence - hoy).days <= dentro_de:
            out.append(Pendiente(clave, p, "proximo"))
    return sorted(out, key=lambda x: x.plazo.vence)


def check_events(caso: Caso, hoy: date) -> None:
    """Reject events dated after `hoy`.

    Raises:
        EventoError: the first such event.
    """
    for i, ev in in_order(caso):
        if ev.fecha > hoy:
            raise EventoError(i, ev, f"la fecha es posterior a hoy ({hoy:%d/%m/%Y})")


def efecto(ev: Evento, caso: Caso, book: RuleBook | None = None) -> str:
    """One Spanish sentence on the legal effect of an event, citing the article in force."""
    from reclama.rules import fechas_de_evento, load_rules

    book = book or load_rules()
    # Each rule picks its version by the date it names: the contract's, or this event's.
    fechas = fechas_de_evento(caso.compra.fecha, ev.fecha)

    def art(rule_id: str, supuesto: str | None = None) -> str:
        """The label of the rule's article; for a `supuesto`, the one the rule lists for it."""
        v = book.select(rule_id, fechas)
        if v is None:
            return rule_id
        casos = zip(
            v.valores.get("supuestos", []), v.valores.get("articulos_supuestos", []), strict=True
        )
        wanted = dict(casos).get(supuesto)
        return next((c.etiqueta for c in v.cita if c.articulo == wanted), v.principal.etiqueta)

    if ev.tipo == "aviso":
        respuesta = art("trlgdcu.respuesta_reclamacion")
        texto = f"Abre el plazo del vendedor para responder ({respuesta})"
        if ev.prueba_recepcion:
            interrupcion = art("cc.interrupcion_prescripcion")
            texto += f"; interrumpe la prescripción, que vuelve a empezar ({interrupcion})"
        else:
            texto += "; sin prueba de recepción no interrumpe la prescripción"
        if ev.remedio:
            from reclama.engine import REMEDIO_NOMBRE

            texto += f"; pide {REMEDIO_NOMBRE[ev.remedio]}"
        return texto + "."
    if ev.tipo == "respuesta":
        partes = [EXCUSA_NOMBRE.get(x, x) for x in ev.respuestas]
        texto = (
            "Excusas a rebatir: " + "; ".join(partes)
            if partes
            else "Respuesta sin excusas registradas"
        )
        if ev.ofrece:
            from reclama.engine import REMEDIO_NOMBRE

            texto += f"; ofrece {REMEDIO_NOMBRE[ev.ofrece]} en lugar de lo pedido"
        i = _index(caso, ev)
        derivada = next((n for n in negativas(caso) if n.indice == i), None)
        if derivada is not None:
            negativa = art(derivada.regla, supuesto=derivada.supuesto)
            texto += (
                f". Equivale a una negativa: {derivada.motivo}; abre la rebaja del precio o la "
                f"resolución ({negativa})"
            )
        return texto + "."
    if ev.tipo == "entrega-reparacion":
        return (
            "Suspende los plazos de garantía mientras el producto está con el vendedor "
            f"({art('trlgdcu.suspension_reparacion')})."
        )
    if ev.tipo == "devolucion":
        if ev.reparado:
            v = book.select("trlgdcu.cobertura_reparacion", fechas)
            hasta = (
                f" hasta el {dates.add_months(ev.fecha, v.valores['meses']):%d/%m/%Y}" if v else ""
            )
            return (
                f"Termina la suspensión; el vendedor responde del mismo defecto{hasta} "
                f"({art('trlgdcu.cobertura_reparacion')})."
            )
        return (
            "Vuelve sin reparar: intento fallido, abre la rebaja o la resolución "
            f"({art('trlgdcu.remedios_subsidiarios', supuesto='intento_fallido')})."
        )
    if ev.tipo == "reaparece":
        return (
            "Intento fallido: abre la rebaja del precio o la resolución "
            f"({art('trlgdcu.remedios_subsidiarios', supuesto='intento_fallido')}); "
            f"se presume el mismo defecto ({art('trlgdcu.cobertura_reparacion')})."
        )
    if ev.tipo == "desistimiento":
        v = book.select("trlgdcu.desistimiento_plazo", fechas)
        # The sending-date rule is among the rule's citations.
        plazo = next((c.etiqueta for c in v.cita if c.articulo == "106.2"), "") if v else ""
        return f"Cuenta la fecha de envío ({plazo}); el vendedor debe reembolsar."
    if ev.tipo == "conserva":
        return "Usted conserva el producto: el desistimiento queda sin efecto y sigue la garantía."
    if ev.tipo == "demanda":
        return (
            "Demanda presentada con la reclamación previa como requisito "
            f"({art('lo1_2025.reclamacion_previa')}); siga el procedimiento en el juzgado."
        )
    if ev.tipo == "arbitraje":
        return (
            "Solicitud de arbitraje presentada; la empresa no adherida debe aceptarlo "
            f"({art('rd713_2024.solicitud_arbitraje')}); si no, queda abierta la vía judicial."
        )
    return "El caso se cierra: `reclama plazos` deja de vigilarlo."


def _index(caso: Caso, ev: Evento) -> int | None:
    """The place of `ev` in the file (by identity first, then by equality)."""
    found = next((i for i, x in enumerate(caso.eventos) if x is ev), None)
    return (
        found
        if found is not None
        else next((i for i, x in enumerate(caso.eventos) if x == ev), None)
    )


def etiqueta(caso: Caso) -> str:
    """How a lawyer names a case in a list: seller and product."""
    partes = [x for x in (caso.vendedor.nombre, caso.compra.producto) if x]
    return " — ".join(partes) or f"compra del {caso.compra.fecha:%d/%m/%Y}"
