"""Rendering letters (reclama.render): PDF content read back, inert user text, no network, sandboxed overrides."""

from __future__ import annotations

import io
import json
import logging
import socket
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from reclama.casefile import build_case, load_case
from reclama.cli.campos import shown
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.evaluation import letter_evaluation
from reclama.letter import check_letter_ready
from reclama.paths import templates_dir
from reclama.render import ATTACHMENT_NAME, LetterRenderer, _environment, euros, fecha_larga, romano

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = date(2026, 11, 22)
HOSTILE = (
    '<img src="http://127.0.0.1:9/espia.png"> file:///etc/passwd '
    '<script>alert(1)</script> <link rel="attachment" href="file:///etc/passwd">'
)
CASE_2007 = {
    "compra": {"fecha": date(2021, 3, 10), "producto": "Lavadora W-800", "precio": "1.299,00"},
    "defecto": {"descubrimiento": date(2021, 8, 1), "descripcion": "Pierde agua."},
    "reclamacion": {"remedio": "reparacion", "aviso": date(2021, 8, 20), "respuestas": ["marca"]},
    "consumidor": {
        "nombre": "Pedro Ruiz Sanz",
        "dni": "X1234567L",
        "domicilio": "Calle Luna 3, Sevilla",
    },
    "vendedor": {"nombre": "Electro Sur, S.A.", "cif": "A58818501"},
    "carta": {"lugar": "Sevilla"},
}


def letter_args(caso, hoy=HOY):
    r = evaluate(caso.hechos(), hoy)
    check_letter_ready(caso, r, forzar=False)
    return caso, r, hoy


def render(renderer, caso, formato, hoy=HOY, **kw):
    """The letter of `caso`, checked and evaluated as `reclama carta` does."""
    caso, r, hoy = letter_args(caso, hoy)
    return renderer.render(caso, r, hoy, formato, carta=letter_evaluation(caso, hoy), **kw)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages).replace("\xa0", " ")


@pytest.fixture(scope="module")
def renderer():
    return LetterRenderer()


@pytest.fixture(scope="module")
def demo_pdf(renderer):
    return render(renderer, load_case(DEMO), "pdf")


@pytest.fixture
def hostile_case():
    caso = load_case(DEMO)
    caso.defecto.descripcion = HOSTILE
    return caso


def test_spanish_long_dates_and_euro_amounts():
    assert fecha_larga(date(2026, 11, 22)) == "22 de noviembre de 2026"
    assert fecha_larga(date(2022, 1, 1)) == "1 de enero de 2022"
    assert euros(Decimal("1299.00")) == "1.299,00\xa0€"
    assert euros(Decimal("899")) == "899,00\xa0€"
    assert [romano(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]


def test_the_2022_pdf_names_the_seller_the_current_articles_the_date_and_the_amount(demo_pdf):
    text = pdf_text(demo_pdf)
    assert "Telefonía Ejemplo, S.L." in text
    assert "Madrid, 22 de noviembre de 2026" in text
    assert "899,00 €" in text
    for article in (
        "art. 117.1 del TRLGDCU",
        "art. 120.1 del TRLGDCU",
        "art. 118.1 del TRLGDCU",
        "art. 21.3 del TRLGDCU",
        "art. 1973 del Código Civil",
    ):
        assert article in text
    assert "art. 114 del TRLGDCU" not in text and "art. 123.1 del TRLGDCU" not in text


def test_the_2007_pdf_cites_the_old_articles(renderer):
    caso = build_case(CASE_2007)
    text = " ".join(pdf_text(render(renderer, caso, "pdf", date(2022, 5, 10))).split())
    assert (
        "Electro Sur, S.A." in text
        and "Sevilla, 10 de mayo de 2022" in text
        and "1.299,00 €" in text
    )
    for article in (
        "art. 114 del TRLGDCU",
        "art. 123.1 del TRLGDCU",
        "art. 119.1 del TRLGDCU",
        "art. 124, párrafo primero, del TRLGDCU",
    ):
        assert article in text
    assert "art. 117.1 del TRLGDCU" not in text and "tres años" not in text


def test_page_numbers_and_running_header_start_on_page_two(demo_pdf):
    pages = PdfReader(io.BytesIO(demo_pdf)).pages
    assert len(pages) > 1
    total = len(pages)
    assert "Página" not in pages[0].extract_text()
    assert f"Página 2 de {total}" in pages[1].extract_text()
    assert "Lucía Martín Ortega a Telefonía Ejemplo, S.L." in pages[1].extract_text()


def test_pdf_metadata_names_the_letter(demo_pdf):
    meta = PdfReader(io.BytesIO(demo_pdf)).metadata
    assert meta.title == "Reclamación por falta de conformidad a Telefonía Ejemplo, S.L."
    assert meta.author == "Lucía Martín Ortega"


def test_pdf_a_3b_embeds_the_case_and_the_rule_versions(renderer):
    data = render(renderer, load_case(DEMO), "pdf", pdf_a=True)
    reader = PdfReader(io.BytesIO(data))
    attached = json.loads(reader.attachments[ATTACHMENT_NAME][0])
    assert attached["caso"]["consumidor"]["dni"] == "12345678Z"
    assert attached["resultado"]["plazos"]["garantia"]["vence"] == "2029-05-06"
    reglas = {(c["regla"], c["valido_desde"]) for c in attached["citas"]}
    assert ("trlgdcu.garantia_plazo", "2022-01-01") in reglas
    assert (
        "trlgdcu.respuesta_reclamacion",
        "2025-12-28",
    ) in reglas  # the version on the letter's date
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"


def test_pdf_a_only_makes_sense_for_pdf(renderer):
    with pytest.raises(InputError) as e:
        render(renderer, load_case(DEMO), "html", pdf_a=True)
    assert shown(e.value.clave) == "--pdf-a"


# --- user text is inert, rendering never leaves the template folders -----------------------


def test_html_autoescapes_user_text(renderer, hostile_case):
    html = render(renderer, hostile_case, "html").decode()
    assert (
        "<script>" not in html and "<img src=" not in html and '<link rel="attachment"' not in html
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_autoescape_follows_the_real_extension():
    env = _environment((templates_dir().resolve(),), False)
    assert env.autoescape("carta.j2.html") is True
    assert env.autoescape("carta.j2.txt") is False
    assert env.autoescape("carta.html.j2") is False  # why templates are named *.j2.html


def test_the_email_text_keeps_user_text_as_plain_text(renderer, hostile_case):
    txt = render(renderer, hostile_case, "txt").decode()
    assert HOSTILE.rstrip(".") in txt and "&lt;" not in txt


def test_hostile_text_in_the_pdf_is_printed_not_fetched(renderer, hostile_case, monkeypatch):
    fetched = []
    _fonts, fetcher, _css = renderer._tools()
    real = type(fetcher).fetch
    monkeypatch.setattr(
        type(fetcher),
        "fetch",
        lambda self, url, headers=None: (fetched.append(url), real(self, url, headers))[1],
    )

    def no_network(*a, **k):
        raise AssertionError("el renderizado intentó conectarse a la red")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    data = render(renderer, hostile_case, "pdf")
    text = pdf_text(data)
    assert "file:///etc/passwd" in text and "<script>alert(1)</script>" in text
    assert fetched == []
    assert b"root:x:0:0" not in data
    assert PdfReader(io.BytesIO(data)).attachments == {}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://servidor/compartido/logo.png",
        "file:///etc/../etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_outside_the_template_folders(renderer, url):
    fetcher = renderer._tools()[1]
    with pytest.raises(ValueError, match="recurso bloqueado"):
        fetcher.fetch(url)


def test_the_fetcher_serves_files_from_the_template_folders(renderer):
    fetcher = renderer._tools()[1]
    response = fetcher.fetch((templates_dir() / "carta.css").resolve().as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()


def test_a_symlink_out_of_the_firm_folder_is_refused(tmp_path):
    (tmp_path / "logo.png").symlink_to("/etc/passwd")
    fetcher = LetterRenderer(tmp_path)._tools()[1]
    with pytest.raises(ValueError, match="recurso bloqueado"):
        fetcher.fetch((tmp_path / "logo.png").as_uri())


def test_a_firm_template_cannot_attach_or_embed_local_files(tmp_path, capsys):
    (tmp_path / "_membrete.j2.html").write_text(
        '<link rel="attachment" href="file:///etc/passwd">'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<p class="despacho">DESPACHO EJEMPLO ABOGADOS</p>',
        encoding="utf-8",
    )
    # A refused resource is an error, not a gap in the letter (issue 9).
    with pytest.raises(InputError, match="recurso bloqueado") as e:
        render(LetterRenderer(tmp_path), load_case(DEMO), "pdf")
    assert e.value.campo.startswith("la plantilla")
    assert "root:x:0:0" not in capsys.readouterr().err


def test_a_firm_overrides_the_letterhead_and_the_css_without_copying_the_rest(tmp_path):
    (tmp_path / "_membrete.j2.html").write_text(
        "<header><p>DESPACHO EJEMPLO</p><p>{{ vendedor.nombre }}</p></header>", encoding="utf-8"
    )
    (tmp_path / "carta.css").write_text("body { color: #123456; }", encoding="utf-8")
    html = render(LetterRenderer(tmp_path), load_case(DEMO), "html").decode()
    assert "DESPACHO EJEMPLO" in html and "#123456" in html
    assert "Fundamentos de derecho" in html and "el art. 117.1 del TRLGDCU" in html


@pytest.mark.parametrize(
    ("template", "match"),
    [
        ("{{ vendedor.__class__.__mro__ }}", "no está permitido"),
        ("{{ no_existe }}", "no_existe"),
        ("{% if %}", "sintaxis"),
    ],
)
def test_firm_templates_run_sandboxed_and_fail_with_a_clear_error(tmp_path, template, match):
    (tmp_path / "_membrete.j2.html").write_text(template, encoding="utf-8")
    with pytest.raises(InputError, match=match) as e:
        render(LetterRenderer(tmp_path), load_case(DEMO), "html")
    assert e.value.campo == f"la plantilla {tmp_path.resolve() / '_membrete.j2.html'}, línea 1"


def test_a_missing_template_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as e:
        LetterRenderer(tmp_path / "no-existe")
    assert shown(e.value.clave) == "--plantillas"


# --- one renderer, many letters --------------------------------------------------------------


def test_fonts_fetcher_and_stylesheet_are_made_once_per_renderer(renderer, demo_pdf):
    tools = renderer._tools()
    render(renderer, load_case(DEMO), "pdf")
    assert renderer._tools() is tools
    assert LetterRenderer().env is renderer.env  # one Jinja environment per template folder


def test_weasyprint_warnings_reach_stderr_as_avisos(renderer, demo_pdf, capsys):
    logging.getLogger("weasyprint").warning("prueba de aviso")
    logging.getLogger("fontTools.subset").warning("otro aviso")
    err = capsys.readouterr().err
    assert "Aviso: prueba de aviso" in err and "Aviso: otro aviso" in err
