"""Outputs that could carry an attack or destroy a user's file (issue 9), with the safe outcome.

Every row names an attack a colleague, a downloaded folder or a shared drive could set up,
and what must happen instead: the target untouched, a link still a link, no file left
behind, exit code 2 and a Spanish message naming the file.
"""

from __future__ import annotations

import csv
import errno
import json
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from reclama import batch, casefile
from reclama.casefile import load_case
from reclama.caso import Evento
from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = "2026-11-22"
CARTA = ["carta", "--caso", str(DEMO), "--hoy", HOY, "--formato", "txt"]
VICTIM = "datos del usuario que nadie debe tocar\n"

ROW = {
    "compra": "2026-05-04",
    "canal": "distancia",
    "producto": "Teléfono móvil",
    "descubrimiento": "2026-09-14",
    "defecto": "No enciende.",
    "remedio": "sustitucion",
    "aviso": "2026-09-15",
    "nombre": "Lucía Martín Ortega",
    "dni": "12345678Z",
    "domicilio": "Calle del Prado 14, 28014 Madrid",
    "vendedor": "Vendedor, S.L.",
    "cif": "B12345674",
    "domicilio-vendedor": "Avenida de la Industria 8, 28108 Alcobendas",
    "lugar": "Madrid",
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def write_batch(path: Path, ids: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["id", *ROW], delimiter=";")
        writer.writeheader()
        writer.writerows({"id": i, **ROW} for i in ids)
    return path


def leftovers(*folders: Path) -> list[str]:
    """Temp files and lock files: nothing of the kind may stay after a command."""
    return sorted(
        p.name for f in folders for p in f.iterdir() if p.name.endswith((".tmp", ".lock"))
    )


# -- CSV formula injection ------------------------------------------------------------------

# (what the batch author typed as the id, what resumen.csv must hold)
FORMULA_CELLS = [
    ('=HYPERLINK("http://malo.example","clic")', '\'=HYPERLINK("http://malo.example","clic")'),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+1", "'+1+1"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUMA(1;2)", "'@SUMA(1;2)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-5", "-5"),  # a plain negative number: a spreadsheet reads a number, nothing runs
    ("EXP-001", "EXP-001"),
]


@pytest.mark.parametrize(("typed", "in_csv"), FORMULA_CELLS, ids=[c[0] for c in FORMULA_CELLS])
def test_a_formula_in_a_cell_is_neutralised_in_the_csv(typed, in_csv):
    cells = dict(zip(batch.CSV_FIELDS, batch.csv_record({"id": typed, "fila": 2}), strict=True))
    assert cells["id"] == in_csv


def test_a_batch_with_formula_ids_writes_them_as_text_in_csv_and_as_typed_in_jsonl(
    tmp_path, capsys
):
    ids = ['=HYPERLINK("http://malo.example")', "@SUMA(1)", "+34600000000"]
    out = tmp_path / "out"
    code, _, err = run(capsys, "lote", write_batch(tmp_path / "b.csv", ids), "-o", out,
                       "--formato", "txt", "--hoy", HOY, "-j", "1")  # fmt: skip
    assert code == 0, err
    with (out / batch.SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as f:
        in_csv = [r["id"] for r in csv.DictReader(f, delimiter=";")]
    assert in_csv == ["'" + i for i in ids]
    jsonl = (out / batch.SUMMARY_JSONL).read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == ids


# -- the batch never follows a link, never overwrites what it did not write --------------


def _setup_link(out: Path, name: str, tmp_path: Path) -> Path:
    victim = tmp_path / "victima.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    (out / name).symlink_to(victim)
    return victim


def _setup_own_file(out: Path, name: str, tmp_path: Path) -> Path:
    own = out / name
    own.write_text(VICTIM, encoding="utf-8")
    return own


LETTER = batch.output_name(2, "R1", ROW["vendedor"], "txt")

# (attack, file the attacker / the user prepared, how, exit code, message)
BATCH_ATTACKS = [
    ("resumen.csv is a link", batch.SUMMARY_CSV, _setup_link, 2, "enlace simbólico"),
    ("resumen.jsonl is a link", batch.SUMMARY_JSONL, _setup_link, 2, "enlace simbólico"),
    ("a letter's name is a link", LETTER, _setup_link, 1, "enlace simbólico"),
    ("the user's own resumen.csv", batch.SUMMARY_CSV, _setup_own_file, 2, "no es un resumen"),
    ("the user's own resumen.jsonl", batch.SUMMARY_JSONL, _setup_own_file, 2, "no es un resumen"),
    ("the user's own file with a letter's name", LETTER, _setup_own_file, 1, "no lo escribió"),
]


@pytest.mark.parametrize(
    ("name", "setup", "exit_code", "message"),
    [a[1:] for a in BATCH_ATTACKS],
    ids=[a[0] for a in BATCH_ATTACKS],
)
def test_the_batch_leaves_a_prepared_file_untouched(
    tmp_path, capsys, name, setup, exit_code, message
):
    out = tmp_path / "out"
    out.mkdir()
    target = setup(out, name, tmp_path)
    was_link = (out / name).is_symlink()
    src = write_batch(tmp_path / "b.csv", ["R1"])
    code, _, err = run(capsys, "lote", src, "-o", out, "--formato", "txt", "--hoy", HOY)
    assert code == exit_code
    assert target.read_text(encoding="utf-8") == VICTIM
    assert (out / name).is_symlink() == was_link
    if exit_code == 2:
        assert message in err and "Traceback" not in err
    else:  # the row fails, named in the summary; nothing else of the batch is lost
        (entry,) = [json.loads(x) for x in (out / batch.SUMMARY_JSONL).read_text().splitlines()]
        assert entry["estado"] == "error" and message in entry["error"]
    assert leftovers(out) == []


@pytest.mark.parametrize("name", [batch.SUMMARY_CSV, LETTER])
def test_forzar_replaces_a_users_file_but_never_through_a_link(tmp_path, capsys, name):
    out = tmp_path / "out"
    out.mkdir()
    own = _setup_own_file(out, name, tmp_path)
    src = write_batch(tmp_path / "b.csv", ["R1"])
    code, _, err = run(capsys, "lote", src, "-o", out, "--formato", "txt", "--hoy", HOY,
                       "--forzar")  # fmt: skip
    assert code == 0, err
    assert own.read_text(encoding="utf-8-sig") != VICTIM


def test_resume_recognises_the_letters_it_wrote_and_rewrites_a_changed_row(tmp_path, capsys):
    out = tmp_path / "out"
    src = write_batch(tmp_path / "b.csv", ["R1", "R2"])
    args = ["lote", src, "-o", out, "--formato", "txt", "--hoy", HOY]
    assert run(capsys, *args)[0] == 0
    first = (out / LETTER).read_text(encoding="utf-8")
    assert run(capsys, *args)[2] == "2 filas: 0 correctas, 0 con errores, 2 omitidas (ya hechas)\n"
    text = src.read_text(encoding="utf-8").replace("No enciende.", "No carga la batería.", 1)
    src.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, *args)
    assert (code, err) == (0, "2 filas: 1 correctas, 0 con errores, 1 omitidas (ya hechas)\n")
    assert (out / LETTER).read_text(encoding="utf-8") != first  # its own letter, rewritten
    assert leftovers(out) == []


def test_a_letter_written_but_not_recorded_before_an_interruption_is_still_ours(tmp_path, capsys):
    """The name is journaled in resumen.jsonl before the letter is written."""
    out = tmp_path / "out"
    src = write_batch(tmp_path / "b.csv", ["R1", "R2"])
    calls = []

    def interrupt_once(*_args):
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt

    counts = batch.run_letters(batch.Entrada(src), out, hoy=date(2026, 11, 22), formato="txt",
                               jobs=1, on_row=interrupt_once)  # fmt: skip
    assert counts.interrupted
    journal = out / batch.SUMMARY_JSONL
    lines = journal.read_text("utf-8").splitlines()
    # as if the process had died between writing each letter and recording it
    journal.write_text("".join(x + "\n" for x in lines if '"correcta"' not in x), "utf-8")
    assert (out / LETTER).exists()
    code, _, err = run(capsys, "lote", src, "-o", out, "--formato", "txt", "--hoy", HOY)
    assert (code, err) == (0, "2 filas: 2 correctas, 0 con errores, 0 omitidas (ya hechas)\n")


def test_a_worker_whose_parent_died_removes_the_letter_it_was_writing(tmp_path):
    """kill -9 of `lote`: the orphaned worker exits through os._exit, which skips cleanup."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from reclama import files\n"
        "fd, tmp = files._new_temp(Path(sys.argv[1]) / 'R1_vendedor.pdf')\n"
        "files.remove_pending_temps()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    assert list(tmp_path.iterdir()) == []


# -- plazos --ics ---------------------------------------------------------------------------

FOREIGN_CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Calendar//ES\r\n"


def test_ics_does_not_overwrite_a_calendar_reclama_did_not_export(tmp_path, capsys):
    ics = tmp_path / "mi-agenda.ics"
    ics.write_bytes(FOREIGN_CALENDAR.encode())
    code, _, err = run(capsys, "plazos", DEMO, "--hoy", HOY, "--ics", ics)
    assert code == 2 and "--forzar" in err and "no exportó reclama" in err
    assert ics.read_bytes() == FOREIGN_CALENDAR.encode()
    code, _, err = run(capsys, "plazos", DEMO, "--hoy", HOY, "--ics", ics, "--forzar")
    assert code in (0, 1), err
    assert "PRODID:-//reclama//plazos//ES" in ics.read_text(encoding="utf-8")
    assert leftovers(tmp_path) == []


def test_ics_never_writes_through_a_link(tmp_path, capsys):
    victim = tmp_path / "agenda-real.ics"
    victim.write_bytes(FOREIGN_CALENDAR.encode())
    link = tmp_path / "plazos.ics"
    link.symlink_to(victim)
    code, _, err = run(capsys, "plazos", DEMO, "--hoy", HOY, "--ics", link, "--forzar")
    assert code == 2 and "enlace simbólico" in err
    assert link.is_symlink() and victim.read_bytes() == FOREIGN_CALENDAR.encode()


# -- carta -o ---------------------------------------------------------------------------------


def test_o_dash_writes_the_letter_to_stdout_and_no_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *CARTA, "-o", "-")
    assert code == 0, err
    assert out.startswith("Asunto: Reclamación") and "salida estándar" in err
    assert list(tmp_path.iterdir()) == []


def test_o_dev_fd_1_redirected_to_a_file_gets_the_whole_letter_and_nothing_else(tmp_path):
    out = tmp_path / "carta.txt"
    with out.open("wb") as f:
        subprocess.run([sys.executable, "-m", "reclama", *CARTA, "-o", "/dev/fd/1", "--forzar"],
                       stdout=f, stderr=subprocess.PIPE, check=True)  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.startswith("Asunto: Reclamación") and "/dev/fd/1" not in text


def _fifo(tmp_path: Path) -> tuple[Path, list[bytes], threading.Thread]:
    fifo = tmp_path / "tuberia"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    return fifo, got, reader


@pytest.mark.parametrize("through_link", [False, True], ids=["fifo", "link to a fifo"])
def test_a_fifo_or_device_is_written_into_never_replaced(tmp_path, capsys, through_link):
    """Like `-o /dev/stdout` (a link to /proc/self/fd/1): the link and the pipe stay."""
    fifo, got, reader = _fifo(tmp_path)
    target = fifo
    if through_link:
        target = tmp_path / "salida"
        target.symlink_to(fifo)
    code, _, err = run(capsys, *CARTA, "-o", target, "--forzar")
    reader.join(30)
    assert code == 0, err
    assert got[0].startswith("Asunto: Reclamación".encode())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and target.is_symlink() == through_link


def _disk_full(fd):
    raise OSError(errno.ENOSPC, "No space left on device")


# (attack, what -o names, extra setup, message)
CARTA_FAILURES = [
    ("an existing folder", "carpeta", lambda p: p.mkdir(), "es una carpeta"),
    ("a 300-character name", "x" * 296 + ".txt", None, "demasiado largo"),
    (
        "a link to the user's file",
        "enlace.txt",
        lambda p: p.symlink_to(p.parent / "victima.txt"),
        "enlace simbólico",
    ),
    ("a full disk", "carta.txt", "disk-full", "no queda espacio en el disco"),
    ("a full disk, in new folders", "nueva/sub/carta.txt", "disk-full", "no queda espacio"),
]


@pytest.mark.parametrize(
    ("name", "setup", "message"),
    [c[1:] for c in CARTA_FAILURES],
    ids=[c[0] for c in CARTA_FAILURES],
)
def test_carta_o_that_cannot_be_written_exits_2_in_spanish_leaving_nothing(
    tmp_path, capsys, monkeypatch, name, setup, message
):
    victim = tmp_path / "victima.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    target = tmp_path / name
    if setup == "disk-full":
        monkeypatch.setattr(os, "fsync", _disk_full)
    elif setup:
        setup(target)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, *CARTA, "-o", target, "--forzar")
    assert code == 2 and message in err and "Traceback" not in err and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temp file, no letter
    assert victim.read_text(encoding="utf-8") == VICTIM


# -- case files: through a link, atomically; no lock left ---------------------------------


@pytest.fixture
def linked_case(tmp_path) -> tuple[Path, Path]:
    real_dir = tmp_path / "nube"
    real_dir.mkdir()
    real = real_dir / "movil.toml"
    shutil.copy(DEMO, real)
    link_dir = tmp_path / "escritorio"
    link_dir.mkdir()
    link = link_dir / "movil.toml"
    link.symlink_to(real)
    return link, real


EVENTO = ["evento", "respuesta", "--fecha", "2026-10-01", "--hoy", HOY]


def test_caso_evento_on_a_link_updates_the_real_file_and_the_link_stays(linked_case, capsys):
    link, real = linked_case
    original = real.read_bytes()
    code, _, err = run(capsys, "caso", EVENTO[0], link, *EVENTO[1:])
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real
    assert [e.tipo for e in load_case(real).eventos][-1] == "respuesta"
    assert (real.parent / "movil.toml.bak").read_bytes() == original  # the .bak beside the file
    assert sorted(p.name for p in link.parent.iterdir()) == ["movil.toml"]
    assert leftovers(link.parent, real.parent) == []


def test_caso_evento_leaves_no_lock_file(tmp_path, capsys):
    case = tmp_path / "movil.toml"
    shutil.copy(DEMO, case)
    assert run(capsys, "caso", EVENTO[0], case, *EVENTO[1:])[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movil.toml", "movil.toml.bak"]


def test_a_lock_name_taken_by_a_folder_is_a_spanish_error(tmp_path, capsys):
    case = tmp_path / "movil.toml"
    shutil.copy(DEMO, case)
    original = case.read_bytes()
    (tmp_path / "movil.toml.lock").mkdir()
    code, _, err = run(capsys, "caso", EVENTO[0], case, *EVENTO[1:])
    assert code == 2 and "movil.toml.lock es una carpeta" in err and "Traceback" not in err
    assert case.read_bytes() == original


def _append(path: str, n: int, barrier) -> None:
    barrier.wait()
    ev = Evento(tipo="respuesta", fecha=date(2026, 10, 1 + n), nota=f"mensaje {n}")
    casefile.append_event(Path(path), ev, date(2026, 11, 22), timeout=60)


def test_removing_the_lock_after_use_loses_no_event_among_eight_writers(linked_case):
    """The lock is unlinked while held: a waiter that got the old one must not go on."""
    link, real = linked_case
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(8)
    procs = [ctx.Process(target=_append, args=(str(link), n, barrier)) for n in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 8
    notas = sorted(e.nota for e in load_case(real).eventos if e.nota)
    assert notas == [f"mensaje {n}" for n in range(8)]
    assert link.is_symlink() and leftovers(link.parent, real.parent) == []
