"""Safe-wording linter: one case per rule, clean texts untouched, never crashes."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reclama.lint import LintProblem, LintResult, lint

BLOCKING_CASES = [
    # (description, text, extra kwargs, expected regla, expected fragmento)
    ("estafa: plural masculino", "Sois unos estafadores.", {}, "acusacion", "estafadores"),
    ("estafa: femenino", "La dependienta es una estafadora", {}, "acusacion", "estafadora"),
    ("estafa: mayúsculas", "¡ESTO ES UNA ESTAFA!", {}, "acusacion", "ESTAFA"),
    ("estafa: frase", "Me han estafado con la garantía", {}, "acusacion", "Me han estafado"),
    ("robo: ladrones", "Sois unos ladrones", {}, "acusacion", "ladrones"),
    ("robo: ladrón sin tilde", "el ladron de la tienda", {}, "acusacion", "ladron"),
    ("robo: LADRÓN", "LADRÓN", {}, "acusacion", "LADRÓN"),
    ("robo: os han robado", "A todos os han robado igual", {}, "acusacion", "os han robado"),
    ("robo: robo", "Esto es un robo.", {}, "acusacion", "robo"),
    ("fraude", "Un fraude de empresa", {}, "acusacion", "fraude"),
    ("fraude: adjetivo", "una venta fraudulenta", {}, "acusacion", "fraudulenta"),
    ("timo", "Vaya timo de lavadora", {}, "acusacion", "timo"),
    ("timo: timadores", "son unos timadores", {}, "acusacion", "timadores"),
    ("mafia", "Sois una mafia", {}, "acusacion", "mafia"),
    ("mafia: mafiosos", "Mafiosos.", {}, "acusacion", "Mafiosos"),
    ("chorizos", "Sois unos chorizos", {}, "acusacion", "Sois unos chorizos"),
    ("chorizos: panda", "panda de chorizos", {}, "acusacion", "panda de chorizos"),
    ("engaño deliberado", "Es un engaño deliberado", {}, "acusacion", "engaño deliberado"),
    ("engaño deliberado sin eñe", "es un engano deliberado", {}, "acusacion", "engano deliberado"),
    ("sinvergüenzas", "¡Sinvergüenzas!", {}, "insulto", "Sinvergüenzas"),
    ("sinvergüenzas sin diéresis", "sois unos sinverguenzas", {}, "insulto", "sinverguenzas"),
    ("insulto", "Sois unos gilipollas", {}, "insulto", "gilipollas"),
    ("acento descompuesto", "una e\u0301stafa", {}, "acusacion", "e\u0301stafa"),
    ("DNI válido", "Mi DNI es 12345678Z.", {}, "dni", "12345678Z"),
    ("DNI con puntos y guion", "DNI 12.345.678-Z", {}, "dni", "12.345.678-Z"),
    ("DNI con letra incorrecta", "Mi DNI: 12345678A", {}, "dni", "12345678A"),
    ("DNI con espacio", "DNI 12345678 Z", {}, "dni", "12345678 Z"),
    ("NIE válido", "Mi NIE es X1234567L", {}, "nie", "X1234567L"),
    ("NIE con guiones", "NIE Y-1234567-X", {}, "nie", "Y-1234567-X"),
    ("móvil seguido", "Llamadme al 612345678", {}, "telefono", "612345678"),
    ("móvil con espacios", "mi móvil 612 345 678", {}, "telefono", "612 345 678"),
    ("móvil en pares", "612 34 56 78, gracias", {}, "telefono", "612 34 56 78"),
    ("móvil con +34", "Tel. +34 612 345 678", {}, "telefono", "+34 612 345 678"),
    ("móvil con 0034", "0034612345678", {}, "telefono", "0034612345678"),
    ("fijo de Madrid", "fijo: 91 123 45 67", {}, "telefono", "91 123 45 67"),
    ("fijo con (+34) y guiones", "(+34) 912-345-678", {}, "telefono", "(+34) 912-345-678"),
    (
        "correo",
        "Escribidme a ana.garcia+compras@correo.es",
        {},
        "email",
        "ana.garcia+compras@correo.es",
    ),
    ("calle", "Vivo en Calle Mayor 5, Madrid", {}, "direccion", "Calle Mayor 5"),
    ("c/ con coma", "Enviadlo a C/ Alcalá, 23", {}, "direccion", "C/ Alcalá, 23"),
    ("c/ en minúsculas", "a c/alcalá 23", {}, "direccion", "c/alcalá 23"),
    (
        "avda. con nº",
        "en la Avda. de la Constitución nº 12",
        {},
        "direccion",
        "Avda. de la Constitución nº 12",
    ),
    ("avenida", "Avenida de América 10", {}, "direccion", "Avenida de América 10"),
    ("plaza", "Plaza de España 3", {}, "direccion", "Plaza de España 3"),
    ("pza.", "pza. mayor 1", {}, "direccion", "pza. mayor 1"),
    (
        "paseo en minúsculas con número",
        "paseo de gracia número 21",
        {},
        "direccion",
        "paseo de gracia número 21",
    ),
    ("IBAN", "Cuenta ES91 2100 0418 4502 0005 1332", {}, "iban", "ES91 2100 0418 4502 0005 1332"),
    (
        "dato: dirección conocida",
        "vivo en calle del pez 7",
        {"datos": ["Calle del Pez 7"]},
        "dato",
        "calle del pez 7",
    ),
    (
        "dato: nombre sin tildes",
        "Soy ANA GARCIA PEREZ",
        {"datos": ["Ana García Pérez"]},
        "dato",
        "ANA GARCIA PEREZ",
    ),
    ("plantilla: [insertar", "Hola [insertar nombre]", {}, "plantilla", "[insertar nombre]"),
    ("plantilla: [ suelto", "Compré el producto [", {}, "plantilla", "["),
    ("plantilla: [insertar sin cerrar", "Hola [insertar nombre", {}, "plantilla", "[insertar"),
    ("plantilla: XXX", "pedido del día XXX", {}, "plantilla", "XXX"),
    ("plantilla: fecha XX/XX/XXXX", "el XX/XX/XXXX", {}, "plantilla", "XXXX"),
    ("plantilla: y/o", "reparación y/o sustitución", {}, "plantilla", "y/o"),
    ("plantilla: {{ }}", "Estimado {{ nombre }}", {}, "plantilla", "{{ nombre }}"),
    ("plantilla: }} suelto", "Gracias }}", {}, "plantilla", "}}"),
]


@pytest.mark.parametrize(
    ("text", "kwargs", "regla", "fragmento"),
    [c[1:] for c in BLOCKING_CASES],
    ids=[c[0] for c in BLOCKING_CASES],
)
def test_blocking_rule(text, kwargs, regla, fragmento):
    result = lint(text, **kwargs)
    assert result.rechazado
    found = [p for p in result.problemas if p.regla == regla and p.fragmento == fragmento]
    assert found, result.problemas
    problem = found[0]
    assert problem.bloquea
    assert fragmento in problem.mensaje


def test_accusation_message_explains_defamation():
    problem = lint("Sois unos estafadores").problemas[0]
    assert "difamatorio" in problem.mensaje
    assert "probar" in problem.mensaje


def test_number_followed_by_lowercase_word_is_not_a_dni():
    result = lint("El ticket 12345678 y el resto siguen abiertos")
    assert not result.rechazado
    assert result.texto == "El ticket ****5678 y el resto siguen abiertos"


def test_invalid_dni_is_reported_as_dni_shaped():
    valid = lint("12345678Z").problemas[0].mensaje
    shaped = lint("12345678A").problemas[0].mensaje
    assert "parece un DNI" in valid
    assert "forma de DNI" in shaped


CLEAN_TEXTS = [
    "Compré una lavadora en septiembre y dejó de centrifugar. Solicito la reparación según el "
    "artículo 114 de la Ley de Consumidores. ¿Cuándo vendrá el técnico?",
    "El timón del barco de juguete se rompió; el robot aspirador tampoco funciona.",
    "Me siento defraudado con el servicio: la pantalla falló a los 14 días.",
    "Me enviaron unos chorizos caducados el 2024-11-22 y pagué 1.299,00 €.",
    "Estuve en la calle 2 días esperando al repartidor. La plaza de garaje 12 estaba libre.",
    "Los auriculares WH-1000XM4 y el modelo SM-G991B tienen garantía de tres años.",
    "Señores de TiendaEjemplo: pido la sustitución del producto, tal y como indica la ley.",
    "Niño, año, pingüino, acción, «comillas» y — guiones — sin problema.",
    "Las incidencias 1234567 y 7654321 siguen abiertas desde el 3 de marzo.",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_text_passes_untouched(text):
    result = lint(text)
    assert result == LintResult(texto=text, problemas=[], rechazado=False)


# --- Order numbers: fixed, not blocking -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pedido", "expected"),
    [
        (
            "Mi pedido 405-1234567-1234567 no llega",
            "405-1234567-1234567",
            "Mi pedido ****4567 no llega",
        ),
        ("Pedido 40512345671234567.", "405-1234567-1234567", "Pedido ****4567."),
        (
            "Pedido ab12cd34ef y otra vez AB12CD34EF",
            "AB12CD34EF",
            "Pedido ****34EF y otra vez ****34EF",
        ),
        ("Pedido 1234", "1234", "Pedido ****"),
    ],
)
def test_known_order_number_is_masked(text, pedido, expected):
    result = lint(text, pedido=pedido)
    assert result.texto == expected
    assert not result.rechazado
    assert result.problemas
    assert all(p.regla == "pedido" and not p.bloquea for p in result.problemas)
    assert "****" in result.problemas[0].mensaje


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Referencia 12345678901 sin respuesta", "Referencia ****8901 sin respuesta"),
        ("Seguimiento PQ4F6P0712345670108001C.", "Seguimiento ****001C."),
        ("Pedido ORD-2024-00012345", "Pedido ****2345"),
    ],
)
def test_order_like_ids_are_masked(text, expected):
    result = lint(text)
    assert result.texto == expected
    assert not result.rechazado
    assert [p.regla for p in result.problemas] == ["pedido"]


def test_masking_does_not_hide_blocking_problems():
    result = lint("Pedido 405-1234567-1234567. Sois unos ladrones", pedido="405-1234567-1234567")
    assert result.texto == "Pedido ****4567. Sois unos ladrones"
    assert result.rechazado
    assert {p.regla for p in result.problemas} == {"pedido", "acusacion"}


def test_problem_model_fields():
    problem = LintProblem(regla="dni", fragmento="x", mensaje="m", bloquea=True)
    assert problem.model_dump() == {
        "regla": "dni",
        "fragmento": "x",
        "mensaje": "m",
        "bloquea": True,
    }


# --- Robustness -----------------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(
    text=st.text(max_size=600),
    pedido=st.one_of(st.none(), st.text(max_size=25)),
    datos=st.lists(st.text(max_size=30), max_size=3),
)
def test_lint_never_crashes(text, pedido, datos):
    result = lint(text, pedido=pedido, datos=datos)
    assert result.rechazado == any(p.bloquea for p in result.problemas)
    for problem in result.problemas:
        assert problem.mensaje


@settings(deadline=None, max_examples=200)
@given(
    before=st.text(max_size=80),
    after=st.text(max_size=80),
    pedido=st.from_regex(r"[0-9]{8,14}", fullmatch=True),
)
def test_known_order_number_never_survives(before, after, pedido):
    assume(pedido not in before + after)
    result = lint(f"{before} {pedido} {after}", pedido=pedido)
    assert pedido not in result.texto
    assert "****" + pedido[-4:] in result.texto
