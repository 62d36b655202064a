"""Which remedy a claim demands now, and why: one decision for the letter, the drafts,
`comprobar` and the batch.

Why one place: the letter and the drafts used to decide each on its own and disagreed
(a post asked for "la reparación o la sustitución" while the letter asked for the
replacement the consumer chose). The rules here are the law's, in this order:

- the choice is the consumer's (rule trlgdcu.remedios_primarios): what they
  recorded is demanded whenever the engine says it can be demanded;
- a replacement that the law excludes for second-hand goods becomes a repair, and a
  termination excluded for a minor defect becomes a price reduction (the law's own
  substitutes, said as such);
- a price reduction or termination that is not open yet is never argued against: the
  letter demands the primary remedy the consumer chose (the latest `aviso` that named
  one), or both if they never chose, and reserves the preferred one, citing the case of
  fallback case (rule trlgdcu.remedios_subsidiarios) that opens it if the demand is not met in time.

Pure: no engine run here; the caller passes the engine's answer for the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reclama.caso import Caso, demandas
from reclama.engine import REMEDIO_NOMBRE, Resultado
from reclama.errors import InputError
from reclama.rules import RuleBook, load_rules

PRIMARIOS = ("reparacion", "sustitucion")
SUBSIDIARIOS = ("rebaja", "resolucion")
_RESERVA = "trlgdcu.remedios_subsidiarios"


@dataclass(frozen=True)
class Demanda:
    """What the claim demands now, what it keeps in reserve, and why."""

    elegido: str  # the consumer's recorded choice
    pedido: tuple[str, ...]  # what is demanded now (two only when the consumer never chose)
    cambio: str | None = None  # None | "reserva" | "segunda-mano" | "escasa-importancia"
    reserva: tuple[str, ...] = ()  # what follows if the demand is not met in time
    articulo_reserva: str | None = None  # the fallback case that opens the reserve (rule data)
    elegido_el: date | None = None  # when the consumer chose the primary remedy demanded
    motivo: str = ""

    @property
    def nombre(self) -> str:
        return " o ".join(REMEDIO_NOMBRE[x] for x in self.pedido)


def _reserva(resultado: Resultado, book: RuleBook) -> str | None:
    """The article label of the case that opens rebaja/resolución after an unmet demand."""
    f = next((f for f in resultado.fundamentos if f.regla == _RESERVA), None)
    if f is None:
        return None
    v = book.applied(_RESERVA, f.valido_desde)
    articulo = v.valores.get("articulo_plazo_razonable") if v is not None else None
    return next((c.etiqueta for c in v.cita if c.articulo == articulo), None) if v else None


def decidir(caso: Caso, resultado: Resultado, book: RuleBook | None = None) -> Demanda:
    """The remedy to demand for `caso`, given the engine's `resultado` for it.

    Raises:
        InputError: no remedy chosen, or no guarantee remedy can be demanded at all.
    """
    book = book or load_rules()
    elegido = caso.reclamacion.remedio
    if elegido is None or resultado.remedio is None:
        raise InputError(
            "reclamacion.remedio",
            "indique la medida que exige: reparacion, sustitucion, rebaja o resolucion",
        )
    admisibles = [r for r in resultado.remedios_admisibles if r in PRIMARIOS + SUBSIDIARIOS]
    reserva_art = _reserva(resultado, book)
    subsidiarios = tuple(r for r in SUBSIDIARIOS if r not in admisibles)
    if elegido in admisibles:
        if elegido in PRIMARIOS:
            return Demanda(
                elegido,
                (elegido,),
                reserva=subsidiarios or SUBSIDIARIOS,
                articulo_reserva=reserva_art,
                motivo=resultado.remedio.motivo,
            )
        return Demanda(elegido, (elegido,), motivo=resultado.remedio.motivo)
    if not admisibles:
        clave = (
            "defecto.descubrimiento" if not resultado.en_garantia else "reclamacion.interrupciones"
        )
        raise InputError(clave, f"{resultado.remedio.motivo} No se puede redactar la carta.")
    if elegido == "sustitucion" and "reparacion" in admisibles:
        return Demanda(
            elegido,
            ("reparacion",),
            "segunda-mano",
            reserva=subsidiarios,
            articulo_reserva=reserva_art,
            motivo=resultado.remedio.motivo,
        )
    if elegido == "resolucion" and "rebaja" in admisibles:
        return Demanda(elegido, ("rebaja",), "escasa-importancia", motivo=resultado.remedio.motivo)
    # A price reduction or termination not open yet: the consumer's own primary choice.
    primarios = [r for r in PRIMARIOS if r in admisibles]
    elegidos = [(d, r) for d, r in demandas(caso) if r in primarios]
    if elegidos:
        cuando, primario = elegidos[-1]
        pedido: tuple[str, ...] = (primario,)
    else:
        cuando, pedido = None, tuple(primarios)
    reserva = (elegido,) if elegido in SUBSIDIARIOS else subsidiarios
    quien = f" que usted eligió el {cuando:%d/%m/%Y}" if cuando else ""
    nombre = " o ".join(REMEDIO_NOMBRE[x] for x in pedido)
    motivo = (
        f"{resultado.remedio.motivo} Por eso se exige {nombre}{quien}, con reserva de "
        f"{' o '.join(REMEDIO_NOMBRE[x] for x in reserva)} si no se atiende en plazo"
        + (f" ({reserva_art})." if reserva_art else ".")
    )
    return Demanda(
        elegido,
        pedido,
        "reserva",
        reserva=reserva,
        articulo_reserva=reserva_art,
        elegido_el=cuando,
        motivo=motivo,
    )


def exigible(caso: Caso, resultado: Resultado, book: RuleBook | None = None) -> Demanda | None:
    """`decidir`, or None when the case has nothing to demand (for reports and drafts)."""
    try:
        return decidir(caso, resultado, book)
    except InputError:
        return None


__all__ = ["PRIMARIOS", "SUBSIDIARIOS", "Demanda", "decidir", "exigible"]
