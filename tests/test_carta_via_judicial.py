"""The claim letter as the prior claim of LO 1/2025, and as a complaint to a firm in Ley 10/2025's scope."""

from __future__ import annotations

from datetime import date

import pytest

from reclama.casefile import build_case
from reclama.engine import evaluate
from reclama.evaluation import letter_evaluation
from reclama.letter import build_context, check_letter_ready, plain_text

PEOPLE = {
    "consumidor": {
        "nombre": "Ana Gil Pons",
        "dni": "12345678Z",
        "domicilio": "Calle Mayor 1, 28013 Madrid",
        "comunidad": "MD",
    },
    "vendedor": {"nombre": "Gran Almacén, S.A.", "cif": "A58818501"},
}
CASE = {
    "compra": {"fecha": date(2026, 6, 1), "producto": "Portátil Z", "precio": "1299.00"},
    "defecto": {"descubrimiento": date(2026, 12, 20), "descripcion": "No enciende."},
    "reclamacion": {"remedio": "reparacion"},
}


def letter(hoy: date, gran_empresa: bool) -> str:
    data = {**PEOPLE, **CASE, "vendedor": {**PEOPLE["vendedor"], "gran_empresa": gran_empresa}}
    caso = build_case(data)
    resultado = evaluate(caso.hechos(), hoy)
    check_letter_ready(caso, resultado, False)
    ctx = build_context(caso, resultado, hoy, carta=letter_evaluation(caso, hoy))
    parts = [p for key in ("fundamentos", "solicitud") for s in ctx[key] for p in s.parrafos]
    return "\n".join(plain_text(p, lambda d: d.isoformat(), str) for p in parts)


def test_the_letter_says_it_is_the_prior_claim_and_interrupts_from_the_attempt():
    texto = letter(date(2026, 12, 22), gran_empresa=False)
    assert (
        "reclamación extrajudicial previa a la que se refiere la DA 7.ª de la Ley Orgánica 1/2025"
        in texto
    )
    assert "les invita a responder por escrito" in texto
    assert (
        "interrumpe la prescripción desde la fecha en que conste el intento de entregarla" in texto
    )
    assert "el art. 7.1 de la Ley Orgánica 1/2025" in texto


# Ley 10/2025 art. 17.1 binds from 29-12-2026 (DT única: twelve months from 28-12-2025).
# A letter of 04-01-2027 in Madrid: 15 working days end on 26-01-2027 (06-01 is a holiday; DIGEST E10).
@pytest.mark.parametrize(
    ("hoy", "gran_empresa", "pide"),
    [
        (date(2027, 1, 4), True, "2027-01-26"),
        (date(2027, 1, 4), False, None),
        (date(2026, 12, 28), True, None),  # still in the adaptation period
    ],
)
def test_a_firm_in_scope_is_asked_to_resolve_within_fifteen_working_days(hoy, gran_empresa, pide):
    texto = letter(hoy, gran_empresa)
    assert "el art. 21.3 del TRLGDCU" in texto  # the answer period, always
    if pide:
        assert (
            "resuelvan la reclamación en el plazo que fija el art. 17.1 de la Ley 10/2025" in texto
        )
        assert f"ese plazo terminaría el {pide}" in texto
    else:
        assert "Ley 10/2025" not in texto
