"""The law as data: every legal_rules/ file loads, is dated coherently and quotes the law verbatim.

How to read this file (for a lawyer):
- EXPECTED is the table of rules the program relies on: for each rule, which date selects the
  version, and for each version the day it starts, the guarantee regime and the values the engine
  reads. If a file drifts from this table, or a rule is deleted, a test fails.
- UNCERTAIN lists the versions shown to users as "no verificado" (DIGEST.md §14 and errata).
- Every quotation (`texto`) must appear word for word in the statute file named in `fuente`
  (in legal_rules/fuentes/, shipped with the project), inside the article named in `articulo`. A quotation may leave words out;
  each omission is written " […] " and the remaining pieces must appear in order.
- The short excerpt the letter quotes (`breve`, optional) is checked the same way, and must also
  be cut from `texto`: its pieces are whole words of `texto`, in order, and it is shorter.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from reclama.rules import OMISSION, Rule, RulesError, load_rule_file

REPO = Path(__file__).resolve().parents[1]
RULES_ROOT = REPO / "legal_rules"
LAW_DIR = RULES_ROOT / "fuentes"  # statute texts; not rules (the loader reads only *.toml)
RULE_FILES = sorted(RULES_ROOT.rglob("*.toml"))

NEW_REGIME_START = date(2022, 1, 1)  # RDL 7/2021, disposición final octava d)
OLD_TRLGDCU_URL_VERSION = "&tn=1&p=20210120"  # BOE consolidated text as of 20-01-2021

C, R, H = "fecha_contrato", "fecha_reclamacion", "fecha_hecho"

# rule id -> (what selects the version, [(valido_desde, regimen, valores), ...])
EXPECTED: dict[str, tuple[str, list[tuple[str, str | None, dict]]]] = {
    # --- Guarantee title (regime chosen by the contract date) ---
    "trlgdcu.regimen": (
        C,
        [
            ("2010-01-01", "2007", {"regimen": "2007"}),
            ("2022-01-01", "2022", {"regimen": "2022"}),
        ],
    ),
    "rdl7_2021.entrega_posterior": (
        C,
        [
            ("2010-01-01", None, {"fecha_corte": date(2022, 1, 1)}),
        ],
    ),
    "trlgdcu.garantia_plazo": (
        C,
        [
            ("2010-01-01", "2007", {"meses_bienes": 24, "meses_segunda_mano_minimo": 12}),
            (
                "2022-01-01",
                "2022",
                {"meses_bienes": 36, "meses_digital": 24, "meses_segunda_mano_minimo": 12},
            ),
        ],
    ),
    "trlgdcu.presuncion": (
        C,
        [
            ("2010-01-01", "2007", {"meses_bienes": 6}),
            ("2022-01-01", "2022", {"meses_bienes": 24, "meses_digital": 12}),
        ],
    ),
    "trlgdcu.aviso": (
        C,
        [
            ("2010-01-01", "2007", {"aplica": True, "meses": 2}),
            ("2022-01-01", "2022", {"aplica": False}),
        ],
    ),
    "trlgdcu.prescripcion": (
        C,
        [
            ("2010-01-01", "2007", {"meses": 36, "desde": "entrega"}),
            ("2022-01-01", "2022", {"meses": 60, "desde": "manifestacion"}),
        ],
    ),
    "trlgdcu.suspension_reparacion": (
        C,
        [
            ("2010-01-01", "2007", {"suspende": ["garantia", "presuncion", "prescripcion"]}),
            ("2022-01-01", "2022", {"suspende": ["garantia", "presuncion"]}),
        ],
    ),
    "trlgdcu.cobertura_reparacion": (
        C,
        [
            ("2010-01-01", "2007", {"meses": 6}),
            ("2022-01-01", "2022", {"meses": 12}),
        ],
    ),
    "trlgdcu.remedios_primarios": (
        C,
        [
            ("2010-01-01", "2007", {"remedios": ["reparacion", "sustitucion"]}),
            ("2022-01-01", "2022", {"remedios": ["reparacion", "sustitucion"]}),
        ],
    ),
    "trlgdcu.remedios_subsidiarios": (
        C,
        [
            (
                "2010-01-01",
                "2007",
                {
                    "remedios": ["rebaja", "resolucion"],
                    "supuestos": ["intento_fallido", "negativa"],
                    "articulos_supuestos": ["120 d)", "121"],
                    "articulo_reemplazo_fallido": "120 f)",
                    "articulo_plazo_razonable": "121",
                },
            ),
            (
                "2022-01-01",
                "2022",
                {
                    "remedios": ["rebaja", "resolucion"],
                    "supuestos": ["intento_fallido", "negativa", "grave"],
                    "articulos_supuestos": ["119 d)", "119 f)", "119 e)"],
                    "articulo_reemplazo_fallido": "119 d)",
                    "articulo_plazo_razonable": "119 b)",
                },
            ),
        ],
    ),
    "trlgdcu.resolucion_escasa_importancia": (
        C,
        [
            ("2010-01-01", "2007", {"excluye": "resolucion"}),
            ("2022-01-01", "2022", {"excluye": "resolucion"}),
        ],
    ),
    "trlgdcu.sustitucion_segunda_mano": (
        C,
        [
            ("2010-01-01", "2007", {"excluida": True}),
            ("2022-01-01", "2022", {"excluida": False}),
        ],
    ),
    "trlgdcu.gratuidad": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "trlgdcu.indemnizacion": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "trlgdcu.plazo_razonable": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "trlgdcu.responsable_vendedor": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "trlgdcu.accion_productor": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "trlgdcu.documentacion_reparacion": (
        C,
        [
            ("2010-01-01", "2007", {}),
            ("2022-01-01", "2022", {}),
        ],
    ),
    "trlgdcu.reembolso_resolucion": (C, [("2022-01-01", "2022", {"dias": 14})]),
    "trlgdcu.eleccion_vinculante": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "cc.saneamiento_vicios_ocultos": (
        C,
        [
            ("2010-01-01", "2007", {"meses": 6}),
            ("2022-01-01", "2022", {"meses": 6}),
        ],
    ),
    # --- Rules common to both regimes ---
    "trlgdcu.renuncia_nula": (C, [("2007-12-01", None, {})]),
    "trlgdcu.respuesta_reclamacion": (
        R,
        [
            ("2017-11-05", None, {"meses": 1}),
            ("2025-12-28", None, {"dias": 15}),
        ],
    ),
    "trlgdcu.desistimiento_plazo": (
        C,
        [
            ("2014-06-13", None, {"dias": 14}),
            ("2022-05-28", None, {"dias": 14, "dias_visitas": 30}),
        ],
    ),
    "trlgdcu.desistimiento_sin_informacion": (
        C,
        [
            ("2014-06-13", None, {"meses": 12}),
            ("2022-05-28", None, {"meses": 12}),
        ],
    ),
    "trlgdcu.desistimiento_reembolso": (C, [("2014-06-13", None, {"dias": 14})]),
    "trlgdcu.desistimiento_excepciones": (
        C,
        [
            ("2014-06-13", None, {}),
            ("2022-05-28", None, {}),
        ],
    ),
    "trlgdcu.desistimiento_contractual": (C, [("2014-06-13", None, {})]),
    # Digital withdrawal (arts. 103 m, 104 a/c), and a deadline on a non-working day.
    "trlgdcu.desistimiento_digital": (C, [("2014-06-13", None, {}), ("2022-05-28", None, {})]),
    "trlgdcu.desistimiento_dia_inhabil": (H, [("2014-06-13", None, {})]),
    "trlgdcu.suministro_continuo": (C, [("2022-01-01", "2022", {})]),
    "trlgdcu.presuncion_sustituto": (
        C,
        [
            ("2010-01-01", "2007", {"meses": 6}),
            ("2022-01-01", "2022", {}),
        ],
    ),
    "trlgdcu.pacto_inferior_minimo": (C, [("2010-01-01", "2007", {}), ("2022-01-01", "2022", {})]),
    "cc.reconocimiento_deuda": (H, [("1889-07-25", None, {})]),
    "cc.computo_plazos": (H, [("1974-07-09", None, {})]),
    "cc.interrupcion_prescripcion": (H, [("1889-07-25", None, {})]),
    "rd463_2020.suspension_prescripcion": (
        H,
        [
            (
                "2020-03-14",
                None,
                {"desde": date(2020, 3, 14), "hasta": date(2020, 6, 3), "dias": 82},
            ),
        ],
    ),
    "ley7_2017.admision_adr": (
        R,
        [
            ("2017-11-05", None, {"meses_sin_respuesta": 1, "meses_maximo": 12}),
        ],
    ),
    "ley7_2017.efecto_prescripcion_adr": (H, [("2017-11-05", None, {})]),
    # Ley 10/2025 art. 17: from the day after the 12-month adaptation of its DT única (28-12-2026)
    "ley10_2025.plazo_atencion_clientela": (R, [("2026-12-29", None, {"dias_habiles": 15})]),
    # --- Before and in court (LO 1/2025, in force 3-4-2025; LEC as amended by it) ---
    "lo1_2025.reclamacion_previa": (
        H,
        [
            ("2025-04-03", None, {"dias_sin_respuesta": 30, "meses_validez": 12}),
        ],
    ),
    "lec.juicio_verbal": (H, [("2025-04-03", None, {"cuantia_maxima": 15000})]),
    "lec.postulacion": (H, [("2025-04-03", None, {"cuantia_sin_abogado": 2000})]),
    "lec.competencia_consumidor": (H, [("2025-04-03", None, {})]),
    "lec.cuantia": (H, [("2025-04-03", None, {})]),
    # Consumer arbitration: the Reglamento of RD 713/2024, in force 13-8-2024 (its DF 4.ª)
    "rd713_2024.solicitud_arbitraje": (
        H,
        [
            ("2024-08-13", None, {"meses_sin_respuesta": 1, "meses_maximo": 12}),
        ],
    ),
}

# Rules of the guarantee title (and the Civil Code alternative tied to it): every version
# must say which regime it belongs to.
GUARANTEE_TITLE = {
    rule_id for rule_id, (_, versions) in EXPECTED.items() if any(v[1] for v in versions)
}

# Versions whose point DIGEST.md marks UNVERIFIED or debatable: shown to users as uncertain.
UNCERTAIN = {
    ("rdl7_2021.entrega_posterior", "2010-01-01"),  # §14.1: delivered in 2022, contract before
    ("trlgdcu.suspension_reparacion", "2010-01-01"),  # errata 2 + §14.5
    ("trlgdcu.suspension_reparacion", "2022-01-01"),  # §14.5: day-count convention
    ("trlgdcu.remedios_subsidiarios", "2010-01-01"),  # §5.1: refusal = not done in time
    ("trlgdcu.resolucion_escasa_importancia", "2022-01-01"),  # §14.3: burden clause scope
    ("trlgdcu.respuesta_reclamacion", "2025-12-28"),  # errata 4 + §14.8: calendar days
    ("cc.computo_plazos", "1974-07-09"),  # §14.9: deadline on a holiday
    ("cc.interrupcion_prescripcion", "1889-07-25"),  # §14.10: period restarts in full
    ("trlgdcu.desistimiento_dia_inhabil", "2014-06-13"),  # issue 12.6: EU reading of the end
    ("trlgdcu.pacto_inferior_minimo", "2010-01-01"),  # errata 3: void clause or the minimum
    ("trlgdcu.pacto_inferior_minimo", "2022-01-01"),
    ("cc.reconocimiento_deuda", "1889-07-25"),  # issue 12.5: receipt shown, acknowledgement
    ("rd463_2020.suspension_prescripcion", "2020-03-14"),  # errata 1: guarantee window
    ("ley10_2025.plazo_atencion_clientela", "2026-12-29"),  # §16.8.9-10: adaptation, días hábiles
    ("lo1_2025.reclamacion_previa", "2025-04-03"),  # §16.8.2: which answer period DA 7.ª means
}

# norma -> (BOE id, statute files in legal_rules/fuentes/ that may be quoted for it)
NORMAS = {
    "TRLGDCU": ("BOE-A-2007-20555", {"trlgdcu-2021.md", "trlgdcu-vigente.md"}),
    "Código Civil": ("BOE-A-1889-4763", {"codigo-civil.md"}),
    "RD 463/2020": ("BOE-A-2020-3692", {"covid-2020-suspension.md"}),
    "RD 537/2020": ("BOE-A-2020-5243", {"covid-2020-suspension.md"}),
    "Ley 7/2017": ("BOE-A-2017-12659", {"ley-7-2017.md"}),
    "Ley 10/2025": ("BOE-A-2025-26698", {"ley-10-2025.md"}),
    "RDL 7/2021": ("BOE-A-2021-6872", {"rdl-7-2021-disposiciones.md"}),
    "Ley Orgánica 1/2025": ("BOE-A-2025-76", {"lo-1-2025-masc.md"}),
    "Ley de Enjuiciamiento Civil": ("BOE-A-2000-323", {"lec-juicio-verbal.md"}),
    "RD 713/2024": ("BOE-A-2024-15208", {"rd-713-2024-arbitraje.md"}),
}
# The TRLGDCU text to quote for each guarantee regime (same article numbers, different rules).
TRLGDCU_TEXT_FOR_REGIME = {"2007": "trlgdcu-2021.md", "2022": "trlgdcu-vigente.md"}


# ---------------------------------------------------------------- collecting the data


def _label(path: Path) -> str:
    return path.relative_to(RULES_ROOT).as_posix()


def _raw(path: Path) -> dict:
    """The file as plain TOML, for building test cases (validation is tested separately)."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _citations() -> list:
    cases = []
    for path in RULE_FILES:
        data = _raw(path)
        for version in data.get("version", []):
            for cita in version.get("cita", []):
                label = (
                    f"{_label(path)}::{version.get('valido_desde')}::"
                    f"{cita.get('norma')} {cita.get('articulo')}"
                )
                cases.append(pytest.param(version, cita, id=label))
    return cases


CITATIONS = _citations()


def _quotes() -> list:
    """(version, cita, campo): the `texto` of every citation, and its `breve` when it has one."""
    cases = []
    for param in CITATIONS:
        version, cita = param.values
        for campo in ("texto", "breve"):
            if campo in cita:
                cases.append(pytest.param(version, cita, campo, id=f"{param.id}::{campo}"))
    return cases


QUOTES = _quotes()
EXCERPTS = [p for p in QUOTES if p.values[2] == "breve"]


def _load(path: Path) -> Rule:
    return load_rule_file(path, RULES_ROOT)


def _rules() -> dict[str, Rule]:
    rules = {}
    for path in RULE_FILES:
        try:
            rule = _load(path)
        except RulesError:
            continue  # reported by test_rule_file_loads
        rules[rule.id] = rule
    return rules


# ---------------------------------------------------------------- every file is well formed


@pytest.mark.parametrize("path", RULE_FILES, ids=_label)
def test_rule_file_loads(path: Path) -> None:
    rule = _load(path)
    assert rule.id == ".".join(path.relative_to(RULES_ROOT).with_suffix("").parts)


@pytest.mark.parametrize("path", RULE_FILES, ids=_label)
def test_versions_sorted_and_distinct(path: Path) -> None:
    starts = [v.valido_desde for v in _load(path).version]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize("path", RULE_FILES, ids=_label)
def test_guarantee_regime_matches_version_start(path: Path) -> None:
    """Contracts before 1-1-2022 follow the 2007 text; from that day, the 2022 text.

    Rules common to both regimes (withdrawal, complaints, Civil Code periods) carry no regime.
    """
    rule = _load(path)
    if rule.id not in GUARANTEE_TITLE:
        # A rule common to both regimes must not be tied to one of them.
        assert all(v.regimen is None for v in rule.version), rule.id
        return
    assert rule.selecciona_por == "fecha_contrato"
    for v in rule.version:
        expected = "2007" if v.valido_desde < NEW_REGIME_START else "2022"
        assert v.regimen == expected, f"{rule.id} desde {v.valido_desde}"


def test_every_expected_rule_is_present() -> None:
    rules = _rules()
    missing = sorted(set(EXPECTED) - set(rules))
    assert not missing, f"faltan reglas en legal_rules/: {missing}"


def test_no_unexpected_rule() -> None:
    """A new rule must be added to the EXPECTED table, so the engine's keys stay documented."""
    extra = sorted(set(_rules()) - set(EXPECTED))
    assert not extra, f"reglas sin fila en EXPECTED: {extra}"


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_matches_table(rule_id: str) -> None:
    rule = _rules().get(rule_id)
    assert rule is not None, f"falta la regla {rule_id}"
    selector, versions = EXPECTED[rule_id]
    assert rule.selecciona_por == selector
    actual = [(v.valido_desde.isoformat(), v.regimen, dict(v.valores)) for v in rule.version]
    assert actual == versions


def test_uncertain_versions_are_exactly_the_digest_ones() -> None:
    flagged = {
        (rule.id, v.valido_desde.isoformat())
        for rule in _rules().values()
        for v in rule.version
        if v.no_verificado
    }
    assert flagged == UNCERTAIN


def test_covid_suspension_days_are_the_inclusive_count() -> None:
    v = _rules()["rd463_2020.suspension_prescripcion"].version[0]
    desde, hasta, dias = v.valores["desde"], v.valores["hasta"], v.valores["dias"]
    assert (hasta - desde).days + 1 == dias == 82


# ---------------------------------------------------------------- citations: metadata

_SENTENCE_BREAK = re.compile(r"[.!?;:]\s+[A-ZÁÉÍÓÚÑ¿¡]")


@pytest.mark.parametrize(("version", "cita"), CITATIONS)
def test_citation_names_the_right_law_and_link(version: dict, cita: dict) -> None:
    assert cita["norma"] in NORMAS, f"norma desconocida: {cita['norma']}"
    boe, fuentes = NORMAS[cita["norma"]]
    assert cita["norma_boe"] == boe
    assert cita["fuente"] in fuentes
    regimen = version.get("regimen")
    if cita["norma"] == "TRLGDCU" and regimen:
        assert cita["fuente"] == TRLGDCU_TEXT_FOR_REGIME[regimen]

    base = f"https://www.boe.es/buscar/act.php?id={boe}"
    if cita["fuente"] == "trlgdcu-2021.md":
        base += OLD_TRLGDCU_URL_VERSION
    assert cita["url"] == f"{base}#{_anchor(cita['articulo'])}"


@pytest.mark.parametrize(("version", "cita"), CITATIONS)
def test_explanation_is_one_plain_sentence(version: dict, cita: dict) -> None:
    for text in (cita["explicacion"], version.get("no_verificado")):
        if text is None:
            continue
        assert text.endswith("."), text
        assert not _SENTENCE_BREAK.search(text), f"más de una frase: {text}"


@pytest.mark.parametrize(("version", "cita", "campo"), QUOTES)
def test_omissions_are_marked_properly(version: dict, cita: dict, campo: str) -> None:
    texto = cita[campo]
    assert "\n" not in texto
    for piece in texto.split(OMISSION):
        assert piece, "omisión al principio, al final o repetida"
        assert piece == piece.strip(), f"espacios sobrantes en {piece!r}"
        for bad in ("[…]", "[...]", "(…)", "(...)", "…"):
            assert bad not in piece, f"omisión mal marcada en {piece!r}"


# ---------------------------------------------------------------- citations: verbatim quotes


@pytest.mark.parametrize(("version", "cita", "campo"), QUOTES)
def test_quote_is_verbatim_in_the_named_article(version: dict, cita: dict, campo: str) -> None:
    source = LAW_DIR / cita["fuente"]
    assert source.is_file(), f"no existe {source}"
    pieces = cita[campo].split(OMISSION)

    text = source.read_text(encoding="utf-8")
    assert _in_order(text, pieces), f"la cita no es literal en {cita['fuente']}"

    ref = _parse_articulo(cita["articulo"])
    sections = _sections(text, ref["heading"])
    assert sections, f"no se encuentra «{cita['articulo']}» en {cita['fuente']}"
    inside = [s for s in sections if _in_order(s, pieces)]
    assert inside, f"la cita no está dentro de «{cita['articulo']}» en {cita['fuente']}"
    # The last piece (after any introductory words) lies in the paragraph/letter named.
    parts = [_subdivision(s, ref["apartado"], ref["letra"]) for s in inside]
    assert any(p is not None and pieces[-1] in p for p in parts), (
        f"la cita no está en el apartado/letra de «{cita['articulo']}»"
    )


@pytest.mark.parametrize(("version", "cita", "campo"), EXCERPTS)
def test_excerpt_is_cut_from_the_quoted_text(version: dict, cita: dict, campo: str) -> None:
    """`breve` quotes less of the same text: whole words of `texto`, in order, nothing added."""
    texto, breve = cita["texto"], cita[campo]
    assert len(breve) < len(texto), "«breve» no es más corta que «texto»"
    assert len(breve.split()) < len(texto.split())
    pos = 0
    for piece in breve.split(OMISSION):
        # whole words: a piece neither starts nor ends inside a word of `texto`
        m = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)").search(texto, pos)
        assert m, f"«{piece}» no está, con palabras enteras y en orden, en «texto»"
        pos = m.end()


def test_law_files_parse_into_articles() -> None:
    """Guard for the quote test itself: the article finder sees known headings."""
    checks = {
        "trlgdcu-2021.md": ["123", "119", "104"],
        "trlgdcu-vigente.md": ["119", "119 ter.2", "119 quater.1", "21.3"],
        "codigo-civil.md": ["5.2", "1973", "1490"],
        "ley-7-2017.md": ["18.1 a)", "4.1"],
        "ley-10-2025.md": ["17.1", "DT única.1"],
        "covid-2020-suspension.md": ["DA 4.ª", "10"],
        "rdl-7-2021-disposiciones.md": ["DF 8.ª d)"],
    }
    for fuente, articulos in checks.items():
        text = (LAW_DIR / fuente).read_text(encoding="utf-8")
        for articulo in articulos:
            ref = _parse_articulo(articulo)
            found = _sections(text, ref["heading"])
            assert len(found) == 1, (fuente, articulo)
            assert _subdivision(found[0], ref["apartado"], ref["letra"]), (fuente, articulo)
    # "Artículo 119." must not also match "Artículo 119 bis." etc.
    vigente = (LAW_DIR / "trlgdcu-vigente.md").read_text(encoding="utf-8")
    assert "ter" not in _sections(vigente, _parse_articulo("119")["heading"])[0][:20]


# Every statute text the project relies on, with the BOE id its header must name. The ones no rule
# quotes yet (MASC, LEC, consumer arbitration) ship too, so the rules that will cite them can be
# checked the same way.
FUENTES = {
    "trlgdcu-2021.md": "BOE-A-2007-20555",
    "trlgdcu-vigente.md": "BOE-A-2007-20555",
    "codigo-civil.md": "BOE-A-1889-4763",
    "covid-2020-suspension.md": "BOE-A-2020-3692",
    "ley-7-2017.md": "BOE-A-2017-12659",
    "ley-10-2025.md": "BOE-A-2025-26698",
    "rdl-7-2021-disposiciones.md": "BOE-A-2021-6872",
    "lo-1-2025-masc.md": "BOE-A-2025-76",
    "lec-juicio-verbal.md": "BOE-A-2000-323",
    "rd-713-2024-arbitraje.md": "BOE-A-2024-15208",
    "rd-231-2008-arbitraje.md": "BOE-A-2008-3527",
}


@pytest.mark.parametrize(("fuente", "boe_id"), FUENTES.items())
def test_statute_text_ships_with_its_source_header(fuente: str, boe_id: str) -> None:
    """A fresh clone can check every quote: the text is here, saying where it was copied from."""
    path = LAW_DIR / fuente
    assert path.is_file(), f"falta {path}: las citas no se pueden comprobar"
    header = path.read_text(encoding="utf-8").split("\n#####", 1)[0]
    assert re.search(rf"(?<![\d-]){boe_id}(?!\d)", header), f"la cabecera no nombra {boe_id}"
    assert re.search(r"`[0-9a-f]{40}`", header), "la cabecera no nombra el commit consolidado"


def test_every_quoted_source_and_norma_file_is_shipped() -> None:
    named = {c.values[1]["fuente"] for c in CITATIONS if "fuente" in c.values[1]}
    named |= {f for _, files in NORMAS.values() for f in files}
    assert named <= FUENTES.keys(), (
        f"textos citados que no se distribuyen: {named - FUENTES.keys()}"
    )


def test_fuentes_holds_no_rule_files() -> None:
    """The rule loader globs legal_rules/**/*.toml: a TOML here would be loaded as a rule."""
    assert LAW_DIR.is_dir()
    assert not list(LAW_DIR.rglob("*.toml"))
    assert {p.name for p in LAW_DIR.iterdir()} == {*FUENTES, "README.md"}


# ---------------------------------------------------------------- malformed files are refused

VALID = """\
id = "trlgdcu.ejemplo"
titulo = "Regla de prueba"
selecciona_por = "fecha_contrato"

[[version]]
valido_desde = 2010-01-01
[version.valores]
meses = 6

[[version.cita]]
norma = "TRLGDCU"
norma_boe = "BOE-A-2007-20555"
articulo = "10"
texto = "La renuncia previa a los derechos que esta norma reconoce a los consumidores y usuarios"
url = "https://www.boe.es/buscar/act.php?id=BOE-A-2007-20555#a10"
fuente = "trlgdcu-vigente.md"
explicacion = "No se puede renunciar por adelantado a los derechos del consumidor."
comprobado = 2026-11-22
"""

_SECOND_VERSION = VALID[VALID.index("[[version]]") :].replace("2010-01-01", "{fecha}")

MALFORMED = {
    "toml_invalido": VALID.replace('titulo = "Regla de prueba"', 'titulo = "Regla de prueba'),
    "version_sin_cita": VALID[: VALID.index("[[version.cita]]")],
    "versiones_desordenadas": VALID.replace("2010-01-01", "2022-01-01")
    + "\n"
    + _SECOND_VERSION.format(fecha="2010-01-01"),
    "versiones_con_misma_fecha": VALID + "\n" + _SECOND_VERSION.format(fecha="2010-01-01"),
    "id_distinto_de_la_ruta": VALID.replace('"trlgdcu.ejemplo"', '"trlgdcu.otra"'),
    "url_fuera_del_boe": VALID.replace(
        "https://www.boe.es/buscar/act.php?id=BOE-A-2007-20555#a10",
        "https://noticias.example.com/garantia",
    ),
    "clave_desconocida": VALID.replace("valido_desde", "valido_dsde"),
    "regimen_inexistente": VALID.replace(
        "[version.valores]", 'regimen = "2015"\n[version.valores]'
    ),
    "selector_inexistente": VALID.replace('"fecha_contrato"', '"fecha_entrega"'),
    "texto_vacio": VALID.replace(
        'texto = "La renuncia previa a los derechos que esta norma reconoce a los consumidores '
        'y usuarios"',
        'texto = ""',
    ),
    "sin_versiones": VALID[: VALID.index("[[version]]")],
    "breve_no_literal": VALID.replace(
        "\nurl =", '\nbreve = "La renuncia previa a los derechos del consumidor"\nurl ='
    ),
    "breve_desordenada": VALID.replace(
        "\nurl =", '\nbreve = "a los consumidores y usuarios […] La renuncia previa"\nurl ='
    ),
    "breve_tan_larga_como_texto": VALID.replace(
        "\nurl =",
        '\nbreve = "La renuncia previa a los derechos que esta norma reconoce a los consumidores '
        'y usuarios"\nurl =',
    ),
}


def test_valid_template_loads(tmp_path: Path) -> None:
    """The malformed cases below differ from this valid file in one point each."""
    path = tmp_path / "trlgdcu" / "ejemplo.toml"
    path.parent.mkdir()
    path.write_text(VALID, encoding="utf-8")
    assert load_rule_file(path, tmp_path).id == "trlgdcu.ejemplo"


def test_valid_template_with_an_excerpt_loads(tmp_path: Path) -> None:
    path = tmp_path / "trlgdcu" / "ejemplo.toml"
    path.parent.mkdir()
    breve = "La renuncia previa a los derechos […] reconoce a los consumidores y usuarios"
    path.write_text(VALID.replace("\nurl =", f'\nbreve = "{breve}"\nurl ='), encoding="utf-8")
    assert load_rule_file(path, tmp_path).version[0].cita[0].breve == breve


@pytest.mark.parametrize("content", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_is_refused(tmp_path: Path, content: str) -> None:
    assert content != VALID, "el caso no modifica la plantilla válida"
    path = tmp_path / "trlgdcu" / "ejemplo.toml"
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError):
        load_rule_file(path, tmp_path)


# ---------------------------------------------------------------- helpers: reading the statutes

_ORDINALES = {
    "1": "primera",
    "2": "segunda",
    "3": "tercera",
    "4": "cuarta",
    "5": "quinta",
    "6": "sexta",
    "7": "séptima",
    "8": "octava",
    "9": "novena",
    "10": "décima",
}
_DISPOSICION = {"DA": "adicional", "DT": "transitoria", "DF": "final"}
_ARTICULO = re.compile(
    r"^(?:(?P<disp>DA|DT|DF) (?:(?P<ord>\d+)\.ª|(?P<unica>única))"
    r"|(?P<num>\d+)(?: (?P<suf>bis|ter|quater))?)"
    r"(?:\.(?P<apartado>\d+))?"
    r"(?: (?P<letra>[a-zñ])\))?"
    r"(?:,.*)?$"
)


def _parse_articulo(articulo: str) -> dict:
    """'119 ter.2' -> heading regex for 'Artículo 119 ter.', apartado 2, no letter."""
    m = _ARTICULO.match(articulo)
    assert m, f"artículo con formato desconocido: {articulo!r}"
    if m["disp"]:
        ordinal = "única" if m["unica"] else _ORDINALES[m["ord"]]
        heading = rf"Disposición {_DISPOSICION[m['disp']]} {ordinal}(?:\.| \()"
    else:
        number = m["num"] + (f" {m['suf']}" if m["suf"] else "")
        heading = rf"Artículo[ \u00a0]{re.escape(number)}(?:\.| \()"
    return {
        "heading": re.compile(rf"^##### {heading}"),
        "apartado": m["apartado"],
        "letra": m["letra"],
    }


def _anchor(articulo: str) -> str:
    """BOE anchors: '#a119ter' for articles, '#dfoctava' / '#dtunica' for disposiciones."""
    m = _ARTICULO.match(articulo)
    assert m, f"artículo con formato desconocido: {articulo!r}"
    if m["disp"]:
        ordinal = "unica" if m["unica"] else _ORDINALES[m["ord"]]
        ordinal = ordinal.replace("é", "e")  # BOE anchors are ASCII: #daseptima
        return f"{m['disp'].lower()}{ordinal}"
    return f"a{m['num']}{m['suf'] or ''}"


def _sections(text: str, heading: re.Pattern) -> list[str]:
    """Bodies of the provisions whose '#####' heading matches, without extractor notes."""
    out, current = [], None
    for line in text.split("\n"):
        if line.startswith("##### "):
            if current is not None:
                out.append(current)
            current = [] if heading.match(line) else None
        elif line.startswith("## ") or line == "---":
            if current is not None:
                out.append(current)
            current = None
        elif current is not None and not line.startswith(">"):
            current.append(line)
    if current is not None:
        out.append(current)
    return ["\n".join(lines).strip() for lines in out]


def _subdivision(body: str, apartado: str | None, letra: str | None) -> str | None:
    """The text of apartado N and/or letter x) within an article body, or None if absent."""
    paragraphs = body.split("\n\n")
    if apartado is not None:
        start = next((i for i, p in enumerate(paragraphs) if p.startswith(f"{apartado}. ")), None)
        if start is None:
            return None
        nxt = f"{int(apartado) + 1}. "
        end = next(
            (i for i in range(start + 1, len(paragraphs)) if paragraphs[i].startswith(nxt)),
            len(paragraphs),
        )
        paragraphs = paragraphs[start:end]
    if letra is not None:
        start = next((i for i, p in enumerate(paragraphs) if p.startswith(f"{letra}) ")), None)
        if start is None:
            return None
        end = next(
            (
                i
                for i in range(start + 1, len(paragraphs))
                if re.match(r"^(?:[a-zñ]\)|\d+\.) ", paragraphs[i])
            ),
            len(paragraphs),
        )
        paragraphs = paragraphs[start:end]
    return "\n\n".join(paragraphs)


def _in_order(text: str, pieces: list[str]) -> bool:
    pos = 0
    for piece in pieces:
        found = text.find(piece, pos)
        if found < 0:
            return False
        pos = found + len(piece)
    return True
