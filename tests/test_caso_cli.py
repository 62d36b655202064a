"""`reclama caso nuevo | evento | ver` as a user and a script see them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reclama.casefile import load_case
from reclama.cli import app, main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def tv(tmp_path, capsys) -> Path:
    path = tmp_path / "tv.toml"
    code, _, err = run(
        capsys,
        "caso",
        "nuevo",
        str(path),
        "--compra",
        "2024-05-10",
        "--canal",
        "distancia",
        "--producto",
        "Televisor 55 pulgadas",
        "--vendedor",
        "Tiendas Ejemplo, S.A.",
        "--descubrimiento",
        "2024-11-01",
        "--remedio",
        "reparacion",
        "--no-interactivo",
        "--hoy",
        "2024-11-02",
    )
    assert code == 0, err
    return path


# -- nuevo ----------------------------------------------------------------------------

ANSWERS = [
    "04/05/2026",  # compra (day first, as written in Spain)
    "",  # entrega: Intro keeps the purchase date
    "en la luna",  # not a channel: asked again
    "Por Internet",  # a distance purchase, in everyday words
    "Teléfono móvil Nexo X12",
    "",  # pedido
    "899,00",
    "",  # segunda mano: no
    "",  # not informed of the right of withdrawal: no (asked for a distance purchase)
    "",  # digital: no (so the digital questions are not asked)
    "2026-09-31",  # no such day: asked again
    "2026-09-14",
    "El micrófono no funciona",
    "Sustitución",  # accents and capitals are fine
    "Telefonía Ejemplo, S.L.",
    "B12345674",
    "",
    "",  # domicilio, email
    "TelefoniaEjemplo",  # 16 letters: X cannot hold it, asked again
    "@TelefoniaSAT",  # the seller's X account; the '@' is optional
    "telefonia@mastodon.social",  # Mastodon, written without its first '@'
    "",  # Bluesky: none
    "s",  # a firm in Ley 10/2025's scope
    "Lucía Martín Ortega",
    "12345678A",  # wrong check letter: asked again
    "12345678Z",
    "",
    "",
    "",  # domicilio, email, teléfono
    "XX",  # not an autonomous community: asked again
    "md",
    "s",  # save
]


def test_nuevo_asks_in_spanish_validates_each_answer_and_confirms_a_summary(tmp_path):
    path = tmp_path / "movil.toml"
    result = CliRunner().invoke(
        app,
        ["caso", "nuevo", str(path), "--interactivo", "--hoy", "2026-11-22"],
        input="\n".join(ANSWERS) + "\n",
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Fecha de la compra o del pedido" in out and "Su DNI o NIE" in out
    assert "use uno de: tienda, distancia, fuera-establecimiento" in out
    assert "no existe en el calendario" in out
    assert "no es un DNI ni un NIE válido" in out
    assert "Resumen del caso" in out and "¿Guardar el caso?" in out
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["version_esquema"] == 1
    compra = tomllib.loads("d = 2026-05-04")["d"]
    assert data["compra"] == {
        "fecha": compra,
        "entrega": compra,
        "canal": "distancia",
        "producto": "Teléfono móvil Nexo X12",
        "precio": "899.00",
    }
    assert data["reclamacion"] == {"remedio": "sustitucion"}
    assert data["consumidor"] == {
        "nombre": "Lucía Martín Ortega",
        "dni": "12345678Z",
        "comunidad": "MD",
    }
    assert data["vendedor"]["gran_empresa"] is True
    assert data["vendedor"]["usuario_x"] == "TelefoniaSAT"
    assert data["vendedor"]["usuario_mastodon"] == "telefonia@mastodon.social"
    assert "usuario_bluesky" not in data["vendedor"]
    assert "no es un usuario de X válido" in out
    assert "no es el código de una comunidad autónoma" in out
    caso = load_case(path)
    assert caso.defecto.descubrimiento.isoformat() == "2026-09-14"


def test_nuevo_asks_again_for_a_date_that_does_not_fit_the_others(tmp_path):
    path = tmp_path / "tv.toml"
    answers = (
        ["2024-05-10", "2024-05-12", "tienda", "TV", "", "", "", "", "2024-05-11"]
        + [""] * 16
        + ["2024-05-20", "s"]
    )
    result = CliRunner().invoke(
        app,
        ["caso", "nuevo", str(path), "--interactivo", "--hoy", "2024-06-01"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        "Error en --descubrimiento: el defecto no puede descubrirse antes de la entrega"
        in result.output
    )
    assert load_case(path).defecto.descubrimiento.isoformat() == "2024-05-20"


def test_nuevo_saves_nothing_when_the_user_says_no(tmp_path):
    path = tmp_path / "tv.toml"
    result = CliRunner().invoke(
        app,
        [
            "caso",
            "nuevo",
            str(path),
            "--interactivo",
            "--compra",
            "2024-05-10",
            "--descubrimiento",
            "2024-06-01",
            "--hoy",
            "2024-06-02",
        ],
        input="\n" * 23 + "n\n",  # 22 questions, and «¿Es contenido o servicio digital?»
    )
    assert result.exit_code == 1
    assert not path.exists()


def test_every_prompt_has_a_flag_so_nuevo_runs_without_questions(tv):
    text = tv.read_text(encoding="utf-8")
    assert text.startswith("# Caso de reclama: Televisor 55 pulgadas")
    caso = load_case(tv)
    assert (
        caso.vendedor.nombre == "Tiendas Ejemplo, S.A." and caso.reclamacion.remedio == "reparacion"
    )


@pytest.mark.parametrize(
    ("args", "campo", "mensaje"),
    [
        (["--descubrimiento", "2024-06-01"], "--compra", "falta este dato"),
        (
            ["--compra", "2024-05-10", "--descubrimiento", "2024-04-01"],
            "--descubrimiento",
            "antes de la entrega",
        ),
        (
            ["--compra", "2024-05-10", "--descubrimiento", "2024-06-01", "--dni", "123"],
            "--dni",
            "no es un DNI",
        ),
        (
            ["--compra", "2024-05-10", "--descubrimiento", "2024-06-01", "--canal", "luna"],
            "--canal",
            "valor no admitido",
        ),
    ],
)
def test_nuevo_without_questions_names_the_flag_at_fault(tmp_path, capsys, args, campo, mensaje):
    path = tmp_path / "caso.toml"
    code, _, err = run(
        capsys, "caso", "nuevo", str(path), *args, "--no-interactivo", "--hoy", "2024-07-01"
    )
    assert code == 2
    assert f"Error en {campo}:" in err and mensaje in err
    assert not path.exists()


def test_nuevo_never_replaces_a_case_file_unless_forced(tv, capsys):
    original = tv.read_bytes()
    args = [
        "caso",
        "nuevo",
        str(tv),
        "--compra",
        "2024-05-10",
        "--descubrimiento",
        "2024-11-02",
        "--no-interactivo",
        "--hoy",
        "2024-11-03",
    ]
    code, _, err = run(capsys, *args)
    assert code == 2 and "--forzar" in err
    assert tv.read_bytes() == original
    code, _, _ = run(capsys, *args, "--forzar")
    assert code == 0
    assert tv.with_name("tv.toml.bak").read_bytes() == original


# -- evento ---------------------------------------------------------------------------


def test_evento_records_the_event_and_shows_how_the_deadlines_move(tv, capsys):
    code, out, _ = run(
        capsys,
        "caso",
        "evento",
        str(tv),
        "entrega-reparacion",
        "--fecha",
        "2024-11-03",
        "--hoy",
        "2024-11-03",
    )
    assert code == 0
    assert "Suspende los plazos de garantía" in out and "art. 122.1 TRLGDCU" in out
    code, out, _ = run(
        capsys,
        "caso",
        "evento",
        str(tv),
        "devolucion",
        "--fecha",
        "2024-12-20",
        "--reparado",
        "--hoy",
        "2024-12-21",
    )
    assert code == 0
    assert "Garantía legal: 27/06/2027 → 26/06/2027" in out
    assert "Cobertura tras la reparación: — → 20/12/2025" in out
    code, out, _ = run(
        capsys,
        "caso",
        "evento",
        str(tv),
        "reaparece",
        "--fecha",
        "2025-01-15",
        "--hoy",
        "2025-01-15",
    )
    assert code == 0
    assert "Ahora puede exigir:" in out and "la resolución del contrato" in out
    assert [e.tipo for e in load_case(tv).eventos] == [
        "entrega-reparacion",
        "devolucion",
        "reaparece",
    ]


def test_evento_json_gives_the_changes_for_scripts(tv, capsys):
    code, out, _ = run(
        capsys,
        "caso",
        "evento",
        str(tv),
        "aviso",
        "--fecha",
        "2024-11-03",
        "--canal",
        "burofax",
        "--prueba-recepcion",
        "--remedio",
        "sustitucion",
        "--hoy",
        "2024-11-04",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert data["evento"] == {
        "tipo": "aviso",
        "fecha": "2024-11-03",
        "canal": "burofax",
        "prueba_recepcion": True,
        "remedio": "sustitucion",
    }
    changes = {c["plazo"]: (c["antes"], c["despues"]) for c in data["cambios"]}
    assert changes["prescripcion"] == ("2029-11-01", "2029-11-03")
    assert changes["respuesta_empresario"] == (None, "2024-12-03")
    assert "art. 1973 Código Civil" in data["efecto"]


@pytest.mark.parametrize(
    ("args", "campo", "mensaje"),
    [
        (["llamada", "--fecha", "2024-11-03"], "TIPO", "no es un suceso"),
        (
            ["aviso", "--fecha", "2024-11-03", "--reparado"],
            "--reparado",
            "no se aplica a un suceso «aviso»",
        ),
        (["devolucion", "--fecha", "2024-11-03"], "--reparado", "--no-reparado"),
        (
            ["respuesta", "--fecha", "2024-11-03", "--respuesta", "excusa"],
            "--respuesta",
            "no es una excusa conocida",
        ),
        (["aviso", "--fecha", "2024-12-03"], "--fecha", "posterior a hoy"),
        (["aviso", "--fecha", "2024-10-03"], "--fecha", "anterior al descubrimiento"),
        (
            ["reaparece", "--fecha", "2024-11-03"],
            "el suceso que añade (reaparece",
            "ningún intento",
        ),
    ],
)
def test_evento_rejects_bad_events_without_touching_the_file(tv, capsys, args, campo, mensaje):
    original = tv.read_bytes()
    code, _, err = run(capsys, "caso", "evento", str(tv), *args, "--hoy", "2024-11-20")
    assert code == 2
    assert f"Error en {campo}" in err and mensaje in err
    assert tv.read_bytes() == original


def test_eight_evento_commands_at_once_lose_no_event(tv):
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reclama",
                "caso",
                "evento",
                str(tv),
                "respuesta",
                "--fecha",
                f"2024-11-{n + 3:02d}",
                "--nota",
                f"mensaje {n}",
                "--hoy",
                "2024-11-20",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(8)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, results
    assert sorted(e.nota for e in load_case(tv).eventos) == [f"mensaje {n}" for n in range(8)]


# -- ver, and the other commands reading the events ---------------------------------------


def _e7(tv, capsys):
    for args in (
        ["aviso", "--fecha", "2024-11-03", "--canal", "teléfono"],
        ["entrega-reparacion", "--fecha", "2024-11-03"],
        ["devolucion", "--fecha", "2024-12-20", "--reparado"],
        ["reaparece", "--fecha", "2025-01-15"],
        [
            "aviso",
            "--fecha",
            "2025-01-16",
            "--canal",
            "burofax",
            "--prueba-recepcion",
            "--remedio",
            "resolucion",
        ],
    ):
        assert run(capsys, "caso", "evento", str(tv), *args, "--hoy", "2025-01-16")[0] == 0


def test_ver_shows_the_timeline_and_todays_deadlines(tv, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    _e7(tv, capsys)
    code, out, _ = run(capsys, "caso", "ver", str(tv), "--hoy", "2025-02-20")
    assert code == 0
    assert "Cronología" in out and "El defecto reaparece" in out and "burofax" in out
    assert "Etapa en redes: escalado" in out
    assert "VENCIDO" in out  # the answer to the 16/01/2025 claim was due on 16/02/2025
    code, out, _ = run(capsys, "caso", "ver", str(tv), "--hoy", "2025-02-20", "--json")
    data = json.loads(out)
    assert data["etapa_social"] == "escalado"
    assert data["reclamacion_pendiente"] == "2025-01-16"
    assert [e["tipo"] for e in data["eventos"]] == [
        "aviso",
        "entrega-reparacion",
        "devolucion",
        "reaparece",
        "aviso",
    ]
    assert {p["plazo"]: p["estado"] for p in data["pendientes"]} == {
        "respuesta_empresario": "vencido"
    }
    assert data["resultado"]["plazos"]["garantia"]["vence"] == "2027-06-26"


def test_comprobar_uses_the_events_of_the_case_file(tv, capsys):
    _e7(tv, capsys)
    code, out, _ = run(capsys, "comprobar", "--caso", str(tv), "--hoy", "2025-01-16", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["remedio"] == {**data["remedio"], "solicitado": "resolucion", "admisible": True}
    assert data["plazos"]["garantia"]["vence"] == "2027-06-26"
    assert data["plazos"]["presuncion"]["vence"] == "2026-06-26"
    assert data["plazos"]["cobertura_reparacion"]["vence"] == "2025-12-20"
    assert data["plazos"]["prescripcion"]["vence"] == "2030-01-16"


def test_the_demo_case_still_reads_and_takes_events(tmp_path, capsys):
    path = tmp_path / "demo.toml"
    shutil.copy(DEMO, path)
    code, _, err = run(
        capsys,
        "caso",
        "evento",
        str(path),
        "respuesta",
        "--fecha",
        "2026-10-02",
        "--respuesta",
        "siete-dias",
        "--respuesta",
        "vale",
        "--negativa",
        "--hoy",
        "2026-11-22",
    )
    assert code == 0, err
    caso = load_case(path)
    assert caso.reclamacion.respuestas == [
        "marca",
        "solo-reparacion",
        "siete-dias",
        "procedimientos",
        "vale",
    ]
    code, out, _ = run(capsys, "caso", "ver", str(path), "--hoy", "2026-11-22", "--json")
    assert json.loads(out)["etapa_social"] == "escalado"


def test_docs_list_every_question_of_caso_nuevo_with_its_flag():
    """docs/casos.md names the option of each question `caso nuevo` can ask."""
    from reclama.cli.commands.caso import _preguntas

    text = (Path(__file__).resolve().parents[1] / "docs" / "casos.md").read_text(encoding="utf-8")
    missing = [q.flag for q in _preguntas() if f"`--{q.flag}`" not in text]
    assert not missing, missing


# Codes in a hand-written case file, as people write them: capitals, accents, spaces.
CODIGOS_ESCRITOS = [
    ('tipo = "respuesta"', 'tipo = "Respuesta"', None),
    ('respuestas = ["marca"]', 'respuestas = ["Marca"]', None),
    ('respuestas = ["siete-dias"]', 'respuestas = ["Siete días"]', None),
    ('tipo = "entrega-reparacion"', 'tipo = "entrega reparación"', None),
    ('tipo = "respuesta"', 'tipo = "contesta"', "valor no admitido («contesta»)"),
]


@pytest.mark.parametrize(("antes", "despues", "error"), CODIGOS_ESCRITOS)
def test_case_file_codes_are_read_as_people_write_them(capsys, tmp_path, antes, despues, error):
    telefono = Path(__file__).resolve().parents[1] / "examples" / "caso-telefono.toml"
    original = load_case(telefono)
    path = tmp_path / "caso.toml"
    path.write_text(
        telefono.read_text(encoding="utf-8").replace(antes, despues, 1), encoding="utf-8"
    )
    if error is None:
        assert load_case(path).eventos == original.eventos
    else:
        code = main(["comprobar", "--caso", str(path), "--hoy", "2026-11-22"])
        err = capsys.readouterr().err
        assert code == 2 and error in err and f"{path}, línea" in err


def test_caso_evento_takes_the_type_and_excuses_as_people_write_them(tmp_path):
    path = tmp_path / "movil.toml"
    shutil.copy(Path(__file__).resolve().parents[1] / "examples" / "caso-demo.toml", path)
    result = CliRunner().invoke(
        app,
        ["caso", "evento", str(path), "Respuesta", "--fecha", "2026-10-01",
         "--respuesta", "Solo reparación", "--hoy", "2026-11-22"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ultimo = load_case(path).eventos[-1]
    assert (ultimo.tipo, ultimo.respuestas) == ("respuesta", ["solo-reparacion"])
