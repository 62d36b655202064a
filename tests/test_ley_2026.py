"""Issue 12 (items 1-9) and issue 11's withdrawal points: what the answer says, and cites.

The dates are in tests/scenarios/ley_2026.toml; here, the words a lawyer reads: which article
each conclusion rests on, that an unsettled point is shown as such with both answers, and
that no right is given up in the wording.
"""

from __future__ import annotations

from datetime import date

import pytest
from rich.console import Console

from reclama.cli.campos import named
from reclama.cli.vistas import exigible_ahora, print_result, verdict
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.facts import Hechos, Reparacion

D = date.fromisoformat


def _text(r) -> str:
    console = Console(width=400, record=True, color_system=None)
    print_result(r, console)
    return console.export_text()


def _conclusion(r, tema: str):
    return next(c for c in r.conclusiones if c.tema == tema)


DIGITAL = dict(
    fecha_compra=D("2025-03-03"),
    fecha_descubrimiento=D("2025-03-04"),
    canal="distancia",
    digital=True,
)


def test_digital_withdrawal_never_talks_of_returning_a_product():
    r = evaluate(Hechos(**DIGITAL, fecha_desistimiento=D("2025-03-05")), D("2025-03-06"))
    textos = " ".join(c.texto for c in r.conclusiones if "desistimiento" in c.tema)
    assert "el producto" not in textos
    assert "envío ordinario" not in textos
    assert "104 c) TRLGDCU" in _conclusion(r, "desistimiento_inicio").texto


def test_the_sending_date_rule_is_cited_as_art_106_2():
    r = evaluate(Hechos(**DIGITAL), D("2025-03-06"))
    assert _conclusion(r, "desistimiento").articulo == "art. 106.2 TRLGDCU"


def test_consented_supply_excludes_withdrawal_by_art_103_m():
    r = evaluate(
        Hechos(**DIGITAL, ejecucion_consentida=True, remedio="desistimiento"), D("2025-03-06")
    )
    assert "103 m) TRLGDCU" in r.remedio.motivo
    assert "desistimiento" not in r.remedios_admisibles


def test_restart_after_a_received_claim_cites_art_1973_cc():
    h = Hechos(
        fecha_compra=D("2025-10-01"),
        fecha_descubrimiento=D("2026-02-10"),
        interrupciones=(D("2026-03-02"),),
    )
    r = evaluate(h, D("2026-04-02"))
    assert _conclusion(r, "prescripcion").articulo == "art. 1973 Código Civil"
    assert "1973" in r.plazos["prescripcion"].articulo


def test_receipt_shown_by_the_answer_is_flagged_as_interpretation():
    h = Hechos(
        fecha_compra=D("2023-02-01"),
        fecha_descubrimiento=D("2023-05-02"),
        fecha_aviso=D("2023-05-03"),
        respuesta_vendedor=True,
    )
    r = evaluate(h, D("2023-06-01"))
    assert any(a.codigo == "no_verificado:cc.reconocimiento_deuda" for a in r.avisos)
    # The date without the interpretation is given too: 2023-05-02 + 5 years.
    assert any(
        "02/05/2028" in a.texto for a in r.avisos if a.codigo == "prescripcion_sin_derivadas"
    )


@pytest.mark.parametrize(
    ("hechos", "articulos"),
    [
        # 2022, nothing done yet: reasonable time (119 b), failure (119 d), refusal (119 f).
        (dict(fecha_compra=D("2024-05-10")), ["119 b)", "119 d)", "119 f)"]),
        # 2007: the failed replacement would open it by 120 f), not 120 d).
        (
            dict(
                fecha_compra=D("2020-09-01"),
                reparaciones=(
                    Reparacion(desde=D("2021-01-12"), hasta=D("2021-02-11"), sustitucion=True),
                ),
            ),
            ["120 f)", "121"],
        ),
    ],
)
def test_a_fallback_not_yet_open_lists_the_cases_that_could_open_it(hechos, articulos):
    base = dict(
        fecha_descubrimiento=D("2021-01-10") if "reparaciones" in hechos else D("2024-11-01")
    )
    r = evaluate(
        Hechos(**hechos, **base, remedio="rebaja"),
        D("2021-03-01") if "reparaciones" in hechos else D("2024-12-01"),
    )
    assert r.remedio.disponible == "todavia_no"
    for a in articulos:
        assert f"{a} TRLGDCU" in r.remedio.motivo, r.remedio.motivo
    if "reparaciones" in hechos:
        assert "120 d)" not in r.remedio.motivo


def test_failed_replacement_opens_the_fallback_by_art_120_f():
    h = Hechos(
        fecha_compra=D("2020-09-01"),
        fecha_descubrimiento=D("2021-01-10"),
        reparaciones=(
            Reparacion(
                desde=D("2021-01-12"), hasta=D("2021-02-11"), sustitucion=True, conforme=False
            ),
        ),
        intento_fallido=True,
        remedio="rebaja",
    )
    r = evaluate(h, D("2021-03-01"))
    assert "art. 120 f) TRLGDCU" in r.remedio.motivo
    assert "120 d)" not in r.remedio.motivo


def test_a_deadline_that_is_today_is_acted_on_today_never_on_a_past_day():
    h = Hechos(
        fecha_compra=D("2025-02-27"),
        fecha_entrega=D("2025-03-01"),
        fecha_descubrimiento=D("2025-03-01"),
        canal="distancia",
    )
    texto = _text(evaluate(h, D("2025-03-15")))  # the period ends today, Saturday
    assert "actúe hoy mismo" in texto
    assert "14/03/2025" not in texto


def test_weekend_end_shows_both_readings_as_unverified():
    h = Hechos(
        fecha_compra=D("2025-02-27"),
        fecha_entrega=D("2025-03-01"),
        fecha_descubrimiento=D("2025-03-01"),
        canal="distancia",
        fecha_desistimiento=D("2025-03-17"),
    )
    r = evaluate(h, D("2025-03-18"))
    c = _conclusion(r, "desistimiento_dia_inhabil")
    assert (
        "tarde según el cómputo civil" in c.texto and "a tiempo según la lectura europea" in c.texto
    )
    aviso = next(
        a for a in r.avisos if a.codigo == "no_verificado:trlgdcu.desistimiento_dia_inhabil"
    )
    assert aviso.no_verificado and "1182/71" in aviso.texto
    assert "Punto no verificado" in _text(r)


def test_a_withdrawal_period_ending_on_a_national_holiday_shows_both_readings():
    """Received 24-11-2025 + 14 days (art. 104 b) = 08-12-2025, Inmaculada Concepción (national
    holiday): sent on 09-12-2025 it is late by the civil count and in time by the EU reading."""
    h = Hechos(
        fecha_compra=D("2025-11-20"),
        fecha_recepcion=D("2025-11-24"),
        fecha_descubrimiento=D("2025-11-24"),
        canal="distancia",
        fecha_desistimiento=D("2025-12-09"),
    )
    c = _conclusion(evaluate(h, D("2025-12-10")), "desistimiento_dia_inhabil")
    assert "08/12/2025, festivo (Inmaculada Concepción)" in c.texto
    assert (
        "a tiempo según la lectura europea, que lo lleva al siguiente día hábil, el 09/12/2025"
        in c.texto
    )


def test_an_expired_withdrawal_is_no_longer_not_yet():
    h = Hechos(
        fecha_compra=D("2025-01-08"),
        fecha_recepcion=D("2025-01-10"),
        fecha_descubrimiento=D("2025-01-10"),
        canal="distancia",
        remedio="desistimiento",
    )
    r = evaluate(h, D("2025-06-01"))
    line, _ = verdict(r)
    assert "ya no" in line and "todavía" not in line
    # ...and it says the twelve months of art. 105.1 if the seller did not inform.
    assert "24/01/2026" in r.remedio.motivo and "105.1" in r.remedio.motivo


def test_a_recorded_withdrawal_is_not_demandable_again():
    h = Hechos(
        fecha_compra=D("2025-02-28"),
        fecha_entrega=D("2025-03-03"),
        fecha_descubrimiento=D("2025-03-03"),
        canal="distancia",
        fecha_desistimiento=D("2025-03-10"),
    )
    r = evaluate(h, D("2025-03-12"))
    assert "desistimiento" not in exigible_ahora(r)


def test_second_hand_pact_below_the_minimum_shows_both_results_as_unverified():
    h = Hechos(
        fecha_compra=D("2023-03-01"),
        fecha_descubrimiento=D("2023-12-01"),
        segunda_mano=True,
        garantia_pactada_meses=6,
    )
    r = evaluate(h, D("2024-01-01"))
    aviso = next(a for a in r.avisos if a.codigo == "pacto_inferior_minimo")
    assert aviso.no_verificado
    assert "01/03/2026" in aviso.texto and "01/03/2024" in aviso.texto
    assert "se aplica ese mínimo" not in aviso.texto


def test_an_answer_that_depends_on_a_reading_is_never_categorical():
    h = Hechos(
        fecha_compra=D("2021-12-20"),
        fecha_entrega=D("2022-01-05"),
        fecha_descubrimiento=D("2024-03-01"),
    )
    r = evaluate(h, D("2024-04-01"))
    texto = _text(r)
    assert "ningún remedio" not in texto
    assert "depende de un punto no verificado" in verdict(r)[0]
    assert "01/03/2029" in r.otra_lectura.texto


@pytest.mark.parametrize(
    ("extra", "flag"),
    [
        (dict(suministro_hasta=D("2026-01-01")), "--suministro-hasta"),
        (dict(soporte_material=True), "--soporte-material"),
        (dict(ejecucion_consentida=True), "--ejecucion-consentida"),
        (dict(fecha_conserva=D("2025-03-05")), "--conserva"),
        (
            dict(canal="tienda", sin_informacion_desistimiento=True),
            "--sin-informacion-desistimiento",
        ),
    ],
)
def test_a_new_fact_without_the_fact_it_qualifies_names_its_flag(extra, flag):
    h = Hechos(fecha_compra=D("2025-03-03"), fecha_descubrimiento=D("2025-03-04"), **extra)
    with pytest.raises(InputError) as e:
        evaluate(h, D("2025-03-06"))
    assert flag in str(named(e.value))


# -- the new inputs on the command line ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "campo"),
    [
        (["--suministro-hasta", "2026-02-30", "--digital"], "--suministro-hasta"),
        (["--suministro-hasta", "2026-01-01"], "--suministro-hasta"),
        (["--sustitucion", "2025-03-05"], "--sustitucion"),
        (["--conserva", "2025-03-05"], "--conserva"),
        (["--ejecucion-consentida"], "--ejecucion-consentida"),
        (["--soporte-material"], "--soporte-material"),
        (
            ["--sin-informacion-desistimiento", "--canal", "tienda"],
            "--sin-informacion-desistimiento",
        ),
    ],
)
def test_bad_new_input_is_exit_2_with_a_spanish_message_naming_the_flag(capsys, args, campo):
    from reclama.cli import main

    code = main(["comprobar", "--compra", "2025-03-03", "--descubrimiento", "2025-03-04", *args,
                 "--hoy", "2025-03-06"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert f"Error en {campo}" in err and "Traceback" not in err


def test_the_new_flags_reach_the_engine_from_the_command_line(capsys):
    import json

    from reclama.cli import main

    code = main(["comprobar", "--compra", "2020-09-01", "--descubrimiento", "2021-01-10",
                 "--sustitucion", "2021-01-12:2021-02-11", "--hoy", "2021-09-01", "--json"])  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    # 2021-02-11 + 6 months (old art. 120 e); guarantee 2022-09-01 + 30 suspended days.
    assert data["plazos"]["presuncion_sustituto"]["vence"] == "2021-08-11"
    assert data["plazos"]["garantia"]["vence"] == "2022-10-01"


def test_a_withdrawal_event_takes_its_channel_and_conserva_ends_the_refund(tmp_path, capsys):
    from reclama.casefile import load_case
    from reclama.cli import main

    f = tmp_path / "c.toml"
    assert main(["caso", "nuevo", str(f), "--compra", "2025-02-28", "--entrega", "2025-03-03",
                 "--canal", "distancia", "--descubrimiento", "2025-03-03", "--no-interactivo",
                 "--hoy", "2025-03-12"]) == 0  # fmt: skip
    assert main(["caso", "evento", str(f), "desistimiento", "--fecha", "2025-03-10",
                 "--canal", "burofax", "--hoy", "2025-03-12"]) == 0  # fmt: skip
    r = evaluate(load_case(f).hechos(), D("2025-03-12"))
    assert r.plazos["reembolso_desistimiento"].vence == D("2025-03-24")  # 10-03 + 14 days
    assert (
        main(["caso", "evento", str(f), "conserva", "--fecha", "2025-03-11", "--hoy", "2025-03-12"])
        == 0
    )
    caso = load_case(f)
    assert caso.eventos[0].canal == "burofax"
    r = evaluate(caso.hechos(), D("2025-03-12"))
    assert r.plazos["reembolso_desistimiento"] is None
    assert "desistimiento" not in r.remedios_admisibles
    capsys.readouterr()


def test_caso_nuevo_asks_the_digital_questions_only_for_digital_content(tmp_path):
    import tomllib

    from typer.testing import CliRunner

    from reclama.cli import app

    answers = [
        "2025-03-03", "", "distancia", "Suscripción de vídeo", "", "",
        "",  # segunda mano: no
        "s",  # the seller did not inform of the right of withdrawal
        "s",  # digital
        "",  # no tangible medium
        "",  # supply did not start with consent
        "2026-03-03",  # continuous supply until
        "2025-03-04", "", "",
        *[""] * 15,  # the rest, with «gran empresa» and «comunidad»
        "s",  # save
    ]  # fmt: skip
    path = tmp_path / "video.toml"
    result = CliRunner().invoke(
        app, ["caso", "nuevo", str(path), "--interactivo", "--hoy", "2025-03-06"],
        input="\n".join(answers) + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "¿Le llegó en un soporte material" in result.output
    compra = tomllib.loads(path.read_text(encoding="utf-8"))["compra"]
    assert compra["digital"] is True and compra["sin_informacion_desistimiento"] is True
    assert compra["suministro_hasta"].isoformat() == "2026-03-03"
    assert "soporte_material" not in compra
