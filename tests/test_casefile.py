"""Case files are the user's record: comments kept, atomic updates, a .bak, no event lost."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from reclama import casefile
from reclama.casefile import load_case
from reclama.caso import Evento
from reclama.cli.campos import shown
from reclama.engine import evaluate
from reclama.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = date(2026, 11, 22)

V0 = """\
# Mi reclamación del televisor (formato antiguo, sin secciones)
fecha_compra = 2024-05-10  # día del pedido
fecha_descubrimiento = 2024-11-01
producto = "Televisor 55 pulgadas"
vendedor = "Tiendas Ejemplo, S.A."
remedio = "reparacion"

[consumidor]
# mis datos
nombre = "Ana Ruiz"
"""


@pytest.fixture
def demo(tmp_path) -> Path:
    path = tmp_path / "caso.toml"
    shutil.copy(DEMO, path)
    return path


def aviso(day: str = "2026-10-01", **kw) -> Evento:
    return Evento(tipo="aviso", fecha=date.fromisoformat(day), canal="burofax", **kw)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_an_event_is_appended_keeping_every_comment_and_the_order(demo):
    original = demo.read_text(encoding="utf-8")
    before, after = casefile.append_event(demo, aviso(prueba_recepcion=True), HOY)
    text = demo.read_text(encoding="utf-8")
    assert text.startswith(original.rstrip("\n"))
    assert text.count("[[eventos]]") == 1
    assert 'tipo = "aviso"\nfecha = 2026-10-01\ncanal = "burofax"\nprueba_recepcion = true' in text
    assert before.reclamacion.interrupciones == []
    assert after.reclamacion.interrupciones == [date(2026, 10, 1)]
    assert load_case(demo) == after


def test_the_previous_version_is_kept_as_bak(demo):
    original = demo.read_bytes()
    casefile.append_event(demo, aviso(), HOY)
    assert (demo.parent / "caso.toml.bak").read_bytes() == original
    second = demo.read_bytes()
    casefile.append_event(
        demo, Evento(tipo="respuesta", fecha=date(2026, 10, 5), respuestas=["vale"]), HOY
    )
    assert (demo.parent / "caso.toml.bak").read_bytes() == second


def test_permissions_of_the_case_file_survive_an_update(demo):
    demo.chmod(0o640)
    casefile.append_event(demo, aviso(), HOY)
    assert demo.stat().st_mode & 0o777 == 0o640


def test_a_file_that_fails_validation_is_never_overwritten_and_the_error_names_line_and_field(
    tmp_path,
):
    bad = tmp_path / "caso.toml"
    bad.write_text(
        '[compra]\nfecha = 2024-01-10\n\n[defecto]\ndescubrimiento = "ayer"\n', encoding="utf-8"
    )
    original = bad.read_bytes()
    with pytest.raises(InputError) as e:
        casefile.append_event(bad, aviso("2024-03-01"), HOY)
    assert "defecto.descubrimiento" in e.value.campo and "línea 5" in e.value.campo
    assert bad.read_bytes() == original
    assert not (tmp_path / "caso.toml.bak").exists()


def test_a_toml_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "caso.toml"
    bad.write_text("[compra]\nfecha = 2024-01-10\nproducto = \n", encoding="utf-8")
    with pytest.raises(InputError, match="TOML no válido") as e:
        casefile.load_for_update(bad)
    assert "línea 3" in e.value.campo


def test_an_error_in_an_event_names_its_table_line(tmp_path):
    path = tmp_path / "caso.toml"
    path.write_text(
        "[compra]\nfecha = 2024-01-10\n\n[defecto]\ndescubrimiento = 2024-02-01\n\n"
        '[[eventos]]\ntipo = "aviso"\nfecha = 2024-02-02\n\n'
        '[[eventos]]\ntipo = "devolucion"\nfecha = 2024-02-10\nreparado = "quizá"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        load_case(path)
    assert e.value.campo == f"{path}, línea 14, suceso n.º 2, campo reparado"
    path.write_text(
        path.read_text()
        .replace('"quizá"', "true")
        .replace('"devolucion"', '"reaparece"')
        .replace("reparado = true\n", ""),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="ningún intento") as e:
        load_case(path)
    assert (
        e.value.campo == f"{path}, línea 12, suceso n.º 2 (reaparece del 10/02/2024)"
    )  # its `tipo` line


def test_an_event_that_makes_the_case_incoherent_is_not_written(demo):
    original = demo.read_bytes()
    with pytest.raises(InputError) as e:  # a claim before the defect appeared
        casefile.append_event(demo, aviso("2026-09-01"), HOY)
    assert shown(e.value.clave) == "--fecha"
    assert demo.read_bytes() == original


def test_save_refuses_text_that_is_not_a_valid_case(demo):
    original = demo.read_bytes()
    with pytest.raises(InputError):
        casefile.save(demo, "[compra]\nfecha = 2024-01-10\n")
    assert demo.read_bytes() == original


# -- crashes --------------------------------------------------------------------------


@pytest.mark.parametrize("crash_on", ["caso.toml", "caso.toml.bak"])
def test_a_crash_while_renaming_leaves_the_original_and_the_bak_intact(demo, monkeypatch, crash_on):
    (demo.parent / "caso.toml.bak").write_text("copia anterior\n", encoding="utf-8")
    original = demo.read_bytes()
    real_replace = os.replace

    def crash(src, dst):
        if Path(dst).name == crash_on:
            raise KeyboardInterrupt  # the process dies between writing and renaming
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        casefile.append_event(demo, aviso(), HOY)
    assert demo.read_bytes() == original
    bak = (demo.parent / "caso.toml.bak").read_bytes()
    assert bak == (original if crash_on == "caso.toml" else b"copia anterior\n")
    assert leftovers(demo.parent) == []


def test_a_crash_in_the_middle_of_writing_leaves_no_half_file(demo, monkeypatch):
    original = demo.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No queda espacio en el dispositivo")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError, match="no se pudo guardar"):
        casefile.append_event(demo, aviso(), HOY)
    assert demo.read_bytes() == original
    assert leftovers(demo.parent) == []


# -- concurrency ------------------------------------------------------------------------


def _append_one(path: str, n: int, barrier) -> None:
    barrier.wait()
    nota = f"mensaje {n}"
    casefile.append_event(
        Path(path),
        Evento(tipo="respuesta", fecha=date(2026, 10, 1 + n), nota=nota),
        HOY,
        timeout=60,
    )


def test_eight_processes_appending_at_once_lose_no_event(demo):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(8)
    procs = [ctx.Process(target=_append_one, args=(str(demo), n, barrier)) for n in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * 8
    caso = load_case(demo)
    assert sorted(e.nota for e in caso.eventos) == [f"mensaje {n}" for n in range(8)]
    assert leftovers(demo.parent) == []


def test_a_locked_file_gives_a_spanish_message_after_the_timeout(demo):
    original = demo.read_bytes()
    with casefile.locked(demo), pytest.raises(InputError, match="inténtelo de nuevo"):
        casefile.append_event(demo, aviso(), HOY, timeout=0.2)
    assert demo.read_bytes() == original


# -- schema versions ----------------------------------------------------------------------


def test_a_version_0_file_is_read_and_upgraded_not_rejected(tmp_path):
    path = tmp_path / "antiguo.toml"
    path.write_text(V0, encoding="utf-8")
    caso = load_case(path)
    assert caso.compra.fecha == date(2024, 5, 10)
    assert caso.vendedor.nombre == "Tiendas Ejemplo, S.A."
    assert caso.consumidor.nombre == "Ana Ruiz"
    assert evaluate(caso.hechos(), date(2024, 11, 2)).plazos["garantia"].vence == date(2027, 5, 10)
    assert path.read_text(encoding="utf-8") == V0  # reading never writes


def test_updating_a_version_0_file_writes_the_current_schema_and_keeps_comments(tmp_path):
    path = tmp_path / "antiguo.toml"
    path.write_text(V0, encoding="utf-8")
    casefile.append_event(path, Evento(tipo="aviso", fecha=date(2024, 11, 3)), date(2024, 11, 4))
    text = path.read_text(encoding="utf-8")
    assert "version_esquema = 1" in text and "fecha_compra" not in text
    assert (
        "# Mi reclamación del televisor" in text
        and "# mis datos" in text
        and "# día del pedido" in text
    )
    assert (tmp_path / "antiguo.toml.bak").read_text(encoding="utf-8") == V0
    caso = load_case(path)
    assert caso.version_esquema == 1
    assert caso.compra.producto == "Televisor 55 pulgadas"
    assert caso.reclamacion.aviso == date(2024, 11, 3)


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "futuro.toml"
    path.write_text(
        "version_esquema = 7\n[compra]\nfecha = 2024-01-10\n"
        "[defecto]\ndescubrimiento = 2024-02-01\n"
    )
    with pytest.raises(InputError, match="más nuevo"):
        load_case(path)


def test_a_new_case_never_replaces_a_file_unless_forced(demo):
    caso = load_case(demo)
    text = casefile.new_case_text(caso, HOY)
    with pytest.raises(InputError, match="ya existe"):
        casefile.create(demo, text)
    original = demo.read_bytes()
    casefile.create(demo, text, forzar=True)
    assert (demo.parent / "caso.toml.bak").read_bytes() == original
    assert load_case(demo).compra == caso.compra
