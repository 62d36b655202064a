"""Following a claim through its history: what may be said in public about it, and what to watch.

A deadline is said to be missed only when the engine says it passed and nothing in the
history answers it: a seller answer (or its taking or returning the goods) within the
period meets the answer deadline, whatever the answer said. The stage of a public message
follows the last thing that happened, and `vigilados` is what `reclama plazos` lists.
Pure: "today" is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from reclama.timeline import Etapa, Pendiente, in_order, pendientes, plazo_respuesta, situacion

if TYPE_CHECKING:
    from reclama.caso import Caso, Evento
    from reclama.engine import Plazo, Resultado

EstadoPlazoRespuesta = Literal["pendiente", "vencido", "cumplido", "tardio", "contestado"]
ESTADO_RESPUESTA = {
    "pendiente": "corre",
    "vencido": "vencido sin respuesta",
    "cumplido": "cumplido",
    "tardio": "respondió fuera de plazo",
    "contestado": "contestado",
}

# Events by which the seller answers a claim (an answer, taking or returning the goods).
_RESPONDE = ("respuesta", "entrega-reparacion", "devolucion")


@dataclass(frozen=True)
class Respuesta:
    """The seller's deadline to answer the latest claim, and whether the history meets it.

    estado: `pendiente` (running, no answer yet), `vencido` (passed with no answer: the only
    state in which a missed deadline may be stated), `cumplido` (answered within it),
    `tardio` (answered after it), `contestado` (answered, date not recorded: the answers
    written in `[reclamacion]` without events).
    """

    plazo: Plazo
    estado: EstadoPlazoRespuesta
    respondida: date | None  # the first answer after the claim, if dated


def respuesta(caso: Caso, resultado: Resultado, hoy: date) -> Respuesta | None:
    """The answer deadline of the latest claim read against the history, or None if no claim."""
    p = plazo_respuesta(caso, resultado)
    if p is None:
        return None
    after = [ev for ev in despues_de_reclamar(caso) if ev.tipo in _RESPONDE]
    if after:
        first = after[0].fecha
        return Respuesta(p, "cumplido" if first <= p.vence else "tardio", first)
    if situacion(caso).contestada:
        return Respuesta(p, "contestado", None)
    return Respuesta(p, "vencido" if p.vence < hoy else "pendiente", None)


def despues_de_reclamar(caso: Caso) -> list[Evento]:
    """The events on or after the latest claim (an `aviso` event, else the file's claim date)."""
    events = [ev for _, ev in in_order(caso)]
    avisos = [n for n, ev in enumerate(events) if ev.tipo == "aviso"]
    if avisos:
        return events[avisos[-1] + 1 :]
    reclamacion = situacion(caso).reclamacion
    return [ev for ev in events if reclamacion is not None and ev.fecha >= reclamacion]


def ultimo_paso(caso: Caso) -> Evento | None:
    """The seller's latest step after the latest claim (an answer, a hand-over, a return)."""
    pasos = [ev for ev in despues_de_reclamar(caso) if ev.tipo in (*_RESPONDE, "reaparece")]
    return pasos[-1] if pasos else None


def etapa(caso: Caso, resultado: Resultado, hoy: date) -> Etapa:
    """The stage of a public message to the seller, from the last thing that happened.

    - agradecimiento: the case is resolved, or the goods came back in conformity after
      the latest claim;
    - escalado: the seller refused, answered with an excuse, the goods came back without
      conformity or the defect reappeared, or the answer deadline passed with no answer;
    - inicial: no claim yet, or the latest was sent today (a claim is over 24 hours old
      from the next day on: dates carry no hour);
    - recordatorio: otherwise (claim open and answered without a solution, or the goods
      with the seller, or the answer deadline still running).
    """
    s = situacion(caso)
    if s.cerrado is not None:
        return "agradecimiento"
    paso = ultimo_paso(caso)
    if paso is not None and paso.tipo == "devolucion":
        return "agradecimiento" if paso.reparado else "escalado"
    if paso is not None and paso.tipo == "reaparece":
        return "escalado"
    if s.negativa or (paso is not None and paso.tipo == "respuesta" and paso.respuestas):
        return "escalado"
    if not caso.eventos and caso.reclamacion.respuestas and s.reclamacion is not None:
        return "escalado"  # excuses written in the file, undated: answered without a solution
    if s.reclamacion is None or (hoy - s.reclamacion).days < 1:
        return "inicial"
    r = respuesta(caso, resultado, hoy)
    if r is not None and r.estado == "vencido":
        return "escalado"
    return "recordatorio"


def ultima_excusa(caso: Caso) -> tuple[str, date | None] | None:
    """The latest excuse the seller gave, with the date of that answer (None: undated)."""
    for ev in reversed([ev for _, ev in in_order(caso)]):
        if ev.tipo == "respuesta" and ev.respuestas:
            return ev.respuestas[-1], ev.fecha
    respuestas = caso.reclamacion.respuestas
    return (respuestas[-1], None) if respuestas else None


# --- What `reclama plazos` watches ---------------------------------------------------------


def vigilados(caso: Caso, resultado: Resultado, hoy: date, dentro_de: int) -> list[Pendiente]:
    """The deadlines `reclama plazos` lists for a case: reclama.timeline.pendientes, plus
    the seller's refund after a withdrawal (trlgdcu.desistimiento_reembolso) and the end of the presumption
    (the day the burden of proof moves to the consumer); never a withdrawal whose
    deadline passed (it can no longer be exercised, so it asks for nothing).

    The refund is listed while the case is open, also once passed (the consumer then
    claims it); the presumption only before it ends.
    """
    if situacion(caso).cerrado is not None:
        return []
    out = [
        x
        for x in pendientes(caso, resultado, hoy, dentro_de)
        if not (x.clave == "desistimiento" and x.estado == "vencido")
    ]
    extra: list[tuple[str, Plazo | None, bool]] = [
        ("reembolso_desistimiento", resultado.plazos.get("reembolso_desistimiento"), True),
        ("presuncion", resultado.plazos.get("presuncion"), False),
    ]
    if _conservado(caso):
        extra = extra[1:]
    for clave, p, listed_when_passed in extra:
        if p is None or p.hipotetico or any(x.clave == clave for x in out):
            continue
        if p.vence < hoy:
            if listed_when_passed:
                out.append(Pendiente(clave, p, "vencido"))
        elif (p.vence - hoy).days <= dentro_de:
            out.append(Pendiente(clave, p, "proximo"))
    return sorted(out, key=lambda x: x.plazo.vence)


def _conservado(caso: Caso) -> bool:
    """The consumer kept the goods after withdrawing (a later `conserva` event): no refund due."""
    r = caso.reclamacion
    if r.conserva is not None and (r.desistimiento is None or r.conserva >= r.desistimiento):
        return True
    events = [ev for _, ev in in_order(caso)]
    sent = [n for n, ev in enumerate(events) if ev.tipo == "desistimiento"]
    return bool(sent) and any(ev.tipo == "conserva" for ev in events[sent[-1] + 1 :])


def describe_respuesta(r: Respuesta) -> str:
    """The answer deadline's status as `caso ver` shows it ('cumplido (respondió el 04/08)')."""
    texto = ESTADO_RESPUESTA[r.estado]
    if r.respondida is not None:
        texto += f" (respondió el {r.respondida:%d/%m/%Y})"
    return texto
