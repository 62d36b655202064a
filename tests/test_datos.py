"""Each case fact is declared once, on its model field, and every place that shows it reads it.

The option help, the batch columns, the `caso nuevo` questions and docs/datos.md must all
come from the description in reclama.caso; a text written a second time drifts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from reclama.batch import COLUMNS
from reclama.caso import DATOS, FLAG_FIELDS, dato
from reclama.cli import app
from reclama.cli.commands.caso import _preguntas
from reclama.cli.options import CASE_FACTS, LETTER_FACTS
from reclama.cli.referencia import datos_md, with_columns

ROOT = Path(__file__).resolve().parents[1]
CLICK = typer.main.get_command(app)

# Options that share a fact's name but say something else: `caso evento` describes one event.
NOT_THE_FACT = {("caso", "evento")}


def _options(command, path=()):
    """(command path, option name, help) of every option of the app."""
    for p in command.params:
        for name in getattr(p, "opts", ()):
            yield path, name, p.help or ""
    for name, sub in getattr(command, "commands", {}).items():
        yield from _options(sub, (*path, name))


FACT_OPTIONS = [
    (path, name, help)
    for path, name, help in _options(CLICK)
    if name.removeprefix("--") in FLAG_FIELDS and path not in NOT_THE_FACT
]


def test_the_committed_reference_is_what_the_declarations_produce():
    page = (ROOT / "docs" / "datos.md").read_text(encoding="utf-8")
    assert page == datos_md(), "docs/datos.md is stale: run `make datos`"


def test_the_column_table_of_the_batch_docs_is_what_the_declarations_produce():
    page = (ROOT / "docs" / "lote.md").read_text(encoding="utf-8")
    assert page == with_columns(page), "the columns in docs/lote.md are stale: run `make datos`"


@pytest.mark.parametrize("d", DATOS, ids=lambda d: d.clave)
def test_every_field_of_the_case_file_is_described_in_a_sentence(d):
    assert d.descripcion[:1].isupper() and d.descripcion.endswith("."), d.descripcion


@pytest.mark.parametrize(
    ("clave", "tipo"),
    [
        ("compra.fecha", "fecha"),
        ("compra.canal", "código"),
        ("compra.garantia_pactada_meses", "número"),
        ("compra.precio", "importe"),
        ("compra.digital", "sí/no"),
        ("consumidor.dni", "texto"),
        ("reclamacion.respuestas", "lista de códigos"),
        ("reclamacion.interrupciones", "lista de fechas"),
        ("reclamacion.reparaciones", "lista de periodos"),
    ],
)
def test_the_type_of_a_fact_is_read_off_its_annotation(clave, tipo):
    (d,) = [d for d in DATOS if d.clave == clave]
    assert d.tipo == tipo


@pytest.mark.parametrize(
    ("flag", "says"),
    [
        ("compra", "Dato obligatorio."),
        ("remedio", "Valores: reparacion | sustitucion | rebaja | resolucion | desistimiento."),
        ("respuesta", "marca | siete-dias"),
    ],
)
def test_what_the_type_adds_is_said_after_the_description(flag, says):
    assert dato(flag).explicacion.startswith(dato(flag).descripcion)
    assert says in dato(flag).explicacion


@pytest.mark.parametrize(
    ("flag", "where"),
    [
        ("compra", ("compra", "fecha")),
        ("garantia-pactada", ("compra", "garantia_pactada_meses")),
        ("defecto", ("defecto", "descripcion")),
        ("respuesta", ("reclamacion", "respuestas")),
        ("contestacion", ("reclamacion", "respuesta")),
        ("representante", ("representante", "nombre")),
        ("domicilio-vendedor", ("vendedor", "domicilio")),
        ("comunidad", ("consumidor", "comunidad")),
        ("lugar", ("carta", "lugar")),
    ],
)
def test_each_flag_still_sets_the_field_it_always_set(flag, where):
    assert FLAG_FIELDS[flag] == where


def test_no_flag_or_column_was_lost():
    assert len(FLAG_FIELDS) == 49


def test_every_shared_fact_option_is_a_declared_fact():
    shared = [name.replace("_", "-") for name, _, _ in (*CASE_FACTS, *LETTER_FACTS)]
    assert set(shared) - {"caso"} <= set(FLAG_FIELDS)


@pytest.mark.parametrize(
    ("path", "option", "help"),
    FACT_OPTIONS,
    ids=lambda x: " ".join(x) if isinstance(x, tuple) else x,
)
def test_every_fact_option_of_every_command_has_the_model_description(path, option, help):
    d = dato(option.removeprefix("--"))
    assert help.startswith(d.explicacion), f"reclama {' '.join(path)} {option}: {help!r}"


def test_the_fact_options_reach_the_commands_that_take_the_facts():
    commands = {" ".join(path) for path, _, _ in FACT_OPTIONS}
    assert {"comprobar", "carta", "tuit", "caso nuevo"} <= commands


@pytest.mark.parametrize("column", [c for c in COLUMNS if c in FLAG_FIELDS])
def test_every_fact_column_of_a_batch_has_the_model_description(column):
    assert COLUMNS[column].startswith(dato(column).explicacion)


def test_only_the_row_columns_are_described_by_the_batch_itself():
    assert set(COLUMNS) - set(FLAG_FIELDS) == {"id", "hoy"}


@pytest.mark.parametrize("q", _preguntas(), ids=lambda q: q.flag)
def test_caso_nuevo_asks_the_question_declared_on_the_field(q):
    assert dato(q.flag).pregunta, f"{q.flag} is asked but declares no question"
    assert q.texto == dato(q.flag).pregunta
    assert q.obligatoria == dato(q.flag).obligatorio


def test_every_declared_question_is_asked():
    asked = {q.flag for q in _preguntas()}
    assert {d.flag for d in DATOS if d.pregunta} == asked
