"""The seeds' phone story (shared/seeds/000_52cea6f7e8e1c88d.txt), replayed event by event:
at each step the public draft says what the history says, and nothing it contradicts.

The story: an Apple iPhone 17 bought online fails ("no me oyen cuando llamo"). The buyer
claims a replacement on 03/08; the shop sends them to Apple (04/08), then offers only a
repair (20/08); the buyer asks for a refund (24/08) and hears "only within 7 days" (26/08);
insists on the replacement (01/09); the shop collects the phone (05/09), says it "cannot skip
its procedures" (07/09), and sends a new unit (12/09). The claim is closed on 14/09.

Dates: the contract is of 2026, so the 2022 guarantee applies (arts. 114-124 TRLGDCU as
amended by RDL 7/2021) and a claim made after 28/12/2025 must be answered within fifteen
calendar days (art. 21.3 TRLGDCU as amended by Ley 10/2025): 03/08 + 15 = 18/08,
24/08 + 15 = 08/09, 01/09 + 15 = 16/09.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from reclama import textlength
from reclama.cli.campos import shown

try:  # the case-file reader moves from reclama.caso to reclama.casefile (branch p2c-historia)
    from reclama.casefile import build_case
except ImportError:
    from reclama.caso import build_case
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.rules import load_rules
from reclama.seguimiento import respuesta, vigilados
from reclama.social import drafts, usuario_en

D = date.fromisoformat

IPHONE = {
    "compra": {
        "fecha": D("2026-06-20"),
        "entrega": D("2026-06-22"),
        "canal": "distancia",
        "producto": "Apple iPhone 17, 256 GB",
        "pedido": "PH-2026-0004815162",
        "precio": "959.00",
    },
    "defecto": {
        "descubrimiento": D("2026-07-28"),
        "descripcion": "No me oyen cuando llamo: el micrófono falla de nuevo tras restaurar el software.",
    },
    "reclamacion": {"remedio": "sustitucion"},
    "vendedor": {"nombre": "Phone House", "usuario": "PhoneHouse_es"},
}


def ev(tipo: str, fecha: str, **kw) -> dict:
    return {"tipo": tipo, "fecha": D(fecha), **kw}


def art(rule_id: str, n: int = 0) -> str:
    """'art. N TRLGDCU' for the rule version of this 2026 contract, as a public post cites it."""
    v = load_rules().at(rule_id, IPHONE["compra"]["fecha"])
    numero = re.match(r"\d+", v.cita[n].articulo).group()
    return f"art. {numero} {v.cita[n].norma}"


RESPUESTA = art("trlgdcu.respuesta_reclamacion")
MARCA = f"me remitieron a la marca, pero de la garantía responde el vendedor ({art('trlgdcu.responsable_vendedor')})"
ELECCION = (
    "solo me ofrecieron repararlo, pero elegir entre reparación y sustitución me corresponde "
    f"a mí ({art('trlgdcu.remedios_primarios')})"
)
SIETE = (
    "me dijeron que solo devuelven en 7 días, pero eso no recorta la garantía legal "
    f"({art('trlgdcu.renuncia_nula')})"
)
PROCEDIMIENTOS = f"alegaron sus procedimientos internos, que no pueden recortar mis derechos ({art('trlgdcu.renuncia_nula')})"
MISSED = re.compile(r"venció|vencido|fuera de plazo|incumpl", re.IGNORECASE)

# (event added, today, suggested stage, what the suggested draft must say, the answer-deadline
#  status (estado, vence, respondida), the deadlines `reclama plazos` lists with 30 days' view)
STORY = [
    (None, "2026-07-28", "inicial", ["Mi Apple iPhone 17", "Les pido la sustitución"], None, set()),
    (
        ev("aviso", "2026-08-03", canal="email", remedio="sustitucion"),
        "2026-08-03",
        "inicial",
        ["Les pido la sustitución"],
        ("pendiente", "2026-08-18", None),
        {("respuesta_empresario", "proximo")},
    ),
    # A day later with no answer: a reminder, and the deadline is still running (03/08 + 15).
    (
        None,
        "2026-08-04",
        "recordatorio",
        [
            "Sigo sin respuesta a mi reclamación del 03/08",
            f"hasta el 18/08 para responder ({RESPUESTA})",
        ],
        ("pendiente", "2026-08-18", None),
        {("respuesta_empresario", "proximo")},
    ),
    # Answered the next day: the deadline is met, whatever the answer said.
    (
        ev("respuesta", "2026-08-04", respuestas=["marca"]),
        "2026-08-05",
        "escalado",
        ["El 03/08 les reclamé la sustitución", f"El 04/08 {MARCA}."],
        ("cumplido", "2026-08-18", "2026-08-04"),
        set(),
    ),
    # The false accusation: today the seller answered twice, the deadline passed.
    (
        ev("respuesta", "2026-08-20", respuestas=["solo-reparacion"]),
        "2026-08-21",
        "escalado",
        ["El 03/08 les reclamé la sustitución", f"El 20/08 {ELECCION}."],
        ("cumplido", "2026-08-18", "2026-08-04"),
        set(),
    ),
    # A refund asked before the law opens it: the replacement chosen on 03/08 stands.
    (
        ev("aviso", "2026-08-24", canal="email", remedio="resolucion"),
        "2026-08-25",
        "recordatorio",
        [
            "Sigo sin respuesta a mi reclamación del 24/08",
            f"hasta el 08/09 para responder ({RESPUESTA})",
        ],
        ("pendiente", "2026-09-08", None),
        {("respuesta_empresario", "proximo")},
    ),
    (
        ev("respuesta", "2026-08-26", respuestas=["siete-dias"]),
        "2026-08-27",
        "escalado",
        [f"El 26/08 {SIETE}."],
        ("cumplido", "2026-09-08", "2026-08-26"),
        set(),
    ),
    (
        ev("aviso", "2026-09-01", canal="email", remedio="sustitucion"),
        "2026-09-02",
        "recordatorio",
        ["Sigo sin respuesta a mi reclamación del 01/09", "Pido la sustitución"],
        ("pendiente", "2026-09-16", None),
        {("respuesta_empresario", "proximo")},
    ),
    # Collecting the phone answers the claim; the reminder says who has it since when.
    (
        ev("entrega-reparacion", "2026-09-05"),
        "2026-09-06",
        "recordatorio",
        ["El 01/09 les reclamé la sustitución", "Lo tienen desde el 05/09 y sigo esperando."],
        ("cumplido", "2026-09-16", "2026-09-05"),
        set(),
    ),
    (
        ev("respuesta", "2026-09-07", respuestas=["procedimientos"]),
        "2026-09-08",
        "escalado",
        ["El 01/09 les reclamé la sustitución", f"El 07/09 {PROCEDIMIENTOS}."],
        ("cumplido", "2026-09-16", "2026-09-05"),
        set(),
    ),
    # The new unit arrives: thank them, nothing left to remind them of.
    (
        ev("devolucion", "2026-09-12", reparado=True, nota="Teléfono nuevo"),
        "2026-09-13",
        "agradecimiento",
        ["Gracias por resolver la reclamación de garantía de mi Apple iPhone 17"],
        ("cumplido", "2026-09-16", "2026-09-05"),
        set(),
    ),
    (
        ev("resuelto", "2026-09-14"),
        "2026-09-15",
        "agradecimiento",
        ["Doy el caso por cerrado"],
        ("cumplido", "2026-09-16", "2026-09-05"),
        set(),
    ),
]


def replay(upto: int):
    """The case with the story's events up to step `upto`, and its evaluation that day."""
    eventos = [e for e, *_ in STORY[: upto + 1] if e is not None]
    caso = build_case({**IPHONE, "eventos": eventos})
    hoy = D(STORY[upto][1])
    return caso, evaluate(caso.hechos(), hoy), hoy


def whole(d) -> str:
    return " ".join(re.sub(r" \(\d+/\d+\)$", "", p) for p in d.partes)


STEPS = [
    pytest.param(n, id=f"{n}-{e['tipo'] if e else 'sin suceso'}-{hoy}")
    for n, (e, hoy, *_) in enumerate(STORY)
]


@pytest.mark.parametrize("n", STEPS)
def test_the_suggested_draft_follows_the_history(n):
    _, _, etapa, frases, _, _ = STORY[n]
    caso, r, hoy = replay(n)
    ds = drafts(caso, r, hoy)
    (sugerido,) = [d for d in ds if d.sugerida]
    assert sugerido.etapa == etapa
    for frase in frases:
        assert frase in whole(sugerido), frase


def test_the_thank_you_after_the_goods_came_back_asks_to_record_the_resolution():
    caso, r, hoy = replay(10)  # the new unit arrived on 12/09, no `resuelto` yet
    (d,) = drafts(caso, r, hoy, etapas=["agradecimiento"])
    assert d.sugerida
    assert any("volvió conforme el 12/09/2026" in a and "«resuelto»" in a for a in d.avisos)
    assert not any("no consta como resuelto" in a for a in d.avisos)


@pytest.mark.parametrize("n", STEPS)
def test_no_draft_states_a_missed_deadline_the_history_answers(n):
    """Every step of this story has the claim answered in time or still running."""
    caso, r, hoy = replay(n)
    for d in drafts(caso, r, hoy):
        assert not MISSED.search(whole(d)), (d.etapa, whole(d))


CORTO = {"sustitucion": "la sustitución", "resolucion": "la devolución del dinero"}


@pytest.mark.parametrize("n", STEPS)
def test_the_drafts_demand_the_consumers_chosen_remedy_and_tell_past_claims_as_sent(n):
    """Her choice (art. 118.1): her latest one if the law already lets her demand it, else the
    replacement she chose before; never "la reparación o la sustitución", which concedes the
    shop's repair-only answer. A past claim is told with what it asked, on its date."""
    caso, r, hoy = replay(n)
    claims = [(e["fecha"], e["remedio"]) for e, *_ in STORY[: n + 1] if e and e["tipo"] == "aviso"]
    ultima = claims[-1][1] if claims else "sustitucion"
    pedido = ultima if ultima in r.remedios_admisibles else "sustitucion"
    assert pedido in r.remedios_admisibles
    for d in drafts(caso, r, hoy):
        texto = whole(d)
        assert "la reparación o la sustitución" not in texto
        assert "les reclamé la reparación" not in texto
        if d.etapa == "inicial":
            assert f"Les pido {CORTO[pedido]}" in texto
        if d.etapa == "escalado" and claims:
            fecha = max(f for f, x in claims if x == pedido)
            assert f"El {fecha:%d/%m} les reclamé {CORTO[pedido]} de mi Apple iPhone 17" in texto
        for otro in set(CORTO) - {pedido}:
            assert f"pido {CORTO[otro]}" not in texto.lower()


@pytest.mark.parametrize("n", STEPS)
def test_every_post_passes_twitter_text_counting(n):
    caso, r, hoy = replay(n)
    for d in drafts(caso, r, hoy, red="x"):
        for parte in d.partes:
            assert textlength.parse_x(parte).valid, parte
            assert textlength.parse_x(parte).weighted_length <= 280
            # never cut inside parentheses or a citation
            assert parte.count("(") == parte.count(")"), parte
            assert not re.search(r"\barts?\.\s*\(\d+/\d+\)$", parte), parte


@pytest.mark.parametrize("n", STEPS)
def test_the_answer_deadline_is_met_once_the_seller_answers(n):
    _, _, _, _, esperado, _ = STORY[n]
    caso, r, hoy = replay(n)
    got = respuesta(caso, r, hoy)
    if esperado is None:
        assert got is None
        return
    estado, vence, respondida = esperado
    assert (got.estado, got.plazo.vence.isoformat()) == (estado, vence)
    assert (got.respondida.isoformat() if got.respondida else None) == respondida


@pytest.mark.parametrize("n", STEPS)
def test_plazos_watches_only_what_still_calls_for_action(n):
    *_, esperado = STORY[n]
    caso, r, hoy = replay(n)
    got = {(x.clave, x.estado) for x in vigilados(caso, r, hoy, 30)}
    assert got == esperado


# --- The withdrawal and the presumption in `plazos` ---------------------------------------

# The same phone, failing the day after delivery and withdrawn on 24/06 (art. 102.1: 14 days
# from delivery, 22/06 + 14 = 06/07, so in time).
PRONTO = {**IPHONE, "defecto": {**IPHONE["defecto"], "descubrimiento": D("2026-06-23")}}
RETIRO = {**PRONTO, "eventos": [ev("desistimiento", "2026-06-24")]}


@pytest.mark.parametrize(
    ("hoy", "dentro_de", "esperado"),
    [
        # art. 107.1: refund "antes de que hayan transcurrido 14 días naturales" from being
        # informed: 24/06 + 14 = 08/07. The withdrawal itself, exercised, is never listed.
        ("2026-06-30", 30, {("reembolso_desistimiento", "proximo", "2026-07-08")}),
        ("2026-07-10", 30, {("reembolso_desistimiento", "vencido", "2026-07-08")}),
        # art. 121.1: presumption for two years from delivery: 22/06/2026 -> 22/06/2028; from
        # the next day a defect that appears must be proven by the consumer.
        (
            "2028-06-01",
            30,
            {
                ("reembolso_desistimiento", "vencido", "2026-07-08"),
                ("presuncion", "proximo", "2028-06-22"),
            },
        ),
    ],
)
def test_plazos_watches_the_refund_after_a_withdrawal_and_the_end_of_the_presumption(
    hoy, dentro_de, esperado
):
    caso = build_case(RETIRO)
    today = D(hoy)
    r = evaluate(caso.hechos(), today)
    got = {
        (x.clave, x.estado, x.plazo.vence.isoformat()) for x in vigilados(caso, r, today, dentro_de)
    }
    assert got == esperado


def test_a_withdrawal_then_keeping_the_phone_owes_no_refund():
    """The seeds' buyer withdrew, then told the shop she kept the phone: nothing to watch."""
    caso = build_case(
        {**PRONTO, "eventos": [ev("desistimiento", "2026-06-24"), ev("conserva", "2026-06-26")]}
    )
    hoy = D("2026-07-10")
    got = {x.clave for x in vigilados(caso, evaluate(caso.hechos(), hoy), hoy, 30)}
    assert not got & {"reembolso_desistimiento", "desistimiento"}


def test_a_withdrawal_whose_deadline_passed_is_not_listed_as_something_to_do():
    # Chosen but never sent; art. 102.1: 14 days from delivery, 22/06 + 14 = 06/07.
    caso = build_case({**PRONTO, "reclamacion": {"remedio": "desistimiento"}})
    hoy = D("2026-06-30")
    assert {x.clave for x in vigilados(caso, evaluate(caso.hechos(), hoy), hoy, 30)} >= {
        "desistimiento"
    }
    hoy = D("2026-07-10")
    assert "desistimiento" not in {
        x.clave for x in vigilados(caso, evaluate(caso.hechos(), hoy), hoy, 30)
    }


def test_a_deadline_passed_with_no_answer_is_stated_with_its_article():
    """The one case where the escalation says the deadline was missed: nothing answers it."""
    caso = build_case({**IPHONE, "eventos": [ev("aviso", "2026-08-03", remedio="sustitucion")]})
    hoy = D("2026-08-19")
    r = evaluate(caso.hechos(), hoy)
    assert respuesta(caso, r, hoy).estado == "vencido"
    (d,) = drafts(caso, r, hoy, etapas=["escalado"])
    assert d.sugerida
    assert f"El plazo legal para responder venció el 18/08 ({RESPUESTA}) sin respuesta." in whole(d)


def test_an_answer_after_the_deadline_is_not_called_no_answer():
    caso = build_case(
        {
            **IPHONE,
            "eventos": [
                ev("aviso", "2026-08-03", remedio="sustitucion"),
                ev("respuesta", "2026-08-25"),
            ],
        }
    )
    hoy = D("2026-08-26")
    r = evaluate(caso.hechos(), hoy)
    got = respuesta(caso, r, hoy)
    assert (got.estado, got.respondida) == ("tardio", D("2026-08-25"))
    assert not any(MISSED.search(whole(d)) for d in drafts(caso, r, hoy))


# --- Every excuse with a rebuttal is rebutted, in one short sentence with its article ----


@pytest.mark.parametrize(
    ("codigo", "frase"),
    [
        ("marca", MARCA),
        ("solo-reparacion", ELECCION),
        ("siete-dias", SIETE),
        ("procedimientos", PROCEDIMIENTOS),
        (
            "aviso-tardio",
            f"dicen que les avisé tarde, pero eso no me hace perder la garantía ({art('trlgdcu.aviso')})",
        ),
        (
            "garantia-dos-anos",
            "dicen que la garantía es más corta, pero la legal de este producto es de 3 años",
        ),
        (
            "gastos",
            f"quieren cobrarme gastos, pero subsanar el defecto es gratis para mí ({art('trlgdcu.gratuidad')})",
        ),
        (
            "vale",
            f"me ofrecieron un vale, que no es ninguna de las medidas de la garantía legal ({art('trlgdcu.responsable_vendedor')})",
        ),
    ],
)
@pytest.mark.parametrize("red", ["x", "mastodon", "bluesky"])
def test_the_latest_excuse_is_rebutted_with_its_article_within_the_limit(codigo, frase, red):
    caso = build_case(
        {
            **IPHONE,
            "vendedor": {
                **IPHONE["vendedor"],
                "usuario_mastodon": "phonehouse@mastodon.social",
                "usuario_bluesky": "phonehouse.bsky.social",
            },
            "eventos": [
                ev("aviso", "2026-08-03", remedio="sustitucion"),
                ev(
                    "respuesta",
                    "2026-08-05",
                    respuestas=["marca", codigo] if codigo != "marca" else [codigo],
                ),
            ],
        }
    )
    hoy = D("2026-08-06")
    r = evaluate(caso.hechos(), hoy)
    (d,) = drafts(caso, r, hoy, red=red, etapas=["escalado"])
    assert f"El 05/08 {frase}" in whole(d)
    sentence = next(s for s in re.split(r"(?<=\.) ", whole(d)) if s.startswith("El 05/08"))
    assert len(sentence) <= 160  # short: under half an X post
    assert all(textlength.fits(p, red) for p in d.partes)


def test_a_refund_already_open_answers_the_repair_offer_with_that_refund():
    """After a refusal the refund is demandable (art. 119.1 f): the repair offer does not stop it."""
    caso = build_case(
        {
            **IPHONE,
            "eventos": [
                ev("aviso", "2026-08-03", remedio="resolucion"),
                ev("respuesta", "2026-08-04", respuestas=["solo-reparacion"], negativa=True),
            ],
        }
    )
    hoy = D("2026-08-05")
    r = evaluate(caso.hechos(), hoy)
    (d,) = drafts(caso, r, hoy, etapas=["escalado"])
    assert "la devolución del dinero" in whole(d)
    assert "solo me ofrecieron repararlo, lo que no impide la devolución del dinero" in whole(d)


# --- Threads, names and accounts -----------------------------------------------------------


@pytest.mark.parametrize("pad", range(0, 60, 3))
def test_a_thread_is_never_cut_inside_parentheses_or_a_citation(pad):
    """The old cut gave "(art. (1/2)" and "117 TRLGDCU)" for some lengths."""
    text = (
        "@Tienda " + "palabra " * (20 + pad) + "De la garantía responde el vendedor, no la "
        "marca (art. 117 TRLGDCU) y la elección entre reparar y sustituir es mía (arts. 118 y "
        "119 TRLGDCU). " + "otra " * 40 + "(pedido ****5162) fin."
    )
    partes = textlength.split_thread(text, "x")
    assert len(partes) > 1
    for p in partes:
        cuerpo = re.sub(r" \(\d+/\d+\)$", "", p)
        assert cuerpo.count("(") == cuerpo.count(")"), p
        assert not re.search(r"\barts?\.$", cuerpo), p
        assert textlength.fits(p, "x")


@pytest.mark.parametrize(
    ("producto", "como"),
    [
        ("Apple iPhone 17, 256 GB", "Mi Apple iPhone 17"),
        ("Teléfono móvil Nexo X12", "Mi teléfono móvil Nexo X12"),
        ("Samsung Galaxy S25", "Mi Samsung Galaxy S25"),
        ("iPad Air", "Mi iPad Air"),
    ],
)
def test_product_and_brand_names_keep_their_capitals(producto, como):
    caso = build_case({**IPHONE, "compra": {**IPHONE["compra"], "producto": producto}})
    hoy = D("2026-07-28")
    (d,) = drafts(caso, evaluate(caso.hechos(), hoy), hoy, etapas=["inicial"])
    assert f"{como} (pedido ****5162)" in d.partes[0]


@pytest.mark.parametrize(
    ("vendedor", "red", "mencion"),
    [
        ({"usuario": "PhoneHouse_es"}, "x", "@PhoneHouse_es "),  # the older single field
        ({"usuario": "Viejo", "usuario_x": "@PhoneHouse_es"}, "x", "@PhoneHouse_es "),
        (
            {"usuario_mastodon": "@phonehouse@mastodon.social"},
            "mastodon",
            "@phonehouse@mastodon.social ",
        ),
        ({"usuario_bluesky": "phonehouse.bsky.social"}, "bluesky", "@phonehouse.bsky.social "),
    ],
)
def test_each_network_mentions_its_own_account(vendedor, red, mencion):
    caso = build_case({**IPHONE, "vendedor": vendedor})
    hoy = D("2026-07-28")
    (d,) = drafts(caso, evaluate(caso.hechos(), hoy), hoy, red=red, etapas=["inicial"])
    assert d.partes[0].startswith(mencion)


@pytest.mark.parametrize(
    ("vendedor", "red", "campo"),
    [
        ({"usuario": "PhoneHouse_es"}, "mastodon", "--usuario-mastodon"),  # a bare X name
        ({"usuario": "PhoneHouse_es"}, "bluesky", "--usuario-bluesky"),
        ({}, "x", "--usuario-x"),
    ],
)
def test_a_network_without_its_account_is_an_error_naming_its_option(vendedor, red, campo):
    with pytest.raises(InputError) as e:
        usuario_en(build_case({**IPHONE, "vendedor": vendedor}).vendedor, red)
    assert shown(e.value.clave) == campo


@pytest.mark.parametrize(
    ("campo", "valor", "motivo"),
    [
        ("usuario_mastodon", "phonehouse", "@usuario@servidor"),
        ("usuario_mastodon", "@phone house@mastodon.social", "@usuario@servidor"),
        ("usuario_bluesky", "phonehouse", "un dominio"),
        ("usuario_bluesky", "@phone_house.bsky.social", "un dominio"),
        ("usuario_x", "PhoneHouseEspañaOficial", "de 1 a 15 letras"),
    ],
)
def test_a_malformed_account_is_refused_in_spanish(campo, valor, motivo):
    with pytest.raises(InputError) as e:
        build_case({**IPHONE, "vendedor": {campo: valor}})
    assert motivo in str(e.value) and valor.lstrip("@") in str(e.value)


# --- The same story through the commands: `caso ver`, `plazos`, `tuit` ----------------------

CASO_TOML = """version_esquema = 1
[compra]
fecha = 2026-06-20
entrega = 2026-06-22
canal = "distancia"
producto = "Apple iPhone 17, 256 GB"
pedido = "PH-2026-0004815162"
[defecto]
descubrimiento = {descubrimiento}
descripcion = "No me oyen cuando llamo."
[reclamacion]
remedio = "sustitucion"
[vendedor]
nombre = "Phone House"
usuario = "PhoneHouse_es"
{eventos}
"""


def case_file(tmp_path, eventos: list[str], descubrimiento: str = "2026-07-28", name="movil.toml"):
    body = "\n".join(f"[[eventos]]\n{e}" for e in eventos)
    path = tmp_path / name
    path.write_text(CASO_TOML.format(descubrimiento=descubrimiento, eventos=body), encoding="utf-8")
    return path


ANSWERED = [
    'tipo = "aviso"\nfecha = 2026-08-03\nremedio = "sustitucion"',
    'tipo = "respuesta"\nfecha = 2026-08-04\nrespuestas = ["marca"]',
    'tipo = "respuesta"\nfecha = 2026-08-20\nrespuestas = ["solo-reparacion"]',
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    from reclama.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_caso_ver_shows_the_answer_deadline_met_not_days_overdue(tmp_path, capsys, monkeypatch):
    """The issue: after answers on 04/08 and 20/08, `caso ver` showed the 18/08 deadline as -3."""
    monkeypatch.setenv("COLUMNS", "200")
    path = case_file(tmp_path, ANSWERED)
    code, out, err = run(capsys, "caso", "ver", str(path), "--hoy", "2026-08-21")
    assert code == 0, err
    fila = next(x for x in out.splitlines() if "Respuesta del vendedor" in x and "TRLGDCU" in x)
    assert "18/08/2026" in fila and "cumplido (respondió el 04/08/2026)" in fila
    assert not re.search(r"│\s*-\d+\s*│", fila)
    assert "Etapa en redes: escalado" in out  # an excuse answered: rebut it in public

    code, out, _ = run(capsys, "caso", "ver", str(path), "--hoy", "2026-08-21", "--json")
    data = json.loads(out)
    assert data["respuesta_vendedor"] == {
        "vence": "2026-08-18",
        "estado": "cumplido",
        "respondida": "2026-08-04",
    }


def test_caso_ver_says_overdue_only_without_any_answer(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = case_file(tmp_path, ANSWERED[:1])
    _code, out, _ = run(capsys, "caso", "ver", str(path), "--hoy", "2026-08-21", "--json")
    assert json.loads(out)["respuesta_vendedor"]["estado"] == "vencido"


def test_plazos_json_and_ics_carry_the_refund_after_withdrawal_and_the_presumption(
    tmp_path, capsys
):
    path = case_file(
        tmp_path, ['tipo = "desistimiento"\nfecha = 2026-06-24'], descubrimiento="2026-06-23"
    )
    ics = tmp_path / "plazos.ics"
    # --dentro-de reaches the end of the presumption, two years after delivery (art. 121.1).
    code, out, err = run(
        capsys,
        "plazos",
        str(path),
        "--hoy",
        "2026-06-30",
        "--dentro-de",
        "800",
        "--json",
        "--ics",
        str(ics),
    )
    assert code == 1, err
    rows = {r["plazo"]: r for r in json.loads(out)}
    reembolso = rows["reembolso_desistimiento"]
    assert (reembolso["vence"], reembolso["estado"]) == ("2026-07-08", "proximo")  # 24/06 + 14
    assert reembolso["articulo"].startswith("art. 107.1")
    assert rows["presuncion"]["vence"] == "2028-06-22"
    assert "desistimiento" not in rows  # exercised: nothing to do
    texto = ics.read_text(encoding="utf-8")
    assert "Reembolso tras el desistimiento" in texto and "DTSTART;VALUE=DATE:20260708" in texto
    assert "DTSTART;VALUE=DATE:20280622" in texto


@pytest.mark.parametrize(
    ("args", "campo", "mensaje"),
    [
        (
            ["--red", "mastodon", "--usuario-mastodon", "phonehouse"],
            "--usuario-mastodon",
            "no es un usuario de Mastodon válido: escríbalo como @usuario@servidor",
        ),
        (
            ["--red", "bluesky", "--usuario-bluesky", "phone_house"],
            "--usuario-bluesky",
            "no es un usuario de Bluesky válido: escríbalo como un dominio",
        ),
        (["--red", "mastodon"], "--usuario-mastodon", "falta el usuario del vendedor en Mastodon"),
        (["--usuario-x", "Phone House"], "--usuario-x", "no es un usuario de X válido"),
    ],
)
def test_tuit_refuses_a_missing_or_malformed_account_in_spanish(
    tmp_path, capsys, args, campo, mensaje
):
    path = case_file(tmp_path, ANSWERED)
    code, out, err = run(capsys, "tuit", "--caso", str(path), "--hoy", "2026-08-21", *args)
    assert code == 2 and out == ""
    # Named by its option, or by its field in the case file when the case comes from one.
    assert err.startswith("Error en ") and mensaje in err
    assert campo in err or f"vendedor.{campo[2:].replace('-', '_')}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "mencion"),
    [
        ([], "@PhoneHouse_es "),  # the older --usuario-vendedor / usuario field: X
        (["--usuario-vendedor", "Otra_Cuenta"], "@Otra_Cuenta "),
        (["--usuario-x", "PH_es"], "@PH_es "),
        (
            ["--red", "mastodon", "--usuario-mastodon", "@phonehouse@mastodon.social"],
            "@phonehouse@mastodon.social ",
        ),
        (
            ["--red", "bluesky", "--usuario-bluesky", "phonehouse.bsky.social"],
            "@phonehouse.bsky.social ",
        ),
    ],
)
def test_tuit_mentions_the_account_of_the_network(tmp_path, capsys, args, mencion):
    path = case_file(tmp_path, ANSWERED)
    code, out, err = run(
        capsys,
        "tuit",
        "--caso",
        str(path),
        "--hoy",
        "2026-08-21",
        "--etapa",
        "escalado",
        "--json",
        *args,
    )
    assert code == 0, err
    (d,) = json.loads(out)["borradores"]
    assert d["partes"][0].startswith(mencion)
    assert json.loads(out)["etapa_sugerida"] == "escalado"
    assert not MISSED.search(" ".join(d["partes"]))
