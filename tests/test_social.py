"""Public messages to the seller: every stage in both regimes, safe wording, counts and threads."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from reclama import textlength
from reclama.casefile import build_case, load_case
from reclama.cli.campos import shown
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.lint import lint
from reclama.paths import templates_dir
from reclama.rules import load_rules
from reclama.social import ETAPAS, TextoRechazado, datos_personales, drafts

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = date(2026, 11, 22)
D = date.fromisoformat

PERSONA = {
    "nombre": "Lucía Martín Ortega",
    "dni": "12345678Z",
    "domicilio": "Calle del Prado 14, 3.º B, 28014 Madrid",
    "email": "lucia.martin@example.org",
    "telefono": "600 123 456",
}
# Two purchases, one under each guarantee regime, each with a claim whose answer is overdue.
REGIMENES = {
    "2022": (
        {
            "compra": {
                "fecha": D("2026-05-04"),
                "entrega": D("2026-05-06"),
                "producto": "Teléfono móvil Nexo X12, 256 GB",
                "pedido": "PH-2026-0004815162",
            },
            "defecto": {"descubrimiento": D("2026-09-14"), "descripcion": "No carga la batería."},
            "reclamacion": {"remedio": "sustitucion", "aviso": D("2026-09-15")},
            "consumidor": PERSONA,
            "vendedor": {"usuario": "TelefoniaSAT"},
        },
        D("2026-11-22"),
    ),
    "2007": (
        {
            "compra": {
                "fecha": D("2021-06-10"),
                "entrega": D("2021-06-12"),
                "producto": "Lavadora Bosch Serie 6",
                "pedido": "LV-2021-0000777123",
            },
            "defecto": {"descubrimiento": D("2022-09-01"), "descripcion": "No centrifuga."},
            "reclamacion": {"remedio": "reparacion", "aviso": D("2022-09-05")},
            "consumidor": PERSONA,
            "vendedor": {"usuario": "@ElectroEjemplo"},
        },
        D("2022-11-22"),
    ),
}


def make(data: dict, hoy: date, **kw):
    caso = build_case(data)
    return drafts(caso, evaluate(caso.hechos(), hoy), hoy, **kw)


def by_stage(ds) -> dict[str, str]:
    """Each stage's whole text, thread numbering removed."""
    return {d.etapa: " ".join(re.sub(r" \(\d+/\d+\)$", "", p) for p in d.partes) for d in ds}


def articulo(rule_id: str, fecha: date) -> str:
    """The article number (no paragraph) the rule data gives for a rule on a date."""
    return re.match(r"\d+", load_rules().at(rule_id, fecha).principal.articulo).group()


@pytest.fixture(scope="module")
def demo():
    caso = load_case(DEMO)
    return caso, evaluate(caso.hechos(), HOY)


# --- Every stage, both regimes ------------------------------------------------------------


@pytest.mark.parametrize("regimen", REGIMENES)
@pytest.mark.parametrize("etapa", ETAPAS)
def test_every_stage_in_each_regime_cites_that_regimes_articles(regimen, etapa):
    data, hoy = REGIMENES[regimen]
    (d,) = make(data, hoy, etapas=[etapa])
    text = by_stage([d])[etapa]
    assert d.etapa == etapa
    assert text.startswith(f"@{data['vendedor']['usuario'].lstrip('@')} ")
    compra = data["compra"]["fecha"]
    garantia = articulo("trlgdcu.garantia_plazo", compra)
    remedios = articulo("trlgdcu.remedios_primarios", compra)
    otro = "2007" if regimen == "2022" else "2022"
    otra_garantia = articulo("trlgdcu.garantia_plazo", REGIMENES[otro][0]["compra"]["fecha"])
    assert garantia != otra_garantia
    if etapa == "agradecimiento":
        assert text.split(" ", 1)[1].startswith("Gracias por resolver la reclamación de garantía")
        assert "TRLGDCU" not in text
        return
    assert f"arts. {remedios} y {garantia} TRLGDCU" in text
    assert otra_garantia not in text
    anos = load_rules().at("trlgdcu.garantia_plazo", compra).valores["meses_bienes"] // 12
    assert f"garantía legal de {anos} años" in text
    assert "****" in text and data["compra"]["pedido"] not in text


def test_the_two_regimes_cite_different_articles():
    texts = {r: by_stage(make(data, hoy))["inicial"] for r, (data, hoy) in REGIMENES.items()}
    assert "arts. 118 y 120 TRLGDCU" in texts["2022"]  # examples, as the rule data says today
    assert "arts. 119 y 123 TRLGDCU" in texts["2007"]


@pytest.mark.parametrize("regimen", REGIMENES)
def test_stage_wording(regimen):
    data, hoy = REGIMENES[regimen]
    t = by_stage(make(data, hoy))
    aviso = data["reclamacion"]["aviso"]
    assert "¿Me responden por aquí? Mis datos, por mensaje privado." in t["inicial"]
    assert "tiene un defecto: no" in t["inicial"]
    assert f"Sigo sin respuesta a mi reclamación del {aviso:%d/%m}." in t["recordatorio"]
    assert "¿Me dicen por aquí cuándo lo resuelven?" in t["recordatorio"]
    plazo = evaluate(build_case(data).hechos(), hoy).plazos["respuesta_empresario"]
    respuesta = articulo("trlgdcu.respuesta_reclamacion", aviso)
    assert f"El {aviso:%d/%m} les reclamé" in t["escalado"]
    assert (
        f"El plazo legal para responder venció el {plazo.vence:%d/%m} (art. {respuesta} TRLGDCU)"
        in t["escalado"]
    )
    for paso in ("hoja de reclamaciones", "OMIC", "arbitraje de consumo"):
        assert paso in t["escalado"]
    assert "respondan por aquí" in t["escalado"]
    assert "Doy el caso por cerrado" in t["agradecimiento"]
    for text in t.values():
        assert not re.search(r"plataforma|ODR|en línea", text)


def test_a_pending_deadline_is_stated_in_the_reminder():
    data, _ = REGIMENES["2022"]
    t = by_stage(make(data, D("2026-09-20")))
    assert "La ley les da hasta el 30/09 para responder (art. 21 TRLGDCU)." in t["recordatorio"]


def test_a_refusal_is_stated_in_the_escalation():
    data, _ = REGIMENES["2022"]
    data = {
        **data,
        "reclamacion": {"remedio": "sustitucion"},
        "eventos": [
            {"tipo": "aviso", "fecha": D("2026-09-15")},
            {"tipo": "respuesta", "fecha": D("2026-09-17"), "negativa": True},
        ],
    }
    ds = make(data, D("2026-09-18"))
    assert "Me la han denegado." in by_stage(ds)["escalado"]
    assert [d.etapa for d in ds if d.sugerida] == ["escalado"]


def test_a_refusal_without_a_dated_claim():
    data, _ = REGIMENES["2022"]
    data = {**data, "reclamacion": {"remedio": "sustitucion", "negativa": True}}
    ds = make(data, D("2026-09-20"))
    escalado = by_stage(ds)["escalado"]
    assert "Les he pedido la sustitución de mi teléfono móvil Nexo X12" in escalado
    assert "Me la han denegado." in escalado
    assert [d.etapa for d in ds if d.sugerida] == ["escalado"]


def test_without_a_claim_the_escalation_announces_the_formal_claim():
    data, _ = REGIMENES["2022"]
    data = {**data, "reclamacion": {"remedio": "sustitucion"}}
    ds = make(data, D("2026-09-20"))
    t = by_stage(ds)
    assert "Les escribí por aquí hace más de 24 horas" in t["recordatorio"]
    assert "les enviaré una reclamación formal por escrito" in t["escalado"]
    assert [d.etapa for d in ds if d.sugerida] == ["inicial"]


def test_a_resolved_case_suggests_the_thank_you():
    data, _ = REGIMENES["2022"]
    data = {**data, "eventos": [{"tipo": "resuelto", "fecha": D("2026-10-01")}]}
    ds = make(data, D("2026-10-02"))
    assert [d.etapa for d in ds if d.sugerida] == ["agradecimiento"]
    assert not any("no consta como resuelto" in a for d in ds for a in d.avisos)


def test_demo_case_suggests_the_escalation_and_rebuts_the_latest_excuse(demo):
    caso, r = demo
    ds = drafts(caso, r, HOY)
    assert [d.etapa for d in ds] == list(ETAPAS)
    assert [d.etapa for d in ds if d.sugerida] == ["escalado"]
    t = by_stage(ds)
    # The file lists its excuses undated; the last one, «procedimientos», is rebutted.
    nula = articulo("trlgdcu.renuncia_nula", caso.compra.fecha)
    rebuttal = f"Alegaron sus procedimientos internos, que no pueden recortar mis derechos (art. {nula} TRLGDCU)."
    assert rebuttal in t["escalado"] and rebuttal in t["recordatorio"]
    assert "El 15/09 les reclamé la sustitución" in t["recordatorio"]
    assert "Sigue sin solución." in t["recordatorio"]  # excuses came


def test_stages_come_out_in_order_whatever_the_order_asked(demo):
    caso, r = demo
    ds = drafts(caso, r, HOY, etapas=["agradecimiento", "inicial"])
    assert [d.etapa for d in ds] == ["inicial", "agradecimiento"]


# --- The remedy asked --------------------------------------------------------------------


def test_a_remedy_that_cannot_be_demanded_yet_is_replaced_and_explained():
    data, hoy = REGIMENES["2022"]
    data = {**data, "reclamacion": {"remedio": "resolucion", "aviso": D("2026-09-15")}}
    (d,) = make(data, hoy, etapas=["inicial"])
    assert "Les pido la reparación o la sustitución" in d.partes[0]
    explained = "Por eso los borradores piden la reparación o la sustitución"
    assert any(explained in a for a in d.avisos)


def test_out_of_guarantee_no_public_claim_is_drafted_but_a_thank_you_is():
    data, _ = REGIMENES["2007"]
    hoy = D("2025-01-10")  # prescribed three years after delivery
    with pytest.raises(InputError, match="no hay ninguna medida de la garantía legal") as e:
        make(data, hoy)
    assert e.value.campo == "caso"
    (d,) = make(data, hoy, etapas=["agradecimiento"])
    assert d.partes[0].startswith("@ElectroEjemplo Gracias")


# --- Personal data and safe wording ---------------------------------------------------------


@pytest.mark.parametrize("red", textlength.REDES)
def test_no_personal_data_in_any_draft_of_the_demo(demo, red):
    caso, r = demo
    ds = drafts(caso, r, HOY, red=red)
    c = caso.consumidor
    forbidden = [
        c.dni,
        c.telefono,
        c.telefono.replace(" ", ""),
        c.email,
        c.domicilio,
        "Calle del Prado",
        "28014",
        c.nombre,
        "Martín",
        "Ortega",
        caso.compra.pedido,
        "0004815162",
    ]
    for d in ds:
        for parte in d.partes:
            for dato in forbidden:
                assert dato not in parte, (d.etapa, dato)
            assert not lint(parte.split(" ", 1)[1]).rechazado
    assert "(pedido ****5162)" in ds[0].partes[0]
    assert any("«****5162»" in a for a in ds[0].avisos)


def test_the_consumer_data_kept_out_are_dni_phone_email_address_and_surnames(demo):
    caso, _ = demo
    datos = datos_personales(caso)
    for dato in (
        "12345678Z",
        "600 123 456",
        "lucia.martin@example.org",
        "Lucía Martín Ortega",
        "Martín",
        "Ortega",
        "Calle del Prado 14",
        "28014 Madrid",
    ):
        assert dato in datos
    assert "Lucía" not in datos and "Madrid" not in datos


def test_drafts_have_no_template_seams(demo):
    caso, r = demo
    for red in textlength.REDES:
        for d in drafts(caso, r, HOY, red=red):
            text = " ".join(d.partes)
            seams = r"[\[\]{}]|y/o|insertar|xxx|__|\s{2}|\.\.|…\.| ,| \."
            assert not re.search(seams, text), text


def test_templates_and_code_type_no_article_numbers():
    sources = [*sorted((templates_dir() / "tuit").glob("*.j2.txt")), ROOT / "src/reclama/social.py"]
    assert len(sources) == 6
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\barts?\.\s*\d", text), path
        assert "TRLGDCU" not in text, path


REJECTED = [
    # (--texto, rule the linter reports)
    ("Sois unos estafadores.", "acusacion"),
    ("Esto es un fraude.", "acusacion"),
    ("¡Ladrones!", "acusacion"),
    ("Sois unos sinvergüenzas.", "insulto"),
    ("Mi DNI es 12345678Z.", "dni"),
    ("Mi NIE es X1234567L.", "nie"),
    ("Llamadme al 612 345 678.", "telefono"),
    ("Escribidme a otra.persona@example.com.", "email"),
    ("Devolved el dinero a ES91 2100 0418 4502 0005 1332.", "iban"),
    ("Recogedlo en Calle Mayor 5.", "direccion"),
    ("Soy Lucía Martín Ortega.", "dato"),
    ("Vivo en el 28014 Madrid.", "dato"),
    ("Lo compré el [insertar fecha].", "plantilla"),
    ("Quiero la reparación y/o la sustitución.", "plantilla"),
]


@pytest.mark.parametrize(("texto", "regla"), REJECTED, ids=[r for _, r in REJECTED])
def test_a_user_sentence_that_breaks_a_rule_is_rejected_with_the_reason(demo, texto, regla):
    caso, r = demo
    with pytest.raises(TextoRechazado) as e:
        drafts(caso, r, HOY, texto_extra=texto)
    assert shown(e.value.clave) == "--texto"
    assert regla in {p.regla for p in e.value.problemas if p.bloquea}
    reported = next(p for p in e.value.problemas if p.regla == regla)
    assert reported.mensaje in e.value.mensaje
    assert "no se ha escrito ningún borrador" in e.value.mensaje


def test_a_rejection_lists_each_problem_once(demo):
    caso, r = demo
    with pytest.raises(TextoRechazado) as e:
        drafts(caso, r, HOY, texto_extra="Estafadores: lucia.martin@example.org")
    lines = [x for x in e.value.mensaje.splitlines() if x.startswith("  • ")]
    assert len(lines) == 2  # the surname inside the e-mail is not reported again
    assert "(2 problemas)" in e.value.mensaje


def test_an_order_number_in_the_user_sentence_is_masked(demo):
    caso, r = demo
    texto = "Pedido PH-2026-0004815162; seguimiento 123456789012."
    ds = drafts(caso, r, HOY, red="mastodon", texto_extra=texto)
    for d in ds:
        text = " ".join(d.partes)
        assert "Pedido ****5162; seguimiento ****9012." in text
        assert "0004815162" not in text and "123456789012" not in text
        assert any("«123456789012»" in a for a in d.avisos)


def test_a_defect_description_with_an_accusation_or_personal_data_is_left_out():
    data, hoy = REGIMENES["2022"]

    def with_defect(descripcion):
        defecto = {"descubrimiento": D("2026-09-14"), "descripcion": descripcion}
        ds = make({**data, "defecto": defecto}, hoy)
        return by_stage(ds)["inicial"], ds[0].avisos

    text, avisos = with_defect("Es una estafa: no carga.")
    assert "tiene un defecto desde el 14/09. Les pido" in text and "estafa" not in text
    assert any(a.startswith("La descripción del defecto no se usa") for a in avisos)
    text, avisos = with_defect("No carga, llamen al 600 123 456. Urge.")
    assert "tiene un defecto: no carga. Les pido" in text and "600" not in text
    assert any(a.startswith("Parte de la descripción del defecto no se usa") for a in avisos)
    producto = {**data["compra"], "producto": "Móvil de los timadores"}
    t = by_stage(make({**data, "compra": producto}, hoy))
    assert "El producto que les compré (pedido ****5162) tiene un defecto" in t["inicial"]


def test_a_mastodon_account_on_another_server_is_a_mention_not_an_email():
    data, hoy = REGIMENES["2022"]
    data = {**data, "vendedor": {"usuario": "tienda@mastodon.example"}}
    ds = make(data, hoy, red="mastodon")
    d = ds[0]
    assert d.partes[0].startswith("@tienda@mastodon.example Mi teléfono móvil Nexo X12")
    # Mastodon counts a remote mention as the local part only.
    assert d.longitudes[0] == textlength.count(d.partes[0], "mastodon")
    assert d.longitudes[0] == len(d.partes[0]) - len("@mastodon.example")


# --- Counting and threads -----------------------------------------------------------------


@pytest.mark.parametrize("red", textlength.REDES)
def test_every_part_is_counted_as_its_network_counts_and_fits(demo, red):
    caso, r = demo
    for d in drafts(caso, r, HOY, red=red):
        assert d.red == red and d.limite == textlength.limit(red)
        assert d.longitudes == [textlength.count(p, red) for p in d.partes]
        assert all(0 < n <= d.limite for n in d.longitudes)
        assert d.hilo == (len(d.partes) > 1)
    assert textlength.limit(red) == {"x": 280, "mastodon": 500, "bluesky": 300}[red]


X_CASES = [
    # (--texto, weighted length on X): accented letters 1, emoji 2, any URL 23
    ("Ya funciona.", 12),
    ("Ya funcionó también, señores.", 29),
    ("Ya funciona 😀", 14),
    ("Ya funciona 👍🏽", 14),
    ("Fotos: https://example.com/a", 7 + 23),
    ("Fotos: https://example.com/" + "a" * 200, 7 + 23),
    ("Fotos: example.es/foto", 7 + 23),
]


@pytest.mark.parametrize(("texto", "peso"), X_CASES)
def test_x_counts_the_users_sentence_as_twitter_text_does(demo, texto, peso):
    caso, r = demo
    (base,) = drafts(caso, r, HOY, etapas=["agradecimiento"])
    (d,) = drafts(caso, r, HOY, etapas=["agradecimiento"], texto_extra=texto)
    assert not d.hilo
    assert d.longitudes[0] == base.longitudes[0] + 1 + peso


def test_bluesky_counts_graphemes_and_mastodon_a_url_as_23(demo):
    caso, r = demo
    kw = {"etapas": ["agradecimiento"]}
    (b0,) = drafts(caso, r, HOY, red="bluesky", **kw)
    (b1,) = drafts(caso, r, HOY, red="bluesky", texto_extra="Bien 👍🏽", **kw)
    assert b1.longitudes[0] == b0.longitudes[0] + 1 + 6
    (m0,) = drafts(caso, r, HOY, red="mastodon", **kw)
    url = "https://example.com/" + "a" * 80
    (m1,) = drafts(caso, r, HOY, red="mastodon", texto_extra=url, **kw)
    assert m1.longitudes[0] == m0.longitudes[0] + 1 + 23


def test_the_demo_first_message_fits_one_post_on_x(demo):
    caso, r = demo
    (d,) = drafts(caso, r, HOY, etapas=["inicial"])
    assert not d.hilo and d.longitudes[0] <= 280
    assert "el micrófono dejó de funcionar" in d.partes[0]


def test_a_draft_too_long_for_one_post_becomes_a_numbered_thread_cut_between_words(demo):
    caso, r = demo
    texto = (
        "Llevo dos meses sin poder usar el teléfono para llamar, lo necesito para trabajar y "
        "he tenido que comprar otro mientras tanto; conservo todos los correos y justificantes."
    )
    (x,) = drafts(caso, r, HOY, etapas=["inicial"], texto_extra=texto)
    (m,) = drafts(caso, r, HOY, red="mastodon", etapas=["inicial"], texto_extra=texto)
    assert x.hilo and not m.hilo
    n = len(x.partes)
    for k, parte in enumerate(x.partes, 1):
        assert parte.endswith(f" ({k}/{n})")
        assert textlength.count(parte, "x") <= 280
    # Nothing is lost or cut inside a word: the parts put together are the whole message.
    whole = " ".join(re.sub(r" \(\d+/\d+\)$", "", p) for p in x.partes)
    assert whole.split(" ", 1)[1] == m.partes[0].split(" ", 1)[1]
    assert x.partes[0].startswith("@TelefoniaSAT ")


def test_the_defect_is_told_as_fully_as_one_post_allows():
    data, hoy = REGIMENES["2007"]
    descripcion = "No centrifuga y hace un ruido muy fuerte al empezar cualquier programa largo."
    data = {**data, "defecto": {"descubrimiento": D("2022-09-01"), "descripcion": descripcion}}
    data["vendedor"] = {**data["vendedor"], "usuario_mastodon": "electro@mastodon.example"}
    x = by_stage(make(data, hoy, red="x"))["inicial"]
    m = by_stage(make(data, hoy, red="mastodon"))["inicial"]
    assert "tiene un defecto: no centrifuga y hace un ruido muy fuerte al empezar cualquier…" in m
    assert "tiene un defecto: no centrifuga. Les pido" in x


# --- Input errors --------------------------------------------------------------------------


def test_without_the_sellers_account_there_is_no_draft():
    data, hoy = REGIMENES["2022"]
    with pytest.raises(InputError) as e:
        make({**data, "vendedor": {}}, hoy)
    assert shown(e.value.clave) == "--usuario-x"


@pytest.mark.parametrize(
    ("kw", "campo"),
    [({"red": "facebook"}, "--red"), ({"etapas": ["final"]}, "--etapa")],
)
def test_unknown_network_or_stage(demo, kw, campo):
    caso, r = demo
    with pytest.raises(InputError) as e:
        drafts(caso, r, HOY, **kw)
    assert shown(e.value.clave) == campo


def test_the_drafts_templates_run_in_the_letters_sandbox():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from reclama.plantillas import PlantillaError
    from reclama.social import _plantillas

    plantillas = _plantillas()
    assert isinstance(plantillas.env, ImmutableSandboxedEnvironment)
    assert plantillas.env.limite  # the render budget of the letters
    with pytest.raises(PlantillaError, match="no existe la plantilla"):
        plantillas.render("../carta.j2.txt", {})  # only templates/tuit/ can be read
