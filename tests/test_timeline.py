"""The events of a case, folded into the facts: deadlines move as the law says at each step."""

from __future__ import annotations

from datetime import date

import pytest

from reclama.casefile import build_case
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.evaluation import letter_evaluation
from reclama.seguimiento import etapa as etapa_social
from reclama.timeline import (
    apply_events,
    pendientes,
    plazo_respuesta,
    situacion,
)

D = date.fromisoformat

TV = {  # DIGEST E7: a TV bought online, a repair that fails, termination and refund
    "compra": {"fecha": D("2024-05-10"), "canal": "distancia", "producto": "Televisor 55 pulgadas"},
    "defecto": {"descubrimiento": D("2024-11-01"), "descripcion": "No enciende"},
    "reclamacion": {"remedio": "reparacion"},
    "vendedor": {"nombre": "Tiendas Ejemplo, S.A."},
}

MOVIL = {  # a phone bought online whose microphone fails (examples/caso-demo.toml without answers)
    "compra": {
        "fecha": D("2026-05-04"),
        "entrega": D("2026-05-06"),
        "canal": "distancia",
        "producto": "Teléfono móvil Nexo X12",
        "precio": "899.00",
    },
    "defecto": {"descubrimiento": D("2026-09-14"), "descripcion": "El micrófono no funciona"},
    "reclamacion": {"remedio": "sustitucion"},
    "consumidor": {
        "nombre": "Lucía Martín Ortega",
        "dni": "12345678Z",
        "domicilio": "Calle del Prado 14, 28014 Madrid",
    },
    "vendedor": {
        "nombre": "Telefonía Ejemplo, S.L.",
        "cif": "B12345674",
        "domicilio": "Avenida de la Industria 8, 28108 Alcobendas",
    },
    "carta": {"lugar": "Madrid"},
}


def case(base, *eventos, **reclamacion):
    data = {**base, "reclamacion": {**base["reclamacion"], **reclamacion}, "eventos": list(eventos)}
    return build_case(data)


def ev(tipo, fecha, **kw):
    return {"tipo": tipo, "fecha": D(fecha), **kw}


def vence(resultado, clave):
    p = resultado.plazos[clave]
    return None if p is None or p.hipotetico else p.vence.isoformat()


# -- the full story of E7 -----------------------------------------------------------

E7_STEPS = [
    # (event added, today, expected deadlines and facts)
    (
        None,
        "2024-11-02",
        {
            "garantia": "2027-05-10",
            "presuncion": "2026-05-10",
            "prescripcion": "2029-11-01",
            "respuesta": None,
            "cobertura_reparacion": None,
            "remedios": ["reparacion", "sustitucion"],
            "etapa": "inicial",
        },
    ),
    (
        ev("aviso", "2024-11-03", canal="teléfono"),
        "2024-11-03",
        {
            # no proof of receipt: prescription is not interrupted; the one-month answer runs
            "prescripcion": "2029-11-01",
            "respuesta": "2024-12-03",
            "interrupciones": [],
            "etapa": "inicial",
        },
    ),
    (
        ev("entrega-reparacion", "2024-11-03"),
        "2024-11-20",
        {
            # goods with the seller for 17 days so far: window and presumption suspended (122.1)
            "garantia": "2027-05-27",
            "presuncion": "2026-05-27",
            "etapa": "recordatorio",
        },
    ),
    (
        ev("devolucion", "2024-12-20", reparado=True),
        "2024-12-21",
        {
            # 47 days of suspension; one year of cover for the repaired defect (art. 122.3)
            "garantia": "2027-06-26",
            "presuncion": "2026-06-26",
            "cobertura_reparacion": "2025-12-20",
            "ampliado": 47,
            "remedios": ["reparacion", "sustitucion"],
            "etapa": "agradecimiento",  # back in conformity: nothing left to remind them of
        },
    ),
    (
        ev("reaparece", "2025-01-15"),
        "2025-01-15",
        {
            # the defect reappears after an attempt: reduction or termination open (art. 119 d)
            "remedios": ["reparacion", "sustitucion", "rebaja", "resolucion"],
            "intento_fallido": True,
            "garantia": "2027-06-26",
        },
    ),
    (
        ev("aviso", "2025-01-16", canal="burofax", prueba_recepcion=True, remedio="resolucion"),
        "2025-01-16",
        {
            # received claim: prescription restarts in full (CC 1973); the answer runs from it
            "prescripcion": "2030-01-16",
            "interrupciones": ["2025-01-16"],
            "respuesta": "2025-02-16",
            "remedio": ("resolucion", True),
            "aviso": "2024-11-03",
            "etapa": "inicial",
        },
    ),
    (
        ev("resuelto", "2025-02-10", nota="Reembolso recibido"),
        "2025-02-12",
        {
            "cerrado": "2025-02-10",
            "pendientes": [],
            "etapa": "agradecimiento",
        },
    ),
]


def test_e7_full_story_moves_each_deadline_as_the_law_says():
    eventos = []
    for step, (evento, hoy, expected) in enumerate(E7_STEPS):
        if evento is not None:
            eventos.append(evento)
        caso = case(TV, *eventos)
        today = D(hoy)
        r = evaluate(caso.hechos(), today)
        h = caso.hechos()
        actual = {
            "garantia": vence(r, "garantia"),
            "presuncion": vence(r, "presuncion"),
            "prescripcion": vence(r, "prescripcion"),
            "cobertura_reparacion": vence(r, "cobertura_reparacion"),
            "respuesta": (p.vence.isoformat() if (p := plazo_respuesta(caso, r)) else None),
            "interrupciones": [d.isoformat() for d in h.interrupciones],
            "remedios": r.remedios_admisibles,
            "intento_fallido": h.intento_fallido,
            "ampliado": r.plazos["garantia"].ampliado_dias,
            "remedio": (r.remedio.solicitado, r.remedio.admisible),
            "aviso": h.fecha_aviso.isoformat() if h.fecha_aviso else None,
            "etapa": etapa_social(caso, r, today),
            "cerrado": (c.isoformat() if (c := situacion(caso).cerrado) else None),
            "pendientes": pendientes(caso, r, today, 30),
        }
        for key, value in expected.items():
            assert actual[key] == value, f"paso {step} ({evento and evento['tipo']}), {key}"


def test_a_claim_with_proven_receipt_restarts_prescription_and_one_without_does_not():
    sin = case(TV, ev("aviso", "2025-03-01", canal="email"))
    con = case(TV, ev("aviso", "2025-03-01", canal="burofax", prueba_recepcion=True))
    today = D("2025-03-02")
    assert vence(evaluate(sin.hechos(), today), "prescripcion") == "2029-11-01"
    r = evaluate(con.hechos(), today)
    assert vence(r, "prescripcion") == "2030-03-01"
    assert any(
        f.regla == "cc.interrupcion_prescripcion" and f.articulo == "1973" for f in r.fundamentos
    )


def test_an_old_regime_claim_received_saves_the_action_e4():
    """DIGEST E4: the 2021 burofax restarts the three years; the action in 2022 is in time."""
    base = {
        "compra": {"fecha": D("2019-02-02"), "canal": "tienda"},
        "defecto": {"descubrimiento": D("2020-12-01")},
        "reclamacion": {"remedio": "resolucion"},
    }
    sin = evaluate(case(base).hechos(), D("2022-03-15"))
    con = evaluate(
        case(base, ev("aviso", "2021-01-10", canal="burofax", prueba_recepcion=True)).hechos(),
        D("2022-03-15"),
    )
    assert sin.prescrita is False  # covid: 2022-02-02 + 82 days = 2022-04-25 (errata 5)
    assert vence(sin, "prescripcion") == "2022-04-25"
    assert vence(con, "prescripcion") == "2024-01-10"


# -- the phone whose microphone fails -----------------------------------------------

# ~30 messages: the shop sends the buyer to the brand, offers repair when the buyer chose
# replacement, refuses a return ("only within 7 days"), hides behind its procedures.
MENSAJES = (
    [ev("respuesta", f"2026-09-{d}", canal="chat", respuestas=["marca"]) for d in range(17, 22)]
    + [
        ev("respuesta", f"2026-09-{d}", canal="chat", respuestas=["solo-reparacion"])
        for d in range(22, 30)
    ]
    + [ev("respuesta", "2026-10-02", canal="email", respuestas=["siete-dias"], negativa=True)]
    + [
        ev("respuesta", f"2026-10-{d:02d}", canal="chat", respuestas=["procedimientos", "marca"])
        for d in range(3, 19)
    ]
)


@pytest.mark.parametrize(
    ("hasta", "hoy", "codigos", "etapa", "negativa"),
    [
        ("2026-09-15", "2026-09-15", [], "inicial", False),
        ("2026-09-15", "2026-09-16", [], "recordatorio", False),
        # An answer with an excuse is no solution: the public message rebuts it (escalado).
        ("2026-09-17", "2026-09-17", ["marca"], "escalado", False),
        ("2026-09-29", "2026-09-29", ["marca", "solo-reparacion"], "escalado", False),
        (
            "2026-09-29",
            "2026-10-01",
            ["marca", "solo-reparacion"],
            "escalado",
            False,
        ),  # 15 days passed
        ("2026-10-02", "2026-10-02", ["marca", "solo-reparacion", "siete-dias"], "escalado", True),
        (
            "2026-10-18",
            "2026-10-18",
            ["marca", "solo-reparacion", "siete-dias", "procedimientos"],
            "escalado",
            False,
        ),
        (
            "2026-11-05",
            "2026-11-05",
            ["marca", "solo-reparacion", "siete-dias", "procedimientos"],
            "agradecimiento",
            False,
        ),
    ],
)
def test_phone_story_gives_the_excuses_to_rebut_and_the_social_stage_at_each_step(
    hasta, hoy, codigos, etapa, negativa
):
    story = [
        ev("aviso", "2026-09-15", canal="email", prueba_recepcion=True, remedio="sustitucion"),
        *MENSAJES,
        ev("entrega-reparacion", "2026-10-25"),
        ev("devolucion", "2026-11-05", reparado=True, nota="Teléfono nuevo"),
        ev("resuelto", "2026-11-05"),
    ]
    caso = case(MOVIL, *[e for e in story if e["fecha"] <= D(hasta)])
    today = D(hoy)
    r = evaluate(caso.hechos(), today)
    assert caso.reclamacion.respuestas == codigos
    assert etapa_social(caso, r, today) == etapa
    assert situacion(caso).negativa is negativa
    # From the first answer on, the seller refuses what was demanded: it sends the buyer to
    # the brand (the seller is the one liable, art. 117.1) and offers only repair when the
    # buyer chose replacement (the choice is the buyer's, art. 118.1). The law treats that
    # as a declaration that it will not put the goods in conformity without major
    # inconvenience, which opens price reduction and termination (art. 119 f).
    if D(hasta) >= D("2026-09-17"):
        assert {"rebaja", "resolucion"} <= set(r.remedios_admisibles)
        assert caso.hechos().negativa is True
    else:
        assert r.remedios_admisibles == ["reparacion", "sustitucion"]
    assert len(MENSAJES) == 30


def test_phone_replacement_suspends_the_guarantee_and_starts_the_cover():
    caso = case(
        MOVIL,
        ev("aviso", "2026-09-15", canal="email", prueba_recepcion=True),
        ev("entrega-reparacion", "2026-10-25"),
        ev("devolucion", "2026-11-05", reparado=True),
    )
    r = evaluate(caso.hechos(), D("2026-11-22"))
    assert vence(r, "garantia") == "2029-05-17"  # 2029-05-06 + 11 days with the seller
    assert vence(r, "cobertura_reparacion") == "2027-11-05"
    # Restarted by the received claim (2031-09-15), then again when the seller took the phone
    # on 2026-10-25, an act of acknowledgement (CC art. 1973, flagged): 2026-10-25 + 5 years.
    assert vence(r, "prescripcion") == "2031-10-25"


# After each answer of the shop, the letter rebuts the new excuse with the article that settles it
# (2022 regime): the seller, not the brand, is liable (117.1; the producer only at the consumer's
# option, 125.1); the consumer chooses between repair and replacement (118.1); a 7-day house
# policy cannot cut legal rights (10) (the 14-day withdrawal, 102.1, is argued only while it is
# open: bought at a distance on 04/05/2026 it ended long before); internal procedures
# neither (10), and the remedy is due within a reasonable time (118.4 b).
REBUTTAL_AT_EACH_STEP = [
    ("2026-09-17", "marca", ["art. 117.1", "art. 125.1"]),
    ("2026-09-22", "solo-reparacion", ["art. 118.1"]),
    ("2026-10-02", "siete-dias", ["art. 10 "]),
    ("2026-10-03", "procedimientos", ["art. 10 ", "art. 118.4 b)"]),
]


@pytest.mark.parametrize(("hasta", "codigo", "articulos"), REBUTTAL_AT_EACH_STEP)
def test_phone_story_each_new_excuse_gets_its_rebuttal_in_the_letter(hasta, codigo, articulos):
    from reclama import letter

    story = [ev("aviso", "2026-09-15", canal="email", prueba_recepcion=True), *MENSAJES]
    caso = case(MOVIL, *[e for e in story if e["fecha"] <= D(hasta)])
    today = D(hasta)
    carta = letter_evaluation(caso, today)
    ctx = letter.build_context(caso, evaluate(caso.hechos(), today), today, carta=carta)
    secciones = {s.clave: s for s in ctx["excusas"]}
    assert codigo in secciones
    body = " ".join(letter.plain_text(p, str, str) for p in secciones[codigo].parrafos)
    for articulo in articulos:
        assert f"{articulo}" in body.replace("del TRLGDCU", "TRLGDCU"), (codigo, articulo, body)


def test_phone_story_answers_feed_the_letter_rebuttals():
    from reclama import letter

    caso = case(MOVIL, ev("aviso", "2026-09-15", canal="email", prueba_recepcion=True), *MENSAJES)
    today = D("2026-10-20")
    r = evaluate(caso.hechos(), today)
    ctx = letter.build_context(caso, r, today, carta=letter_evaluation(caso, today))
    codes = ["marca", "solo-reparacion", "siete-dias", "procedimientos"]
    textos = letter.load_texts()["excusas"]
    assert [s.clave for s in ctx["excusas"]] == codes
    for seccion in ctx["excusas"]:
        assert seccion.titulo == textos[seccion.clave]["titulo"]
        body = " ".join(letter.plain_text(p, str, str) for p in seccion.parrafos)
        assert "TRLGDCU" in body, seccion.clave
    marca = " ".join(letter.plain_text(p, str, str) for p in ctx["excusas"][0].parrafos)
    assert "vendedor" in marca


# -- folding rules ------------------------------------------------------------------


def test_flags_win_over_events_and_events_over_the_file():
    caso = build_case(
        {**TV, "eventos": [ev("aviso", "2024-11-03", remedio="sustitucion")]},
        {"remedio": "rebaja"},
    )
    assert caso.reclamacion.remedio == "rebaja"
    assert caso.hechos().remedio == "rebaja"
    assert (
        case(TV, ev("aviso", "2024-11-03", remedio="sustitucion")).hechos().remedio == "sustitucion"
    )


def test_folding_twice_changes_nothing_and_file_values_are_kept():
    caso = case(
        TV,
        ev("respuesta", "2024-11-05", respuestas=["gastos", "marca"]),
        respuestas=["marca"],
        interrupciones=[D("2024-11-02")],
    )
    assert caso.reclamacion.respuestas == ["marca", "gastos"]
    assert caso.reclamacion.interrupciones == [D("2024-11-02")]
    assert apply_events(caso) == caso
    assert caso.hechos() == caso.hechos()


def test_a_return_without_a_handover_is_a_replacement_with_no_suspension():
    caso = case(TV, ev("devolucion", "2024-12-01", reparado=True))
    r = evaluate(caso.hechos(), D("2024-12-02"))
    assert caso.reclamacion.reparaciones[0].desde == caso.reclamacion.reparaciones[0].hasta
    assert r.plazos["garantia"].ampliado_dias == 0
    assert vence(r, "cobertura_reparacion") == "2025-12-01"


def test_a_return_not_repaired_is_a_failed_attempt():
    caso = case(
        TV, ev("entrega-reparacion", "2024-11-05"), ev("devolucion", "2024-11-25", reparado=False)
    )
    assert caso.reclamacion.intento_fallido is True
    assert "resolucion" in evaluate(caso.hechos(), D("2024-11-26")).remedios_admisibles


@pytest.mark.parametrize(
    ("eventos", "mensaje"),
    [
        (
            [ev("entrega-reparacion", "2024-11-05"), ev("entrega-reparacion", "2024-11-07")],
            "ya está en manos",
        ),
        ([ev("reaparece", "2024-11-05")], "ningún intento"),
        ([ev("entrega-reparacion", "2024-11-05"), ev("reaparece", "2024-11-07")], "sigue en manos"),
        ([ev("aviso", "2024-01-05")], "anterior a la compra"),
    ],
)
def test_impossible_sequences_are_rejected_naming_the_event(eventos, mensaje):
    with pytest.raises(InputError, match=mensaje) as e:
        case(TV, *eventos)
    assert e.value.campo.startswith("suceso n.º ")


@pytest.mark.parametrize(
    ("evento", "mensaje"),
    [
        (ev("devolucion", "2024-12-01"), "reparado = true"),
        (ev("aviso", "2024-12-01", reparado=True), "«reparado» no se aplica"),
        (ev("resuelto", "2024-12-01", respuestas=["marca"]), "«respuestas» no se aplica"),
        (ev("respuesta", "2024-12-01", respuestas=["excusa-rara"]), "valor no admitido"),
    ],
)
def test_fields_that_do_not_fit_the_event_type_are_rejected(evento, mensaje):
    with pytest.raises(InputError, match=mensaje):
        case(TV, evento)


# -- social stage and the lawyer's list -------------------------------------------------


def test_an_open_repair_is_not_escalated_when_the_answer_deadline_passes():
    caso = case(TV, ev("aviso", "2024-11-03"), ev("entrega-reparacion", "2024-11-04"))
    today = D("2024-12-10")
    r = evaluate(caso.hechos(), today)
    assert situacion(caso).en_reparacion == D("2024-11-04")
    assert etapa_social(caso, r, today) == "recordatorio"
    sin = case(TV, ev("aviso", "2024-11-03"))
    assert etapa_social(sin, evaluate(sin.hechos(), today), today) == "escalado"


def test_excuses_are_not_action_the_deadline_still_escalates():
    caso = case(TV, ev("aviso", "2024-11-03"), ev("respuesta", "2024-11-10", respuestas=["marca"]))
    today = D("2024-12-04")
    assert etapa_social(caso, evaluate(caso.hechos(), today), today) == "escalado"


def test_file_values_without_events_give_the_stage_too():
    caso = case(TV, aviso=D("2024-11-03"), respuestas=["marca"])
    today = D("2024-11-10")
    assert etapa_social(caso, evaluate(caso.hechos(), today), today) == "escalado"  # an excuse
    refused = case(TV, aviso=D("2024-11-03"), negativa=True)
    assert etapa_social(refused, evaluate(refused.hechos(), today), today) == "escalado"


def test_a_later_event_reopens_a_resolved_case():
    caso = case(
        TV,
        ev("entrega-reparacion", "2024-11-03"),
        ev("devolucion", "2024-11-20", reparado=True),
        ev("resuelto", "2024-11-20"),
        ev("reaparece", "2025-03-01"),
    )
    assert situacion(caso).cerrado is None


def test_pendientes_lists_only_deadlines_that_still_call_for_action():
    today = D("2024-12-10")
    caso = case(TV, ev("aviso", "2024-11-03"))  # answer due 2024-12-03, no answer
    got = {p.clave: p.estado for p in pendientes(caso, evaluate(caso.hechos(), today), today, 30)}
    # desistimiento expired on 2024-05-24 but the buyer never chose it; the guarantee is far away
    assert got == {"respuesta_empresario": "vencido"}
    answered = case(
        TV, ev("aviso", "2024-11-03"), ev("respuesta", "2024-11-20", respuestas=["marca"])
    )
    assert pendientes(answered, evaluate(answered.hechos(), today), today, 30) == []
    chosen = case(TV, remedio="desistimiento")
    got = {
        p.clave: p.estado for p in pendientes(chosen, evaluate(chosen.hechos(), today), today, 30)
    }
    assert got == {"desistimiento": "vencido"}


def test_pendientes_old_regime_notice_not_sent_and_prescription_soon():
    base = {
        "compra": {"fecha": D("2021-03-10"), "canal": "tienda"},
        "defecto": {"descubrimiento": D("2021-08-01")},
        "reclamacion": {},
    }
    caso = case(base)
    today = D("2024-02-20")
    got = [
        (p.clave, p.estado, p.plazo.vence.isoformat())
        for p in pendientes(caso, evaluate(caso.hechos(), today), today, 30)
    ]
    assert got == [("aviso", "vencido", "2021-10-01"), ("prescripcion", "proximo", "2024-03-10")]
