"""The demanda de juicio verbal drafted from a case: when the law lets the consumer sue, and what the draft says.

Each scenario is a case file in tests/casos_demanda/ (its header gives the statute's computation);
the draft is read back as text, and one PDF through pypdf.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from reclama.casefile import load_case
from reclama.cli.campos import named
from reclama.demanda import DemandaNoProcede, build_demanda, check_demanda_ready, demanda_data
from reclama.engine import evaluate
from reclama.errors import InputError
from reclama.render import LetterRenderer

CASOS = Path(__file__).parent / "casos_demanda"


def _draft(nombre: str, hoy: date, formato: str = "txt", **cambios) -> str | bytes:
    caso = load_case(CASOS / nombre)
    for seccion, valores in cambios.items():
        caso = caso.model_copy(update={seccion: getattr(caso, seccion).model_copy(update=valores)})
    resultado = evaluate(caso.hechos(), hoy)
    check_demanda_ready(caso, resultado, hoy)
    datos = demanda_data(build_demanda(caso, resultado, hoy))
    out = LetterRenderer().render_documento("demanda", datos, hoy, formato)
    return out if formato == "pdf" else out.decode("utf-8")


# (case, date of the lawsuit, why it is refused: words the message must contain)
REFUSED = [
    # E9: 21.3 TRLGDCU ends 17-03-2026; 10.4 a) LO 1/2025, 30 days from receipt, ends 01-04-2026
    ("sin-respuesta-e9.toml", date(2026, 3, 20), ["no ha terminado", "02/04/2026"]),
    ("sin-respuesta-e9.toml", date(2026, 4, 1), ["podrá demandar desde el 02/04/2026"]),
    # art. 7.3: one year from receipt (02-03-2026)
    ("sin-respuesta-e9.toml", date(2027, 3, 3), ["02/03/2027", "nueva reclamación"]),
]


@pytest.mark.parametrize(("nombre", "hoy", "palabras"), REFUSED)
def test_lawsuit_is_refused_with_the_date(nombre, hoy, palabras):
    caso = load_case(CASOS / nombre)
    resultado = evaluate(caso.hechos(), hoy)
    with pytest.raises(DemandaNoProcede) as e:
        check_demanda_ready(caso, resultado, hoy)
    assert e.value.exit_code == 1
    for palabra in palabras:
        assert palabra in str(e.value)


def _variant(tmp_path: Path, nombre: str, old: str, new: str):
    """The case file with one line changed (a loaded case has its events already folded)."""
    text = (CASOS / nombre).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / nombre
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_case(path)


def test_a_claim_without_proof_of_receipt_cannot_open_the_lawsuit(tmp_path):
    caso = _variant(
        tmp_path, "sin-respuesta-e9.toml", "prueba_recepcion = true", "prueba_recepcion = false"
    )
    hoy = date(2026, 5, 1)
    with pytest.raises(DemandaNoProcede, match="no consta recibida"):
        check_demanda_ready(caso, evaluate(caso.hechos(), hoy), hoy)


def test_time_barred_action_is_refused(tmp_path):
    """Old art. 123.4: 3 years from delivery (01-06-2021 -> 01-06-2024). Without the claim received on
    05-10-2022 and without the repair (taking the goods for repair is an acknowledgement that restarts
    prescription, CC 1973, and its 31 days would suspend it, old art. 120 c), nothing moves that date;
    the claim of 01-09-2025 comes after it."""
    caso = _variant(
        tmp_path, "regimen-2007.toml",
        'fecha = 2022-10-05\nprueba_recepcion = true\n\n[[eventos]]\ntipo = "entrega-reparacion"\n'
        'fecha = 2022-10-10\n\n[[eventos]]\ntipo = "devolucion"\nfecha = 2022-11-10\nreparado = false\n',
        "fecha = 2022-10-05\nprueba_recepcion = false\n",
    )  # fmt: skip
    hoy = date(2025, 11, 1)
    with pytest.raises(DemandaNoProcede, match="prescribió el 01/06/2024"):
        check_demanda_ready(caso, evaluate(caso.hechos(), hoy), hoy)


def test_amount_over_the_juicio_verbal_limit_is_refused():
    """LEC 250.2: juicio verbal up to 15.000 euros."""
    caso = load_case(CASOS / "rechazada-e12.toml")
    caso = caso.model_copy(update={"compra": caso.compra.model_copy(update={"precio": 15000.01})})
    hoy = date(2026, 5, 20)
    with pytest.raises(DemandaNoProcede, match="límite del juicio verbal"):
        check_demanda_ready(caso, evaluate(caso.hechos(), hoy), hoy)


def test_missing_data_are_named_all_at_once():
    caso = load_case(CASOS / "rechazada-e12.toml")
    caso = caso.model_copy(
        update={"vendedor": caso.vendedor.model_copy(update={"domicilio": None, "cif": None})}
    )
    hoy = date(2026, 5, 20)
    with pytest.raises(InputError) as e:
        check_demanda_ready(caso, evaluate(caso.hechos(), hoy), hoy)
    assert {x.clave for x in e.value.errores} == {"vendedor.cif", "vendedor.domicilio"}
    assert {x.campo for x in named(e.value).errores} == {"--cif", "--domicilio-vendedor"}
    assert e.value.exit_code == 2


def test_received_and_unanswered_claim_allows_the_lawsuit_from_the_safe_date():
    texto = _draft("sin-respuesta-e9.toml", date(2026, 4, 2))
    assert "AL TRIBUNAL DE INSTANCIA DE MADRID, SECCIÓN CIVIL" in texto
    assert "El 2 de marzo de 2026 la demandada recibió mi reclamación escrita" in texto
    assert (
        "no ha contestado a la reclamación en el plazo legal de respuesta, que terminó el 17 de marzo de 2026"
        in texto
    )
    assert "la demandada no ha respondido por escrito" in texto
    assert "pues la demandada no ha respondido en el plazo legal" in texto
    assert "la DA 7.ª de la Ley Orgánica 1/2025" in texto
    assert "Reparar el producto «Televisor Visión 55»" in texto
    assert "sin abogado ni procurador" in texto


def test_refused_claim_allows_the_lawsuit_at_once():
    """E12: refusal on 12-05-2026 (DA 7.ª, «no sea satisfactoria»): lawsuit the same day, at home, without lawyer."""
    texto = _draft("rechazada-e12.toml", date(2026, 5, 12))
    assert "El 12 de mayo de 2026 la demandada rechazó la reclamación (documento n.º 3)." in texto
    assert "pues la respuesta de la demandada no fue satisfactoria" in texto
    assert "AL TRIBUNAL DE INSTANCIA DE SEVILLA" in texto  # consumer's domicile, LEC 52.3
    assert "el art. 54.2 de la Ley de Enjuiciamiento Civil" in texto
    assert (
        "Documento n.º 2. Reclamación previa del 4 de mayo de 2026 y justificante de su recepción"
        in texto
    )
    assert "Documento n.º 4. Fotografías y vídeo del fallo" in texto
    assert "el art. 23.2, 1.º, de la Ley de Enjuiciamiento Civil" in texto
    assert "el art. 31.2, 1.º, de la Ley de Enjuiciamiento Civil" in texto
    assert "NOTA PARA SU ABOGADO" not in texto


def test_over_two_thousand_euros_the_draft_is_for_a_lawyer():
    """LEC 23.2.1.º and 31.2.1.º: without lawyer and court agent only up to 2.000 euros."""
    texto = _draft("rechazada-e12.toml", date(2026, 5, 12), compra={"precio": 2000.01})
    assert "NOTA PARA SU ABOGADO" in texto
    assert "debe presentarse con procurador y firmarse por abogado" in texto
    assert "sin abogado ni procurador" not in texto
    en_limite = _draft("rechazada-e12.toml", date(2026, 5, 12), compra={"precio": 2000})
    assert "NOTA PARA SU ABOGADO" not in en_limite


def test_old_regime_facts_narrate_the_repair_and_the_interruptions():
    texto = _draft("regimen-2007.toml", date(2025, 11, 1))
    orden = [
        "El 1 de junio de 2021 compré a la demandada «Lavadora Centrífuga 8 kg», por un precio de 1.899,00\xa0€",
        "El 1 de octubre de 2022 se manifestó en el producto",
        "El 5 de octubre de 2022 la demandada recibió mi reclamación escrita",
        "El 10 de octubre de 2022 entregué el producto a la demandada para su reparación o sustitución.",
        "El 10 de noviembre de 2022 la demandada me devolvió el producto sin haber resuelto la falta de conformidad.",
        "El 1 de septiembre de 2025 la demandada recibió mi reclamación escrita",
    ]
    posiciones = [texto.find(x) for x in orden]
    assert -1 not in posiciones, [x for x, p in zip(orden, posiciones, strict=True) if p < 0]
    assert posiciones == sorted(posiciones)
    assert "redacción vigente hasta el 31 de diciembre de 2021" in texto
    assert "que termina el 1 de septiembre de 2028" in texto  # restarted by the claim of 01-09-2025
    assert "Ese plazo quedó interrumpido por las reclamaciones que la demandada recibió" in texto
    assert "Dar por resuelto el contrato y devolverme el precio pagado" in texto
    assert "NOTA PARA SU ABOGADO" not in texto  # 1.899 € does not exceed 2.000 €
    assert texto.rstrip().endswith("A 1 de noviembre de 2025.\n\nFirmado: Marta Ruiz Sanz")


def test_pdf_demand_reads_back_with_its_citations():
    from pypdf import PdfReader

    pdf = _draft("rechazada-e12.toml", date(2026, 5, 12), formato="pdf")
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    texto = " ".join(texto.split())
    for palabra in (
        "SUPLICO AL TRIBUNAL",
        "art. 52.3 de la Ley de Enjuiciamiento Civil",
        "DA 7.ª",
        "Documento n.º 3",
    ):
        assert palabra in texto


# ---------------------------------------------------------------- the consumer-arbitration request


def _arbitraje(nombre: str, hoy: date) -> str:
    from reclama.arbitraje import arbitraje_data, build_arbitraje, check_arbitraje_ready

    caso = load_case(CASOS / nombre)
    resultado = evaluate(caso.hechos(), hoy)
    check_arbitraje_ready(caso, resultado, hoy)
    datos = arbitraje_data(build_arbitraje(caso, resultado, hoy))
    return LetterRenderer().render_documento("arbitraje", datos, hoy, "txt").decode("utf-8")


# RD 713/2024 art. 35.2 c): admitted once more than a month passed without an answer (02-03-2026 + 1 month
# = 02-04-2026, so from 03-04-2026); d): not after more than a year from the claim (02-03-2027).
ARBITRAJE_RECHAZADO = [
    (date(2026, 4, 2), "podrá solicitar el arbitraje desde el 03/04/2026"),
    (date(2027, 3, 3), "más de un año"),
]


@pytest.mark.parametrize(("hoy", "motivo"), ARBITRAJE_RECHAZADO)
def test_arbitration_request_is_refused_with_the_date(hoy, motivo):
    from reclama.arbitraje import ArbitrajeNoProcede, check_arbitraje_ready

    with pytest.raises(ArbitrajeNoProcede, match=motivo) as e:
        caso = load_case(CASOS / "sin-respuesta-e9.toml")
        check_arbitraje_ready(caso, evaluate(caso.hechos(), hoy), hoy)
    assert e.value.exit_code == 1


def test_arbitration_request_a_month_after_an_unanswered_claim():
    texto = _arbitraje("sin-respuesta-e9.toml", date(2026, 4, 3))
    assert texto.startswith(
        "A LA JUNTA ARBITRAL DE CONSUMO DEL DOMICILIO DE LA PERSONA CONSUMIDORA"
    )
    assert "el art. 7.1 del RD 713/2024" in texto  # the Junta of the consumer's domicile
    assert "gratuidad" in texto  # art. 31.2: free
    assert "el art. 35.2 c) del RD 713/2024" in texto
    assert "el art. 36.2 del RD 713/2024" in texto  # the seller must accept if not adhered
    assert "Elijo que las notificaciones se me practiquen en mi domicilio." in texto  # art. 32.2 c)
    assert "con NIF B12345674" in texto  # art. 32.2 d)
    assert "La cuantía de la pretensión es de 649,00" in texto  # art. 32.2 e)


def test_arbitration_request_after_a_refusal_cites_the_year_limit():
    texto = _arbitraje("rechazada-e12.toml", date(2026, 5, 12))
    assert "El 12 de mayo de 2026 la empresa rechazó la reclamación (documento n.º 3)." in texto
    assert "el art. 35.2 d) del RD 713/2024" in texto
    assert "el art. 35.2 c)" not in texto
