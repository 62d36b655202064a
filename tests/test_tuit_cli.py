"""`reclama tuit` as a consumer uses it: drafts on stdout, warnings and errors on stderr."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
ARGS = ("tuit", "--caso", str(DEMO), "--hoy", "2026-11-22")
FLAGS = (
    "tuit",
    "--compra",
    "2026-01-10",
    "--descubrimiento",
    "2026-03-01",
    "--remedio",
    "reparacion",
    "--producto",
    "Portátil Z",
    "--defecto",
    "No enciende.",
    "--usuario-vendedor",
    "ElectroEjemplo",
    "--hoy",
    "2026-03-05",
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def headers(out: str) -> list[str]:
    return re.findall(r"^### (.+)$", out, flags=re.MULTILINE)


def test_default_prints_the_four_drafts_and_marks_the_suggested_one(capsys, golden):
    code, out, err = run(capsys, *ARGS)
    assert code == 0, err
    assert [h.split(" · ")[0] for h in headers(out)] == [
        "inicial",
        "recordatorio",
        "escalado (sugerida)",
        "agradecimiento",
    ]
    assert out.count("(sugerida)") == 1
    assert "@TelefoniaSAT Mi teléfono móvil Nexo X12 (pedido ****5162)" in out
    assert "PH-2026-0004815162" not in out and "12345678Z" not in out
    # Warnings go to stderr, once each. The seller answered (the file lists its excuses), so
    # no draft states the answer deadline, nor its unverified point.
    assert err.count("Aviso: El número de pedido «PH-2026-0004815162»") == 1
    assert "Aviso: Punto no verificado" not in err
    golden(out, "demo-x.txt")


def test_etapa_prints_only_that_draft(capsys):
    code, out, _ = run(capsys, *ARGS, "--etapa", "agradecimiento")
    assert code == 0
    assert headers(out) == ["agradecimiento · X · 174/280"]
    assert "Gracias por resolver" in out


def test_a_thread_shows_each_post_with_its_count(capsys):
    code, out, _ = run(capsys, *ARGS, "--etapa", "escalado")
    assert code == 0
    assert headers(out) == ["escalado (sugerida) · X · hilo de 2 publicaciones"]
    assert re.search(r"^\[1/2 · \d+/280\]$", out, flags=re.MULTILINE)
    assert re.search(r"^\[2/2 · \d+/280\]$", out, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("red", "nombre", "limite"), [("mastodon", "Mastodon", 500), ("bluesky", "Bluesky", 300)]
)
def test_red_sets_the_limit(capsys, red, nombre, limite):
    code, out, _ = run(capsys, *ARGS, "--red", red, "--etapa", "escalado")
    assert code == 0
    assert nombre in headers(out)[0]
    assert f"/{limite}" in out


@pytest.mark.parametrize("red", ["x", "mastodon", "bluesky"])
def test_json_has_every_draft_with_lengths_within_the_limit(capsys, red):
    code, out, err = run(capsys, *ARGS, "--red", red, "--json")
    assert code == 0, err
    assert err == ""  # the warnings are in the JSON
    data = json.loads(out)
    assert data["red"] == red and data["hoy"] == "2026-11-22"
    assert data["etapa_sugerida"] == "escalado"
    assert [d["etapa"] for d in data["borradores"]] == [
        "inicial",
        "recordatorio",
        "escalado",
        "agradecimiento",
    ]
    for d in data["borradores"]:
        assert d["limite"] == data["limite"] == {"x": 280, "mastodon": 500, "bluesky": 300}[red]
        assert len(d["longitudes"]) == len(d["partes"]) >= 1
        assert all(0 < n <= d["limite"] for n in d["longitudes"])
        assert d["hilo"] == (len(d["partes"]) > 1)
        assert d["sugerida"] == (d["etapa"] == "escalado")
        assert any("****5162" in a for a in d["avisos"])


def test_json_with_one_stage_still_names_the_suggested_one(capsys):
    code, out, _ = run(capsys, *ARGS, "--etapa", "inicial", "--json")
    data = json.loads(out)
    assert code == 0 and data["etapa_sugerida"] == "escalado"
    assert [d["sugerida"] for d in data["borradores"]] == [False]


def test_the_users_sentence_is_added_to_every_draft(capsys):
    texto = "Tengo todos los justificantes."
    code, out, _ = run(capsys, *ARGS, "--texto", texto, "--red", "mastodon")
    assert code == 0
    assert out.count(texto) == 4


def test_a_rejected_sentence_exits_2_with_each_reason_and_no_draft(capsys):
    code, out, err = run(
        capsys, *ARGS, "--texto", "Sois unos ladrones; mi móvil es el 600 123 456."
    )
    assert code == 2
    assert out == ""
    assert err.startswith("Error en --texto: el texto no se puede publicar (2 problemas)")
    assert "«ladrones» acusa a la empresa de un delito" in err
    assert "«600 123 456» parece un número de teléfono" in err


def test_without_the_sellers_account_exits_2(capsys):
    args = [a for a in FLAGS if a not in ("--usuario-vendedor", "ElectroEjemplo")]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("Error en --usuario-x: falta el usuario del vendedor en X")
    assert "--usuario-vendedor" in err  # the older option still names the X account


def test_a_case_from_flags_alone(capsys):
    code, out, err = run(capsys, *FLAGS, "--etapa", "inicial")
    assert code == 0, err
    # "Portátil Z" keeps its capital: a one-letter model name looks like a brand.
    assert "@ElectroEjemplo Mi Portátil Z tiene un defecto: no enciende. Les pido" in out


@pytest.mark.parametrize(
    ("args", "campo"),
    [
        (("--etapa", "final"), "--etapa"),
        (("--red", "facebook"), "--red"),
        (("--hoy", "ayer"), "--hoy"),
    ],
)
def test_bad_options_exit_2_naming_the_option(capsys, args, campo):
    code, out, err = run(capsys, *ARGS, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"Error en {campo}:")


def test_an_event_after_today_is_an_error(capsys, tmp_path):
    caso = tmp_path / "caso.toml"
    caso.write_text(
        DEMO.read_text(encoding="utf-8") + '\n[[eventos]]\ntipo = "resuelto"\nfecha = 2026-12-01\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "tuit", "--caso", str(caso), "--hoy", "2026-11-22")
    assert code == 2 and "posterior a hoy" in err


@pytest.mark.parametrize("page", ["docs/tuits.md", "README.md"])
def test_docs_show_the_real_first_message_of_the_demo(capsys, page):
    """The docs quote the output of their own example command: keep them equal."""
    doc = (ROOT / page).read_text(encoding="utf-8")
    example = r"```sh\n(reclama tuit [^\n]*--etapa inicial[^\n]*)\n```\n+```text\n(.*?)```"
    m = re.search(example, doc, re.S)
    assert m, f"{page} debe mostrar la orden del ejemplo y su salida"
    args = m.group(1).split()[1:]
    args[args.index("--caso") + 1] = str(DEMO)
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out == m.group(2)


# On X an account has 1 to 15 letters, digits or underscores: a longer one mentions nobody.
CUENTAS_X = [
    ("TelefoniaEjemplo", 2),  # 16 letters: X cannot hold it
    ("Telefonia.SAT", 2),  # a dot: not an X account
    ("@TelefoniaSAT", 0),  # the '@' is optional
    ("Telefonia_SAT15", 0),  # exactly 15
]


@pytest.mark.parametrize(("usuario", "codigo"), CUENTAS_X)
def test_the_sellers_account_on_x_must_be_one_x_can_hold(capsys, usuario, codigo):
    args = list(FLAGS)
    args[args.index("--usuario-vendedor") + 1] = usuario
    code, out, err = run(capsys, *args, "--red", "x")
    assert code == codigo, err
    if codigo:
        assert "Error en --usuario-vendedor" in err and "de 1 a 15" in err and "@" not in out
    else:
        assert out.count(f"@{usuario.removeprefix('@')} ") >= 1


def test_an_account_x_cannot_hold_in_a_case_file_names_its_line(capsys, tmp_path):
    caso = tmp_path / "caso.toml"
    caso.write_text(
        DEMO.read_text(encoding="utf-8").replace('"TelefoniaSAT"', '"TelefoniaEjemplo"'),
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "tuit", "--caso", str(caso), "--hoy", "2026-11-22")
    assert code == 2
    assert (
        f"{caso}, línea" in err
        and "campo vendedor.usuario" in err
        and "--usuario-vendedor" not in err.split(":")[0]
    )
