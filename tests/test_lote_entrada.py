"""`reclama lote` reads a firm's spreadsheet as their software exports it.

One batch, written the way a law firm's staff keep it (their own header names, an
`Observaciones` column, amounts with the euro sign), saved in every format a firm
has: Excel's «CSV» (Windows-1252, `;`), «CSV UTF-8» (BOM, `,`), «Texto Unicode»
(UTF-16, tab) and the workbook itself (.xlsx, dates and amounts as Excel stores
them). Every format must give the same verdicts, and the bad row must be reported
with every one of its problems.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from reclama import batch
from reclama.cli import main

HOY = "2026-11-22"

# The header as the firm's staff wrote it -> the reclama column it must be read as.
HEADER = {
    "Nº expediente": "id",
    "Fecha de compra": "compra",
    "F. entrega": "entrega",
    "Canal": "canal",
    "Producto": "producto",
    "Importe": "precio",
    "Fecha descubrimiento": "descubrimiento",
    "Avería": "defecto",
    "Medida": "remedio",
    "Fecha aviso": "aviso",
    "Nombre y apellidos": "nombre",
    "DNI/NIE": "dni",
    "Dirección": "domicilio",
    "Vendedor": "vendedor",
    "CIF/NIF": "cif",
    "Domicilio del vendedor": "domicilio-vendedor",
    "Lugar de firma": "lugar",
    "Observaciones": None,  # the firm's own notes: not reclama's, ignored with a warning
}

CLIENT = {
    "Canal": "distancia",
    "Producto": "Teléfono móvil Nexo X12",
    "Avería": "El micrófono dejó de funcionar.",
    "Medida": "sustitucion",
    "Nombre y apellidos": "Lucía Martín Ortega",
    "DNI/NIE": "12345678Z",
    "Dirección": "Calle del Prado 14, 28014 Madrid",
    "Vendedor": "Telefonía Ejemplo, S.L.",
    "CIF/NIF": "B12345674",
    "Domicilio del vendedor": "Avenida de la Industria 8, 28108 Alcobendas",
    "Lugar de firma": "Madrid",
    "Observaciones": "Cliente llamó dos veces",
}

# (expediente, compra, entrega, importe as text, importe as Excel stores it, descubrimiento, aviso)
GOOD = [
    ("EXP-1", "04/05/2026", "06/05/2026", "899,00 €", 899.0, "14/09/2026", "15/09/2026"),
    ("EXP-2", "10/01/2025", "12/01/2025", "1.299,50 €", 1299.5, "02/02/2026", "03/02/2026"),
    ("EXP-3", "20/10/2026", "21/10/2026", "45,90", 45.9, "01/11/2026", ""),
]
# Three mistakes in one row: a date that does not exist, a DNI with a wrong letter, a channel
# reclama cannot place («por correo» is now a synonym of «distancia», reclama.facts).
BAD = {"Nº expediente": "EXP-4", "Fecha de compra": "31/02/2026", "F. entrega": "",
       "Importe": "10", "Fecha descubrimiento": "14/09/2026", "Fecha aviso": "",
       "DNI/NIE": "12345678A", "Canal": "mercadillo"}  # fmt: skip
BAD_PROBLEMS = [
    ("compra", "Fecha de compra", "no existe"),
    ("canal", None, "valor no admitido"),  # «Canal» is the column's own name: not repeated
    ("dni", "DNI/NIE", "no es un DNI"),
]


def text_rows() -> list[dict[str, str]]:
    rows = []
    for exp, compra, entrega, importe, _, descubrimiento, aviso in GOOD:
        rows.append({**CLIENT, "Nº expediente": exp, "Fecha de compra": compra,
                     "F. entrega": entrega, "Importe": importe,
                     "Fecha descubrimiento": descubrimiento, "Fecha aviso": aviso})  # fmt: skip
    rows.insert(2, {**CLIENT, **BAD})  # the bad row sits between good ones: spreadsheet row 4
    return rows


def write_csv(path: Path, encoding: str, delimiter: str) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(HEADER), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(text_rows())
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def excel_value(column: str, text: str, good: tuple | None) -> object:
    """What Excel stores: dates as datetimes, amounts as floats, text as text."""
    if column == "Importe" and good is not None:
        return good[4]
    if column.startswith(("Fecha", "F.")) and text and good is not None:
        day, month, year = map(int, text.split("/"))
        return datetime(year, month, day)
    return text or None


def write_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(HEADER))
    by_id = {g[0]: g for g in GOOD}
    for row in text_rows():
        good = by_id.get(row["Nº expediente"])
        ws.append([excel_value(c, row.get(c, ""), good) for c in HEADER])
    wb.save(path)
    return path


FORMATS = {
    "Excel «CSV» (Windows-1252, ;)": lambda d: write_csv(d / "casos.csv", "cp1252", ";"),
    "Excel «CSV UTF-8» (BOM, ,)": lambda d: write_csv(d / "casos.csv", "utf-8-sig", ","),
    "Excel «Texto Unicode» (UTF-16, tab)": lambda d: write_csv(d / "casos.txt", "utf-16", "\t"),
    "Excel libro .xlsx": lambda d: write_xlsx(d / "casos.xlsx"),
}


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main(["lote", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(params=list(FORMATS), ids=list(FORMATS))
def export(request, tmp_path) -> Path:
    return FORMATS[request.param](tmp_path)


def test_validar_accepts_every_good_row_and_lists_every_problem_of_the_bad_one(capsys, export):
    code, out, err = run(capsys, export, "--validar", "--hoy", HOY)
    assert code == 1  # a row with errors
    assert "3 correctas, 1 con errores" in err
    assert err.count("Observaciones") == 1  # one warning, not one per row
    assert "Aviso: se ignoran las columnas desconocidas: «Observaciones»" in err
    lines = out.splitlines()
    assert len(lines) == len(BAD_PROBLEMS)
    for line, (campo, columna, message) in zip(lines, BAD_PROBLEMS, strict=True):
        named = f" (columna «{columna}»)" if columna else ""
        assert line.startswith(f"fila 4, campo {campo}{named}: ")
        assert message in line


def solo_plazos(capsys, path: Path, *extra: str) -> tuple[int, list[dict]]:
    code, out, _ = run(capsys, path, "--solo-plazos", "--hoy", HOY, "--jobs", "1", *extra)
    return code, [json.loads(line) for line in out.splitlines()]


def test_solo_plazos_gives_the_same_verdicts_from_every_format(capsys, tmp_path):
    results = {}
    for name, make in FORMATS.items():
        folder = tmp_path / str(len(results))
        folder.mkdir()
        code, lines = solo_plazos(capsys, make(folder))
        assert code == 1, name
        results[name] = lines
    first = next(iter(results.values()))
    for name, lines in results.items():
        assert lines == first, f"{name} difiere de {next(iter(results))}"
    assert [x["id"] for x in first] == ["EXP-1", "EXP-2", "EXP-4", "EXP-3"]
    # art. 120.1 TRLGDCU: three years from delivery; art. 121.1: presumption two years.
    exp1 = first[0]
    assert exp1["plazos"]["garantia"]["vence"] == "2029-05-06"
    assert exp1["plazos"]["presuncion"]["vence"] == "2028-05-06"
    bad = first[2]
    assert bad["exit_code"] == 2 and bad["campo"] == "compra"
    for campo, columna, _ in BAD_PROBLEMS:
        if campo in ("compra", "canal"):  # the facts --solo-plazos reads; not the DNI
            assert f"campo {campo}" + (f" (columna «{columna}»)" if columna else "") in bad["error"]
    assert "campo dni" not in bad["error"] and "--" not in bad["error"]


def test_letters_take_the_amount_as_excel_stores_it(capsys, tmp_path):
    """The same precio from `899,00 €` in a CSV and from the float 899.0 in a workbook."""
    for name in ("Excel «CSV UTF-8» (BOM, ,)", "Excel libro .xlsx"):
        folder = tmp_path / name[-5:].strip(" .(,)")
        folder.mkdir()
        entrada = batch.Entrada(FORMATS[name](folder))
        rows = [r for r in entrada if r.id in ("EXP-1", "EXP-2")]
        precios = [str(batch.row_case(r).compra.precio) for r in rows]
        assert precios == ["899.00", "1299.50"], name


@pytest.mark.parametrize("mode", ["--validar", "--solo-plazos"])
def test_estricto_refuses_an_unknown_column_in_every_mode(capsys, tmp_path, mode):
    path = FORMATS["Excel «CSV UTF-8» (BOM, ,)"](tmp_path)
    code, out, err = run(capsys, path, mode, "--estricto", "--hoy", HOY)
    assert code == 2
    assert out == ""
    assert "Error en ENTRADA: columnas desconocidas: «Observaciones»" in err


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Fecha de compra", "compra"),
        ("Fecha compra", "compra"),
        ("F. compra", "compra"),
        ("FECHA_COMPRA", "compra"),
        ("fecha-de-compra", "compra"),
        ("Vendedor", "vendedor"),
        ("Razón social", "vendedor"),
        ("DNI/NIE", "dni"),
        ("DNI-NIE", "dni"),
        ("Importe", "precio"),
        ("Precio", "precio"),
        ("PVP", "precio"),
        ("Nº expediente", "id"),
        ("N.º pedido", "pedido"),
        ("Recepción", "recepcion"),
        ("--segunda_mano", "segunda-mano"),
        ("Correo electrónico", "email"),
        ("Correo del vendedor", "email-vendedor"),
        ("CIF/NIF", "cif"),
        ("Fecha de la avería", "descubrimiento"),
    ],
)
def test_header_names_as_people_write_them(header, column):
    assert batch.normalize_column(header) == column


def test_every_alias_names_one_existing_column():
    path = batch.ALIASES_FILE
    table = tomllib.loads(path.read_text("utf-8"))["alias"]
    known = set(batch.known_columns())
    assert set(table) <= known
    owner: dict[str, str] = {batch._key(c): c for c in known}
    for column, aliases in table.items():
        for alias in aliases:
            key = batch._key(alias)
            assert owner.setdefault(key, column) == column, f"«{alias}» es de {owner[key]}"


def test_columnas_maps_the_firms_own_names(capsys, tmp_path):
    mapa = tmp_path / "mapa.toml"
    mapa.write_text(
        '[columnas]\n"Exp. despacho" = "id"\n"Fecha factura" = "compra"\n'
        '"Día del fallo" = "descubrimiento"\n',
        "utf-8",
    )
    path = tmp_path / "casos.csv"
    path.write_text(
        "Exp. despacho;Fecha factura;Día del fallo\nD-7;04/05/2026;14/09/2026\n", "utf-8"
    )
    code, lines = solo_plazos(capsys, path, "--columnas", mapa)
    assert code == 0
    assert [(x["id"], x["fecha_compra"], x["fecha_descubrimiento"]) for x in lines] == [
        ("D-7", "2026-05-04", "2026-09-14")
    ]
    # without the map those names mean nothing: the required columns are missing
    code, _ = solo_plazos(capsys, path)
    assert code == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[columnas]\n"Fecha" = "fecha-rara"\n', "«fecha-rara» no es una columna"),
        ('[columnas]\n"Fecha" = \n', "no es TOML válido (línea 2"),
        ('"Fecha" = "compra"\n', "debe tener una tabla [columnas]"),
    ],
)
def test_a_bad_columnas_map_is_refused_before_reading(capsys, tmp_path, text, message):
    mapa = tmp_path / "mapa.toml"
    mapa.write_text(text, "utf-8")
    path = tmp_path / "casos.csv"
    path.write_text("compra;descubrimiento\n04/05/2026;14/09/2026\n", "utf-8")
    code, _, err = run(capsys, path, "--validar", "--columnas", mapa)
    assert code == 2
    assert err.startswith("Error en --columnas: ") and message in err


def test_every_problem_of_a_row_is_reported_at_once():
    row = batch.Row(
        7,
        {"compra": "31/02/2026", "descubrimiento": "ayer", "leve": "quizá", "cif": "B1"},
    )
    with pytest.raises(batch.RowError) as info:
        batch.row_case(row)
    campos = [campo for campo, _, _ in info.value.problems()]
    assert sorted(campos) == ["cif", "compra", "descubrimiento", "leve"]
    assert all(line.startswith("fila 7, campo ") for line in info.value.lines())


def test_solo_plazos_warns_once_of_an_unknown_column_and_reads_the_rest(capsys, tmp_path):
    path = FORMATS["Excel libro .xlsx"](tmp_path)
    code, out, err = run(capsys, path, "--solo-plazos", "--hoy", HOY, "--jobs", "1")
    assert code == 1
    assert err.count("«Observaciones»") == 1
    assert len(out.splitlines()) == 4


def test_a_workbook_can_come_through_a_pipe(capsys, monkeypatch, tmp_path):
    data = FORMATS["Excel libro .xlsx"](tmp_path).read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "-", "--validar", "--hoy", HOY)
    assert code == 1
    assert [line.split(",")[0] for line in out.splitlines()] == ["fila 4"] * len(BAD_PROBLEMS)
