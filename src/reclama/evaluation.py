"""The engine runs an output is worded from, done before it is worded.

Why apart: `reclama.letter` only says what the engine's answers say. The letter is itself
a claim, so the seller's answer period, the arbitration period and the prior claim of
LO 1/2025 are those of the case once the seller receives it: a second engine run, dated on
the letter. Whoever asks for a letter (the `carta` command, the batch) runs it here once
and hands both answers in; the builder never calls the engine.
"""

from __future__ import annotations

from datetime import date

from reclama.caso import Caso
from reclama.engine import Resultado, evaluate
from reclama.rules import RuleBook


def letter_evaluation(caso: Caso, hoy: date, book: RuleBook | None = None) -> Resultado:
    """The engine's answer once the seller receives this letter: one more claim, dated `hoy`."""
    h = caso.hechos()
    return evaluate(h.model_copy(update={"interrupciones": (*h.interrupciones, hoy)}), hoy, book)


__all__ = ["letter_evaluation"]
