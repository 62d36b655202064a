"""The formats a firm files besides PDF, HTML and text: an editable DOCX, an e-mail message
(.eml) ready to send, and one merged PDF of a batch for printing.

The letter's words come from `reclama.letter.template_data` (plain data, the same the
templates get) and its PDF from `reclama.render`; this module only lays them out. Import it
on the rendering path only: it loads python-docx and pypdf when asked.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from reclama.errors import InputError

FORMATOS_EXTRA = ("docx", "eml")
PRODUCER = "reclama lote --unir"


def render_letter(
    renderer: Any,
    caso: Any,
    resultado: Any,
    hoy: date,
    formato: str,
    *,
    carta: Any,
    pdf_a: bool = False,
    firma: dict[str, Any] | None = None,
    nombre_pdf: str = "carta.pdf",
) -> bytes:
    """One letter in any batch format: pdf, html and txt by the renderer, docx and eml here.

    `carta` is the verdict once the seller has the letter (`reclama.evaluation`), run once
    for all the renderings of one letter.

    Raises:
        InputError: an eml for a seller without e-mail; template errors (PlantillaError).
    """
    if formato not in ("docx", "eml"):
        return renderer.render(caso, resultado, hoy, formato, pdf_a, firma, carta=carta)
    if formato == "eml" and not caso.vendedor.email:
        raise InputError("vendedor.email", "falta el correo del vendedor (--formato eml)")
    from reclama.letter import build_context, template_data

    ctx = build_context(caso, resultado, hoy, renderer.textos, carta=carta)  # worded once
    if formato == "docx":
        return docx_bytes(template_data(ctx, firma))
    text = renderer.render_context(ctx, "txt", False, firma).decode("utf-8")
    pdf = renderer.render_context(ctx, "pdf", pdf_a, firma)
    return eml_bytes(template_data(ctx, firma), text, pdf, nombre_pdf)


# -- text of the plain data -------------------------------------------------------------


def parrafo_text(tramos: list[dict[str, Any]]) -> str:
    """A paragraph of `template_data` as text, written as the e-mail template writes it."""
    from reclama.render import euros, fecha_larga

    out = []
    for t in tramos:
        cita = t.get("cita")
        if cita is not None:
            label = cita["etiqueta"]
            out.append(label if cita["repetida"] else f"{label}: «{cita['citado']}»")
        elif t.get("fecha") is not None:
            out.append(fecha_larga(t["fecha"]))
        elif t.get("euros") is not None:
            out.append(euros(t["euros"]))
        else:
            out.append(t["texto"])
    return "".join(out)


def sender_lines(d: dict[str, Any]) -> list[str]:
    """Who writes: the firm (replies to its address) or the consumer, as in _membrete."""
    c, rep, firm = d["consumidor"], d["representante"], d["despacho"]
    if firm:
        colegiado = f", n.º de colegiación {firm['colegiado']}" if firm["colegiado"] else ""
        lines = [firm["nombre"], f"{firm['abogado']}{colegiado}", "A efectos de notificaciones:",
                 firm["domicilio"]]  # fmt: skip
        lines += [x for x in (firm["email"], firm["telefono"] and f"Tel. {firm['telefono']}") if x]
        return [*lines, "En representación de:", f"{c['nombre']}, {d['documento']} {c['dni']}"]
    lines = []
    if rep:
        lines += [rep["nombre"]]
        lines += [f"N.º de colegiación {rep['colegiado']}"] if rep["colegiado"] else []
        lines += ["En representación de:"]
    lines += [c["nombre"], f"{d['documento']} {c['dni']}", c["domicilio"]]
    return lines + [x for x in (c["email"], c["telefono"] and f"Tel. {c['telefono']}") if x]


def signature_lines(d: dict[str, Any]) -> list[str]:
    """Under the signature: who signs; for a representative never the client's contact data."""
    c, rep, firm = d["consumidor"], d["representante"], d["despacho"]
    if firm:
        colegiado = [f"N.º de colegiación {firm['colegiado']}"] if firm["colegiado"] else []
        return [f"Fdo.: {firm['abogado']}", *colegiado, firm["nombre"],
                f"En nombre y representación de {c['nombre']}"]  # fmt: skip
    if rep:
        colegiado = [f"N.º de colegiación {rep['colegiado']}"] if rep["colegiado"] else []
        return [f"Fdo.: {rep['nombre']}", *colegiado,
                f"En nombre y representación de {c['nombre']}"]  # fmt: skip
    return [f"Fdo.: {c['nombre']}", f"{d['documento']} {c['dni']}"]


# -- DOCX ---------------------------------------------------------------------------------

# Paragraph styles of the document, so the firm restyles the whole letter in Word at once.
STYLES = ("Membrete", "Destinatario", "Referencia", "Asunto", "Cuerpo", "Firma", "Anexos")


def docx_bytes(d: dict[str, Any]) -> bytes:
    """The letter as an editable Word document: the PDF's sections, one named style each."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from reclama.render import fecha_larga, ordinal, romano

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(11)
    for name in STYLES:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_after = Pt(0 if name in ("Membrete", "Destinatario") else 6)
    doc.styles["Cuerpo"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.styles["Membrete"].font.size = Pt(10)
    doc.styles["Asunto"].font.bold = True
    doc.core_properties.title = d["titulo"]
    firm = d["despacho"] or {}
    doc.core_properties.author = firm.get("abogado") or d["consumidor"]["nombre"] or ""

    def para(text: str, style: str = "Cuerpo") -> None:
        doc.add_paragraph(text, style=style)

    for line in sender_lines(d):
        para(line, "Membrete")
    para("", "Membrete")
    v = d["vendedor"]
    for line in (v["nombre"], f"CIF {v['cif']}", v["domicilio"], v["email"]):
        if line:
            para(line, "Destinatario")
    if d["referencia"]:
        para(f"Nuestra referencia: {d['referencia']}", "Referencia")
    lugar = f"{d['lugar']}, " if d["lugar"] else ""
    fecha = doc.add_paragraph(f"{lugar}{fecha_larga(d['hoy'])}", style="Referencia")
    fecha.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(f"Asunto: {parrafo_text(d['asunto'])}", "Asunto")
    para("Muy señores míos:")
    for p in d["apertura"]:
        para(parrafo_text(p))
    doc.add_heading("Hechos", level=2)
    for n, s in enumerate(d["hechos"], 1):
        for i, p in enumerate(s["parrafos"]):
            para((f"{ordinal(n)}. " if i == 0 else "") + parrafo_text(p))
        for i, a in enumerate(s["lista"]):
            end = "." if i == len(s["lista"]) - 1 else ";"
            para(f"{'abcdefghijklmnopqrstuvwxyz'[i % 26]}) {a}{end}")
    doc.add_heading("Fundamentos de derecho", level=2)
    for n, s in enumerate(d["fundamentos"], 1):
        for i, p in enumerate(s["parrafos"]):
            head = f"{romano(n)}. " + (f"{s['titulo']}. " if s["titulo"] else "") if i == 0 else ""
            para(head + parrafo_text(p))
    doc.add_heading("Solicitud", level=2)
    para("Por todo lo expuesto, les requiero para que:")
    for n, s in enumerate(d["solicitud"], 1):
        para(f"{n}. " + " ".join(parrafo_text(p) for p in s["parrafos"]))
    for s in d["cierre"]:
        for p in s["parrafos"]:
            para(parrafo_text(p))
    para("Atentamente,", "Firma")
    para("", "Firma")
    for line in signature_lines(d):
        para(line, "Firma")
    if d["anexos"]:
        para("Documentos que se acompañan:", "Anexos")
        for n, p in enumerate(d["anexos"], 1):
            para(f"{n}. {parrafo_text(p)}", "Anexos")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def demanda_docx_bytes(d: dict[str, Any]) -> bytes:
    """The lawsuit as an editable Word document, in the order of demanda.j2.txt.

    Why: a lawyer (above 2.000 euros) or the consumer edits the draft before filing it.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from reclama.render import fecha_larga, ordinal, romano

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(11)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    doc.core_properties.title = d["titulo"]
    doc.core_properties.author = d["consumidor"]["nombre"] or ""

    def para(text: str) -> None:
        doc.add_paragraph(text)

    for p in (*d["encabezado"], *d["comparecencia"]):
        para(parrafo_text(p))
    doc.add_heading("Hechos", level=2)
    for n, p in enumerate(d["hechos"], 1):
        para(f"{ordinal(n).upper()}. {parrafo_text(p)}")
    doc.add_heading("Fundamentos de derecho", level=2)
    for n, s in enumerate(d["fundamentos"], 1):
        for i, p in enumerate(s["parrafos"]):
            head = f"{romano(n)}. " + (f"{s['titulo']}. " if s["titulo"] else "") if i == 0 else ""
            para(head + parrafo_text(p))
    doc.add_heading("Documentos que se acompañan", level=2)
    for n, p in enumerate(d["documentos"], 1):
        para(f"Documento n.º {n}. {parrafo_text(p)}")
    para("Por lo expuesto,")
    para("SUPLICO AL TRIBUNAL:")
    last = len(d["suplico"]) - 1
    for n, p in enumerate(d["suplico"]):
        para((f"{n}. " if 0 < n < last else "") + parrafo_text(p))
    for p in d["otrosi"]:
        para(parrafo_text(p))
    lugar = f"En {d['lugar']}, a " if d["lugar"] else "A "
    para(f"{lugar}{fecha_larga(d['hoy'])}.")
    para(f"Firmado: {d['consumidor']['nombre'] or ''}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- e-mail ---------------------------------------------------------------------------------


def eml_bytes(d: dict[str, Any], text: str, pdf: bytes, nombre_pdf: str) -> bytes:
    """An RFC 5322 message: To = the seller, the letter's subject, its text, the PDF attached.

    From is the firm's e-mail (replies go to the lawyer) or else the consumer's; the
    message is left for the firm's own mail program to send.
    """
    subject = parrafo_text(d["asunto"])
    body = text
    first, _, rest = text.partition("\n")
    if first.startswith("Asunto:"):  # the subject is the message's own header
        body = rest.lstrip("\n")
    msg = EmailMessage()
    sender = (d["despacho"] or {}).get("email") or d["consumidor"]["email"]
    if sender:
        msg["From"] = sender
    msg["To"] = d["vendedor"]["email"]
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.combine(d["hoy"], time(9)).astimezone())
    msg["Message-ID"] = make_msgid(domain="reclama.invalid")
    msg.set_content(body)
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=nombre_pdf)
    return bytes(msg)


# -- merged PDF ------------------------------------------------------------------------------


def merge_pdfs(paths: Iterable[Path]) -> bytes:
    """One PDF of the letters, in the order given, for printing the batch at once."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    writer.add_metadata({"/Producer": PRODUCER, "/Title": "Cartas del lote"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def merged_by_reclama(path: Path) -> bool:
    """`path` is a merged PDF reclama wrote (so a new run may replace it)."""
    try:
        from pypdf import PdfReader

        return (PdfReader(str(path)).metadata or {}).get("/Producer") == PRODUCER
    except Exception:  # not a PDF, damaged: not ours
        return False
