"""Bad input never ends in a traceback, an English message or a half-written file (issue 9).

Each row of the tables is one thing a user (or an attacker) can type or save: the
safe outcome is exit code 2, one Spanish line per problem naming the field where the
user wrote it, nothing on stdout and nothing written on disk.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reclama.cli import main
from reclama.facts import parse_importe

ROOT = Path(__file__).resolve().parents[1]
HOY = "2026-11-22"
FACTS = ["--compra", "2026-05-04", "--descubrimiento", "2026-09-14", "--hoy", HOY]
CASE = """\
[compra]
fecha = 2026-05-04

[defecto]
descubrimiento = 2026-09-14
"""
# Recognisable fake personal data: it must never reach a traceback or an error line.
FAKE_ADDRESS = "Calle Inventada 99, 28999 Villaprueba"
FAKE_DNI = "00000000T"
PERSONAL = (
    CASE
    + f'\n[consumidor]\nnombre = "Persona Ficticia"\ndni = "{FAKE_DNI}"\ndomicilio = "{FAKE_ADDRESS}"\n'
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file with its bytes; the empty `.lock` of `caso evento` is the lock helper's business."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not (p.suffix == ".lock" and p.stat().st_size == 0)
    }


# -- amounts: one parser for flags, case files and batch rows ------------------------------

ACCEPTED = [
    ("899,00\u00a0€", "899.00"),  # LibreOffice / Babel: no-break space before €
    ("899,00\u202f€", "899.00"),  # narrow no-break space
    ("899,00 €", "899.00"),
    ("€899", "899.00"),
    ("1.299,00", "1299.00"),  # Spanish thousands dot
    ("1.299", "1299.00"),
    ("899.5", "899.50"),
    ("899", "899.00"),
    ("10.000.000,00", "10000000.00"),  # the maximum
]
REFUSED = [
    ("1e30", "no es un importe"),
    ("1E+999999999", "no es un importe"),
    ("NaN", "no es un importe"),
    ("inf", "no es un importe"),
    ("-5", "negativo"),
    ("10000000,01", "máximo"),
    ("1,299.00", "no es un importe"),  # English thousands: ambiguous for a Spanish reader
    ("١٢٣", "no es un importe"),  # digits of another script
]


@pytest.mark.parametrize(("text", "euros"), ACCEPTED)
def test_amounts_as_spaniards_write_them_are_read(text, euros):
    assert parse_importe(text) == Decimal(euros)


@pytest.mark.parametrize(("text", "motivo"), REFUSED)
def test_amounts_that_are_not_a_price_are_refused_in_spanish(text, motivo):
    with pytest.raises(ValueError, match=motivo):
        parse_importe(text)


def test_a_batch_row_with_a_no_break_space_before_the_euro_sign_validates(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert main(["lote", "--plantilla"]) == 0
    template = capsys.readouterr().out
    assert ";899,00;" in template
    (tmp_path / "casos.csv").write_text(
        template.replace(";899,00;", ";899,00\u00a0€;"), encoding="utf-8"
    )
    code, _, err = run(capsys, "lote", "casos.csv", "--validar", "--hoy", HOY)
    assert code == 0, err
    assert "0 con errores" in err


# -- flags ------------------------------------------------------------------------------------

LETTER = ["carta", "--formato", "txt", "-o", "carta.txt", *FACTS]
BAD_FLAGS = [
    # (what the user typed, field named, words of the Spanish message)
    (
        ["comprobar", "--compra", "9999-01-01", "--descubrimiento", "2026-01-01", "--hoy", HOY],
        "--compra",
        "fuera del intervalo",
    ),
    (
        ["comprobar", "--compra", "1899-12-31", "--descubrimiento", "2026-01-01", "--hoy", HOY],
        "--compra",
        "fuera del intervalo",
    ),
    (["comprobar", *FACTS[:4], "--hoy", "9999-12-31"], "--hoy", "fuera del intervalo"),
    (
        ["comprobar", *FACTS, "--segunda-mano", "--garantia-pactada", "²"],
        "--garantia-pactada",
        "número entero",
    ),
    (
        ["comprobar", *FACTS, "--segunda-mano", "--garantia-pactada", "٣"],
        "--garantia-pactada",
        "número entero",
    ),
    (
        ["comprobar", *FACTS, "--segunda-mano", "--garantia-pactada", "99999999"],
        "--garantia-pactada",
        "no puede pasar de",
    ),
    ([*LETTER, "--precio", "1e30"], "--precio", "no es un importe"),
    ([*LETTER, "--precio", "1E+999999999"], "--precio", "no es un importe"),
    ([*LETTER, "--precio", "NaN"], "--precio", "no es un importe"),
    ([*LETTER, "--precio", "-5"], "--precio", "negativo"),
    ([*LETTER, "--precio", "20000000"], "--precio", "máximo"),
    (["comprobar", "--caso", "/dev/zero", "--hoy", HOY], "--caso", "1 MiB"),
    (["comprobar", "--caso", ".", "--hoy", HOY], "--caso", "carpeta"),
    (["comprobar", "--caso", "no-existe.toml", "--hoy", HOY], "--caso", "no existe"),
    (
        ["caso", "ver", "no-existe.toml", "--hoy", HOY],
        "no-existe.toml",
        "no existe",
    ),  # not "--caso"
    (["caso", "evento", "no-existe.toml", "aviso", "--hoy", HOY], "no-existe.toml", "no existe"),
    (
        ["comprobar", "--caso", "caso-\udcff.toml", "--hoy", HOY],
        "--caso",
        "UTF-8",
    ),  # undecodable argv byte
    (["comprobar", *FACTS, "--remedio", "\udce9"], "--remedio", "UTF-8"),
    (["caso", "ver", "--dentro-de", "²", "x.toml"], "", "debe ser un número entero"),
]


@pytest.mark.parametrize(
    ("args", "campo", "texto"), BAD_FLAGS, ids=[f"{b[1] or b[0][0]}: {b[2]}" for b in BAD_FLAGS]
)
def test_bad_flags_exit_2_with_one_spanish_line_naming_the_flag(
    tmp_path, monkeypatch, capsys, args, campo, texto
):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *args)
    assert code == 2, err
    assert out == ""
    assert err.startswith(f"Error en {campo}" if campo else "Error de uso"), err
    assert texto in err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize(
    "value",
    ["\x1b[31mrojo\x1b[0m", "\x9b2J", "abc\u202edcba", "a\x07b", "\u2066x\u2069"],
    ids=["ESC CSI", "C1 CSI", "RLO", "BEL", "bidi isolate"],
)
def test_control_characters_in_an_echoed_value_are_shown_escaped(capsys, value):
    code, out, err = run(capsys, "comprobar", *FACTS, "--remedio", value)
    assert code == 2 and out == ""
    assert err.startswith("Error en --remedio")
    assert all(ch not in err for ch in "\x1b\x9b\x07\u202e\u2066\u2069")
    assert (
        "\\x1b" in err or "\\x9b" in err or "\\u202e" in err or "\\x07" in err or "\\u2066" in err
    )


# -- case files -------------------------------------------------------------------------------

NESTED = "a = " + "[" * 3000 + "]" * 3000 + "\n"
BAD_FILES = [
    # (file contents, field named after the file name, words of the Spanish message)
    (
        CASE.replace("2026-05-04", "9999-05-04"),
        ", línea 2, campo compra.fecha",
        "fuera del intervalo",
    ),
    (CASE + 'precio = "1e30"\n', ", línea 6, campo defecto.precio", "campo desconocido"),
    (
        CASE.replace("[defecto]", 'precio = "1E+999999999"\n\n[defecto]'),
        ", línea 4, campo compra.precio",
        "no es un importe",
    ),
    (
        CASE.replace("[defecto]", "garantia_pactada_meses = 99999999999999\n\n[defecto]"),
        ", línea 4, campo compra.garantia_pactada_meses",
        "no puede pasar de",
    ),
    (
        CASE.replace("fecha = 2026-05-04", "fecha = 2026-05-04\nfecha = 2026-05-05"),
        ", línea 3",
        "repetido",
    ),
    (CASE + "\n[defecto]\nleve = true\n", ", línea 7", "sección repetida"),
    (
        CASE.replace("2026-09-14", "2026-09-14T10:00:00"),
        ", línea 5, campo defecto.descubrimiento",
        "hora",
    ),
    (
        CASE.replace("2026-09-14", '"ayer"'),
        ", línea 5, campo defecto.descubrimiento",
        "no es una fecha",
    ),
    (CASE.replace("2026-09-14", "2026-09-"), ", línea 5", "TOML no válido"),
    (NESTED, "", "anidamiento"),
    (
        CASE + "\n[reclamacion]\naviso = 2026-09-01\n",
        ", línea 8, campo reclamacion.aviso",
        "anterior al descubrimiento",
    ),
    (
        CASE + '\n[[eventos]]\ntipo = "aviso"\nfecha = 2026-09-01\n',
        ", línea 8, suceso n.º 1",
        "anterior al descubrimiento",
    ),
    (
        CASE + '\n[[eventos]]\ntipo = "reaparece"\nfecha = 2026-10-01\n',
        ", línea 8, suceso n.º 1 (reaparece del 01/10/2026)",
        "ningún intento",
    ),
    (
        CASE + '\n[[eventos]]\ntipo = "aviso"\nfecha = 2026-10-01\nreparado = "quizá"\n',
        ", línea 10, suceso n.º 1, campo reparado",
        "true o false",
    ),
]


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "caso.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("orden", ["comprobar", "caso ver", "caso evento"])
@pytest.mark.parametrize(
    ("text", "campo", "texto"), BAD_FILES, ids=[f"{b[1] or 'fichero'}: {b[2]}" for b in BAD_FILES]
)
def test_a_bad_case_file_exits_2_naming_file_line_and_field_and_nothing_is_written(
    tmp_path, monkeypatch, capsys, orden, text, campo, texto
):
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, text)
    before = snapshot(tmp_path)
    args = {
        "comprobar": ["comprobar", "--caso", "caso.toml"],
        "caso ver": ["caso", "ver", "caso.toml"],
        "caso evento": ["caso", "evento", "caso.toml", "respuesta", "--fecha", "2026-11-01"],
    }[orden]
    code, out, err = run(capsys, *args, "--hoy", HOY)
    assert code == 2, err
    assert out == ""
    assert err.startswith(f"Error en {path.name}{campo}"), err
    assert texto in err
    assert (
        "Traceback" not in err
        and "--aviso" not in err
        and "eventos[" not in err
        and "eventos." not in err
    )
    assert snapshot(tmp_path) == before  # no event, no .bak, no .tmp


@pytest.mark.parametrize(
    ("raw", "campo"),
    [
        (
            CASE.encode().replace(b"[defecto]", b'producto = "Lavadora \xe9"\n[defecto]'),
            ", línea 4",
        ),
        (b"\x00" * (1 << 20) + b"\x00", ""),
    ],
    ids=["Latin-1 byte", "more than 1 MiB"],
)
def test_unreadable_case_files_name_the_file(tmp_path, monkeypatch, capsys, raw, campo):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, raw)
    code, out, err = run(capsys, "caso", "evento", "caso.toml", "aviso", "--hoy", HOY)
    assert code == 2 and out == ""
    assert err.startswith(f"Error en caso.toml{campo}"), err
    assert "UTF-8" in err or "MiB" in err
    assert (tmp_path / "caso.toml").read_bytes() == raw


def test_every_problem_of_a_case_file_is_reported_at_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(
        tmp_path,
        '[compra]\nfecha = "30/02/2026"\ncanal = "luna"\nprecio = "mucho"\n\n'
        '[defecto]\ndescubrimiento = "ayer"\ncolor = "rojo"\n',
    )
    code, out, err = run(capsys, "comprobar", "--caso", "caso.toml", "--hoy", HOY)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Error en caso.toml, línea 2, campo compra.fecha",
        "Error en caso.toml, línea 3, campo compra.canal",
        "Error en caso.toml, línea 4, campo compra.precio",
        "Error en caso.toml, línea 7, campo defecto.descubrimiento",
        "Error en caso.toml, línea 8, campo defecto.color",
    ]


def test_a_flag_is_named_only_when_the_user_typed_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, CASE)
    code, _, err = run(
        capsys, "comprobar", "--caso", "caso.toml", "--aviso", "2026-09-01", "--hoy", HOY
    )
    assert code == 2 and err.startswith("Error en --aviso: "), err
    _write(tmp_path, CASE + "\n[reclamacion]\naviso = 2026-09-01\n")
    code, _, err = run(capsys, "comprobar", "--caso", "caso.toml", "--hoy", HOY)
    assert code == 2 and err.startswith("Error en caso.toml, línea 8, campo reclamacion.aviso: "), (
        err
    )


# -- caso evento: a failure writes nothing ---------------------------------------------------


def test_an_evento_that_fails_after_validation_leaves_the_file_as_it_was(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, CASE)
    before = snapshot(tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("fallo forzado")

    monkeypatch.setattr("reclama.timeline.efecto", broken)
    code, out, err = run(
        capsys, "caso", "evento", "caso.toml", "aviso", "--fecha", "2026-10-01", "--hoy", HOY
    )
    assert code == 3 and out == ""
    assert err.startswith("Error interno de reclama (RuntimeError") and "fallo forzado" not in err
    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    code, _, err = run(capsys, "caso", "ver", str(tmp_path / "caso.toml"), "--hoy", HOY)
    assert code == 0, err  # the case still works


# -- internal errors: no traceback, no personal data, whatever the environment ----------------


@pytest.mark.parametrize("variable", ["TYPER_STANDARD_TRACEBACK", "_TYPER_STANDARD_TRACEBACK"])
def test_an_internal_error_prints_one_line_without_personal_data(tmp_path, variable):
    path = _write(tmp_path, PERSONAL)
    script = (
        "import sys\n"
        "import reclama.caso as c\n"
        "def boom(self):\n"
        "    raise ValueError(f'{self.consumidor.domicilio} {self.consumidor.dni}')\n"
        "c.Caso.hechos = boom\n"
        "from reclama.cli import main\n"
        f"sys.exit(main(['comprobar', '--caso', {str(path)!r}, '--hoy', {HOY!r}]))\n"
    )
    env = {**os.environ, variable: "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    output = done.stdout + done.stderr
    assert done.returncode == 3
    assert FAKE_ADDRESS not in output and FAKE_DNI not in output and "Villaprueba" not in output
    assert "Traceback" not in output
    assert (
        done.stderr.startswith("Error interno de reclama (ValueError")
        and done.stderr.count("\n") == 1
    )


# -- properties: nothing random ends in a traceback --------------------------------------------

FIELDS = {
    "compra": [
        "fecha",
        "entrega",
        "canal",
        "recepcion",
        "segunda_mano",
        "garantia_pactada_meses",
        "precio",
        "producto",
    ],
    "defecto": ["descubrimiento", "descripcion", "leve", "grave"],
    "reclamacion": ["remedio", "aviso", "respuestas", "interrupciones", "reparaciones", "negativa"],
    "consumidor": ["dni", "nombre"],
    "vendedor": ["cif", "usuario"],
}
SCALARS = (
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    | st.datetimes()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.text(max_size=20)
    | st.sampled_from(
        ["899,00\u00a0€", "1e30", "tienda", "distancia", "reparacion", "2026-05-04", "12345678Z"]
    )
)
VALUES = (
    SCALARS
    | st.lists(SCALARS, max_size=3)
    | st.dictionaries(st.sampled_from(["desde", "hasta", "x"]), SCALARS, max_size=2)
)


@st.composite
def case_files(draw):
    """A case valid at its core (purchase, defect, a matching `--hoy`) with random fields over it.

    The dates start anywhere in years 1-9999, so the edges of the calendar are reached.
    """
    edges = st.sampled_from(
        [date(1, 1, 1), date(1899, 12, 31), date(2200, 12, 25), date(9999, 12, 20)]
    )
    start = draw(edges | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 20)))
    found = start + timedelta(days=draw(st.integers(0, 5)))
    data: dict = {"compra": {"fecha": start}, "defecto": {"descubrimiento": found}}
    for section in draw(st.lists(st.sampled_from([*FIELDS, "otra"]), unique=True, max_size=3)):
        keys = FIELDS.get(section, ["x"])
        data.setdefault(section, {}).update(
            draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=2))
        )
    if draw(st.booleans()):
        data["eventos"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "tipo": st.sampled_from(
                            ["aviso", "respuesta", "devolucion", "reaparece", "x"]
                        ),
                        "fecha": SCALARS,
                    },
                    optional={"reparado": st.booleans(), "remedio": SCALARS},
                ),
                max_size=3,
            )
        )
    if draw(st.booleans()):
        data["version_esquema"] = draw(st.integers(-2, 3) | st.text(max_size=3))
    hoy = min(found + timedelta(days=draw(st.integers(0, 3))), date(9999, 12, 31))
    text = tomlkit.dumps(data).replace("\x00", "")  # tomlkit cannot write NUL: the raw branch does
    return text, f"{hoy:%Y-%m-%d}".zfill(10)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    case_files() | st.tuples(st.text(max_size=200), st.just(HOY)),
    st.sampled_from(["comprobar", "caso ver", "caso evento"]),
)
def test_random_case_files_never_end_in_a_traceback(tmp_path, capsys, case, orden):
    text, hoy = case
    path = tmp_path / "caso.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    args = {
        "comprobar": ["comprobar", "--caso", str(path), "--json"],
        "caso ver": ["caso", "ver", str(path), "--json"],
        "caso evento": ["caso", "evento", str(path), "respuesta", "--fecha", hoy],
    }[orden]
    code, _, err = run(capsys, *args, "--hoy", hoy)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "Error interno" not in err
    if code == 2:
        assert err.startswith(("Error en ", "Error de uso")), err


ARG_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    [
        "9999-12-31",
        "0001-01-01",
        "1e30",
        "²",
        "-1",
        "\x1b[2J",
        "\udcff",
        "caso.toml",
        "/dev/zero",
        ".",
    ]
)
OPTIONS = [
    "--compra",
    "--entrega",
    "--descubrimiento",
    "--aviso",
    "--hoy",
    "--precio",
    "--garantia-pactada",
    "--reparacion",
    "--interrupcion",
    "--remedio",
    "--canal",
    "--caso",
    "--fecha",
    "--dentro-de",
    "--dni",
]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(
        [
            ["comprobar"],
            ["carta", "--formato", "txt"],
            ["tuit"],
            ["caso", "ver"],
            ["caso", "evento"],
        ]
    ),
    st.lists(st.tuples(st.sampled_from(OPTIONS), ARG_TEXT), max_size=6),
    st.lists(ARG_TEXT, max_size=2),
    st.none() | st.sampled_from(["0001-01-01", "1900-01-01", "2200-12-28", "9999-12-28"]),
)
@example(["comprobar"], [], [], "9999-12-28")  # year 9999 once overflowed when a period was added
@example(["tuit"], [], [], "2200-12-28")
def test_random_argv_never_ends_in_a_traceback(
    tmp_path, monkeypatch, capsys, command, pairs, positional, day
):
    monkeypatch.chdir(tmp_path)
    args = [*command, *positional]
    if day:  # coherent facts at an edge of the calendar, so the engine itself is reached
        y, m, d = (int(x) for x in day.split("-"))
        args += [
            "--compra",
            day,
            "--descubrimiento",
            f"{y:04d}-{m:02d}-{d + 1:02d}",
            "--hoy",
            f"{y:04d}-{m:02d}-{d + 2:02d}",
        ]
    for flag, value in pairs:
        args += [flag, value]
    code, _, err = run(capsys, *args)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "Error interno" not in err


OPEN_REPAIR = CASE + '\n[[eventos]]\ntipo = "entrega-reparacion"\nfecha = 2026-10-01\n'


@pytest.mark.parametrize(
    ("fecha", "campo"),
    [
        ("2026-10-05", "el suceso que añade (entrega-reparacion del 05/10/2026)"),
        ("2026-09-20", "caso.toml, línea 8, suceso n.º 1 (entrega-reparacion del 01/10/2026)"),
    ],
    ids=["the new event is at fault", "an event already in the file is at fault"],
)
def test_evento_names_the_event_at_fault_as_the_user_sees_it(
    tmp_path, monkeypatch, capsys, fecha, campo
):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, OPEN_REPAIR)
    before = snapshot(tmp_path)
    code, out, err = run(
        capsys, "caso", "evento", "caso.toml", "entrega-reparacion", "--fecha", fecha, "--hoy", HOY
    )
    assert code == 2 and out == ""
    assert err.startswith(f"Error en {campo}: el producto ya está en manos del vendedor"), err
    assert snapshot(tmp_path) == before


def test_plazos_escapes_control_characters_from_a_case_file(tmp_path, capsys):
    _write(
        tmp_path, CASE.replace("[defecto]", 'canal = "\\u001b]0;pwned\\u0007"\n\n[defecto]')
    )  # TOML escapes
    code, out, err = run(capsys, "plazos", str(tmp_path), "--hoy", HOY)
    assert code == 2 and "pwned" not in out
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


ENGLISH = re.compile(
    r"\b(is|not|does|exist|Path|File|Value|valid|int|Input|should|Got|extra|take|Missing|Possible)\b"
)


@pytest.mark.parametrize(
    "args",
    [
        ["caso", "ver", "x.toml", "--dentro-de", "-1"],
        ["caso", "ver", "x.toml", "--dentro-de", "1.5"],
        ["caso", "evento", "x.toml", "aviso", "--prueba-recepcion=sí"],
        ["comprobar", "a", "b"],
        ["comprobar", "--hoyy", HOY],
        ["reglas", "--regla"],
        ["nada"],
    ],
    ids=lambda a: " ".join(a),
)
def test_usage_errors_are_spanish_through_and_through(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("Error de uso")
    assert not ENGLISH.search(err.replace("--help", "")), err


@pytest.mark.parametrize(
    "message",
    [
        "Invalid value for 'ENTRADA': Path 'casos.csv' is not readable.",
        "Invalid value for 'ENTRADA': File 'cartas' is a directory.",
        "Invalid value for '--salida': Directory 'x.pdf' is a file.",
        "Invalid value for 'ENTRADA': Path 'no.csv' does not exist.",
        "Invalid value for '--salida': Directory 'ro' is not writable.",
        "Value 'x' is not a valid int.",
        "'x' is not one of 'pdf', 'html', 'txt'.",
    ],
)
def test_typer_parameter_messages_are_translated(message):
    from reclama.cli.application import _spanish

    assert not ENGLISH.search(_spanish(message)), _spanish(message)
