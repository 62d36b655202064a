"""A reform is a data change: edit a copy of legal_rules/ and every output follows.

How to read this file (for a lawyer): REFORMAS lists imagined reforms, each as the lines it
changes in the rule files (for instance the guarantee of the 2022 text going from 36 to 48
months). Each table below gives a case, what the program answers with today's rules, and
what it must answer once the program reads the reformed copy (through $RECLAMA_REGLAS):
the verdict of `reclama comprobar`, the deadlines of a case's timeline, the article a public
message cites and the notice-deadline row of the report. No code changes between the two.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from reclama import timeline
from reclama.casefile import build_case
from reclama.cli import main
from reclama.cli.vistas import print_result
from reclama.engine import evaluate, fechas_del_caso
from reclama.facts import Hechos
from reclama.paths import RULES_ENV, rules_dir
from reclama.rules import SELECTORES
from reclama.social import drafts

D = date.fromisoformat


@dataclass(frozen=True)
class Cambio:
    """Replace `antes` by `despues` in the rule files matching `ficheros`, `veces` times in all."""

    ficheros: str
    antes: str
    despues: str
    veces: int = 1


GARANTIA = "trlgdcu/garantia_plazo.toml"
RESPUESTA = "trlgdcu/respuesta_reclamacion.toml"
COVID = "rd463_2020/suspension_prescripcion.toml"
PRIMARIOS = "trlgdcu/remedios_primarios.toml"
SUBSIDIARIOS = "trlgdcu/remedios_subsidiarios.toml"

REFORMAS: dict[str, list[Cambio]] = {
    # The 2022 guarantee grows from 3 to 4 years.
    "garantia_4_anos": [Cambio(GARANTIA, "meses_bienes = 36", "meses_bienes = 48")],
    # The 2022 guarantee regime starts on 1-7-2021 instead of 1-1-2022 (every rule of the
    # guarantee title, and the transitional rule on later deliveries).
    "reforma_2022_adelantada": [
        # 19 guarantee rules, plus suministro_continuo, presuncion_sustituto and pacto_inferior_minimo; indemnizacion.
        Cambio("**/*.toml", "valido_desde = 2022-01-01", "valido_desde = 2021-07-01", veces=23),
        Cambio(
            "rdl7_2021/entrega_posterior.toml",
            "fecha_corte = 2022-01-01",
            "fecha_corte = 2021-07-01",
        ),
    ],
    # Art. 21.3: the seller answers in 20 days instead of 15.
    "respuesta_20_dias": [Cambio(RESPUESTA, "dias = 15", "dias = 20")],
    # Art. 21.3: the 15-day rule starts a year later, on 28-12-2026.
    "respuesta_15_dias_en_2026": [
        Cambio(RESPUESTA, "valido_desde = 2025-12-28", "valido_desde = 2026-12-28")
    ],
    # Art. 21.3 renumbered as 21.4 (both versions).
    "respuesta_art_21_4": [Cambio(RESPUESTA, 'articulo = "21.3"', 'articulo = "21.4"', veces=2)],
    # The 2020 suspension lasts ten days more (to 13-06-2020: 92 days).
    "covid_92_dias": [
        Cambio(COVID, "hasta = 2020-06-03", "hasta = 2020-06-13"),
        Cambio(COVID, "dias = 82", "dias = 92"),
    ],
    # The 2020 suspension rule in force only from 2023: periods that ended before are untouched.
    "covid_desde_2023": [Cambio(COVID, "valido_desde = 2020-03-14", "valido_desde = 2023-01-01")],
    # The 2007 text stops requiring notice to the seller.
    "aviso_2007_suprimido": [
        Cambio("trlgdcu/aviso.toml", "aplica = true\nmeses = 2", "aplica = false")
    ],
    # The article on repair or replacement renumbered: 118 becomes 128 (2022 text).
    "remedios_art_128": [Cambio(PRIMARIOS, 'articulo = "118.1"', 'articulo = "128.1"')],
    # Replacement moves to the second tier, with price reduction and termination.
    "sustitucion_subsidiaria": [
        Cambio(
            PRIMARIOS,
            'remedios = ["reparacion", "sustitucion"]',
            'remedios = ["reparacion"]',
            veces=2,
        ),
        Cambio(
            SUBSIDIARIOS,
            'remedios = ["rebaja", "resolucion"]',
            'remedios = ["sustitucion", "rebaja", "resolucion"]',
            veces=2,
        ),
    ],
    # "Reappears after the repair" cited as letter g) of art. 119 instead of d).
    # (Three places: the case, its citation, and the failed replacement's article.)
    "intento_fallido_119_g": [Cambio(SUBSIDIARIOS, '"119 d)"', '"119 g)"', veces=3)],
    # Broken data: a rule chosen by a date the engine does not know, or does not have for it.
    "selector_desconocido": [Cambio(GARANTIA, '"fecha_contrato"', '"fecha_entrega"')],
    "selector_sin_fecha": [Cambio(GARANTIA, '"fecha_contrato"', '"fecha_hecho"')],
}


@pytest.fixture
def reformar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """reformar(name): from now on the program reads a copy of legal_rules/ with that reform."""

    def apply(name: str) -> None:
        root = tmp_path / "legal_rules"
        shutil.copytree(rules_dir(), root)
        for c in REFORMAS[name]:
            hechos = 0
            for path in sorted(root.glob(c.ficheros)):
                text = path.read_text(encoding="utf-8")
                hechos += text.count(c.antes)
                path.write_text(text.replace(c.antes, c.despues), encoding="utf-8")
            assert hechos == c.veces, f"{name}: «{c.antes}» aparece {hechos} veces, no {c.veces}"
        monkeypatch.setenv(RULES_ENV, str(root))

    return apply


# --- reclama comprobar: the verdict and its dates --------------------------------------------

# The facts of three purchases, as typed on the command line.
FUERA_DE_GARANTIA = [
    "--compra",
    "2023-01-10",
    "--descubrimiento",
    "2026-03-01",
    "--hoy",
    "2026-03-15",
]
CONTRATO_2021 = ["--compra", "2021-09-01", "--descubrimiento", "2023-10-01", "--hoy", "2023-10-15"]
RECLAMADA = [
    "--compra",
    "2026-05-04",
    "--descubrimiento",
    "2026-10-20",
    "--aviso",
    "2026-11-02",
    "--hoy",
    "2026-11-10",
]
# 2007 contract: prescription 3 years from delivery (10-05-2022) plus the suspended days.
COMPRA_2019 = ["--compra", "2019-05-10", "--descubrimiento", "2019-09-01", "--hoy", "2022-07-01"]

# reform -> (the purchase, JSON field, answer today, answer after the reform)
COMPROBAR = {
    "garantia_4_anos": (FUERA_DE_GARANTIA, "plazos.garantia.vence", "2026-01-10", "2027-01-10"),
    "reforma_2022_adelantada": (CONTRATO_2021, "regimen", "2007", "2022"),
    "respuesta_20_dias": (
        RECLAMADA,
        "plazos.respuesta_empresario.vence",
        "2026-11-17",
        "2026-11-22",
    ),
    "respuesta_15_dias_en_2026": (
        RECLAMADA,
        "plazos.respuesta_empresario.vence",
        "2026-11-17",
        "2026-12-02",
    ),
    "covid_92_dias": (COMPRA_2019, "plazos.prescripcion.vence", "2022-07-31", "2022-08-10"),
    "covid_desde_2023": (COMPRA_2019, "plazos.prescripcion.vence", "2022-07-31", "2022-05-10"),
}


def _comprobar(capsys, args: list[str]) -> tuple[int, dict]:
    code = main(["comprobar", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _field(data: dict, path: str):
    for key in path.split("."):
        data = data[key]
    return data


@pytest.mark.parametrize("reforma", COMPROBAR)
def test_comprobar_follows_the_reformed_rules(reforma, reformar, capsys):
    args, field, hoy_dice, tras_reforma = COMPROBAR[reforma]
    _, before = _comprobar(capsys, args)
    assert _field(before, field) == hoy_dice
    reformar(reforma)
    _, after = _comprobar(capsys, args)
    assert _field(after, field) == tras_reforma


def test_a_longer_guarantee_turns_the_verdict(reformar, capsys):
    code, before = _comprobar(capsys, FUERA_DE_GARANTIA)
    assert (code, before["en_garantia"]) == (1, False)
    reformar("garantia_4_anos")
    code, after = _comprobar(capsys, FUERA_DE_GARANTIA)
    assert (code, after["en_garantia"]) == (0, True)


def test_a_remedy_moved_to_the_second_tier_waits_for_the_first(reformar, capsys):
    args = [*RECLAMADA, "--remedio", "sustitucion"]
    assert _comprobar(capsys, args)[1]["remedio"]["admisible"] is True
    reformar("sustitucion_subsidiaria")
    remedio = _comprobar(capsys, args)[1]["remedio"]
    assert remedio["admisible"] is False
    assert remedio["motivo"].startswith(
        "Todavía no puede exigirse la sustitución: primero hay que pedir la reparación;"
    )


def test_the_digital_content_warning_names_the_reform_year_of_the_data(reformar, capsys):
    args = [
        "--compra",
        "2021-03-01",
        "--descubrimiento",
        "2021-06-01",
        "--digital",
        "--hoy",
        "2021-07-01",
    ]

    def aviso() -> str:
        return next(
            a["texto"]
            for a in _comprobar(capsys, args)[1]["avisos"]
            if a["codigo"] == "digital_2007"
        )

    assert "el régimen anterior a 2022 no tiene regla propia" in aviso()
    reformar("reforma_2022_adelantada")
    assert "el régimen anterior a 2021 no tiene regla propia" in aviso()


@pytest.mark.parametrize("reforma", ["selector_desconocido", "selector_sin_fecha"])
def test_broken_rule_data_is_an_internal_error(reforma, reformar, capsys):
    reformar(reforma)
    code = main(["comprobar", *FUERA_DE_GARANTIA, "--json"])
    err = capsys.readouterr().err
    assert code == 3
    assert "Error interno en las reglas legales" in err and "garantia_plazo" in err


def test_the_engine_passes_every_date_a_rule_can_be_chosen_by():
    """A rule file may only name a date the engine gives (fecha_hecho: per event, at its site)."""
    h = Hechos(fecha_compra=D("2023-01-10"), fecha_descubrimiento=D("2023-06-01"))
    assert {*fechas_del_caso(h, D("2023-07-01")), "fecha_hecho"} == set(SELECTORES)


# --- a case's timeline: the seller's deadline and what each event means -----------------------

CASO_2022 = {
    "compra": {"fecha": D("2026-05-04"), "producto": "Teléfono móvil Nexo X12"},
    "defecto": {"descubrimiento": D("2026-10-20"), "descripcion": "No carga la batería."},
    "reclamacion": {"remedio": "sustitucion"},
    "vendedor": {"usuario": "TelefoniaSAT"},
    "eventos": [
        {"tipo": "aviso", "fecha": D("2026-11-02"), "prueba_recepcion": True},
        {"tipo": "entrega-reparacion", "fecha": D("2026-11-04")},
        {"tipo": "devolucion", "fecha": D("2026-11-06"), "reparado": True},
        {"tipo": "reaparece", "fecha": D("2026-11-08")},
    ],
}
HOY_2022 = D("2026-11-10")


def _respuesta_vence() -> date:
    # Only the claim: not yet answered.
    caso = build_case({**CASO_2022, "eventos": CASO_2022["eventos"][:1]})
    resultado = evaluate(caso.hechos(), HOY_2022)
    p = timeline.plazo_respuesta(caso, resultado)
    pendientes = timeline.pendientes(caso, resultado, HOY_2022, dentro_de=30)
    assert [x.plazo for x in pendientes if x.clave == "respuesta_empresario"] == [p]
    return p.vence


def _efecto(tipo: str) -> str:
    caso = build_case(CASO_2022)
    (ev,) = [e for e in caso.eventos if e.tipo == tipo]
    return timeline.efecto(ev, caso)


# reform -> (what is read, answer today, answer after the reform)
TIMELINE = {
    "respuesta_20_dias": (_respuesta_vence, D("2026-11-17"), D("2026-11-22")),
    "respuesta_15_dias_en_2026": (_respuesta_vence, D("2026-11-17"), D("2026-12-02")),
    "respuesta_art_21_4": (lambda: "(art. 21.4 TRLGDCU)" in _efecto("aviso"), False, True),
    "intento_fallido_119_g": (lambda: "(art. 119 g) TRLGDCU)" in _efecto("reaparece"), False, True),
}


@pytest.mark.parametrize("reforma", TIMELINE)
def test_the_timeline_follows_the_reformed_rules(reforma, reformar):
    read, hoy_dice, tras_reforma = TIMELINE[reforma]
    assert read() == hoy_dice
    reformar(reforma)
    assert read() == tras_reforma


# --- public messages: the article and the length of the guarantee cited ----------------------

# reform -> (remedy and facts of the case, text today, text after the reform)
SOCIAL = {
    "remedios_art_128": ({}, "(arts. 118 y 120 TRLGDCU)", "(arts. 120 y 128 TRLGDCU)"),
    "sustitucion_subsidiaria": (
        {"intento_fallido": True},
        "(arts. 118 y 120 TRLGDCU)",
        "(arts. 119 y 120 TRLGDCU)",
    ),
    "garantia_4_anos": ({}, "garantía legal de 3 años", "garantía legal de 4 años"),
}


def _inicial(reclamacion: dict) -> str:
    data = {**CASO_2022, "eventos": [], "reclamacion": {**CASO_2022["reclamacion"], **reclamacion}}
    caso = build_case(data)
    (d,) = drafts(caso, evaluate(caso.hechos(), HOY_2022), HOY_2022, etapas=["inicial"])
    return " ".join(d.partes)


@pytest.mark.parametrize("reforma", SOCIAL)
def test_public_messages_cite_the_reformed_rules(reforma, reformar):
    reclamacion, hoy_dice, tras_reforma = SOCIAL[reforma]
    assert hoy_dice in _inicial(reclamacion)
    reformar(reforma)
    text = _inicial(reclamacion)
    assert tras_reforma in text and hoy_dice not in text


# --- the report: the row that says the law sets no notice deadline --------------------------

SIN_PLAZO = "sin plazo en la ley vigente"

# reform -> (contract date, row shown today, row shown after the reform)
INFORME = {
    "reforma_2022_adelantada": (D("2021-09-01"), False, True),
    "aviso_2007_suprimido": (D("2021-03-01"), False, True),
    # A reform elsewhere leaves the row of a 2022 contract as it is.
    "garantia_4_anos": (D("2023-01-10"), True, True),
}


def _informe(compra: date) -> str:
    h = Hechos(fecha_compra=compra, fecha_descubrimiento=D("2023-06-01"))
    out = StringIO()
    print_result(evaluate(h, D("2023-07-01")), Console(file=out, width=200))
    return out.getvalue()


@pytest.mark.parametrize("reforma", INFORME)
def test_the_notice_row_follows_the_rule_not_the_regime(reforma, reformar):
    compra, hoy_dice, tras_reforma = INFORME[reforma]
    assert (SIN_PLAZO in _informe(compra)) == hoy_dice
    reformar(reforma)
    assert (SIN_PLAZO in _informe(compra)) == tras_reforma
