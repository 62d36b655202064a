"""Property tests: random facts and random strings never crash, and the law's invariants hold."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reclama.cli import main
from reclama.cli.commands.comprobar import exit_code
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.facts import CANALES, REMEDIOS, Hechos, Reparacion

DAYS = st.dates(min_value=date(2009, 6, 1), max_value=date(2032, 12, 31))
LOST = re.compile(r"(pierde|perdido|pérdida de (sus|los) derechos|derechos perdidos)", re.I)
SAFE_LOST = re.compile(r"no (hace|supone|supondrá) perder|no supondrá la pérdida", re.I)


@st.composite
def facts(draw):
    compra = draw(DAYS)
    entrega = compra + timedelta(days=draw(st.integers(0, 60)))
    descubrimiento = entrega + timedelta(days=draw(st.integers(0, 1500)))
    hoy = descubrimiento + timedelta(days=draw(st.integers(0, 3000)))
    reparaciones = []
    if draw(st.booleans()):
        d = descubrimiento + timedelta(days=draw(st.integers(0, 30)))
        h = d + timedelta(days=draw(st.integers(0, 90)))
        if h <= hoy:
            reparaciones.append(Reparacion(desde=d, hasta=h, sustitucion=draw(st.booleans())))
    interrupciones = tuple(
        sorted(
            {
                descubrimiento + timedelta(days=draw(st.integers(0, 2000)))
                for _ in range(draw(st.integers(0, 2)))
            }
        )
    )
    interrupciones = tuple(d for d in interrupciones if d <= hoy)
    leve = draw(st.booleans())
    digital = draw(st.booleans())
    desistimiento = draw(
        st.none() | st.just(min(hoy, entrega + timedelta(days=draw(st.integers(0, 40)))))
    )
    return Hechos(
        fecha_compra=compra,
        fecha_entrega=entrega if draw(st.booleans()) else None,
        fecha_descubrimiento=descubrimiento,
        remedio=draw(st.none() | st.sampled_from(REMEDIOS)),
        fecha_aviso=draw(
            st.none()
            | st.just(min(hoy, descubrimiento + timedelta(days=draw(st.integers(0, 400)))))
        ),
        segunda_mano=draw(st.booleans()),
        garantia_pactada_meses=draw(st.none() | st.integers(0, 48)),
        digital=digital,
        soporte_material=digital and draw(st.booleans()),
        suministro_hasta=draw(
            st.none() | st.just(entrega + timedelta(days=draw(st.integers(0, 1500))))
        )
        if digital
        else None,
        sin_informacion_desistimiento=draw(st.booleans()),
        respuesta_vendedor=draw(st.booleans()),
        fecha_desistimiento=desistimiento,
        leve=leve,
        grave=not leve and draw(st.booleans()),
        intento_fallido=draw(st.booleans()),
        negativa=draw(st.booleans()),
        reparaciones=tuple(reparaciones),
        interrupciones=interrupciones,
        canal=draw(st.none() | st.sampled_from(CANALES)),
    ), hoy


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts())
def test_engine_never_crashes_and_keeps_the_laws_invariants(case):
    h, hoy = case
    try:
        r = evaluate(h, hoy)
    except InputError:
        return
    entrega = h.fecha_entrega or h.fecha_compra
    # The regime is chosen by the contract date, never mixed.
    assert r.regimen == ("2022" if h.fecha_compra >= date(2022, 1, 1) else "2007")
    assert {f.regimen for f in r.fundamentos} <= {r.regimen, None}
    # The guarantee is judged on the date the defect showed up, and never lasts under one year.
    assert r.en_garantia == (h.fecha_descubrimiento <= r.plazos["garantia"].vence)
    # (A continuous digital supply lasts what the contract says: arts. 120.2 and 121.2.)
    if h.suministro_hasta is not None and r.regimen == "2022":
        assert r.plazos["garantia"].vence >= h.suministro_hasta
    else:
        assert r.plazos["garantia"].vence >= entrega + relativedelta(months=12)
    # Burden of proof follows the presumption period.
    assert (r.carga_prueba == "empresario") == (
        h.fecha_descubrimiento <= r.plazos["presuncion"].vence
    )
    # The 2022 regime has no notice deadline; a late notice never loses rights.
    if r.regimen == "2022":
        assert r.plazos["aviso"] is None and r.aviso_tardio is None
    texts = [c.texto for c in r.conclusiones] + [a.texto for a in r.avisos]
    if r.remedio:
        texts.append(r.remedio.motivo)
    for t in texts:
        assert not LOST.search(SAFE_LOST.sub("", t)), t
    # Termination is never available for a minor defect; fallbacks only with a listed reason.
    if h.leve:
        assert "resolucion" not in r.remedios_admisibles
    if not (h.intento_fallido or h.negativa or (h.grave and r.regimen == "2022")):
        assert not {"rebaja", "resolucion"} & set(r.remedios_admisibles)
    if r.regimen == "2007" and h.segunda_mano:
        assert "sustitucion" not in r.remedios_admisibles
    # Nothing can be demanded outside the guarantee or once time-barred.
    if not r.en_garantia or r.prescrita:
        assert not {"reparacion", "sustitucion", "rebaja", "resolucion"} & set(
            r.remedios_admisibles
        )
    assert exit_code(r) in (0, 1)  # the command's exit code, from Resultado.exigible
    # A withdrawal already sent is not offered again; its refund is watched only if it was sent.
    if h.fecha_desistimiento is not None:
        assert "desistimiento" not in r.remedios_admisibles
    else:
        assert r.plazos["reembolso_desistimiento"] is None
    # A deadline still alive is never to be acted on by a day already past.
    for p in r.plazos.values():
        if p is not None and p.actuar_antes_de is not None and not p.vencido:
            assert hoy <= p.actuar_antes_de <= p.vence
    # An answer that depends on an unsettled reading says so, and the readings really differ.
    if r.otra_lectura is not None:
        alt = r.otra_lectura
        ok = r.remedio.admisible if r.remedio else None
        assert (alt.en_garantia, alt.prescrita, alt.remedio_admisible) != (
            r.en_garantia,
            r.prescrita,
            ok,
        )
        assert any(a.no_verificado and a.codigo.startswith("otra_lectura_") for a in r.avisos)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts())
def test_a_seller_answer_never_shortens_prescription(case):
    """The seller's answer shows receipt: it can only add an interruption, never remove one."""
    h, hoy = case
    try:
        sin = evaluate(h.model_copy(update={"respuesta_vendedor": False}), hoy)
        con = evaluate(h.model_copy(update={"respuesta_vendedor": True}), hoy)
    except InputError:
        return
    assert con.plazos["prescripcion"].vence >= sin.plazos["prescripcion"].vence
    assert con.prescrita <= sin.prescrita


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)
FLAGS = [
    "--compra",
    "--entrega",
    "--descubrimiento",
    "--remedio",
    "--aviso",
    "--garantia-pactada",
    "--reparacion",
    "--interrupcion",
    "--canal",
    "--recepcion",
    "--desistimiento",
    "--hoy",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(FLAGS), TEXT | DAYS.map(str) | DAYS.map(lambda d: f"{d:%d/%m/%Y}")
        ),
        max_size=8,
    )
)
def test_cli_never_shows_a_traceback_on_random_input(capsys, pairs):
    args = ["comprobar", "--json"]
    for flag, value in pairs:
        args += [flag, value]
    code = main(args)
    err = capsys.readouterr().err
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(("Error en ", "Error de uso"))
