"""Issue 10: an error names what the user actually wrote.

The library names the fact (`reclamacion.aviso`); the command line turns it into the flag
typed (`--aviso`), a case file's line and field, or a batch row's column, and never names a
flag the user did not type.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from reclama import batch
from reclama.batch import Row
from reclama.cli import main
from reclama.cli.campos import flag, named
from reclama.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DEMO = (ROOT / "examples" / "caso-demo.toml").read_text(encoding="utf-8")
HOY = "2026-11-22"
FLAG = re.compile(r"(?<![\w-])--[a-z]")  # an option name in a message


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# (what the file says, the command, the line it is blamed on, the field, part of the message)
FROM_THE_FILE = [
    (
        ("aviso = 2026-09-15", "aviso = 2026-09-01"),
        "comprobar",
        "aviso = ",
        "campo reclamacion.aviso",
        "el aviso al vendedor no puede ser anterior al descubrimiento",
    ),
    (
        ("fecha = 2026-05-04", "fecha = 2026-12-01"),
        "comprobar",
        "fecha = ",
        "campo compra.fecha",
        "es posterior a hoy",
    ),
    (
        ('dni = "12345678Z"', 'dni = "12345678A"'),
        "comprobar",
        "dni = ",
        "campo consumidor.dni",
        "no es un DNI",
    ),
    (
        ('remedio = "sustitucion"', 'remedio = "desistimiento"'),
        "carta",
        "remedio = ",
        "campo reclamacion.remedio",
        "el desistimiento se ejerce con otra comunicación",
    ),
    (
        ('nombre = "Lucía Martín Ortega"\n', ""),
        "carta",
        "[consumidor]",
        "campo consumidor.nombre",
        "falta este dato, necesario para la carta (en el fichero de caso: [consumidor] nombre)",
    ),
    (
        ("fecha = 2026-05-04\n", ""),
        "comprobar",
        "[compra]",
        "campo compra.fecha",
        "falta este dato obligatorio (añádalo al fichero o use --compra)",
    ),
]


@pytest.mark.parametrize(("change", "orden", "linea", "campo", "mensaje"), FROM_THE_FILE)
def test_a_fact_from_a_case_file_is_named_at_its_line(
    tmp_path, capsys, change, orden, linea, campo, mensaje
):
    text = edited(DEMO, *change)
    path = tmp_path / "caso.toml"
    path.write_text(text, encoding="utf-8")
    args = [orden, "--caso", str(path), "--hoy", HOY]
    if orden == "carta":
        args += ["-o", str(tmp_path / "carta.txt"), "--formato", "txt"]
    code, _, err = run(capsys, *args)
    assert code == 2, err
    first = err.splitlines()[0]
    where = f"Error en {path}, línea {line_of(text, linea)}, {campo}: "
    assert first.startswith(where), first
    assert mensaje in first
    # a hint may offer the flag for a missing datum; nothing else names one
    assert not FLAG.search(first.replace(" o use --compra)", ")")), first


# (the flags typed, the flag named, part of the message): as before issue 10
FROM_FLAGS = [
    (["--aviso", "2026-09-01"], "--aviso", "no puede ser anterior al descubrimiento"),
    (["--compra", "2026-12-01"], "--compra", "es posterior a hoy"),
    (["--descubrimiento", "2026-05-01"], "--descubrimiento", "antes de la entrega"),
    (["--contestacion", "2026-13-01"], "--contestacion", ""),
    (["--reparacion", "2026-09-20"], "--reparacion", "use DESDE:HASTA"),
]


@pytest.mark.parametrize(("extra", "opcion", "mensaje"), FROM_FLAGS)
def test_a_fact_given_as_an_option_is_named_by_its_flag(tmp_path, capsys, extra, opcion, mensaje):
    path = tmp_path / "caso.toml"
    path.write_text(DEMO, encoding="utf-8")
    code, _, err = run(capsys, "comprobar", "--caso", str(path), "--hoy", HOY, *extra)
    assert code == 2, err
    assert err.startswith(f"Error en {opcion}: "), err
    assert mensaje in err


def test_a_missing_datum_without_a_case_file_is_named_by_its_flag(tmp_path, capsys):
    code, _, err = run(capsys, "comprobar", "--descubrimiento", "2026-09-14", "--hoy", HOY)
    assert code == 2 and err.startswith("Error en --compra: falta este dato obligatorio\n"), err


def test_a_letter_missing_data_from_flags_names_each_flag(tmp_path, capsys):
    code, _, err = run(
        capsys, "carta", "--compra", "2026-05-04", "--descubrimiento", "2026-09-14",
        "--remedio", "sustitucion", "--hoy", HOY, "-o", str(tmp_path / "c.txt"),
    )  # fmt: skip
    assert code == 2
    named_ = [line.split(":")[0] for line in err.splitlines()]
    assert named_[:3] == ["Error en --nombre", "Error en --dni", "Error en --domicilio"]


# (the cells, the header the firm wrote, the start of the row's message)
FROM_A_ROW = [
    ({"compra": "31/02/2026"}, {}, "fila 7, campo compra: la fecha «31/02/2026» no existe"),
    (
        {"compra": "31/02/2026"},
        {"compra": "Fecha de compra"},
        "fila 7, campo compra (columna «Fecha de compra»): la fecha",
    ),
    ({"aviso": "2026-09-01"}, {}, "fila 7, campo aviso: el aviso al vendedor no puede"),
    ({"reparacion": "2026-09-20"}, {}, "fila 7, campo reparacion: «2026-09-20»: use DESDE:HASTA"),
    (
        {"dni": "12345678A"},
        {"dni": "DNI/NIE"},
        "fila 7, campo dni (columna «DNI/NIE»): «12345678A»",
    ),
    ({"compra": "2000-01-01"}, {}, "fila 7, campo compra: reclama solo cubre contratos"),
]


@pytest.mark.parametrize(("cells", "written", "expected"), FROM_A_ROW)
def test_a_fact_from_a_batch_row_is_named_by_its_column(cells, written, expected):
    good = {"compra": "2026-05-04", "descubrimiento": "2026-09-14", "remedio": "reparacion"}
    row = Row(7, {**good, **cells}, written=written)
    with pytest.raises(batch.RowError) as info:
        batch.evaluate_row(row, date(2026, 11, 22))
    assert str(info.value).startswith(expected), str(info.value)
    assert "--" not in str(info.value)


def test_the_library_names_facts_and_the_command_line_names_flags():
    e = InputError.todos(
        [
            InputError("reclamacion.aviso", "mal"),
            InputError("reclamacion.reclamaciones", "mal también"),
            InputError("carta.formato", "no es un formato"),
            InputError("compra.fecha", "falta este dato", campo="caso.toml, campo compra.fecha"),
            InputError("caso.toml", "TOML no válido"),
        ]
    )
    assert [p.campo for p in e.errores][:3] == [
        "reclamacion.aviso",
        "reclamacion.reclamaciones",
        "carta.formato",
    ]
    assert list(named(e).lines()) == [
        "Error en --aviso: mal",
        "Error en --aviso: mal también",
        "Error en --formato: no es un formato",
        "Error en caso.toml, campo compra.fecha: falta este dato (añádalo al fichero o use --compra)",
        "Error en caso.toml: TOML no válido",
    ]
    assert flag("consumidor.dni") == "--dni" and flag("carta.lugar") == "--lugar"
    assert flag("caso.toml") is None


def test_plazos_names_a_fact_the_engine_refuses_at_its_line_in_the_file(tmp_path, capsys):
    text = edited(DEMO, "fecha = 2026-05-04", "fecha = 2000-01-01")
    path = tmp_path / "viejo.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "plazos", str(tmp_path), "--hoy", HOY)
    assert code == 2
    where = f"Error en {path}, línea {line_of(text, 'fecha = ')}, campo compra.fecha: "
    assert err.startswith(where + "reclama solo cubre contratos"), err


# The engine's own sentences (conclusions, warnings, the remedy's reason) say which fact to
# indicate in `indicar`, never by its flag: a batch row or a script reads them too.


def _engine_texts(result) -> list[str]:
    texts = [c.texto for c in result.conclusiones] + [a.texto for a in result.avisos]
    if result.remedio is not None:
        texts.append(result.remedio.motivo)
    if result.via_judicial is not None:
        texts.append(result.via_judicial.texto)
    return texts


def _scenarios():
    import tomllib

    for path in sorted((ROOT / "tests" / "scenarios").glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case", list(_scenarios()))
def test_the_engines_sentences_never_name_a_flag(case):
    from reclama.engine import evaluate
    from reclama.facts import Hechos

    result = evaluate(Hechos(**case["input"]), case["hoy"])
    for text in _engine_texts(result):
        assert not FLAG.search(text), text
    for c in [*result.conclusiones, *result.avisos, result.remedio]:
        for clave in getattr(c, "indicar", ()) or ():
            assert flag(clave), f"{clave}: no es un dato con opción"


# (arguments, the fact the engine asks for, the flag the terminal names)
INDICAR = [
    (["--compra", "2019-01-10", "--descubrimiento", "2022-05-01"], "--reparacion"),
    (["--compra", "2019-01-10", "--descubrimiento", "2020-05-01"], "--interrupcion"),
    (
        ["--compra", "2026-05-04", "--descubrimiento", "2026-09-14", "--canal", "distancia"],
        "--sin-informacion-desistimiento",
    ),
]


@pytest.mark.parametrize(("args", "opcion"), INDICAR)
def test_the_terminal_says_which_flag_gives_the_fact_a_conclusion_asks_for(capsys, args, opcion):
    code, out, _err = run(capsys, "comprobar", *args, "--hoy", HOY)
    assert code in (0, 1)
    assert f"Se indica con {opcion}" in " ".join(out.split())


def test_for_a_case_file_the_terminal_names_the_flag_that_completes_it(capsys, tmp_path):
    """Options complete a case read from a file, so the flag is the way to give the fact."""
    caso = tmp_path / "caso.toml"
    caso.write_text(DEMO, encoding="utf-8")
    _code, out, _err = run(capsys, "comprobar", "--caso", str(caso), "--hoy", HOY)
    assert "indíquelo. Se indica con --sin-informacion-desistimiento." in " ".join(out.split())
    code, out, _err = run(
        capsys, "comprobar", "--caso", str(caso), "--sin-informacion-desistimiento", "--hoy", HOY
    )
    assert code == 0 and "hasta el 20/05/2027" in " ".join(out.split())


def test_the_json_names_the_fact_by_its_case_file_key(capsys):
    import json

    _code, out, _err = run(
        capsys, "comprobar", "--compra", "2019-01-10", "--descubrimiento", "2022-05-01",
        "--hoy", HOY, "--json",
    )  # fmt: skip
    data = json.loads(out)
    (garantia,) = [c for c in data["conclusiones"] if c["tema"] == "garantia"]
    assert garantia["indicar"] == ["reclamacion.reparaciones"]
    assert data["version_esquema"] == 3


# A fact named inside a message (`dato`) reads as the user gives it: the option on the
# command line, the column in a batch, the key for anyone else using the library.
DATOS_EN_MENSAJES = [
    ("compra.digital", "--digital", "la columna «digital»"),
    ("reclamacion.remedio", "--remedio", "la columna «remedio»"),
    ("vendedor.usuario_x", "--usuario-x", "la columna «usuario-x»"),
]


@pytest.mark.parametrize(("clave", "opcion", "columna"), DATOS_EN_MENSAJES)
def test_a_fact_inside_a_message_is_named_as_each_front_end_takes_it(clave, opcion, columna):
    from reclama.batch.rows import RowError
    from reclama.errors import dato

    e = InputError("compra.soporte_material", f"añada {dato(clave)}")
    assert str(e) == f"compra.soporte_material: añada {clave}"
    assert list(named(e).lines()) == [f"Error en --soporte-material: añada {opcion}"]
    assert RowError(3, "soporte-material", e.mensaje).mensaje == f"añada {columna}"


def test_a_case_file_fact_that_needs_digital_says_how_to_add_it(capsys):
    code, _out, err = run(
        capsys, "comprobar", "--compra", "2026-01-10", "--descubrimiento", "2026-03-01",
        "--soporte-material", "--hoy", HOY,
    )  # fmt: skip
    assert code == 2 and "(añada --digital)" in err and "⟨" not in err
