"""Engine details a lawyer would check: which article opens each fallback remedy."""

from datetime import date

import pytest

from reclama.engine import evaluate
from reclama.facts import Hechos

# regime (by contract date), the fact that opens price reduction or termination, the article that lists it
FALLBACK = [
    (date(2024, 5, 10), "intento_fallido", "art. 119 d) TRLGDCU"),
    (date(2024, 5, 10), "negativa", "art. 119 f) TRLGDCU"),
    (date(2024, 5, 10), "grave", "art. 119 e) TRLGDCU"),
    (date(2021, 5, 10), "intento_fallido", "art. 120 d) TRLGDCU"),
    (date(2021, 5, 10), "negativa", "art. 121 TRLGDCU"),
]


@pytest.mark.parametrize(("compra", "hecho", "articulo"), FALLBACK)
def test_the_reason_for_a_refund_cites_the_case_the_law_lists(compra, hecho, articulo):
    h = Hechos(
        fecha_compra=compra,
        fecha_descubrimiento=compra.replace(month=8),
        remedio="resolucion",
        **{hecho: True},
    )
    r = evaluate(h, compra.replace(month=10))
    assert r.remedio.admisible
    assert articulo in r.remedio.motivo
    assert "119 a)" not in r.remedio.motivo  # impossibility is not what opened it


def test_a_refund_asked_too_early_lists_every_case_that_would_open_it():
    h = Hechos(
        fecha_compra=date(2024, 5, 10), fecha_descubrimiento=date(2024, 8, 1), remedio="rebaja"
    )
    r = evaluate(h, date(2024, 10, 1))
    assert not r.remedio.admisible
    for articulo in ("119 d)", "119 f)", "119 e)"):
        assert articulo in r.remedio.motivo
