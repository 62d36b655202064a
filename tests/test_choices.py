"""Choice values (remedy, purchase channel) as people write them: accents, capitals, synonyms.

One table (reclama.facts.SINONIMOS) is applied by the model, so flags, `caso nuevo` answers,
case files and batch columns all accept the same words.
"""

from __future__ import annotations

import tomllib

import pytest

from reclama import batch
from reclama.casefile import build_case, load_case
from reclama.cli import main
from reclama.facts import CANALES, REMEDIOS, SINONIMOS

# What a consumer writes -> what the law calls it (TRLGDCU arts. 118-121 remedies; art. 92
# distance contracts, made without the simultaneous physical presence of both parties).
WRITTEN = [
    ("remedio", "sustitución", "sustitucion"),
    ("remedio", "Sustitucion", "sustitucion"),
    ("remedio", "SUSTITUCIÓN", "sustitucion"),
    ("remedio", "reparación", "reparacion"),
    ("remedio", " Rebaja ", "rebaja"),
    ("remedio", "resolución", "resolucion"),
    ("remedio", "rebaja del precio", "rebaja"),
    ("canal", "internet", "distancia"),
    ("canal", "online", "distancia"),
    ("canal", "Por Internet", "distancia"),
    ("canal", "teléfono", "distancia"),
    ("canal", "a distancia", "distancia"),
    ("canal", "tienda", "tienda"),
    ("canal", "presencial", "tienda"),
    ("canal", "Fuera de establecimiento", "fuera-establecimiento"),
    ("canal", "fuera_establecimiento", "fuera-establecimiento"),
]
ids = [f"{f}={w}" for f, w, _ in WRITTEN]
FLAG_TO_RESULT = {"remedio": ("reclamacion", "remedio"), "canal": ("compra", "canal")}


def _value(caso, field):
    section, name = FLAG_TO_RESULT[field]
    return getattr(getattr(caso, section), name)


@pytest.mark.parametrize(("field", "written", "meant"), WRITTEN, ids=ids)
def test_a_flag_accepts_the_everyday_word(tmp_path, capsys, field, written, meant):
    path = tmp_path / "caso.toml"
    code = main(["caso", "nuevo", str(path), "--compra", "2024-01-10", "--descubrimiento", "2024-03-01",
                 f"--{field}", written, "--no-interactivo", "--hoy", "2024-03-05"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert _value(load_case(path), field) == meant


@pytest.mark.parametrize(("field", "written", "meant"), WRITTEN, ids=ids)
def test_a_case_file_accepts_the_everyday_word(field, written, meant):
    section, name = FLAG_TO_RESULT[field]
    data = tomllib.loads("[compra]\nfecha = 2024-01-10\n[defecto]\ndescubrimiento = 2024-03-01\n")
    data.setdefault(section, {})[name] = written
    caso = build_case(data)
    assert _value(caso, field) == meant
    assert getattr(caso.hechos(), field) == meant  # what the rules engine reads


@pytest.mark.parametrize(("field", "written", "meant"), WRITTEN, ids=ids)
def test_a_batch_column_accepts_the_everyday_word(field, written, meant):
    row = batch.Row(
        fila=2, data={"compra": "2024-01-10", "descubrimiento": "2024-03-01", field: written}
    )
    assert _value(batch.row_case(row), field) == meant


@pytest.mark.parametrize("word", ["cambio", "devolución", "luna"])
def test_ambiguous_or_unknown_words_are_refused_naming_the_flag(capsys, word):
    code = main(["comprobar", "--compra", "2024-01-10", "--descubrimiento", "2024-03-01",
                 "--remedio", word, "--hoy", "2024-03-05"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Error en --remedio:") and "sustitución" in err


def test_every_synonym_leads_to_a_value_the_rules_know_and_every_value_to_itself():
    known = {"remedio": REMEDIOS, "canal": CANALES}
    for field, table in SINONIMOS.items():
        assert set(table.values()) <= set(known[field]), field
        for value in known[field]:
            assert table.get(value.replace("-", " ")) == value, value
