"""The public-draft linter cannot be fooled by what a reader does not see (issue 9).

How to read this file: BYPASSES lists drafts that try to slip an insult, an accusation or
personal data past the linter with characters a reader does not notice (zero-width spaces,
full-width or foreign digits, Cyrillic and Greek letters that look Latin, text reversed by a
right-to-left override). Each must be rejected for the reason given. LEGITIMATE lists ordinary
Spanish drafts (accents, ñ, «», ordinals, emoji) that must come out exactly as written.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reclama.casefile import load_case
from reclama.cli import main
from reclama.cli.campos import shown
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.lint import LintResult, lint, visible
from reclama.social import TextoRechazado, drafts

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = "2026-11-22"

ZWSP, ZWJ, WJ, BOM, SHY = "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad"
RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
# Every character the linter promises never to let through in a draft.
INVISIBLE_OR_BIDI = {
    ZWSP,
    ZWJ,
    WJ,
    BOM,
    SHY,
    "\u200c",
    "\u2061",
    "\u180e",
    "\u202a",
    "\u202b",
    PDF,
    "\u202d",
    RLO,
    "\u2066",
    RLI,
    "\u2068",
    PDI,
    "\u200e",
    "\u200f",
}

BYPASSES = [
    # (description, draft, rule that must block it)
    ("DNI partido con espacios de anchura cero", f"Mi DNI es 1234{ZWSP}5678{ZWSP}Z", "dni"),
    ("DNI partido con unión de palabras (U+2060)", f"DNI 12345{WJ}678Z", "dni"),
    ("DNI partido con BOM", f"DNI 1234{BOM}5678Z", "dni"),
    ("DNI partido con guion blando", f"DNI 1234{SHY}5678Z", "dni"),
    ("DNI en cifras de anchura completa", "Mi DNI es １２３４５６７８Ｚ", "dni"),
    ("NIE en caracteres de anchura completa", "NIE Ｘ１２３４５６７Ｌ", "nie"),
    ("móvil en cifras de anchura completa", "Llamadme al ６１２３４５６７８", "telefono"),
    ("móvil en cifras arábigo-índicas", "Llamadme al ٦١٢٣٤٥٦٧٨", "telefono"),
    ("móvil en cifras devanagari", "Llamadme al ६१२ ३४५ ६७८", "telefono"),
    ("móvil partido con espacios de anchura cero", f"Tel. 612{ZWSP}345{ZWSP}678", "telefono"),
    ("móvil con +34 de anchura completa", "Tel. ＋３４ ６１２ ３４５ ６７８", "telefono"),
    ("correo con arroba de anchura completa", "Escribidme a ana＠correo.es", "email"),
    (
        "IBAN partido con espacios de anchura cero",
        f"Cuenta ES91{ZWSP}2100 0418 4502 0005 1332",
        "iban",
    ),
    ("insulto partido con espacio de anchura cero", f"Sois unos esta{ZWSP}fadores", "acusacion"),
    ("insulto partido con unión de anchura cero", f"Sois unos la{ZWJ}drones", "acusacion"),
    ("insulto partido con no-unión de anchura cero", "Sois unos gili\u200cpollas", "insulto"),
    ("insulto con «е» y «а» cirílicas", "Esto es una еstаfа", "acusacion"),
    ("insulto todo en cirílico de aspecto latino", "ЕЅТАFА", "acusacion"),
    ("insulto con «О», «Е» y «Ѕ» cirílicas", "¡LADRОNЕЅ!", "acusacion"),
    ("insulto con «о» cirílica y acento combinado", "un ladr\u043e\u0301n", "acusacion"),
    ("insulto con mayúsculas griegas", "ΙDΙΟΤΑ", "insulto"),
    ("insulto con minúsculas griegas", "sοis unοs ιdιοtαs", "insulto"),
    ("insulto con cirílicas y espacio de anchura cero", f"sinvеr{ZWSP}güеnzаs", "insulto"),
    ("insulto en letras de anchura completa", "Sois unos ｅｓｔａｆａｄｏｒｅｓ", "acusacion"),
    ("insulto en letras matemáticas", "Sois unos 𝐥𝐚𝐝𝐫𝐨𝐧𝐞𝐬", "acusacion"),
    ("texto invertido con anulación derecha-izquierda", f"Sois unos {RLO}serodafatse{PDF}", "bidi"),
    ("texto aislado derecha-izquierda", f"Pedido {RLI}afatse{PDI} sin respuesta", "bidi"),
    ("anulación derecha-izquierda sola", f"Gracias{RLO}", "bidi"),
]


@pytest.mark.parametrize(("text", "regla"), [b[1:] for b in BYPASSES], ids=[b[0] for b in BYPASSES])
def test_a_bypass_attempt_is_caught(text, regla):
    result = lint(text)
    assert result.rechazado
    assert regla in {p.regla for p in result.problemas if p.bloquea}, result.problemas
    # Neither the corrected draft nor any message carries what the reader cannot see.
    assert not INVISIBLE_OR_BIDI & set(result.texto)
    for problem in result.problemas:
        assert not INVISIBLE_OR_BIDI & set(problem.mensaje + problem.fragmento)


def test_a_split_dni_is_reported_as_the_reader_sees_it():
    (problem,) = lint(f"DNI 1234{ZWSP}5678Z").problemas[1:]
    assert problem.fragmento == "12345678Z"
    assert "«12345678Z» parece un DNI" in problem.mensaje


def test_full_width_digits_are_reported_as_written():
    (problem,) = lint("Tel. ６１２３４５６７８").problemas
    assert problem.fragmento == "６１２３４５６７８"


def test_a_bidi_control_is_named_by_its_code_point():
    bidi = next(p for p in lint(f"Gracias {RLO}x").problemas if p.regla == "bidi")
    assert bidi.fragmento == "U+202E"
    assert "control de dirección" in bidi.mensaje


LEGITIMATE = [
    "Compré una cafetera el 3 de marzo y no calienta: solicito la reparación, por favor.",
    "Niño, año, pingüino, acción, «comillas», ¿preguntas? ¡y exclamaciones!",
    "Vivo en el 2.º piso; es la 1.ª vez que reclamo y la nº 3 de la tienda.",
    "Pagué 1.299,00\u00a0€ (¼ del precio al contado) … y sigo esperando.",
    "Gracias por la rapidez 👍🏽❤️🙏",
    "Toda la familia 👨\u200d👩\u200d👧\u200d👦 esperando; la técnica 👩🏽\u200d💻 no vino.",
    "Desde Escocia 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f y España 🇪🇸.",
    "La cafetera 1️⃣ de 3 llegó rota 💔; ♀️ ✔️",
    "El servicio técnico de Αθήνα y el de Москва respondieron antes.",
    "Me siento defraudado con el servicio: la pantalla falló a los 14 días.",
    "Me enviaron unos chorizos caducados y el timón del barco de juguete está roto.",
]


@pytest.mark.parametrize("text", LEGITIMATE)
def test_a_legitimate_draft_is_neither_flagged_nor_altered(text):
    assert lint(text) == LintResult(texto=text, problemas=[], rechazado=False)
    assert visible(text) == text


def test_invisible_characters_are_removed_from_the_draft_with_a_notice():
    result = lint(f"Gracias{ZWSP} por la{WJ} respuesta{BOM}")
    assert result.texto == "Gracias por la respuesta"
    assert not result.rechazado
    (notice,) = result.problemas
    assert notice.regla == "invisible" and not notice.bloquea
    assert "3 caracteres invisibles" in notice.mensaje


@settings(deadline=None, max_examples=300)
@given(
    st.text(
        alphabet=st.sampled_from(["a", "1", " ", "👨", *INVISIBLE_OR_BIDI]) | st.characters(),
        max_size=80,
    )
)
def test_no_draft_the_linter_returns_carries_invisible_characters(text):
    texto = lint(text).texto
    assert not INVISIBLE_OR_BIDI & set(texto)
    assert visible(texto) == texto


@pytest.mark.parametrize("char", sorted(INVISIBLE_OR_BIDI))
def test_visible_removes_every_invisible_or_bidi_character(char):
    assert visible(f"a{char}b") == "ab", unicodedata.name(char, hex(ord(char)))


# --- Drafts: neither the user's sentence nor the account name brings them in ------------------


@pytest.fixture(scope="module")
def demo():
    caso = load_case(DEMO)
    return caso, evaluate(caso.hechos(), date.fromisoformat(HOY))


@pytest.mark.parametrize(
    "texto",
    [f"Sois unos esta{ZWSP}fadores", "Tel. ６１２３４５６７８", f"Gracias {RLO}serodafatse{PDF}"],
)
def test_a_user_sentence_that_hides_a_problem_is_rejected_naming_texto(demo, texto):
    caso, r = demo
    with pytest.raises(TextoRechazado) as e:
        drafts(caso, r, date.fromisoformat(HOY), texto_extra=texto)
    assert shown(e.value.clave) == "--texto"


def test_invisible_characters_in_the_user_sentence_never_reach_a_draft(demo):
    caso, r = demo
    for d in drafts(
        caso, r, date.fromisoformat(HOY), texto_extra=f"Tengo{ZWSP} los{BOM} justificantes."
    ):
        text = " ".join(d.partes)
        assert "Tengo los justificantes." in text
        assert not INVISIBLE_OR_BIDI & set(text)


def test_an_account_name_with_invisible_characters_does_not_reach_a_draft(demo):
    """X cannot hold such an account: it is refused, and the message shows what was hidden."""
    caso, r = demo
    vendedor = caso.vendedor.model_copy(update={"usuario": f"Telefonia{ZWSP}SAT{RLO}"})
    caso = caso.model_copy(update={"vendedor": vendedor})
    with pytest.raises(InputError) as e:
        list(drafts(caso, r, date.fromisoformat(HOY)))
    assert e.value.clave == "vendedor.usuario"
    (line,) = e.value.lines()
    assert "Telefonia\\u200bSAT\\u202e" in line
    assert not INVISIBLE_OR_BIDI & set(line)


def test_tuit_refuses_a_reversed_sentence_with_exit_2_naming_texto(capsys):
    args = ["tuit", "--caso", str(DEMO), "--hoy", HOY, "--texto", f"Sois unos {RLO}serodafatse"]
    code = main(args)
    out = capsys.readouterr()
    assert code == 2
    assert "--texto" in out.err and "control de dirección" in out.err
    assert "@" not in out.out  # no draft printed
