"""A law firm's day with `reclama lote`: its spreadsheet as exported, its profile and
letterhead, the formats it files (PDF, DOCX, EML, one merged PDF), one deadline list.

Each test reads the outputs back with the library a firm's tools would use (python-docx,
the standard library's e-mail parser, pypdf), and checks what the firm and the seller see.
"""

from __future__ import annotations

import csv
import email
import io
import json
import shutil
import subprocess
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest

from reclama import batch
from reclama.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "despacho"
HOY = "2026-12-01"
LETTER_DATE = date(2026, 12, 1)
# art. 21.3 TRLGDCU (version since 28-12-2025): the seller answers «en el plazo máximo de
# quince días desde la presentación de la reclamación», natural days (art. 5.2 CC); the
# letter is the claim: 1-12-2026 + 15 days = 16-12-2026.
ANSWER_BY = LETTER_DATE + timedelta(days=15)

# The client's own contact data: never under the lawyer's signature, nor where replies go.
CLIENT_EMAIL = "lucia.martin@example.org"
CLIENT_PHONE = "600 111 222"
FIRM_EMAIL = "notificaciones@ruiz-soler.example"
SELLER_EMAIL = "atencion@telefonia-ejemplo.example"

# The firm's export: its own header names (aliases), an internal column, Spanish amounts
# with a no-break space before the euro sign, dates as day/month/year.
HEADER = ["Nº expediente", "Fecha de compra", "Entrega", "Canal", "Producto", "Importe",
          "Fecha del defecto", "Defecto", "Remedio", "Aviso", "Nombre", "DNI/NIE", "Domicilio",
          "Email", "Teléfono", "Vendedor", "CIF", "Email vendedor", "Observaciones"]  # fmt: skip
GOOD = {
    "Nº expediente": "2026-0101", "Fecha de compra": "04/05/2026", "Entrega": "06/05/2026",
    "Canal": "distancia", "Producto": "Teléfono móvil Nexo X12", "Importe": "899,00\u00a0€",
    "Fecha del defecto": "14/09/2026", "Defecto": "El micrófono dejó de funcionar.",
    "Remedio": "sustitución", "Aviso": "15/09/2026", "Nombre": "Lucía Martín Ortega",
    "DNI/NIE": "12345678Z", "Domicilio": "Calle del Prado 14, 28014 Madrid",
    "Email": CLIENT_EMAIL, "Teléfono": CLIENT_PHONE, "Vendedor": "Telefonía Ejemplo, S.L.",
    "CIF": "B12345674", "Email vendedor": SELLER_EMAIL, "Observaciones": "llamó dos veces",
}  # fmt: skip
# (id, changes, the field the firm must be told about; None = a good row)
BATCH = [
    ("2026-0101", {}, None),
    ("2026-0102", {"Importe": "1.299,00 €", "Producto": "Lavadora Ejemplo 8 kg"}, None),
    ("2026-0103", {"Fecha de compra": "31/02/2026"}, "compra"),
    ("2026-0104", {"DNI/NIE": "12345678A"}, "dni"),
    ("2026-0105", {"Importe": "899\u202f€", "Nombre": "Jorge Pérez Gil", "DNI/NIE": "87654321X"},
     None),
]  # fmt: skip
GOOD_IDS = [i for i, _, bad in BATCH if bad is None]


def export_rows() -> list[list[str]]:
    return [[{**GOOD, **changes, "Nº expediente": i}[h] for h in HEADER] for i, changes, _ in BATCH]


def write_export(path: Path, encoding: str) -> Path:
    """The batch as Excel in Spanish saves it: `;`, CRLF, in `encoding`."""
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows(export_rows())
    return path


def write_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in export_rows():
        ws.append(r)
    wb.save(path)
    return path


EXPORTS = {
    "utf-8-bom": lambda d: write_export(d / "casos.csv", "utf-8-sig"),
    "cp1252": lambda d: _cp1252(d),
    "xlsx": lambda d: write_xlsx(d / "casos.xlsx"),
}


def _cp1252(d: Path) -> Path:
    """Excel's plain «CSV»: Windows-1252, which has no narrow no-break space (U+202F)."""
    path = d / "casos.csv"
    with path.open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(HEADER)
        w.writerows([[c.replace("\u202f", "\u00a0") for c in r] for r in export_rows()])
    return path


def firm(tmp_path: Path, **changes: str) -> Path:
    """A copy of examples/despacho/ (profile + letterhead), with some profile lines changed."""
    folder = tmp_path / "despacho"
    shutil.copytree(EXAMPLE, folder)
    profile = folder / "despacho.toml"
    text = profile.read_text("utf-8")
    for key, value in changes.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
        text = "\n".join([*lines, f'{key} = "{value}"']) + "\n"
    profile.write_text(text, "utf-8")
    return profile


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main(["lote", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def summary(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / batch.SUMMARY_JSONL).read_text("utf-8").splitlines()]


def csv_summary(folder: Path) -> list[dict]:
    with (folder / batch.SUMMARY_CSV).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


# -- the real export: every good row rendered, every bad one reported -----------------------


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_a_real_export_renders_every_good_row_and_reports_every_bad_one(tmp_path, capsys, export):
    src = EXPORTS[export](tmp_path)
    out = tmp_path / "cartas"
    code, _, err = run(capsys, src, "-o", out, "--despacho", firm(tmp_path), "--formato", "txt",
                       "--hoy", HOY, "-j", "1")  # fmt: skip
    assert code == 1, err
    assert "«Observaciones»" in err  # the extra column: one warning, ignored
    entries = {e["id"]: e for e in summary(out)}
    assert sorted(i for i, e in entries.items() if e["estado"] == "correcta") == GOOD_IDS
    for i, _, bad in BATCH:
        if bad:
            assert entries[i]["estado"] == "error" and entries[i]["campo"] == bad
            assert entries[i]["error"].startswith(f"fila {entries[i]['fila']}, campo {bad}")
        else:
            assert (out / entries[i]["salida"]).is_file()


# -- the firm's profile: who signs, where replies go, the reference ---------------------------


def _letter(out: Path, row_id: str) -> Path:
    (entry,) = [e for e in summary(out) if e["id"] == row_id]
    return out / entry["salida"]


@pytest.mark.parametrize("formato", ["txt", "html"])
def test_the_lawyer_signs_and_receives_the_replies_and_the_client_contact_never_shows(
    tmp_path, capsys, formato
):
    src = EXPORTS["utf-8-bom"](tmp_path)
    out = tmp_path / "cartas"
    profile = firm(tmp_path)
    (profile.parent / "membrete" / "_membrete.j2.html").unlink()  # reclama's own letterhead
    code, _, err = run(capsys, src, "-o", out, "--despacho", profile, "--formato", formato,
                       "--hoy", HOY, "-j", "1")  # fmt: skip
    assert code == 1, err
    text = _letter(out, "2026-0101").read_text("utf-8")
    for firm_data in ("Ana Ruiz Soler", "ICAM 98.765", "Calle de Serrano 21", FIRM_EMAIL,
                      "A efectos de notificaciones", "RS/2026/2026-0101"):  # fmt: skip
        assert firm_data in text
    assert CLIENT_EMAIL not in text and CLIENT_PHONE not in text
    # The client's address identifies them in the opening, but is never where replies go:
    # not in the letterhead (before the greeting), not under the signature.
    head, signature = text[: text.index("Muy señores")], text[text.index("Atentamente,") :]
    assert "Calle del Prado" not in head and "Calle del Prado" not in signature
    assert "En nombre y representación de Lucía Martín Ortega" in text


def test_a_row_representative_without_a_profile_signs_without_the_client_contact(tmp_path, capsys):
    data = {**GOOD, "Nº expediente": "X1", "Representante": "Asociación de Consumidores Ejemplo"}
    src = tmp_path / "casos.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(data), delimiter=";")
        w.writeheader()
        w.writerow(data)
    out = tmp_path / "cartas"
    assert run(capsys, src, "-o", out, "--formato", "txt", "--hoy", HOY, "-j", "1")[0] == 0
    text = _letter(out, "X1").read_text("utf-8")
    signature = text[text.index("Atentamente,") :]
    assert "Asociación de Consumidores Ejemplo" in signature
    assert CLIENT_EMAIL not in signature and CLIENT_PHONE not in signature
    assert "Nuestra referencia: X1" in text  # the row id is the reference


# (pattern in the profile, the reference of row 2 with id 2026-0101 on 1-12-2026)
REFERENCES = [
    ("{id}", "2026-0101"),
    ("RS/{anio}/{id}", "RS/2026/2026-0101"),
    ("EXP-{anio}{mes:02}-{fila:04}", "EXP-202612-0002"),
]


@pytest.mark.parametrize(("pattern", "expected"), REFERENCES)
def test_each_letter_carries_the_firms_reference(tmp_path, capsys, pattern, expected):
    src = EXPORTS["utf-8-bom"](tmp_path)
    out = tmp_path / "cartas"
    profile = firm(tmp_path, referencia=pattern)
    assert (
        run(capsys, src, "-o", out, "--despacho", profile, "--formato", "html", "--hoy", HOY)[0]
        == 1
    )
    assert f"N/Ref.: {expected}<" in _letter(out, "2026-0101").read_text("utf-8")
    assert {e["id"]: e["referencia"] for e in csv_summary(out)}["2026-0101"] == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('referencia = "{nombre.__class__}"', "no es un dato de la referencia"),
        ('secretaria = "Eva"', "«secretaria» no es un dato del despacho"),
        ('membrete = "no-existe"', "no existe la carpeta de membrete"),
        ('abogado = ""', "faltan abogado"),
    ],
)
def test_a_bad_profile_stops_the_batch_before_any_letter(tmp_path, capsys, line, message):
    profile = firm(tmp_path)
    text = profile.read_text("utf-8")
    key = line.split(" =")[0]
    text = "\n".join(x for x in text.splitlines() if not x.startswith(f"{key} =")) + f"\n{line}\n"
    profile.write_text(text, "utf-8")
    out = tmp_path / "cartas"
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--despacho", profile)
    assert code == 2
    assert "Error en --despacho" in err and message in err
    assert not out.exists()


def test_the_profile_in_the_config_folder_is_used_without_the_flag(tmp_path, capsys, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    (config / "reclama").mkdir(parents=True)
    profile = firm(tmp_path)
    text = profile.read_text("utf-8").replace('membrete = "membrete"', "")
    (config / "reclama" / "despacho.toml").write_text(text, "utf-8")
    out = tmp_path / "cartas"
    run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--formato", "txt", "--hoy", HOY)
    assert "Ana Ruiz Soler" in _letter(out, "2026-0101").read_text("utf-8")


# -- the letterhead is part of the input -------------------------------------------------------


def test_editing_the_letterhead_or_its_logo_renders_the_letters_again(tmp_path, capsys):
    src = EXPORTS["utf-8-bom"](tmp_path)
    out = tmp_path / "cartas"
    profile = firm(tmp_path)
    args = (src, "-o", out, "--despacho", profile, "--formato", "html", "--hoy", HOY, "-j", "1")
    run(capsys, *args)
    assert "3 omitidas (ya hechas)" in run(capsys, *args)[2]  # nothing changed
    head = profile.parent / "membrete" / "_membrete.j2.html"
    head.write_text(head.read_text("utf-8").replace("N/Ref.", "Su expediente"), "utf-8")
    assert "0 omitidas (ya hechas)" in run(capsys, *args)[2]
    assert "Su expediente: RS/2026/2026-0101" in _letter(out, "2026-0101").read_text("utf-8")
    logo = profile.parent / "membrete" / "logo.svg"
    logo.write_text(logo.read_text("utf-8").replace("#1f3a5f", "#5f1f1f"), "utf-8")
    assert "0 omitidas (ya hechas)" in run(capsys, *args)[2]


def test_validar_renders_a_sample_letter_and_names_the_template_file_and_line(tmp_path, capsys):
    profile = firm(tmp_path)
    head = profile.parent / "membrete" / "_membrete.j2.html"
    lines = head.read_text("utf-8").splitlines()
    lines[5] += " {{ expediente_interno }}"
    head.write_text("\n".join(lines) + "\n", "utf-8")
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "--validar", "--despacho", profile,
                       "--hoy", HOY)  # fmt: skip
    assert code == 2
    assert "_membrete.j2.html, línea 6: no existe el dato «expediente_interno»" in err


def test_a_logo_that_cannot_be_used_is_an_error_not_a_letter_without_it(tmp_path, capsys):
    profile = firm(tmp_path)
    (profile.parent / "membrete" / "logo.svg").write_bytes(b"\x89PNG no es una imagen")
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "--validar", "--despacho", profile,
                       "--hoy", HOY)  # fmt: skip
    assert code == 2 and "logo.svg" in err


# -- the formats a firm files ----------------------------------------------------------------


def test_docx_has_the_letters_sections_in_named_styles(tmp_path, capsys):
    import docx

    out = tmp_path / "cartas"
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--despacho",
                       firm(tmp_path), "--formato", "docx", "--hoy", HOY, "-j", "1")  # fmt: skip
    assert code == 1, err
    document = docx.Document(str(_letter(out, "2026-0101")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [t for s, t in paragraphs if s.startswith("Heading")]
    assert headings == ["Hechos", "Fundamentos de derecho", "Solicitud"]
    by_style = {s: [t for st, t in paragraphs if st == s] for s in batch_styles()}
    assert by_style["Membrete"][0] == "Ruiz & Soler Abogados, S.L.P."
    assert "Calle de Serrano 21, 2.º izda., 28001 Madrid" in by_style["Membrete"]
    assert by_style["Referencia"][0] == "Nuestra referencia: RS/2026/2026-0101"
    assert by_style["Asunto"][0].startswith("Asunto: Reclamación por falta de conformidad")
    assert "Fdo.: Ana Ruiz Soler" in by_style["Firma"]
    whole = "\n".join(t for _, t in paragraphs)
    assert CLIENT_EMAIL not in whole and CLIENT_PHONE not in whole
    assert "16 de diciembre de 2026" in whole  # the answer deadline the letter gives


def batch_styles() -> tuple[str, ...]:
    from reclama.formatos import STYLES

    return STYLES


def test_eml_is_a_message_to_the_seller_with_the_letter_attached(tmp_path, capsys):
    out = tmp_path / "cartas"
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--despacho",
                       firm(tmp_path), "--formato", "eml", "--hoy", HOY, "-j", "1")  # fmt: skip
    assert code == 1, err
    path = _letter(out, "2026-0101")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == SELLER_EMAIL
    assert message["From"] == FIRM_EMAIL  # replies go to the lawyer
    assert message["Subject"].startswith("Reclamación por falta de conformidad de «Teléfono")
    body = message.get_body(("plain",)).get_content()
    assert "Ana Ruiz Soler" in body and CLIENT_EMAIL not in body and CLIENT_PHONE not in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == path.with_suffix(".pdf").name
    assert "RS/2026/2026-0101" in pdf_text(attachment.get_content())


def test_eml_for_a_seller_without_email_is_an_error_of_that_row(tmp_path, capsys):
    src = tmp_path / "casos.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(GOOD), delimiter=";")
        w.writeheader()
        w.writerow({**GOOD, "Email vendedor": ""})
    out = tmp_path / "cartas"
    assert run(capsys, src, "-o", out, "--formato", "eml", "--hoy", HOY)[0] == 1
    (entry,) = summary(out)
    assert entry["estado"] == "error" and entry["campo"] == "email-vendedor"


def test_unir_merges_every_good_letter_in_row_order_and_is_replaced_on_the_next_run(
    tmp_path, capsys
):
    from pypdf import PdfReader

    out = tmp_path / "cartas"
    merged = tmp_path / "todas.pdf"
    args = (EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--despacho", firm(tmp_path),
            "--unir", merged, "--hoy", HOY, "-j", "2")  # fmt: skip
    assert run(capsys, *args)[0] == 1
    letters = [PdfReader(str(_letter(out, i))) for i in GOOD_IDS]
    reader = PdfReader(str(merged))
    assert len(reader.pages) == sum(len(r.pages) for r in letters)
    firsts = [reader.pages[sum(len(r.pages) for r in letters[:k])].extract_text() for k in range(3)]
    assert [f"RS/2026/{i}" in text for i, text in zip(GOOD_IDS, firsts, strict=True)] == [True] * 3
    assert run(capsys, *args)[0] == 1  # reclama's own merged PDF is replaced without --forzar


def test_unir_never_replaces_a_file_reclama_did_not_write(tmp_path, capsys):
    merged = tmp_path / "todas.pdf"
    merged.write_text("las cuentas del despacho", "utf-8")
    out = tmp_path / "cartas"
    code, _, err = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--unir", merged,
                       "--hoy", HOY)  # fmt: skip
    assert code == 2 and "Error en --unir" in err
    assert merged.read_text("utf-8") == "las cuentas del despacho" and not out.exists()


def test_carpetas_gives_each_client_a_folder_and_never_writes_through_a_link(tmp_path, capsys):
    out = tmp_path / "cartas"
    out.mkdir()
    elsewhere = tmp_path / "fuera"
    elsewhere.mkdir()
    (out / "jorge-perez-gil").symlink_to(elsewhere, target_is_directory=True)
    code, _, _ = run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--carpetas",
                     "--formato", "txt", "--hoy", HOY)  # fmt: skip
    assert code == 1
    entries = {e["id"]: e for e in summary(out)}
    assert entries["2026-0101"]["salida"].startswith("lucia-martin-ortega/")
    assert entries["2026-0102"]["salida"].startswith("lucia-martin-ortega/")
    assert (
        entries["2026-0105"]["estado"] == "error"
        and "enlace simbólico" in entries["2026-0105"]["error"]
    )
    assert list(elsewhere.iterdir()) == []


# -- one deadline list ---------------------------------------------------------------------------


def test_the_summary_counts_the_sellers_deadline_from_each_letters_date(tmp_path, capsys):
    out = tmp_path / "cartas"
    run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--despacho", firm(tmp_path),
        "--formato", "txt", "--hoy", HOY)  # fmt: skip
    good = [r for r in csv_summary(out) if r["estado"] == "correcta"]
    assert [
        (r["id"], r["fecha_carta"], r["vence_respuesta_empresario"], r["cliente"], r["vendedor"])
        for r in good
    ] == [
        ("2026-0101", HOY, ANSWER_BY.isoformat(), "Lucía Martín Ortega", "Telefonía Ejemplo, S.L."),
        ("2026-0102", HOY, ANSWER_BY.isoformat(), "Lucía Martín Ortega", "Telefonía Ejemplo, S.L."),
        ("2026-0105", HOY, ANSWER_BY.isoformat(), "Jorge Pérez Gil", "Telefonía Ejemplo, S.L."),
    ]
    for r in good:
        assert f"{ANSWER_BY.day} de diciembre de 2026" in (out / r["salida"]).read_text("utf-8")


def test_casos_lets_reclama_plazos_watch_the_batch(tmp_path, capsys):
    out, casos, ics = tmp_path / "cartas", tmp_path / "casos", tmp_path / "plazos.ics"
    run(capsys, EXPORTS["utf-8-bom"](tmp_path), "-o", out, "--casos", casos, "--formato", "txt",
        "--despacho", firm(tmp_path), "--hoy", HOY)  # fmt: skip
    assert main(["plazos", str(casos), "--hoy", HOY, "--json", "--ics", str(ics)]) == 1
    listed = json.loads(capsys.readouterr().out)
    answers = [x for x in listed if x["plazo"] == "respuesta_empresario"]
    assert len(answers) == len(GOOD_IDS)
    assert {x["vence"] for x in answers} == {ANSWER_BY.isoformat()}
    assert ics.read_text("utf-8").count("BEGIN:VEVENT") >= len(GOOD_IDS)


def test_casos_never_replaces_a_case_file_the_firm_has_kept_since(tmp_path, capsys):
    out, casos = tmp_path / "cartas", tmp_path / "casos"
    src = EXPORTS["utf-8-bom"](tmp_path)
    args = ("-o", out, "--casos", casos, "--formato", "txt", "--hoy", HOY)
    run(capsys, src, *args)
    (case,) = casos.glob("2026-0101_*.toml")
    kept = case.read_text("utf-8") + "# respuesta del vendedor recibida por teléfono\n"
    case.write_text(kept, "utf-8")
    text = src.read_text("utf-8-sig").replace(
        "El micrófono dejó de funcionar.", "La batería no carga."
    )
    src.write_text(text, "utf-8-sig")
    run(capsys, src, *args)  # the row changed: its letter is redone, its case file kept
    assert "batería no carga" in _letter(out, "2026-0101").read_text("utf-8")
    assert case.read_text("utf-8") == kept


def test_casos_added_on_a_later_run_covers_the_letters_already_written(tmp_path, capsys):
    out, casos = tmp_path / "cartas", tmp_path / "casos"
    src = EXPORTS["utf-8-bom"](tmp_path)
    run(capsys, src, "-o", out, "--formato", "txt", "--hoy", HOY)
    _, _, err = run(capsys, src, "-o", out, "--casos", casos, "--formato", "txt", "--hoy", HOY)
    assert "3 omitidas (ya hechas)" in err
    assert sorted(p.name.split("_")[0] for p in casos.glob("*.toml")) == GOOD_IDS


# -- deadlines only, for scripts -------------------------------------------------------------------

# Rows of every kind a firm has: (changes, why it is here)
VARIED = [
    ({}, "a distance sale under the 2022 regime"),
    ({"Fecha de compra": "12/03/2021", "Entrega": "12/03/2021", "Fecha del defecto": "02/02/2022",
      "Aviso": "03/02/2022"},
     "the 2007 regime: prescribed three years after delivery (art. 123.4 TRLGDCU 2007), 12-3-2024"),
    ({"Fecha de compra": "04/05/2015", "Entrega": "04/05/2015", "Fecha del defecto": "01/06/2016",
      "Aviso": ""},
     "a claim long prescribed"),
    ({"Remedio": "desistimiento", "Fecha del defecto": "10/05/2026"}, "withdrawal"),
    ({"Fecha de compra": "mal"}, "a row in error"),
    # art. 124 TRLGDCU: five years from the defect's manifestation, 20-1-2022 -> 20-1-2027,
    # 50 days after 1-12-2026 (no claim interrupted it: no notice).
    ({"Fecha de compra": "15/01/2022", "Entrega": "15/01/2022", "Fecha del defecto": "20/01/2022",
      "Aviso": ""}, "prescribes within 60 days"),
]  # fmt: skip


def _plazos_batch(tmp_path: Path) -> Path:
    src = tmp_path / "varios.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(GOOD), delimiter=";")
        w.writeheader()
        for n, (changes, _) in enumerate(VARIED):
            w.writerow({**GOOD, **changes, "Nº expediente": f"V{n}"})
    return src


def test_solo_plazos_rows_are_compact_unless_completo(tmp_path, capsys):
    src = _plazos_batch(tmp_path)
    _, out, _ = run(capsys, src, "--solo-plazos", "--hoy", HOY)
    lines = out.splitlines()
    assert len(lines) == len(VARIED)
    for line in lines:
        assert len(line.encode("utf-8")) < 4096, line[:80]
        row = json.loads(line)
        assert "fundamentos" not in row and "conclusiones" not in row
        for plazo in (row.get("plazos") or {}).values():
            assert plazo is None or plazo["articulo"]  # every deadline names its article
    _, full, _ = run(capsys, src, "--solo-plazos", "--completo", "--hoy", HOY)
    complete = [json.loads(x) for x in full.splitlines()]
    assert all("fundamentos" in row for row in complete if "error" not in row)


def _jq_examples() -> list[tuple[str, str]]:
    """(jq program, what it picks) of each `jq -r '...' FILE  # what` line in docs/lote.md."""
    import re

    text = (ROOT / "docs" / "lote.md").read_text("utf-8")
    return re.findall(r"^jq -r '([^']*)' \S+ +# (.+)$", text, re.MULTILINE)


# (what the example says it picks, the ids of VARIED it must pick on 1-12-2026)
JQ_PICKS = {
    "filas con error": ["V4"],
    "prescripción en menos de 60 días (sin las ya prescritas ni las erróneas)": ["V5"],
    "reclamaciones ya prescritas": ["V1", "V2"],
}


PY_EQUIVALENT = {
    "filas con error": lambda r: bool(r.get("error")),
    "prescripción en menos de 60 días (sin las ya prescritas ni las erróneas)": lambda r: (
        not r.get("error") and not r["prescrita"] and r["plazos"]["prescripcion"] is not None
        and r["plazos"]["prescripcion"]["dias_restantes"] < 60
    ),
    "reclamaciones ya prescritas": lambda r: r.get("prescrita") is True,
}  # fmt: skip


def test_the_jq_examples_of_the_docs_pick_what_they_say(tmp_path, capsys):
    src = _plazos_batch(tmp_path)
    _, out, _ = run(capsys, src, "--solo-plazos", "--hoy", HOY)
    examples = _jq_examples()
    assert sorted(what for _, what in examples) == sorted(JQ_PICKS)
    jq = shutil.which("jq")
    if jq is None:  # the same selections in Python
        rows = [json.loads(x) for x in out.splitlines()]
        for what, pick in PY_EQUIVALENT.items():
            assert [r["id"] for r in rows if pick(r)] == JQ_PICKS[what], what
        return
    for program, what in examples:
        picked = subprocess.run([jq, "-r", program], input=out, capture_output=True, text=True,
                                check=True).stdout.split()  # fmt: skip
        assert picked == JQ_PICKS[what], what
