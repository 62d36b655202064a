"""`reclama demanda` and `reclama arbitraje` as a consumer uses them: the draft written, or a refusal with the date."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from reclama.cli import main

CASOS = Path(__file__).parent / "casos_demanda"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_demand_as_pdf_with_its_default_name(capsys, tmp_path):
    code, out, err = run(
        capsys, "demanda", "--caso", str(CASOS / "rechazada-e12.toml"), "--hoy", "2026-05-12"
    )
    assert code == 0, err
    name = "demanda-limpix-online-sl-2026-05-12.pdf"
    assert out.strip() == name
    texto = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / name).pages).split())
    assert "DEMANDA DE JUICIO VERBAL" in texto
    assert "SUPLICO AL TRIBUNAL" in texto
    assert "Demanda escrita en" in err


def test_demand_as_docx_has_the_same_parts_in_order(capsys, tmp_path):
    """Editable before filing: court, parties, facts, grounds, documents, SUPLICO, signature."""
    from docx import Document

    code, out, err = run(
        capsys, "demanda", "--caso", str(CASOS / "rechazada-e12.toml"), "--hoy", "2026-05-12",
        "--formato", "docx",
    )  # fmt: skip
    assert code == 0, err
    paras = [p.text for p in Document(tmp_path / out.strip()).paragraphs]
    texto = "\n".join(paras)
    partes = ["TRIBUNAL DE INSTANCIA", "DEMANDA DE JUICIO VERBAL", "Hechos", "PRIMERO.",
              "Fundamentos de derecho", "Documentos que se acompañan", "SUPLICO AL TRIBUNAL:",
              "no intervienen abogado ni procurador", "Firmado: Lucía Martín Ortega"]  # fmt: skip
    where = [texto.index(p) for p in partes]
    assert where == sorted(where)


def test_the_arbitration_request_has_no_docx(capsys):
    code, out, err = run(
        capsys, "arbitraje", "--caso", str(CASOS / "rechazada-e12.toml"), "--hoy", "2026-06-12",
        "--formato", "docx",
    )  # fmt: skip
    assert code == 2 and out == "" and err.startswith("Error en --formato:")


def test_demand_too_early_is_refused_with_the_date_and_nothing_written(capsys, tmp_path):
    code, _out, err = run(
        capsys,
        "demanda",
        "--caso",
        str(CASOS / "sin-respuesta-e9.toml"),
        "--hoy",
        "2026-03-20",
        "-o",
        "demanda.txt",
        "--formato",
        "txt",
    )
    assert code == 1
    assert "podrá demandar desde el 02/04/2026" in err
    assert not (tmp_path / "demanda.txt").exists()
    assert "Traceback" not in err


def test_demand_needs_a_case_file(capsys):
    code, _, err = run(capsys, "demanda", "--hoy", "2026-05-12")
    assert code == 2
    assert "--caso" in err


def test_arbitration_request_as_text_to_stdout(capsys):
    code, out, err = run(
        capsys,
        "arbitraje",
        "--caso",
        str(CASOS / "rechazada-e12.toml"),
        "--hoy",
        "2026-05-12",
        "--formato",
        "txt",
        "-o",
        "-",
    )
    assert code == 0, err
    assert out.startswith("A LA JUNTA ARBITRAL DE CONSUMO")
    assert "SOLICITO A LA JUNTA ARBITRAL" in out


def test_arbitration_too_early_is_refused(capsys):
    code, _, err = run(
        capsys, "arbitraje", "--caso", str(CASOS / "sin-respuesta-e9.toml"), "--hoy", "2026-03-20"
    )
    assert code == 1
    assert "03/04/2026" in err


def test_comprobar_json_says_from_when_the_consumer_may_sue(capsys):
    code, out, err = run(
        capsys,
        "comprobar",
        "--caso",
        str(CASOS / "sin-respuesta-e9.toml"),
        "--hoy",
        "2026-03-20",
        "--json",
    )
    assert code == 0, err
    via = json.loads(out)["via_judicial"]
    assert via["puede_demandar_desde"] == "2026-04-02"
    assert via["puede_demandar_desde_da7"] == "2026-03-18"
    assert via["requisito_hasta"] == "2027-03-02"


def test_comprobar_shows_both_deadlines_for_a_firm_in_scope(capsys):
    code, out, err = run(
        capsys,
        "comprobar",
        "--compra",
        "2026-06-01",
        "--descubrimiento",
        "2026-12-20",
        "--aviso",
        "2027-01-04",
        "--interrupcion",
        "2027-01-04",
        "--gran-empresa",
        "--comunidad",
        "MD",
        "--hoy",
        "2027-01-10",
    )
    assert code == 0, err
    assert "art. 17.1 Ley 10/2025" in out and "26/01/2027" in out
    assert "art. 21.3 TRLGDCU" in out and "19/01/2027" in out
    assert "Puede demandar desde: 04/02/2027" in out


def test_unknown_community_is_refused_naming_the_flag(capsys):
    code, _, err = run(
        capsys,
        "comprobar",
        "--compra",
        "2026-06-01",
        "--descubrimiento",
        "2026-12-20",
        "--comunidad",
        "XX",
        "--hoy",
        "2027-01-10",
    )
    assert code == 2
    assert "--comunidad" in err and "comunidad autónoma" in err
    assert "Traceback" not in err


def test_caso_ver_shows_from_when_the_consumer_may_sue(capsys):
    code, out, err = run(
        capsys, "caso", "ver", str(CASOS / "sin-respuesta-e9.toml"), "--hoy", "2026-03-20"
    )
    assert code == 0, err
    assert "Puede demandar desde: 02/04/2026" in out


def test_caso_evento_records_the_lawsuit(capsys, tmp_path):
    caso = tmp_path / "caso.toml"
    shutil.copy(CASOS / "rechazada-e12.toml", caso)
    code, out, err = run(
        capsys,
        "caso",
        "evento",
        str(caso),
        "demanda",
        "--fecha",
        "2026-05-20",
        "--hoy",
        "2026-05-20",
    )
    assert code == 0, err
    assert 'tipo = "demanda"' in caso.read_text(encoding="utf-8")
    code, out, err = run(capsys, "caso", "ver", str(caso), "--hoy", "2026-05-21")
    assert "Demanda presentada" in out


@pytest.mark.parametrize(("fecha", "en_vigor"), [("2026-12-30", True), ("2026-12-01", False)])
def test_reglas_shows_art_17_from_the_end_of_the_adaptation(capsys, fecha, en_vigor):
    code, out, _ = run(capsys, "reglas", "--fecha", fecha)
    assert code == 0
    assert ("ley10_2025.plazo_atencion_clientela" in out) is en_vigor


def test_plazos_gives_from_when_the_consumer_may_sue(capsys, tmp_path):
    """E9: claim received 02-03-2026, no answer: the year of art. 7.3 LO 1/2025 runs to 02-03-2027,
    and the lawsuit is possible from the day `comprobar` gives (the safer reading of DA 7.ª)."""
    shutil.copy(CASOS / "sin-respuesta-e9.toml", tmp_path / "e9.toml")
    code, out, _ = run(capsys, "comprobar", "--caso", "e9.toml", "--json", "--hoy", "2026-06-01")
    desde = json.loads(out)["via_judicial"]["puede_demandar_desde"]
    code, out, err = run(
        capsys, "plazos", str(tmp_path), "--dentro-de", "400", "--json", "--hoy", "2026-06-01"
    )
    assert code == 1, err
    fila = next(r for r in json.loads(out) if r["plazo"] == "demanda")
    assert fila["vence"] == "2027-03-02" and fila["puede_demandar_desde"] == desde
