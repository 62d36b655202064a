"""Bad and hostile input to `reclama lote` and `reclama plazos DIR`: never a traceback.

Each case is what a user or an attacker can hand the batch reader, and the safe
outcome: a whole-file problem is one Spanish line and exit 2 before anything is
done; a row problem names the row (and the column) and the batch goes on (exit 1).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reclama import batch
from reclama.cli import main

HOY = "2026-11-22"
GOOD = "2026-05-04;2026-09-14;bien\n"
HEAD = "compra;descubrimiento;defecto\n"
DEEP = "[" * 100_000 + "]" * 100_000
GOOD3 = "2026-11-22;2026-05-04;2026-09-14\n"
JSON_GOOD = '{"compra": "2026-05-04", "descubrimiento": "2026-09-14"}\n'
MANY = ";".join(f"c{i}" for i in range(100_000))  # 100,000 unknown columns in 690,000 characters


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main(["lote", *map(str, args)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


# (case, file name, content, extra options, exit code, text that must be in stdout+stderr,
#  good rows that must still get through)
CASES = [
    ("celda de 1 MB", "c.csv", HEAD + "2026-05-04;2026-09-14;" + "x" * 1_000_000 + "\n" + GOOD,
     (), 1, "fila 2: la fila pasa de 1.000.000 caracteres", 1),
    ("celda de 100 KB", "c.csv", HEAD + "2026-05-04;2026-09-14;" + "x" * 100_000 + "\n" + GOOD,
     (), 1, "fila 2, campo defecto: la celda tiene 100.000 caracteres; el máximo es 20.000", 1),
    ("comillas sin cerrar a media hoja", "c.csv", HEAD + GOOD + '2026-05-04;2026-09-14;"abierta\n'
     + GOOD * 3, (), 2, "fila 3: unas comillas («\"») abiertas en la línea 3 no se cierran", 0),
    ("comillas sin cerrar en la última fila", "c.csv", HEAD + GOOD + '2026-05-04;2026-09-14;"ab\n',
     (), 1, "de la fila no se cierran", 1),
    ("comillas mal puestas", "c.csv", HEAD + '2026-05-04;2026-09-14;"a"b\n' + GOOD,
     (), 1, "fila 2: comillas mal puestas", 1),
    ("JSON anidado 100.000 niveles", "c.jsonl",
     '{"compra": ' + DEEP + "}\n" + '{"compra": "2026-05-04", "descubrimiento": "2026-09-14"}\n',
     (), 1, "fila 1: la línea anida demasiados niveles", 1),
    ("línea JSON de 2 MB", "c.jsonl",
     '{"defecto": "' + "x" * 2_000_000 + '"}\n' + JSON_GOOD,
     (), 1, "fila 1: la línea pasa de 1.000.000 caracteres", 1),
    ("JSON con un objeto por valor", "c.jsonl",
     '{"compra": "2026-05-04", "descubrimiento": "2026-09-14", "defecto": {"a": 1}}\n',
     (), 1, "fila 1, campo defecto: valor no admitido (un objeto)", 0),
    ("JSON roto", "c.jsonl", JSON_GOOD + '{"compra": \n',
     (), 1, "fila 2: la línea no es JSON válido (columna 12)", 1),
    ("100.000 columnas desconocidas", "c.csv", "compra;descubrimiento;" + MANY + "\n" + GOOD,
     ("--estricto",), 2, "«c9» y 99990 más", 0),
    ("100.000 columnas desconocidas, sin --estricto", "c.csv",
     "compra;descubrimiento;" + MANY + "\n2026-05-04;2026-09-14\n",
     (), 0, "se ignoran las columnas desconocidas: «c0»", 1),
    ("cabecera de 2 MB", "c.csv", "compra;" + "x" * 2_000_000 + "\n", (), 2,
     "la cabecera pasa de 1.000.000 caracteres", 0),
    ("bytes que no son texto", "c.csv", b"\x81\x8d\x8f\x90\x9d" * 10, (), 2,
     "no es texto en UTF-8, UTF-16 ni Windows-1252", 0),
    (".xlsx que no es un libro", "c.xlsx", b"PK\x03\x04 esto no es un zip", (), 2,
     "no es un libro de Excel .xlsx válido", 0),
    (".csv que en realidad es un .xlsx dañado", "c.csv", b"PK\x03\x04\x00\x00", (), 2,
     "no es un libro de Excel .xlsx válido", 0),
    ("garantía pactada «²»", "c.csv",
     "compra;descubrimiento;segunda-mano;garantia-pactada\n2026-05-04;2026-09-14;sí;²\n",
     (), 1, "fila 2, campo garantia-pactada: «²» no es", 0),
    ("año 9999", "c.csv", "hoy;compra;descubrimiento\n9999-12-31;9999-12-30;9999-12-31\n" + GOOD3,
     (), 1, "fila 2", 1),
    ("libro .xls antiguo", "c.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), (), 2,
     "guárdelo como .xlsx", 0),
    ("secuencia de escape del terminal en una celda", "c.csv",
     HEAD + "\x1b[2J2026;2026-09-14;x\n", (), 1, "x1b[2J2026", 0),  # shown escaped
    ("fichero vacío", "c.csv", "", (), 2, "está vacío o no tiene cabecera", 0),
    ("NUL en una celda", "c.csv", HEAD + "2026-05-04;2026-09-14;a\x00b\n", (), 0, "1 correctas", 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "extra", "code", "text", "good"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_bad_input_has_a_spanish_answer_and_the_right_exit_code(
    capsys, tmp_path, name, content, extra, code, text, good
):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    got, out, err = run(capsys, path, "--solo-plazos", "--jobs", "1", "--hoy", HOY, *extra)
    assert got == code, err
    assert text in out + err
    if code != 2:  # the batch went on: every good row got through
        assert f"{good} correctas" in err


def test_a_directory_is_not_a_batch(capsys, tmp_path):  # fmt: skip
    code, _, err = run(capsys, tmp_path, "--validar")
    assert code == 2
    assert "es una carpeta, no un fichero" in err


@pytest.mark.parametrize("content", ["compra,descubrimiento\n2026-05-04,2026-09-14\n",
                                     '{"compra": "2026-05-04", "descubrimiento": "2026-09-14"}\n'],
                         ids=["CSV", "JSON Lines"])  # fmt: skip
def test_dash_reads_the_rows_from_a_pipe(capsys, monkeypatch, content):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(content.encode())))
    code, out, err = run(capsys, "-", "--solo-plazos", "--hoy", HOY)
    assert code == 0, err
    (line,) = out.splitlines()
    assert json.loads(line)["fecha_compra"] == "2026-05-04"


def test_dash_with_stdin_closed_is_unusable_input(capsys, monkeypatch):
    closed = io.TextIOWrapper(io.BytesIO(b""))
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    code, _, err = run(capsys, "-", "--validar")
    assert code == 2
    assert "la entrada estándar está cerrada" in err


def test_plazos_reports_a_subfolder_it_cannot_read(capsys, monkeypatch, tmp_path):
    """A cron job must hear that some cases were not looked at (root ignores chmod: simulated)."""
    (tmp_path / "cerrada").mkdir()
    (tmp_path / "abierta").mkdir()
    (tmp_path / "abierta" / "tv.toml").write_text(
        "[compra]\nfecha = 2026-05-04\n[defecto]\ndescubrimiento = 2026-09-14\n", "utf-8"
    )
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(path).name == "cerrada":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code = main(["plazos", str(tmp_path), "--hoy", HOY, "--json"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"Error en {tmp_path / 'cerrada'}: no se puede leer la carpeta: " in err
    assert "no tiene permiso de lectura" in err


# -- random rows ---------------------------------------------------------------------------

CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-05-04", "31/02/2026", "9999-12-31", "0001-01-01", "sí", "x", '"',
                     '"a"b', "1.299,00 €", "1e30", "²", "|", "a|b", "12345678Z", "\r", "\x00"]),
)  # fmt: skip
COLUMN = st.sampled_from([*batch.known_columns(), "Fecha de compra", "DNI/NIE", "Observaciones"])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | CELL,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(COLUMN, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=4),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_csv_rows_never_end_in_a_traceback(capsys, tmp_path, header, rows, delimiter,
                                                  encoding):  # fmt: skip
    lines = [delimiter.join(header), *(delimiter.join(r) for r in rows)]
    path = tmp_path / "azar.csv"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    code, _, _ = run(capsys, path, "--validar", "--hoy", HOY)
    assert code in (0, 1, 2)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.one_of(st.dictionaries(COLUMN, JSON, max_size=5), JSON), max_size=4))
def test_random_jsonl_rows_never_end_in_a_traceback(capsys, tmp_path, lines):
    path = tmp_path / "azar.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), "utf-8")
    code, _, _ = run(capsys, path, "--validar", "--hoy", HOY)
    assert code in (0, 1, 2)
