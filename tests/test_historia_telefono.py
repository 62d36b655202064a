"""The seeds' phone story, replayed event by event (tests/historias/telefono.toml).

At every step the law and the history say what the buyer can demand, what the letter demands
(her recorded choice, art. 118.1 TRLGDCU), which seller answers amount to a refusal (art. 119 f),
which excuses the letter rebuts, and the dated facts it narrates. The letter is read back as
the seller reads it: from the text format and from the PDF (pypdf).
"""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from reclama.casefile import build_case
from reclama.engine import evaluate
from reclama.evaluation import letter_evaluation
from reclama.letter import build_context, check_letter_ready, plain_text
from reclama.remedio import decidir
from reclama.render import LetterRenderer, fecha_larga

HISTORIA = tomllib.loads((Path(__file__).parent / "historias" / "telefono.toml").read_text("utf-8"))
PASOS = HISTORIA["paso"]


def caso_hasta(n: int):
    """The case with the events of the first `n + 1` steps."""
    return build_case({**HISTORIA["caso"], "eventos": [p["evento"] for p in PASOS[: n + 1]]})


def text(parrafos) -> str:
    return " ".join(plain_text(p, lambda d: d.isoformat(), lambda e: f"{e} EUR") for p in parrafos)


def step_id(paso) -> str:
    return f"{paso['evento']['fecha']}-{paso['evento']['tipo']}"


@pytest.fixture(scope="module")
def renderer():
    return LetterRenderer()


@pytest.mark.parametrize("n", range(len(PASOS)), ids=[step_id(p) for p in PASOS])
def test_each_step_of_the_story(n):
    paso = PASOS[n]
    caso = caso_hasta(n)
    r = evaluate(caso.hechos(), paso["hoy"])
    # the verdict: inside the guarantee, not time-barred, her choice can be demanded
    assert r.en_garantia and not r.prescrita
    assert [x for x in r.remedios_admisibles if x != "desistimiento"] == paso["admisibles"]
    assert caso.hechos().negativa is paso["negativa"]
    assert r.plazos["garantia"].vence == paso["garantia"]
    # the demand is her recorded choice, never "la reparación o la sustitución" (art. 118.1)
    demanda = decidir(caso, r)
    assert demanda.pedido == tuple(paso["exige"])
    assert r.remedio.admisible, r.remedio.motivo
    assert "primero hay que pedir" not in r.remedio.motivo
    check_letter_ready(caso, r, forzar=False)
    ctx = build_context(caso, r, paso["hoy"], carta=letter_evaluation(caso, paso["hoy"]))
    asunto = text([ctx["asunto"]])
    assert "la reparación o la sustitución" not in asunto
    # the letter rebuts every excuse of the history, in order
    assert [s.clave for s in ctx["excusas"]] == paso["rebate"]
    # the dated chronology: purchase, defect, then every notice, answer, hand-over and return
    hechos = [text(s.parrafos) for s in ctx["hechos"]]
    assert hechos[2:] == paso["hechos"]
    assert not any("En su respuesta, ustedes" in h for h in hechos)


def test_a_refusal_is_derived_once_and_explained():
    from reclama.caso import negativas

    caso = caso_hasta(len(PASOS) - 1)
    got = [(n.fecha.isoformat(), n.codigos) for n in negativas(caso)]
    # the brand referral and the repair-only offer refuse what she demanded; "7 days" answers
    # a refund request and "procedures" delays: neither is a refusal to put in conformity
    assert got == [("2026-09-17", ("marca",)), ("2026-09-22", ("solo-reparacion",))]


def test_the_refund_is_open_because_the_history_shows_the_refusal():
    # Issue 11: "primero hay que pedir la reparación o la sustitución" although she had asked
    # for the replacement and the seller refused. Without the answers, the gate is closed.
    n = next(i for i, p in enumerate(PASOS) if p["evento"].get("remedio") == "resolucion")
    sin_respuestas = build_case(
        {
            **HISTORIA["caso"],
            "eventos": [p["evento"] for p in PASOS[: n + 1] if p["evento"]["tipo"] != "respuesta"],
        }
    )
    r = evaluate(sin_respuestas.hechos(), PASOS[n]["hoy"])
    assert not r.remedio.admisible and "primero hay que pedir" in r.remedio.motivo
    # ... and the letter, with --forzar, demands the replacement she chose on 15/09, reserving
    # the termination for an unmet demand (art. 119 b), never "la reparación o la sustitución"
    demanda = decidir(sin_respuestas, r)
    assert demanda.pedido == ("sustitucion",) and demanda.reserva == ("resolucion",)
    assert demanda.articulo_reserva == "art. 119 b) TRLGDCU"
    hoy = PASOS[n]["hoy"]
    ctx = build_context(sin_respuestas, r, hoy, carta=letter_evaluation(sin_respuestas, hoy))
    cierre = text(p for s in ctx["cierre"] for p in s.parrafos)
    assert "De no atenderse en el plazo indicado, exigiré la resolución del contrato" in cierre
    assert "la reparación o la sustitución" not in text([ctx["asunto"]])


@pytest.mark.parametrize("n", [2, len(PASOS) - 2], ids=["after-repair-offer", "procedures"])
def test_the_letter_read_back_from_the_pdf_and_the_text_keeps_the_dated_sequence(renderer, n):
    paso = PASOS[n]
    caso = caso_hasta(n)
    r = evaluate(caso.hechos(), paso["hoy"])
    carta = letter_evaluation(caso, paso["hoy"])
    pdf = renderer.render(caso, r, paso["hoy"], "pdf", carta=carta)
    reader = PdfReader(io.BytesIO(pdf))
    pdf_text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in reader.pages).replace("\xa0", " ")
    )
    txt = re.sub(r"\s+", " ", renderer.render(caso, r, paso["hoy"], "txt", carta=carta).decode())
    for leido in (pdf_text, txt):
        fechas = [fecha_larga(p["evento"]["fecha"]) for p in PASOS[: n + 1]]
        where = [leido.find(f"El {f}") for f in fechas]
        assert -1 not in where and where == sorted(where), list(zip(fechas, where, strict=True))
        assert "En su respuesta, ustedes" not in leido
        assert "Sobre la oferta de reparar el producto" in leido
        assert "Sobre la remisión al fabricante" in leido
    assert len(reader.pages) <= 3
    if n == len(PASOS) - 2:  # the phone is with the seller: damages, and the longer guarantee
        assert "indemnización de daños y perjuicios, si procede" in pdf_text
        assert "A ese plazo se suman 8 días" in pdf_text


# --- the same story as a user sees it: comprobar and caso ver give each date its reasons ------

EJEMPLO = Path(__file__).resolve().parents[1] / "examples" / "caso-telefono.toml"


@pytest.mark.parametrize(
    "orden", [["comprobar", "--caso", str(EJEMPLO)], ["caso", "ver", str(EJEMPLO)]]
)
def test_comprobar_and_caso_ver_print_why_each_date_moved(capsys, monkeypatch, orden):
    from reclama.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    main([*orden, "--hoy", "2026-11-22"])
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    # 06/05/2029 + 28 days with the seller since 25/10/2026 (art. 122.1 TRLGDCU)
    assert "Cómo se calculan las fechas" in out
    assert "Garantía legal: 03/06/2029" in out
    assert "Garantía legal: 3 años desde la entrega (art. 120.1 TRLGDCU)" in out
    assert "+28 días: Suspendido mientras el producto estuvo en manos del vendedor" in out
    assert "(del 25/10/2026 hasta hoy, sin devolver) (art. 122.1 TRLGDCU)" in out


def test_comprobar_says_what_a_letter_would_demand_when_the_choice_cannot_be_yet(capsys):
    from reclama.cli import main

    main(
        [
            "comprobar",
            "--compra",
            "2026-05-04",
            "--descubrimiento",
            "2026-09-14",
            "--remedio",
            "resolucion",
            "--aviso",
            "2026-09-15",
            "--hoy",
            "2026-11-22",
        ]
    )
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "Medida a exigir: la reparación o la sustitución" in out
    assert (
        "con reserva de la resolución del contrato (devolución del dinero) si no se atiende en "
        "plazo (art. 119 b) TRLGDCU)" in out
    )
