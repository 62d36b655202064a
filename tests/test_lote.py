"""`reclama lote` as a law firm and a cron job use it: letters, summary, resume, exit codes."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reclama import batch
from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOY = "2026-11-22"
CLIENT = {
    "compra": "2026-05-04",
    "entrega": "2026-05-06",
    "canal": "distancia",
    "producto": "Teléfono móvil Nexo X12",
    "precio": "899,00",
    "descubrimiento": "2026-09-14",
    "defecto": "El micrófono dejó de funcionar.",
    "remedio": "sustitucion",
    "aviso": "2026-09-15",
    "respuesta": "marca|siete-dias",
    "nombre": "Lucía Martín Ortega",
    "dni": "12345678Z",
    "domicilio": "Calle del Prado 14, 28014 Madrid",
    "vendedor": "Telefonía Ejemplo, S.L.",
    "cif": "B12345674",
    "domicilio-vendedor": "Avenida de la Industria 8, 28108 Alcobendas",
    "lugar": "Madrid",
}


def rows(n: int, **changes: dict[str, str]) -> list[dict[str, str]]:
    """n good rows with ids R1..Rn; `changes={"R2": {...}}` alters some."""
    out = []
    for i in range(1, n + 1):
        row = {"id": f"R{i}", **CLIENT, "vendedor": f"Vendedor {i}, S.L."}
        row.update(changes.get(f"R{i}", {}))
        out.append(row)
    return out


def write_csv(
    path: Path, data: list[dict[str, str]], delimiter: str = ";", bom: bool = True
) -> Path:
    columns = list(dict.fromkeys(k for row in data for k in row))
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(data)
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["lote", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def summary(folder: Path) -> list[dict]:
    return [
        json.loads(line) for line in (folder / batch.SUMMARY_JSONL).read_text("utf-8").splitlines()
    ]


def letters(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(("resumen.", ".")))


# -- input formats --------------------------------------------------------------------


def test_csv_with_bom_and_semicolons_gives_one_letter_per_row_and_a_summary(tmp_path, capsys):
    src = write_csv(tmp_path / "casos.csv", rows(3), delimiter=";", bom=True)
    out_dir = tmp_path / "cartas"
    code, out, err = run(
        capsys, src, "--salida", out_dir, "--formato", "txt", "--hoy", HOY, "-j", "1"
    )
    assert code == 0, err
    assert out == ""
    assert err == "3 filas: 3 correctas, 0 con errores, 0 omitidas (ya hechas)\n"
    assert letters(out_dir) == [
        "R1_vendedor-1-s-l.txt",
        "R2_vendedor-2-s-l.txt",
        "R3_vendedor-3-s-l.txt",
    ]
    assert "Vendedor 2, S.L." in (out_dir / "R2_vendedor-2-s-l.txt").read_text("utf-8")
    entries = summary(out_dir)
    assert [(e["fila"], e["id"], e["estado"], e["salida"]) for e in entries] == [
        (2, "R1", "correcta", "R1_vendedor-1-s-l.txt"),
        (3, "R2", "correcta", "R2_vendedor-2-s-l.txt"),
        (4, "R3", "correcta", "R3_vendedor-3-s-l.txt"),
    ]
    assert entries[0]["en_garantia"] is True and entries[0]["exit_code"] == 0
    assert entries[0]["plazos"]["garantia"]["vence"] == "2029-05-06"
    with (out_dir / batch.SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.DictReader(f, delimiter=";"))
    assert [r["salida"] for r in records] == [e["salida"] for e in entries]
    assert records[0]["vence_garantia"] == "2029-05-06" and records[0]["en_garantia"] == "sí"


def test_json_lines_input(tmp_path, capsys):
    src = tmp_path / "casos.jsonl"
    data = rows(2)
    data[1]["respuesta"] = ["marca", "vale"]  # a list instead of a|b
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), "utf-8")
    code, _, err = run(
        capsys, src, "-o", tmp_path / "out", "--formato", "html", "--hoy", HOY, "-j", "1"
    )
    assert code == 0, err
    assert letters(tmp_path / "out") == ["R1_vendedor-1-s-l.html", "R2_vendedor-2-s-l.html"]


def test_pdf_letters_hold_the_row_data(tmp_path, capsys):
    from pypdf import PdfReader

    src = write_csv(tmp_path / "casos.csv", rows(2), delimiter=",", bom=False)
    code, _, err = run(capsys, src, "-o", tmp_path / "out", "--hoy", HOY, "-j", "2")
    assert code == 0, err
    pdf = tmp_path / "out" / "R2_vendedor-2-s-l.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Vendedor 2" in text and "Lucía Martín Ortega" in text


# -- bad rows -------------------------------------------------------------------------


def test_bad_rows_are_reported_with_row_and_field_and_good_ones_written(tmp_path, capsys):
    data = rows(5, R2={"compra": "31/02/2026"}, R4={"dni": ""}, R5={"leve": "quizá"})
    src = write_csv(tmp_path / "casos.csv", data)
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, src, "-o", out_dir, "--formato", "txt", "--hoy", HOY, "-j", "2")
    assert code == 1
    assert err.startswith("5 filas: 2 correctas, 3 con errores, 0 omitidas (ya hechas)")
    assert letters(out_dir) == ["R1_vendedor-1-s-l.txt", "R3_vendedor-3-s-l.txt"]
    errors = {e["id"]: e["error"] for e in summary(out_dir) if e["estado"] == "error"}
    assert errors["R2"].startswith("fila 3, campo compra: la fecha «31/02/2026» no existe")
    assert errors["R4"].startswith("fila 5, campo dni: falta este dato")
    assert errors["R5"].startswith("fila 6, campo leve:")


def test_ids_cannot_write_outside_the_output_folder(tmp_path, capsys):
    evil = {
        "R1": {"id": "../../fuera", "vendedor": "../../../etc"},
        "R2": {"id": "/tmp/absoluto"},
        "R3": {"id": "..", "vendedor": "..\\..\\win"},
    }
    src = write_csv(tmp_path / "casos.csv", rows(3, **evil))
    out_dir = tmp_path / "a" / "out"
    code, _, err = run(capsys, src, "-o", out_dir, "--formato", "txt", "--hoy", HOY, "-j", "1")
    assert code == 0, err
    assert letters(out_dir) == [
        "fila-00004_win.txt",
        "fuera_etc.txt",
        "tmp-absoluto_vendedor-2-s-l.txt",
    ]
    everything = {p.relative_to(tmp_path).parts[:2] for p in tmp_path.rglob("*") if p.is_file()}
    assert everything == {("casos.csv",), ("a", "out")}


def test_repeated_ids_fail_the_later_row(tmp_path, capsys):
    src = write_csv(
        tmp_path / "casos.csv", rows(2, R2={"id": "R1", "vendedor": "Vendedor 1, S.L."})
    )
    code, _, _ = run(
        capsys, src, "-o", tmp_path / "out", "--formato", "txt", "--hoy", HOY, "-j", "1"
    )
    assert code == 1
    (bad,) = [e for e in summary(tmp_path / "out") if e["estado"] == "error"]
    assert bad["error"] == "fila 3, campo id: el id «R1» ya está en la fila 2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no existe el fichero"),
        ("compra;descubrimento;vendedro\n", "«descubrimento» (¿quería decir «descubrimiento»?)"),
        ("", "vacío"),
    ],
)
def test_unusable_input_exits_2_before_writing_anything(tmp_path, capsys, content, message):
    src = tmp_path / "casos.csv"
    if content is not None:
        src.write_text(content, "utf-8")
    code, _, err = run(capsys, src, "-o", tmp_path / "out", "--hoy", HOY)
    assert code == 2
    assert err.startswith("Error en ENTRADA: ") and message in err
    assert not (tmp_path / "out").exists()


def test_validar_lists_every_problem_and_writes_nothing(tmp_path, capsys):
    src = write_csv(tmp_path / "casos.csv", rows(4, R1={"compra": "ayer"}, R3={"nombre": ""}))
    code, out, err = run(capsys, src, "--validar", "--hoy", HOY)
    assert code == 1
    assert out.splitlines()[0].startswith("fila 2, campo compra: ")
    assert out.splitlines()[1].startswith("fila 4, campo nombre: falta este dato")
    assert err == "4 filas: 2 correctas, 2 con errores, 0 omitidas (ya hechas)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casos.csv"]


# -- resume -----------------------------------------------------------------------------


def test_rerun_after_fixing_bad_rows_does_only_the_missing_work(tmp_path, capsys):
    data = rows(4, R3={"cif": "B12345675"})
    src = write_csv(tmp_path / "casos.csv", data)
    out_dir = tmp_path / "out"
    args = ("-o", out_dir, "--formato", "txt", "--hoy", HOY, "-j", "1")
    assert run(capsys, src, *args)[0] == 1
    before = {n: (out_dir / n).stat().st_mtime_ns for n in letters(out_dir)}
    assert len(before) == 3

    data[2]["cif"] = "B12345674"
    write_csv(src, data)
    code, _, err = run(capsys, src, *args)
    assert code == 0
    assert err == "4 filas: 1 correctas, 0 con errores, 3 omitidas (ya hechas)\n"
    assert {n: (out_dir / n).stat().st_mtime_ns for n in before} == before
    assert [e["estado"] for e in summary(out_dir)] == ["correcta"] * 4

    data[0]["defecto"] = "Otra descripción."  # a changed row is redone
    write_csv(src, data)
    assert (
        run(capsys, src, *args)[2]
        == "4 filas: 1 correctas, 0 con errores, 3 omitidas (ya hechas)\n"
    )
    assert (
        run(capsys, src, *args, "--forzar")[2]
        == "4 filas: 4 correctas, 0 con errores, 0 omitidas (ya hechas)\n"
    )
    (out_dir / "R2_vendedor-2-s-l.txt").unlink()  # a deleted letter is written again
    assert (
        run(capsys, src, *args)[2]
        == "4 filas: 1 correctas, 0 con errores, 3 omitidas (ya hechas)\n"
    )
    assert len(summary(out_dir)) == 4


def _start(src: Path, out_dir: Path, *extra: str, pause_after: int = 0) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "reclama",
        "lote",
        str(src),
        "-o",
        str(out_dir),
        "--hoy",
        HOY,
        *extra,
    ]
    # RECLAMA_TEST_PAUSA_TRAS makes the batch wait for a signal after that many rows.
    env = {**os.environ, "RECLAMA_TEST_PAUSA_TRAS": str(pause_after)} if pause_after else None
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_lines(path: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the summary records `n` finished rows (not the lines of letters still being written)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if path.exists() and path.read_bytes().count(b'"estado": "correcta"') >= n:
            return
        time.sleep(0.02)
    pytest.fail(f"the batch finished or stalled before {n} rows were done")


def _check_no_partial_letters(out_dir: Path, unrecorded: int) -> set[str]:
    """Every letter on disk is complete and listed as done; returns their names."""
    done = set()
    for line in (out_dir / batch.SUMMARY_JSONL).read_bytes().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a torn last line is allowed after a crash
        if entry["estado"] == "correcta":
            done.add(entry["salida"])
    on_disk = set(letters(out_dir))
    for name in on_disk:
        assert (out_dir / name).read_bytes().rstrip().endswith(b"%%EOF"), name
    assert done <= on_disk
    assert len(on_disk - done) <= unrecorded  # letters finished after the summary stopped
    return on_disk


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "crash"])
def test_interruption_keeps_finished_rows_and_resume_does_the_rest(tmp_path, how):
    n = 30
    src = write_csv(tmp_path / "casos.csv", rows(n))
    out_dir = tmp_path / "out"
    proc = _start(src, out_dir, "-j", "2", pause_after=3)  # waits there for the signal
    _wait_for_lines(out_dir / batch.SUMMARY_JSONL, 3, proc)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    if how == signal.SIGINT:
        assert proc.returncode == 130, err
        assert err.startswith("Interrumpido. ")
        assert not [p for p in out_dir.iterdir() if p.name.endswith(".tmp")]
        on_disk = _check_no_partial_letters(out_dir, unrecorded=2)
    else:
        # Orphaned workers notice the dead parent within 0.1 s and exit; a letter appears only
        # by rename, so none is half-written. A temp file cut short may remain: the next run
        # removes it (checked after the resume below).
        time.sleep(2)
        on_disk = _check_no_partial_letters(out_dir, unrecorded=n)
    assert len(on_disk) < n

    done_before = sum(1 for e in batch.Summary(out_dir).load().values() if e.estado == "correcta")
    proc = _start(src, out_dir, "-j", "2")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    redone = n - done_before
    assert (
        err == f"{n} filas: {redone} correctas, 0 con errores, {done_before} omitidas (ya hechas)\n"
    )
    assert len(letters(out_dir)) == n
    assert not [p for p in out_dir.iterdir() if p.name.endswith(".tmp")]
    assert [e["fila"] for e in summary(out_dir)] == list(range(2, n + 2))


# -- deadlines only -----------------------------------------------------------------------


def test_solo_plazos_streams_one_json_line_per_row(tmp_path, capsys):
    src = write_csv(tmp_path / "casos.csv", rows(3, R2={"descubrimiento": "2026-13-01"}))
    code, out, err = run(capsys, src, "--solo-plazos", "--completo", "--hoy", HOY)
    assert code == 1
    assert err == "3 filas: 2 correctas, 1 con errores, 0 omitidas (ya hechas)\n"
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["fila"], x["id"], x["exit_code"]) for x in lines] == [
        (2, "R1", 0),
        (3, "R2", 2),
        (4, "R3", 0),
    ]
    assert lines[1]["error"].startswith("fila 3, campo descubrimiento:")
    assert lines[1]["campo"] == "descubrimiento"
    assert not list(tmp_path.glob("*/"))

    assert main(["comprobar", "--compra", "2026-05-04", "--entrega", "2026-05-06", "--canal", "distancia",
                 "--descubrimiento", "2026-09-14", "--remedio", "sustitucion", "--aviso", "2026-09-15",
                 "--contestada",  # the row's excuses are the seller's answer: receipt shown
                 # the row's answers (brand, repair only) are a refusal the law reads into them
                 "--negativa",
                 "--hoy", HOY, "--json"]) == 0  # fmt: skip
    expected = json.loads(capsys.readouterr().out)
    first = {k: v for k, v in lines[0].items() if k not in ("fila", "id", "exit_code")}
    assert first == expected


def test_solo_plazos_in_parallel_keeps_the_input_order(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch.solo_plazos, "PLAZOS_CHUNK", 7)
    monkeypatch.setattr(batch.solo_plazos, "PLAZOS_PARALLEL_MIN", 14)
    data = rows(60, R13={"compra": "mal"})
    src = write_csv(tmp_path / "casos.csv", data)
    code, out, err = run(capsys, src, "--solo-plazos", "--hoy", HOY, "-j", "2")
    assert code == 1
    assert [json.loads(line)["id"] for line in out.splitlines()] == [f"R{i}" for i in range(1, 61)]
    assert err == "60 filas: 59 correctas, 1 con errores, 0 omitidas (ya hechas)\n"


def test_solo_plazos_ignores_columns_the_rules_do_not_read(tmp_path, capsys):
    src = write_csv(tmp_path / "casos.csv", rows(1, R1={"dni": "no es un dni"}))
    assert run(capsys, src, "--solo-plazos", "--hoy", HOY)[0] == 0


# -- terminal or not ----------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    src = write_csv(tmp_path / "casos.csv", rows(3))
    proc = subprocess.run(
        [sys.executable, "-m", "reclama", "lote", str(src), "--solo-plazos", "--hoy", HOY],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stderr == "3 filas: 3 correctas, 0 con errores, 0 omitidas (ya hechas)\n"
    assert len(proc.stdout.splitlines()) == 3


def test_progress_bar_with_rate_when_stderr_is_a_terminal(tmp_path, capsys, monkeypatch):
    src = write_csv(tmp_path / "casos.csv", rows(3))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, _, err = run(capsys, src, "--solo-plazos", "--hoy", HOY)
    assert code == 0
    assert "filas/s" in err
    assert err.endswith("3 filas: 3 correctas, 0 con errores, 0 omitidas (ya hechas)\n")


def test_plantilla_has_every_column_and_two_rows(tmp_path, capsys):
    code, out, _ = run(capsys, "--plantilla")
    assert code == 0
    assert out == batch.template_csv()
    path = tmp_path / "casos.csv"
    assert run(capsys, path, "--plantilla")[0] == 0
    assert path.read_text("utf-8-sig").splitlines()[0].split(";") == list(batch.known_columns())
    code, _, err = run(capsys, path, "--validar", "--hoy", HOY)
    assert code == 0, err
    assert run(capsys, path, "--plantilla")[0] == 2  # never overwrites by surprise


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    """kill (SIGTERM) from a job scheduler stops the batch cleanly too."""
    src = write_csv(tmp_path / "casos.csv", rows(10))
    out_dir = tmp_path / "out"
    proc = _start(src, out_dir, "-j", "1")
    _wait_for_lines(out_dir / batch.SUMMARY_JSONL, 2, proc)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    _check_no_partial_letters(out_dir, unrecorded=2)
