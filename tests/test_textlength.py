"""Length of social-media drafts: twitter-text conformance for X, Spanish cases, threads."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reclama.textlength import REDES, count, fits, limit, parse_x, split_thread

# twitter-text's own conformance data (Apache-2.0, tests/conformance/LICENSE), shipped with the
# tests so that a fresh clone runs them; see tests/conformance/README.md.
CONFORMANCE = Path(__file__).resolve().parent / "conformance"
VALIDATE_YML = CONFORMANCE / "twitter-text-validate.yml"

# twitter-text runs WeightedTweetsCounterTest with its v2 config (same ranges and URL length,
# emoji parsing off) and WeightedTweetsWithDiscountedEmojiCounterTest with v3 (ours).
SECTIONS = {
    "WeightedTweetsCounterTest": False,
    "WeightedTweetsWithDiscountedEmojiCounterTest": True,
}


def _conformance_tests() -> dict:
    """The conformance sections; empty if the file is missing (then the tests below fail)."""
    try:
        return yaml.safe_load(VALIDATE_YML.read_text(encoding="utf-8"))["tests"]
    except FileNotFoundError:
        return {}


def _conformance_cases() -> list:
    tests = _conformance_tests()
    if not tests:  # one case that fails, never a silent skip
        return [pytest.param(None, None, None, id="faltan-los-datos")]
    return [
        pytest.param(case["text"], emoji, case["expected"], id=f"{section}: {case['description']}")
        for section, emoji in SECTIONS.items()
        for case in tests[section]
    ]


@pytest.mark.parametrize(("text", "emoji_parsing", "expected"), _conformance_cases())
def test_twitter_text_conformance(text, emoji_parsing, expected):
    assert expected is not None, f"falta {VALIDATE_YML}"
    result = parse_x(text, emoji_parsing=emoji_parsing)
    assert result.weighted_length == expected["weightedLength"]
    assert result.valid == expected["valid"]
    if emoji_parsing:  # the v3 rules are the ones count()/fits() use for X
        assert count(text, "x") == expected["weightedLength"]
        assert fits(text, "x") == expected["valid"]


def test_conformance_covers_every_case():
    tests = _conformance_tests()
    assert tests, f"falta {VALIDATE_YML}"
    assert len(_conformance_cases()) == sum(len(tests[s]) for s in SECTIONS)
    assert (CONFORMANCE / "LICENSE").read_text(encoding="utf-8").count("Apache License") >= 1


def test_shipped_x_config_is_twitter_texts_v3():
    """The counting rules reclama ships are twitter-text's own v3 config, not a retyped copy."""
    ours = json.loads(
        (files("reclama") / "data" / "twitter-text-config-v3.json").read_text("utf-8")
    )
    upstream = json.loads((CONFORMANCE / "twitter-text-config-v3.json").read_text("utf-8"))
    assert ours == upstream


FAMILIA = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"

COUNT_CASES = [
    # (description, red, text, expected length)
    ("acentos cuentan 1", "x", "camión", 6),
    ("ñ y ü cuentan 1", "x", "pingüino año", 12),
    ("acento descompuesto se normaliza (NFC)", "x", "a\u0301", 1),
    ("signos de apertura", "x", "¡Hola! ¿Qué tal?", 16),
    ("euro fuera de los rangos ligeros", "x", "10 €", 5),
    ("emoji cuenta 2", "x", "😀", 2),
    ("emoji con tono de piel cuenta 2", "x", "👍🏽", 2),
    ("familia (secuencia ZWJ) cuenta 2", "x", FAMILIA, 2),
    ("bandera cuenta 2", "x", "🇪🇸", 2),
    ("tecla 1 cuenta 2", "x", "1\ufe0f\u20e3", 2),
    ("© sin selector de emoji es texto", "x", "©", 1),
    ("CJK cuenta 2", "x", "日本", 4),
    ("URL con protocolo cuenta 23", "x", "https://www.ejemplo.es/pedido/123?ver=1", 23),
    ("URL corta también cuenta 23", "x", "http://a.es", 23),
    ("dominio sin protocolo cuenta 23", "x", "ejemplo.es", 23),
    ("texto más URL", "x", "Mirad esto: https://ejemplo.es", 12 + 23),
    ("correo no es URL", "x", "ana@ejemplo.es", 14),
    ("mención remota cuenta como local", "mastodon", "@ana@mastodon.social hola", 9),
    ("mención local", "mastodon", "@ana hola", 9),
    (
        "URL cuenta 23 en Mastodon",
        "mastodon",
        "https://ejemplo.es/una/ruta/muy/larga/de/verdad",
        23,
    ),
    ("dominio sin protocolo se cuenta entero en Mastodon", "mastodon", "ejemplo.es", 10),
    ("familia es 1 grafema en Mastodon", "mastodon", FAMILIA, 1),
    ("acentos cuentan 1 en Mastodon", "mastodon", "reclamación", 11),
    ("familia es 1 grafema en Bluesky", "bluesky", FAMILIA, 1),
    ("bandera es 1 grafema en Bluesky", "bluesky", "🇪🇸", 1),
    ("acento descompuesto es 1 grafema", "bluesky", "a\u0301", 1),
    ("URL se cuenta entera en Bluesky", "bluesky", "https://ejemplo.es", 18),
    ("acentos cuentan 1 en Bluesky", "bluesky", "garantía", 8),
]


@pytest.mark.parametrize(
    ("red", "text", "expected"), [c[1:] for c in COUNT_CASES], ids=[c[0] for c in COUNT_CASES]
)
def test_count(red, text, expected):
    assert count(text, red) == expected


def test_limits():
    assert (limit("x"), limit("mastodon"), limit("bluesky")) == (280, 500, 300)


def test_unknown_network_is_rejected():
    with pytest.raises(ValueError, match="Red social desconocida"):
        count("hola", "facebook")


@pytest.mark.parametrize(
    ("red", "text", "expected"),
    [
        ("x", "", False),
        ("x", "a" * 280, True),
        ("x", "a" * 281, False),
        ("x", "á" * 280, True),
        ("x", "😀" * 140, True),
        ("x", "😀" * 141, False),
        ("x", "hola\ufffe", False),  # twitter-text rejects these invalid characters
        ("mastodon", "a" * 500, True),
        ("mastodon", "a" * 501, False),
        ("bluesky", FAMILIA * 300, True),
        ("bluesky", FAMILIA * 301, False),
        ("bluesky", "", False),
    ],
)
def test_fits(red, text, expected):
    assert fits(text, red) is expected


# --- Threads ------------------------------------------------------------------------------------

RECLAMACION = (
    "Hola @TiendaEjemplo. Compré una lavadora el 3 de marzo y dejó de centrifugar a los dos "
    "meses. Según el artículo 114 del texto refundido de consumidores tengo derecho a la "
    "reparación gratuita. Llevo tres semanas esperando una respuesta que no llega. ¿Podéis "
    "indicarme cuándo vendrá el técnico? Adjunto la factura y el número de incidencia en "
    "https://ejemplo.es/incidencias/2024/consulta?id=abcdef. Gracias de antemano; espero que "
    "lo solucionéis pronto porque en casa somos cinco y no podemos lavar la ropa. "
)
SUFFIX = re.compile(r" \((\d+)/(\d+)\)$")


def _bodies(parts: list[str]) -> list[str]:
    """Check the "(k/N)" numbering and return the parts without it."""
    bodies = []
    for k, part in enumerate(parts, 1):
        m = SUFFIX.search(part)
        assert m, f"sin numeración: {part!r}"
        assert (int(m.group(1)), int(m.group(2))) == (k, len(parts))
        bodies.append(part[: m.start()])
    return bodies


@pytest.mark.parametrize("red", REDES)
def test_text_that_fits_is_returned_as_is(red):
    assert split_thread("Mi lavadora no centrifuga. ¿Me ayudáis?", red) == [
        "Mi lavadora no centrifuga. ¿Me ayudáis?"
    ]


@pytest.mark.parametrize("red", REDES)
def test_blank_text_gives_no_posts(red):
    assert split_thread("  \n ", red) == []


@pytest.mark.parametrize(("red", "times"), [("x", 1), ("x", 6), ("mastodon", 3), ("bluesky", 2)])
def test_thread_parts_fit_numbered_and_keep_words(red, times):
    text = RECLAMACION * times
    parts = split_thread(text, red)
    assert len(parts) > 1
    for part in parts:
        assert count(part, red) <= limit(red)
        assert fits(part, red)
    bodies = _bodies(parts)
    # Joined parts give back the same words: nothing cut mid-word, nothing lost or repeated.
    assert " ".join(bodies).split() == text.split()


def test_thread_prefers_sentence_ends():
    text = " ".join(f"Esta es la frase número {n} de la reclamación." for n in range(1, 40))
    bodies = _bodies(split_thread(text, "x"))
    assert all(body.endswith(".") for body in bodies)


def test_thread_with_ten_or_more_parts_numbers_correctly():
    parts = split_thread(RECLAMACION * 8, "x")
    assert len(parts) >= 10
    assert parts[0].endswith(f" (1/{len(parts)})")
    assert all(count(p, "x") <= 280 for p in parts)
    _bodies(parts)


def test_long_urls_stay_whole_on_x():
    url = "https://ejemplo.es/" + "ruta/" * 80  # 400 characters, weighs 23 on X
    text = ("Ved la incidencia en " + url + " por favor. ") * 15
    parts = split_thread(text, "x")
    assert sum(p.count(url) for p in parts) == 15


def test_only_a_word_longer_than_a_post_is_cut():
    word = "a" * 700
    parts = split_thread(f"Inicio {word} fin", "bluesky")
    bodies = _bodies(parts)
    assert all(count(p, "bluesky") <= 300 for p in parts)
    assert "".join(bodies).replace(" ", "") == f"Inicio{word}fin"


WORDS = st.lists(
    st.sampled_from([*"abcdeáéíóúñü¿?¡!.,;:@/-_", "😀", FAMILIA, "🇪🇸", "日"]),
    min_size=1,
    max_size=12,
).map("".join)


@settings(deadline=None, max_examples=150)
@given(text=st.text(max_size=1500), red=st.sampled_from(REDES))
def test_split_never_crashes_and_every_part_fits(text, red):
    parts = split_thread(text, red)
    for part in parts:
        assert part.strip()
        assert count(part, red) <= limit(red)
    if text.strip() and count(text, red) <= limit(red):
        assert parts == [text]


@settings(deadline=None, max_examples=150)
@given(
    words=st.lists(WORDS, min_size=1, max_size=400),
    seps=st.sampled_from([" ", "\n", "  "]),
    red=st.sampled_from(REDES),
)
def test_split_of_words_keeps_them_whole(words, seps, red):
    text = seps.join(words)
    parts = split_thread(text, red)
    assert all(count(p, red) <= limit(red) for p in parts)
    if len(parts) > 1:
        assert " ".join(_bodies(parts)).split() == text.split()
