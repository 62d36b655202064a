"""The pure parts of `reclama lote`: reading rows, columns, rows -> cases, naming, summary."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from reclama import batch
from reclama.batch import Entrada, Row, RowError
from reclama.caso import FLAG_FIELDS
from reclama.errors import InputError

HOY = date(2026, 11, 22)
GOOD = {
    "id": "EXP-1",
    "compra": "2026-05-04",
    "entrega": "06/05/2026",
    "descubrimiento": "2026-09-14",
    "canal": "distancia",
    "remedio": "sustitucion",
    "aviso": "2026-09-15",
}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_every_case_flag_is_a_documented_column():
    assert set(FLAG_FIELDS) <= set(batch.COLUMNS)
    assert set(batch.known_columns()) == set(batch.COLUMNS)
    doc = (Path(__file__).parents[1] / "docs" / "lote.md").read_text(encoding="utf-8")
    for column in batch.known_columns():
        assert f"| `{column}` |" in doc, column


def test_column_kinds_are_read_off_the_case_model():
    assert {
        "segunda-mano",
        "digital",
        "leve",
        "grave",
        "intento-fallido",
        "negativa",
        "soporte-material",
        "ejecucion-consentida",
        "sin-informacion-desistimiento",
        "contestada",
        "gran-empresa",
    } == batch.BOOL_COLUMNS
    assert {"respuesta", "interrupcion", "reparacion", "sustitucion"} == batch.LIST_COLUMNS
    assert {"canal", "remedio", "respuesta"} <= batch.WORD_COLUMNS


def test_csv_with_bom_and_semicolons_as_excel_writes_it(tmp_path):
    text = "\ufeffid;Compra;descubrimiento;Recepción;segunda_mano\r\nA;04/05/2026;14/09/2026;;sí\r\n;;;;\r\n"
    e = Entrada(write(tmp_path / "casos.csv", text))
    assert e.delimiter == ";"
    assert e.columns == ["id", "compra", "descubrimiento", "recepcion", "segunda-mano"]
    rows = list(e)
    assert rows == [
        Row(
            2,
            {
                "id": "A",
                "compra": "04/05/2026",
                "descubrimiento": "14/09/2026",
                "segunda-mano": "sí",
            },
        )
    ]


def test_csv_with_commas_and_quoted_cells(tmp_path):
    text = 'compra,descubrimiento,defecto\n2026-05-04,2026-09-14,"no enciende, ni carga"\n'
    (row,) = Entrada(write(tmp_path / "c.csv", text))
    assert row.data["defecto"] == "no enciende, ni carga"


def test_excel_plain_csv_in_windows_1252_is_read(tmp_path):
    text = "compra;descubrimiento;nombre\n2026-05-04;2026-09-14;Begoña Núñez\n"
    (row,) = Entrada(write(tmp_path / "c.csv", text, "cp1252"))
    assert row.data["nombre"] == "Begoña Núñez"


def test_json_lines_rows_are_numbered_by_line(tmp_path):
    lines = [
        json.dumps({**GOOD, "segunda_mano": True, "respuesta": ["marca", "vale"], "precio": 899}),
        "",
        "{not json",
        "[1, 2]",
    ]
    rows = list(Entrada(write(tmp_path / "c.jsonl", "\n".join(lines) + "\n")))
    assert [r.fila for r in rows] == [1, 3, 4]
    assert rows[0].data["segunda-mano"] is True
    assert rows[0].data["respuesta"] == ["marca", "vale"]
    assert rows[0].data["precio"] == "899"
    assert "JSON" in rows[1].error and "objeto" in rows[2].error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "vacío"),
        ("2026-05-04;2026-09-14\n", "cabecera"),
        ("compra;descubrimiento;compra\n", "repetidas: compra"),
        (
            "compra;descubrimento;vendedro;zzz\n",
            "«descubrimento» (¿quería decir «descubrimiento»?); «vendedro» (¿quería decir «vendedor»?); «zzz»",
        ),
        ("compra;vendedor\n", "obligatorias: descubrimiento"),
    ],
)
def test_unusable_inputs_are_refused_with_the_reason(tmp_path, text, message):
    with pytest.raises(InputError) as info:
        Entrada(write(tmp_path / "c.csv", text))
    assert info.value.campo == "ENTRADA"
    assert message in info.value.mensaje


def test_missing_file_is_unusable(tmp_path):
    with pytest.raises(InputError, match="no existe"):
        Entrada(tmp_path / "no.csv")


def test_data_beyond_the_header_is_a_row_error(tmp_path):
    (row,) = Entrada(
        write(tmp_path / "c.csv", "compra;descubrimiento\n2026-05-04;2026-09-14;sobra\n")
    )
    with pytest.raises(RowError, match="fila 2: hay datos en la columna 3"):
        batch.row_case(row)


def test_a_row_becomes_the_case_carta_would_build():
    row = Row(
        5,
        {
            **GOOD,
            "remedio": "Sustitución",
            "segunda-mano": "x",
            "digital": "no",
            "respuesta": "marca | Siete-Dias",
            "interrupcion": "20/09/2026|2026-10-01",
            "reparacion": "2026-09-16:2026-09-30|2026-10-05:",
            "precio": "1.299,50",
            "garantia-pactada": "12",
        },
    )
    caso = batch.row_case(row)
    assert caso.compra.entrega == date(2026, 5, 6)
    assert caso.compra.segunda_mano is True and caso.compra.digital is False
    assert caso.compra.garantia_pactada_meses == 12
    assert str(caso.compra.precio) == "1299.50"
    assert caso.reclamacion.remedio == "sustitucion"
    assert caso.reclamacion.respuestas == ["marca", "siete-dias"]
    assert caso.reclamacion.interrupciones == [date(2026, 9, 20), date(2026, 10, 1)]
    assert [(r.desde, r.hasta) for r in caso.reclamacion.reparaciones] == [
        (date(2026, 9, 16), date(2026, 9, 30)),
        (date(2026, 10, 5), None),
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"compra": "31/02/2026"}, "fila 7, campo compra: la fecha «31/02/2026» no existe"),
        ({"compra": None}, "fila 7, campo compra: falta este dato obligatorio"),
        ({"leve": "quizá"}, "fila 7, campo leve: «quizá» no es sí ni no"),
        ({"dni": "12345678A"}, "fila 7, campo dni: «12345678A» no es un DNI"),
        ({"canal": "correo"}, "fila 7, campo canal: valor no admitido"),
        ({"reparacion": "2026-09-16"}, "fila 7, campo reparacion:"),
        ({"hoy": "mañana"}, "fila 7, campo hoy:"),
        (
            {"descubrimiento": "2026-01-01"},
            "fila 7, campo descubrimiento: el defecto no puede descubrirse antes",
        ),
    ],
)
def test_row_errors_name_the_row_and_the_field(cells, expected):
    data = {k: v for k, v in {**GOOD, **cells}.items() if v is not None}
    with pytest.raises(RowError) as info:
        batch.evaluate_row(Row(7, data), HOY)
    assert str(info.value).startswith(expected)


def test_a_row_date_overrides_the_batch_date():
    _, resultado, hoy = batch.evaluate_row(Row(2, {**GOOD, "hoy": "01/12/2026"}), HOY)
    assert hoy == resultado.hoy == date(2026, 12, 1)


def test_solo_plazos_completo_line_is_the_comprobar_object_plus_row_id():
    row = Row(3, GOOD)
    _, resultado, _ = batch.evaluate_row(row, HOY)
    obj = json.loads(batch.plazos_line(row, resultado, completo=True))
    assert obj == {
        "fila": 3,
        "id": "EXP-1",
        **resultado.model_dump(mode="json"),
        "exit_code": 0 if resultado.exigible else 1,
    }
    err = RowError(4, "compra", "mal")
    assert json.loads(batch.error_line(err, Row(4, {"id": "X"}))) == {
        "fila": 4, "id": "X", "error": "fila 4, campo compra: mal", "campo": "compra", "exit_code": 2,
    }  # fmt: skip


def test_the_hash_changes_with_content_and_options_but_not_empty_cells():
    a = Row(2, {"compra": "2026-05-04", "descubrimiento": "2026-09-14"})
    assert batch.row_hash(a) == batch.row_hash(Row(9, dict(reversed(a.data.items()))))
    assert batch.row_hash(a) != batch.row_hash(Row(2, {**a.data, "nombre": "X"}))
    assert batch.row_hash(a, "pdf") != batch.row_hash(a, "html")


@pytest.mark.parametrize(
    ("fila", "row_id", "vendedor", "expected"),
    [
        (2, None, "Telefonía Ejemplo, S.L.", "fila-00002_telefonia-ejemplo-s-l.pdf"),
        (2, "EXP-2026/001", None, "EXP-2026-001.pdf"),
        (2, "../../etc/passwd", "../..", "etc-passwd.pdf"),
        (3, "..", "a/b\\c", "fila-00003_a-b-c.pdf"),
        (4, "/abs/path", "x\x00y", "abs-path_x-y.pdf"),
        (5, "con", None, "_con.pdf"),
        (6, "名前", "…", "fila-00006.pdf"),
    ],
)
def test_file_names_cannot_leave_the_output_folder(tmp_path, fila, row_id, vendedor, expected):
    name = batch.output_name(fila, row_id, vendedor, "pdf")
    assert name == expected
    assert batch.inside(tmp_path, name).parent == tmp_path


@pytest.mark.parametrize("name", ["", ".", "..", "../x.pdf", "a/b.pdf"])
def test_inside_refuses_names_with_separators(tmp_path, name):
    with pytest.raises(ValueError, match="no válido"):
        batch.inside(tmp_path, name)


def test_preparer_refuses_repeated_ids_and_colliding_names():
    prep = batch.Preparer(hoy=HOY, formato="txt", check_letter=False)
    prep(Row(2, {**GOOD, "id": "A-1"}))
    with pytest.raises(RowError, match="fila 3, campo id: el id «A-1» ya está en la fila 2"):
        prep(Row(3, {**GOOD, "id": "A-1"}))
    with pytest.raises(
        RowError, match=r"fila 4, campo id: el fichero A-1\.txt ya es el de la fila 2"
    ):
        prep(Row(4, {**GOOD, "id": "A/1"}))


def test_summary_survives_a_torn_line_and_compacts_in_row_order(tmp_path):
    s = batch.Summary(tmp_path, ";")
    s.open()
    for fila in (3, 2):
        row = Row(fila, {"id": f"R{fila}"})
        s.append(batch.summary_entry(row, batch.OK, f"h{fila}", salida=f"R{fila}.txt"))
    s.close()
    with (tmp_path / batch.SUMMARY_JSONL).open("ab") as f:
        f.write(b'{"fila": 4, "id": "R4", "est')  # a crash mid-line
    prev = batch.Summary(tmp_path).load()
    assert set(prev) == {"id:R2", "id:R3"} and prev["id:R3"].salida == "R3.txt"
    s.open()  # appending after the torn line starts a fresh line
    s.append(
        batch.summary_entry(
            Row(4, {"id": "R4"}), batch.ERROR, "h4", error=RowError(4, "compra", "mal")
        )
    )
    s.compact([(2, "id:R2"), (3, "id:R3"), (4, "id:R4"), (5, "id:R5")])
    lines = [json.loads(x) for x in (tmp_path / batch.SUMMARY_JSONL).read_text().splitlines()]
    assert [(x["fila"], x["estado"]) for x in lines] == [
        (2, "correcta"),
        (3, "correcta"),
        (4, "error"),
    ]
    with (tmp_path / batch.SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.DictReader(f, delimiter=";"))
    assert [r["fila"] for r in records] == ["2", "3", "4"]
    assert records[2]["error"] == "fila 4, campo compra: mal"


def test_stale_temp_files_are_removed_but_letters_kept(tmp_path):
    for name in (".a.pdf.k3j2.tmp", ".resumen.csv.x.tmp", "a.pdf", "notas.tmp"):
        (tmp_path / name).write_text("x")
    assert batch.remove_stale_temps(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "notas.tmp"]


def test_template_has_every_column_and_two_valid_rows(tmp_path):
    path = write(tmp_path / "plantilla.csv", batch.template_csv())
    e = Entrada(path)
    assert e.columns == list(batch.known_columns())
    rows = list(e)
    assert len(rows) == 2
    for row in rows:
        batch.evaluate_row(row, HOY)


def _die_on_row_3(job):
    """Stands in for batch._render_one in the worker processes: row 3 kills its worker."""
    import os

    fila = job[0]
    if fila == 3:
        os._exit(1)
    return None if fila != 4 else ("dni", "mal")


def test_a_worker_that_dies_fails_only_its_row(monkeypatch):
    monkeypatch.setattr(batch.pool, "_render_one", _die_on_row_3)
    outcomes = {}
    pool = batch._RenderPool(2, None, lambda p, outcome: outcomes.__setitem__(p.row.fila, outcome))
    for fila in range(1, 8):
        p = batch.Prepared(Row(fila, {}), None, None, HOY, "", "")
        pool.submit(p, (fila,))
    pool.finish()
    assert outcomes == {
        1: None, 2: None, 4: ("dni", "mal"), 5: None, 6: None, 7: None,
        3: (None, "el proceso que generaba la carta terminó de forma inesperada"),
    }  # fmt: skip


def test_the_batch_library_imports_without_the_command_line_or_a_renderer():
    """`import reclama.batch` is library code: scripts and workers must not pay for typer/rich."""
    import subprocess
    import sys

    code = (
        "import sys, reclama.batch; "
        "print(sorted(m for m in ('typer', 'rich', 'weasyprint', 'jinja2', 'docx', 'pypdf') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
