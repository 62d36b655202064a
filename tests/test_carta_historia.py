"""Letters that tell the truth about the case (issue 11, «Letters»), one test per defect found.

Each test was written against the old letter first and failed there. Cases are those of a
law firm's batch: 2007 regime kept alive by received claims, second-hand goods, a repaired
product, a price reduction with the `gastos` excuse, late notice, and the simple case.
Dates are computed from the statute in the comments.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from reclama.casefile import build_case
from reclama.engine import evaluate
from reclama.evaluation import letter_evaluation
from reclama.letter import build_context, check_letter_ready, plain_text
from reclama.render import LetterRenderer

PEOPLE = {
    "consumidor": {
        "nombre": "Ana Gil Pons",
        "dni": "12345678Z",
        "domicilio": "Calle Mayor 1, 42001 Soria",
    },
    "vendedor": {"nombre": "Electro Ejemplo, S.L.", "cif": "B12345674"},
}
PHONE = {
    "compra": {
        "fecha": date(2026, 5, 4),
        "entrega": date(2026, 5, 6),
        "producto": "Teléfono Nexo X12",
        "pedido": "PH-2026-0004815162",
        "precio": "899.00",
    },
    "defecto": {"descubrimiento": date(2026, 9, 14), "descripcion": "No me oyen al llamar."},
    "reclamacion": {"remedio": "sustitucion"},
}
HOY = date(2026, 11, 22)


def make(base: dict, hoy: date = HOY, eventos: list | None = None, **sections):
    data = {k: dict(v) for k, v in {**PEOPLE, **base}.items()}
    for section, fields in sections.items():
        data[section] = {**data.get(section, {}), **fields}
    if eventos:
        data["eventos"] = eventos
    caso = build_case(data)
    r = evaluate(caso.hechos(), hoy)
    check_letter_ready(caso, r, forzar=True)
    return caso, r, hoy


def letter(caso, r, hoy) -> str:
    ctx = build_context(caso, r, hoy, carta=letter_evaluation(caso, hoy))
    parts = [ctx["asunto"], *ctx["apertura"]]
    for key in ("hechos", "fundamentos", "solicitud", "cierre"):
        parts += [p for s in ctx[key] for p in s.parrafos]
    return "\n".join(plain_text(p, lambda d: d.isoformat(), lambda e: f"{e} EUR") for p in parts)


@pytest.fixture(scope="module")
def renderer():
    return LetterRenderer()


def pdf_of(renderer, caso, r, hoy) -> PdfReader:
    return PdfReader(
        io.BytesIO(renderer.render(caso, r, hoy, "pdf", carta=letter_evaluation(caso, hoy)))
    )


def flat(reader: PdfReader) -> str:
    return re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in reader.pages).replace("\xa0", " ")
    )


# --- receipt, deadline, damages ------------------------------------------------------------


@pytest.mark.parametrize(
    ("carta", "dice"),
    [
        ({}, False),  # nothing recorded about how it is sent
        ({"canal": "email"}, False),  # a plain e-mail proves nothing
        ({"canal": "burofax", "prueba_recepcion": True}, True),
    ],
)
def test_the_receipt_sentence_only_when_the_channel_proves_receipt(carta, dice):
    txt = letter(*make(PHONE, carta=carta))
    assert ("Esta carta se envía por un medio que deja constancia de su recepción" in txt) is dice


def test_the_remedy_itself_has_a_date_and_what_follows_if_missed():
    txt = letter(*make(PHONE))
    # 22/11/2026 + 15 days (art. 21.3 TRLGDCU as amended by Ley 10/2025) = 07/12/2026
    assert (
        "Sustituyan el producto por otro nuevo, igual y conforme con el contrato, sin coste "
        "alguno para el comprador, como tarde el 2026-12-07." in txt
    )
    assert (
        "De no atenderse en el plazo indicado, exigiré la reducción del precio o la resolución "
        "del contrato" in txt
    )
    assert "el art. 119 b) del TRLGDCU" in txt


def test_damages_only_when_the_buyer_was_left_without_the_goods():
    sin = letter(*make(PHONE))
    con = letter(
        *make(
            PHONE,
            eventos=[
                {
                    "tipo": "aviso",
                    "fecha": date(2026, 9, 15),
                    "canal": "email",
                    "remedio": "sustitucion",
                },
                {"tipo": "entrega-reparacion", "fecha": date(2026, 10, 25)},
            ],
        )
    )
    assert "indemnización de daños y perjuicios, si procede" not in sin
    assert "Indemnicen al comprador los daños y perjuicios" in con
    assert (
        "el art. 117.1 del TRLGDCU: «En cualquiera de estos supuestos el consumidor o usuario "
        "podrá exigir, además, la indemnización de daños y perjuicios, si procede»" in con
    )


# --- dates with their reasons ----------------------------------------------------------------


def test_a_repair_suspension_extends_the_guarantee_and_the_letter_says_why():
    caso, r, hoy = make(
        PHONE,
        eventos=[
            {
                "tipo": "aviso",
                "fecha": date(2026, 9, 15),
                "canal": "email",
                "remedio": "sustitucion",
            },
            {"tipo": "entrega-reparacion", "fecha": date(2026, 9, 20)},
            {"tipo": "devolucion", "fecha": date(2026, 10, 10), "reparado": False},
        ],
    )
    # 06/05/2026 + 3 years (art. 120.1) = 06/05/2029, + 20 days with the seller (art. 122.1)
    assert r.plazos["garantia"].vence == date(2029, 5, 26)
    pasos = r.plazos["garantia"].derivacion
    assert [(p.regla, p.dias) for p in pasos] == [
        ("trlgdcu.garantia_plazo", 0),
        ("trlgdcu.suspension_reparacion", 20),
    ]
    txt = letter(caso, r, hoy)
    assert "termina el 2029-05-26" in txt
    assert "A ese plazo se suman 20 días en que el producto estuvo en su poder" in txt
    assert "el art. 122.1 del TRLGDCU" in txt


def test_second_hand_letters_say_so_and_explain_the_agreed_shorter_guarantee():
    caso, r, hoy = make(
        PHONE,
        compra={"segunda_mano": True, "garantia_pactada_meses": 12},
        reclamacion={"remedio": "reparacion"},
    )
    # 06/05/2026 + 12 agreed months (art. 120.1, second paragraph: not under one year) = 06/05/2027
    assert r.plazos["garantia"].vence == date(2027, 5, 6)
    assert r.plazos["garantia"].derivacion[1].articulo == "art. 120.1, párrafo segundo TRLGDCU"
    txt = letter(caso, r, hoy)
    assert "producto de segunda mano" in txt
    assert "se pactó un plazo de 12 meses desde la entrega" in txt
    assert "termina el 2027-05-06" in txt
    assert "tres años desde la entrega" not in txt  # the general rule is not what applies


def test_a_2007_action_kept_alive_by_received_claims_names_them():
    # Contract and delivery 01/03/2020 (2007 regime). Prescription: 3 years from delivery
    # (art. 123.4, 2007 text); each claim the seller received restarts it (art. 1973 CC):
    # 15/05/2021 -> 15/05/2024; 10/04/2024 -> 10/04/2027. Without them it ended in 2023.
    base = {
        "compra": {"fecha": date(2020, 3, 1), "producto": "Lavadora W-800"},
        "defecto": {"descubrimiento": date(2021, 5, 1), "descripcion": "Pierde agua."},
        "reclamacion": {"remedio": "reparacion"},
    }
    eventos = [
        {"tipo": "aviso", "fecha": date(2021, 5, 15), "canal": "burofax", "prueba_recepcion": True},
        {"tipo": "aviso", "fecha": date(2024, 4, 10), "canal": "burofax", "prueba_recepcion": True},
    ]
    hoy = date(2025, 6, 1)
    caso, r, _ = make(base, hoy, eventos=eventos)
    assert r.regimen == "2007" and not r.prescrita
    assert r.plazos["prescripcion"].vence == date(2027, 4, 10)
    txt = letter(caso, r, hoy)
    assert (
        "las reclamaciones que ustedes recibieron el 2021-05-15 y el 2024-04-10 interrumpieron "
        "la prescripción" in txt
    )
    assert "no termina hasta el 2027-04-10" in txt


# --- wrong legal text ------------------------------------------------------------------------


def test_a_price_reduction_letter_never_carries_the_termination_return_clause():
    caso, r, hoy = make(
        PHONE, reclamacion={"remedio": "rebaja", "intento_fallido": True, "respuestas": ["gastos"]}
    )
    txt = letter(caso, r, hoy)
    assert "Reduzcan el precio" in txt
    assert "119 ter.4" not in txt and "restituirá" not in txt
    assert "el art. 119 quater.3 del TRLGDCU" in txt  # no charge for the refund, yes


def test_a_late_notice_letter_never_claims_the_presumption_its_dates_disprove():
    base = {
        "compra": {"fecha": date(2021, 3, 10), "producto": "Lavadora W-800"},
        "defecto": {"descubrimiento": date(2021, 8, 1), "descripcion": "Pierde agua."},
        # 01/08/2021 + 2 months (art. 123.5, 2007 text) = 01/10/2021: this notice is late
        "reclamacion": {
            "remedio": "reparacion",
            "aviso": date(2021, 11, 20),
            "respuestas": ["aviso-tardio"],
        },
    }
    caso, r, hoy = make(base, date(2022, 5, 10))
    assert r.aviso_tardio is True
    txt = letter(caso, r, hoy)
    assert "no supone la pérdida del derecho al saneamiento" in txt
    assert "se entiende que la comunicación se hizo dentro de plazo" not in txt
    assert "123.5, párrafo segundo" not in txt
    # a timely notice keeps the presumption
    base["reclamacion"]["aviso"] = date(2021, 9, 1)
    assert "se entiende que la comunicación se hizo dentro de plazo" in letter(
        *make(base, date(2022, 5, 10))
    )


def test_a_phone_letter_quotes_only_the_goods_half_of_art_120_1():
    txt = letter(*make(PHONE))
    assert "tres años desde la entrega en el caso de bienes" in txt
    assert "contenidos o servicios digitales»" not in txt


def test_the_chronology_dates_every_notice_and_answer():
    txt = letter(
        *make(
            PHONE,
            eventos=[
                {
                    "tipo": "aviso",
                    "fecha": date(2026, 9, 15),
                    "canal": "email",
                    "remedio": "sustitucion",
                },
                {
                    "tipo": "respuesta",
                    "fecha": date(2026, 9, 17),
                    "canal": "chat",
                    "respuestas": ["marca"],
                },
                {"tipo": "aviso", "fecha": date(2026, 10, 1), "canal": "email"},
                {
                    "tipo": "respuesta",
                    "fecha": date(2026, 10, 2),
                    "canal": "email",
                    "respuestas": ["procedimientos"],
                },
            ],
        )
    )
    assert "En su respuesta, ustedes" not in txt
    for fecha in ("2026-09-15", "2026-09-17", "2026-10-01", "2026-10-02"):
        assert f"El {fecha} " in txt


def test_the_first_notice_is_not_dropped_when_there_are_several():
    txt = letter(
        *make(
            PHONE,
            eventos=[
                {
                    "tipo": "aviso",
                    "fecha": date(2026, 9, 15),
                    "canal": "email",
                    "remedio": "sustitucion",
                },
                {
                    "tipo": "aviso",
                    "fecha": date(2026, 10, 20),
                    "canal": "email",
                    "remedio": "sustitucion",
                },
            ],
        )
    )
    assert txt.index("El 2026-09-15 se les comunicó") < txt.index("El 2026-10-20 se les comunicó")


# --- length and layout (read back from the PDF) ----------------------------------------------


def test_a_simple_case_fits_in_two_pages_and_the_order_number_is_never_split(renderer):
    caso, r, hoy = make(PHONE)
    reader = pdf_of(renderer, caso, r, hoy)
    assert len(reader.pages) <= 2
    first = reader.pages[0].extract_text().replace("\xa0", " ")
    asunto = first[first.index("Asunto:") : first.index("Muy señores")]
    assert "PH-2026-0004815162" in asunto  # not "PH-2026-" at a line end
    html = renderer.render(caso, r, hoy, "html", carta=letter_evaluation(caso, hoy)).decode()
    assert '<span class="codigo">PH-2026-0004815162</span>' in html


@pytest.mark.parametrize("carta", [{}, {"canal": "burofax", "prueba_recepcion": True}])
@pytest.mark.parametrize(
    "respuestas",
    [
        [],
        ["marca", "solo-reparacion", "siete-dias", "procedimientos"],
        [
            "marca",
            "siete-dias",
            "procedimientos",
            "solo-reparacion",
            "garantia-dos-anos",
            "gastos",
            "vale",
        ],
    ],
)
def test_the_signature_never_stands_alone_on_a_page(renderer, respuestas, carta):
    # Issue 11: page 4 held only «Esta carta se envía por un medio…» and the signature.
    caso, r, hoy = make(PHONE, reclamacion={"respuestas": respuestas}, carta=carta)
    reader = pdf_of(renderer, caso, r, hoy)
    last = " ".join(reader.pages[-1].extract_text().split())
    before = last[: last.index("Atentamente")]
    body = re.sub(r"Ana Gil Pons a Electro Ejemplo, S\.L\. · \d+ de \w+ de \d{4}", "", before)
    body = body.replace("Esta carta se envía por un medio que deja constancia de su recepción.", "")
    assert len(body.split()) >= 25, f"{len(reader.pages)} páginas; la firma casi sola: «{before}»"


def test_the_demo_letter_is_three_pages_and_its_last_page_is_more_than_the_signature(renderer):
    # Issue 11: 4 pages for a failing microphone, page 4 only the receipt line and the signature.
    from pathlib import Path

    from reclama.casefile import load_case

    caso = load_case(Path(__file__).resolve().parents[1] / "examples" / "caso-demo.toml")
    r = evaluate(caso.hechos(), HOY)
    reader = pdf_of(renderer, caso, r, HOY)
    assert len(reader.pages) <= 3
    last = " ".join(reader.pages[-1].extract_text().split())
    assert len(last[: last.index("Atentamente")].split()) >= 40
