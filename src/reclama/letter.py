"""What a claim letter says: facts, the law the engine applied, the request, answers to excuses.

Pure: no Jinja, WeasyPrint or Babel here. `build_context` turns a case and the engine's answer
into paragraphs of text, dates, amounts and citations; the templates only lay them out. The
prose comes from templates/carta.toml and templates/excusas.toml; every citation comes from the
engine's `fundamentos` or from legal_rules/, in the version that governs this case.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from reclama.caso import Caso, Evento, in_order, negativas
from reclama.engine import Plazo, Resultado, fundamentos_of
from reclama.errors import InputError, dato
from reclama.paths import templates_dir
from reclama.plantillas import Carpetas, PlantillaError, toml_line
from reclama.remedio import PRIMARIOS as _PRIMARIOS
from reclama.remedio import SUBSIDIARIOS as _SUBSIDIARIOS
from reclama.remedio import Demanda, decidir
from reclama.rules import RuleBook, RulesError, fechas_de_evento, load_rules

FORMATOS = ("pdf", "html", "txt")
TEXT_FILES = ("carta.toml", "excusas.toml")
PARTES = ("asunto", "apertura", "hechos", "fundamentos", "solicitud", "cierre", "anexos")

# Placeholders the prose may use, besides {rule.id} citations.
VALORES = {
    "fecha_compra": "fecha del contrato",
    "fecha_entrega": "fecha de entrega",
    "fecha_descubrimiento": "fecha en que se manifestó el defecto",
    "fecha_aviso": "fecha en que se comunicó al vendedor (solo con la condición «aviso»)",
    "fecha_carta": "fecha de la carta (--hoy)",
    "vence_garantia": "fin de la garantía legal (motor)",
    "vence_presuncion": "fin de la presunción (motor)",
    "vence_respuesta": "fin del plazo de respuesta del vendedor contado desde la carta (motor)",
    "vence_resolucion": "fin de los días hábiles para resolver de la Ley 10/2025, desde la carta (motor; condición «gran-empresa»)",
    "regimen_desde": "primer día del régimen aplicable",
    "regimen_hasta": "último día del régimen aplicable (régimen de 2007)",
    "remedio_pedido": "la medida que exige la carta",
    "remedio_elegido": "la medida que eligió el comprador (--remedio)",
    "remedio_reserva": "la medida que la carta se reserva si no se atiende en plazo",
    "vence_medida": "fecha límite para llevar a cabo la medida exigida (la del plazo de respuesta)",
    "vence_prescripcion": "fin del plazo de prescripción sin contar esta carta (motor)",
    "reclamaciones_previas": "fechas de las reclamaciones recibidas que reiniciaron la prescripción",
    "garantia_dias": "días que la reparación o sustitución suspendieron la garantía",
    "garantia_pactada": "duración pactada de la garantía de un bien de segunda mano",
    "producto": "--producto",
    "pedido": "--pedido",
    "precio": "--precio (importe en euros)",
    "defecto": "--defecto",
    "nombre": "--nombre",
    "documento": "«DNI» o «NIE»",
    "dni": "--dni",
    "domicilio": "--domicilio",
    "representante": "--representante",
    "colegiado": "--colegiado",
}

CONDICIONES = {
    "representante": "firma un representante (--representante)",
    "colegiado": "se indicó --colegiado",
    "pedido": "se indicó --pedido",
    "precio": "se indicó --precio",
    "entrega-posterior": "la entrega fue posterior al día del contrato",
    "aviso": "se indicó --aviso",
    "aviso-en-plazo": "el aviso se dio dentro del plazo legal (régimen de 2007)",
    "respuestas": "el vendedor dio alguna de las respuestas de --respuesta",
    "distancia": "compra a distancia o fuera del establecimiento",
    "presuncion": "el defecto apareció dentro del plazo de presunción",
    "plazo-especial": "contenido digital o plazo de garantía pactado",
    "regimen-incierto": "contrato anterior a la reforma con entrega posterior",
    "intento-fallido": "--intento-fallido",
    "negativa": "--negativa",
    "grave": "--grave",
    "leve": "--leve",
    "segunda-mano": "--segunda-mano",
    "digital": "--digital",
    "reparacion-sustitucion": "la carta exige reparación o sustitución",
    "rebaja-resolucion": "la carta exige rebaja del precio o resolución",
    "pide-reparacion": "la carta exige la reparación",
    "pide-sustitucion": "la carta exige la sustitución",
    "pide-reparacion-o-sustitucion": "la carta exige reparación o sustitución, sin elegir",
    "pide-rebaja": "la carta exige la rebaja del precio",
    "pide-resolucion": "la carta exige la resolución",
    "remedio-cambiado": "la medida elegida no puede exigirse todavía y la carta pide otra (--forzar)",
    "cambio-subsidiario": "… porque rebaja o resolución exigen antes reparar o sustituir",
    "cambio-escasa-importancia": "… porque la resolución no procede por un defecto leve",
    "cambio-segunda-mano": "… porque no cabe sustituir un producto de segunda mano",
    "reclamacion-previa": "la carta es la reclamación previa a la demanda (fechada desde la LO 1/2025)",
    "gran-empresa": "el vendedor está en la Ley 10/2025 (--gran-empresa) y su art. 17 rige en la fecha de la carta",
    "cambio-reserva": "la medida elegida no puede exigirse todavía: se exige la elegida antes y se reserva aquella",
    "reserva": "la carta se reserva una medida para el caso de que no se atienda en plazo",
    "cronologia": "el fichero de caso registra sucesos (la carta cuenta cada aviso y respuesta con su fecha)",
    "envio-acuse": "la carta se envía por un medio que deja constancia de la recepción ([carta] prueba_recepcion)",
    "sin-producto": "el comprador se quedó sin el producto mientras el vendedor lo tenía",
    "garantia-suspendida": "una reparación o sustitución suspendió el plazo de garantía",
    "garantia-pactada": "bien de segunda mano con un plazo de garantía pactado más corto",
    "aviso-tardio": "el aviso llegó después del plazo legal (régimen de 2007): no se invoca la presunción de aviso en plazo",
    "reclamaciones-previas": "reclamaciones recibidas antes reiniciaron la prescripción",
    "hay-negativa": "el historial muestra una negativa (expresa o derivada de sus respuestas)",
    "desistimiento-en-plazo": "el plazo de desistimiento no ha terminado en la fecha de la carta",
    # Conditions of one event, inside [cronologia]:
    "ev-canal": "el suceso tiene canal",
    "ev-acuse": "el aviso se envió con prueba de recepción",
    "ev-remedio": "el aviso exigía una medida",
    "ev-excusas": "la respuesta tiene excusas registradas",
    "ev-ofrece": "la respuesta ofrecía otra medida",
    "ev-negativa": "la respuesta equivale a una negativa",
    "ev-varias": "varias respuestas iguales seguidas, contadas juntas",
    "ev-reparado": "el producto volvió conforme",
}

# Placeholders of one event, inside [cronologia].
VALORES_SUCESO = {
    "ev_fecha": "fecha del suceso (la primera, si son varias respuestas iguales)",
    "ev_hasta": "fecha de la última de varias respuestas iguales",
    "ev_veces": "número de respuestas iguales",
    "ev_canal": "canal del suceso, como lo nombra [cronologia.canales]",
    "ev_remedio": "la medida que exigía el aviso",
    "ev_alegaciones": "lo que dijo el vendedor (la «alegacion» de cada excusa)",
    "ev_ofrece": "la medida que ofrecía el vendedor",
    "ev_negativa": "por qué la respuesta equivale a una negativa",
}
# Event types the letter narrates (a withdrawal or the case's closing are not this claim).
_NARRADOS = ("aviso", "respuesta", "entrega-reparacion", "devolucion", "reaparece")

# (section, field) of the case file: what a letter cannot go without.
_REQUIRED = (
    ("consumidor", "nombre"),
    ("consumidor", "dni"),
    ("consumidor", "domicilio"),
    ("vendedor", "nombre"),
    ("vendedor", "cif"),
    ("compra", "producto"),
    ("defecto", "descripcion"),
)

# Draft letters (`carta --borrador`): each datum of _REQUIRED that is missing is written as a
# visible blank, which the templates highlight; the final letter refuses to go without them.
BLANK = "[{}: complete este dato]"
_BLANK_LABEL = {
    ("consumidor", "nombre"): "nombre y apellidos",
    ("consumidor", "dni"): "número",  # follows «DNI»/«NIE» in the letter
    ("consumidor", "domicilio"): "domicilio",
    ("vendedor", "nombre"): "razón social del vendedor",
    ("vendedor", "cif"): "número",  # follows «CIF»
    ("compra", "producto"): "producto, como figura en la factura",
    ("defecto", "descripcion"): "descripción del defecto",
}


def with_blanks(caso: Caso) -> tuple[Caso, list[str]]:
    """The case with each missing datum a letter needs as a marked blank, and the case-file
    keys left blank (`consumidor.dni`)."""
    updates: dict[str, dict[str, str]] = {}
    for section, name in _REQUIRED:
        if not getattr(getattr(caso, section), name):
            updates.setdefault(section, {})[name] = BLANK.format(_BLANK_LABEL[section, name])
    # model_copy does not validate: a blank is not a valid DNI, on purpose.
    sections = {s: getattr(caso, s).model_copy(update=u) for s, u in updates.items()}
    claves = [f"{s}.{name}" for s, name in _REQUIRED if name in updates.get(s, {})]
    return caso.model_copy(update=sections), claves


def has_blanks(caso: Caso) -> bool:
    suffix = BLANK.format("")[2:]
    return any(suffix in str(getattr(getattr(caso, s), name) or "") for s, name in _REQUIRED)


_MARCA = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class CitaCarta:
    """One quotation in the letter: label with its article ("el art. 5.2 del Código Civil") and literal text.

    `texto` is the citation's full text in legal_rules/ (what the engine applied, and what the
    PDF/A attachment carries); `breve`, when the rule file gives one, is a shorter literal
    excerpt of it, and is what the letter quotes.
    """

    regla: str
    regimen: str | None
    norma: str
    articulo: str
    etiqueta: str
    texto: str
    url: str
    valido_desde: date
    repetida: bool = False  # already quoted above: the template shows only the label
    breve: str | None = None

    @property
    def citado(self) -> str:
        """What goes between «»: the excerpt, or else the text, without its final period (RAE)."""
        return _unquoted(self.breve or self.texto) or ""


@dataclass(frozen=True)
class Tramo:
    """A piece of a paragraph: plain text, a date, an amount or a citation (exactly one).

    `codigo` marks a text that must never be split across lines (an order number).
    """

    texto: str = ""
    fecha: date | None = None
    euros: Decimal | None = None
    cita: CitaCarta | None = None
    codigo: bool = False

    @property
    def es_texto(self) -> bool:
        return self.cita is None and self.fecha is None and self.euros is None and not self.codigo


Parrafo = tuple[Tramo, ...]


@dataclass(frozen=True)
class Seccion:
    clave: str
    titulo: str | None
    parrafos: tuple[Parrafo, ...]
    lista: tuple[str, ...] = ()  # the seller's answers, listed after the paragraphs
    excusa: bool = False  # the answer to one of the seller's excuses


# The letter's remedy is reclama.remedio's decision (one for letter, drafts, report, batch).
RemedioCarta = Demanda


# --- the texts ----------------------------------------------------------------------------


def load_texts(*dirs: Path, names: tuple[str, ...] = TEXT_FILES) -> dict[str, dict[str, Any]]:
    """carta.toml and excusas.toml (or `names`) from template folders; a section in an earlier folder wins.

    The last folder must hold the complete files (the bundled templates/); earlier ones may
    override single sections, so a law firm changes one answer without copying the rest.
    Files are read only from inside the folders, symlinks resolved (`reclama.plantillas`).

    Raises:
        PlantillaError: a file is not valid TOML, not UTF-8, has a value of the wrong type,
            or leads outside the folders.
    """
    carpetas = Carpetas(dirs or (templates_dir(),))
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        merged: dict[str, Any] = {}
        for folder in reversed(carpetas.dirs):
            path = carpetas.find(name, folder)
            if path is None:
                continue
            text = carpetas.read_text(path)
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as e:
                where = re.search(r"line (\d+), column (\d+)", str(e))
                linea, columna = (int(where[1]), where[2]) if where else (None, "?")
                raise PlantillaError(
                    path, f"TOML no válido (cerca de la columna {columna})", linea
                ) from None
            _check_texts(path, text, data)
            merged.update(data)
        out[name.removesuffix(".toml")] = merged
    return out


_TEXTO_SECCION = ("parte", "titulo", "lista", "alegacion")
_REGIMENES = ("2007", "2022", "todos")


def _check_texts(path: Path, text: str, data: dict[str, Any]) -> None:
    """The shapes `_Builder` relies on, so a wrong type is a message with its line, not a traceback."""

    def bad(section: str, key: str | None, mensaje: str) -> PlantillaError:
        return PlantillaError(path, mensaje, toml_line(text, section, key))

    for clave, seccion in data.items():
        if not isinstance(seccion, dict):
            raise bad(clave, None, f"«{clave}» debe ser una tabla [{clave}]")
        for key in _TEXTO_SECCION:
            if key in seccion and not isinstance(seccion[key], str):
                raise bad(clave, key, f"«{clave}.{key}» debe ser un texto entre comillas")
        if "excusas" in seccion and not isinstance(seccion["excusas"], bool):
            raise bad(clave, "excusas", f"«{clave}.excusas» debe ser true o false")
        for regimen in _REGIMENES:
            if regimen not in seccion:
                continue
            sub, where = seccion[regimen], f"{clave}.{regimen}"
            if not isinstance(sub, dict):
                raise bad(clave, regimen, f"«{where}» debe ser una tabla [{where}]")
            parrafos = sub.get("parrafos", [])
            if not isinstance(parrafos, list):
                raise bad(where, "parrafos", f"«{where}.parrafos» debe ser una lista de párrafos")
            for p in parrafos:
                for parte in p if isinstance(p, list) else [p]:
                    if isinstance(parte, str):
                        continue
                    ok = isinstance(parte, dict) and isinstance(parte.get("texto", ""), str)
                    si = parte.get("si") if isinstance(parte, dict) else None
                    ok = ok and (
                        si is None
                        or isinstance(si, str)
                        or (isinstance(si, list) and all(isinstance(x, str) for x in si))
                    )
                    if not ok:
                        raise bad(
                            where,
                            "parrafos",
                            f"«{where}.parrafos»: cada párrafo es un texto, una tabla "
                            "{si = ..., texto = ...} o una lista de ellos",
                        )


@cache
def _bundled_texts() -> dict[str, dict[str, Any]]:
    return load_texts(templates_dir())


# --- readiness ----------------------------------------------------------------------------


def check_format(formato: str, pdf_a: bool) -> None:
    """Raises InputError for an unknown format, or PDF/A asked for something that is not a PDF."""
    if formato not in FORMATOS:
        raise InputError(
            "carta.formato", f"«{formato}» no es un formato; use {', '.join(FORMATOS)}"
        )
    if pdf_a and formato != "pdf":
        raise InputError("carta.pdf_a", "solo se aplica con --formato pdf")


def check_letter_ready(caso: Caso, resultado: Resultado, forzar: bool) -> None:
    """Refuse a letter that would be incomplete or ask for what the law does not give yet.

    Args:
        caso: the validated case (DNI and CIF are already checked by `reclama.caso`).
        resultado: the engine's answer for the case on the letter's date.
        forzar: let the letter ask for the remedy that can be demanded, explaining why,
            when the chosen one cannot be demanded yet.

    Raises:
        InputError: naming the fact to fix; every missing datum at once.
    """
    missing = [(s, f) for s, f in _REQUIRED if not getattr(getattr(caso, s), f)]
    if missing:
        raise InputError.todos(
            InputError(
                f"{section}.{name}",
                f"falta este dato, necesario para la carta (en el fichero de caso: [{section}] {name})",
            )
            for section, name in missing
        )
    if caso.representante.colegiado and not caso.representante.nombre:
        raise InputError(
            "representante.nombre",
            f"indique quién firma en representación (se dio {dato('representante.colegiado')})",
        )
    _remedio(caso, resultado, forzar)


def _remedio(caso: Caso, resultado: Resultado, forzar: bool) -> Demanda:
    """reclama.remedio's decision, refused when the letter cannot carry it.

    A seller answer that the demand makes moot (an offer to repair when the letter demands
    the repair) is simply not rebutted: a true answer never has to leave the record.
    """
    if caso.reclamacion.remedio == "desistimiento":
        raise InputError(
            "reclamacion.remedio",
            "la carta reclama la garantía legal por un defecto; el desistimiento se ejerce con "
            "otra comunicación, que reclama no redacta",
        )
    demanda = decidir(caso, resultado)
    if demanda.pedido != (demanda.elegido,) and not forzar:
        posibles = [r for r in resultado.remedios_admisibles if r in _PRIMARIOS + _SUBSIDIARIOS]
        como = ""
        if resultado.en_garantia and not caso.reclamacion.negativa and demanda.cambio == "reserva":
            como = (
                " Si el vendedor ya se negó a lo que usted le exigió, regístrelo "
                "(un suceso «respuesta» con sus excusas o con negativa = true): su negativa "
                "abre la rebaja o la resolución."
            )
        raise InputError(
            "reclamacion.remedio",
            f"{resultado.remedio.motivo} Elija {dato('reclamacion.remedio')} "
            f"{' o '.join(posibles)}, o use --forzar "
            f"para que la carta exija {demanda.nombre} y se reserve la medida elegida.{como}",
        )
    return demanda


# --- the context --------------------------------------------------------------------------


def build_context(
    caso: Caso,
    resultado: Resultado,
    hoy: date,
    textos: dict[str, dict[str, Any]] | None = None,
    book: RuleBook | None = None,
    *,
    carta: Resultado,
) -> dict[str, Any]:
    """The letter, already worded; call `check_letter_ready` first. Templates see `template_data` of it.

    Args:
        caso: the case.
        resultado: `evaluate(caso.hechos(), hoy)`.
        hoy: the letter's date. The letter is itself a claim: the seller's deadline to answer
            and the interruption of the limitation period are evaluated from this date.
        textos: `load_texts(...)` (the bundled texts by default).
        book: the rules (the bundled legal_rules/ by default).
        carta: the engine's answer once the seller has this letter
            (`reclama.evaluation.letter_evaluation(caso, hoy)`): the letter only reads it.

    Returns:
        A dict: parties, `asunto`, `apertura`, `hechos`, `alegaciones`, `fundamentos`, `excusas`,
        `solicitud`, `cierre`, `anexos` (sections of paragraphs of `Tramo`), `remedio`, `respuesta`
        (the deadline), `citas` (every quotation used, once), `avisos` (unverified points to tell
        the user) and `caso`/`resultado` themselves (for Python callers; never for templates).

    Raises:
        InputError: a text file names an unknown placeholder or condition.
        RulesError: a citation has no version for this case, or belongs to the other regime.
    """
    return _Builder(
        caso, resultado, hoy, textos or _bundled_texts(), book or load_rules(), carta=carta
    ).context()


# What the templates receive: plain values only. Why: a template from a --plantillas folder is
# untrusted, and a pydantic model or engine object hands it methods (parse_raw with pickle,
# parse_file) that run code or read files; dicts, lists, str, date, Decimal and bool do not.
_CONSUMIDOR = ("nombre", "dni", "domicilio", "email", "telefono")
_VENDEDOR = ("nombre", "cif", "domicilio", "email")


def template_data(ctx: dict[str, Any], firma: dict[str, Any] | None = None) -> dict[str, Any]:
    """The letter as plain data for Jinja: `build_context`'s answer without objects or user-only notes.

    `firma` (`representation_data`) adds the letter's reference and the firm that signs it.
    """
    c = ctx["caso"]
    rep = ctx["representante"]
    respuesta = ctx["respuesta"]
    return {
        **representation_data(**(firma or {})),
        "hoy": ctx["hoy"],
        "regimen": ctx["regimen"],
        "consumidor": {k: getattr(c.consumidor, k) for k in _CONSUMIDOR},
        "representante": {"nombre": rep.nombre, "colegiado": rep.colegiado} if rep else None,
        "vendedor": {k: getattr(c.vendedor, k) for k in _VENDEDOR},
        "documento": ctx["documento"],
        "lugar": ctx["lugar"],
        "titulo": ctx["titulo"],
        "borrador": ctx["borrador"],
        "asunto": _plain_parrafo(ctx["asunto"]),
        "apertura": [_plain_parrafo(p) for p in ctx["apertura"]],
        **{
            k: [_plain_seccion(s) for s in ctx[k]]
            for k in ("hechos", "fundamentos", "excusas", "solicitud", "cierre")
        },
        "alegaciones": list(ctx["alegaciones"]),
        "anexos": [_plain_parrafo(p) for p in ctx["anexos"]],
        "remedio": {
            "elegido": ctx["remedio"].elegido,
            "pedido": list(ctx["remedio"].pedido),
            "cambio": ctx["remedio"].cambio,
        },
        "respuesta": {"vence": respuesta.vence, "desde": respuesta.desde} if respuesta else None,
        "citas": [_plain_cita(x) for x in ctx["citas"]],
    }


def representation_data(
    referencia: str | None = None, despacho: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The letter's reference and the signing firm (name, lawyer, address for replies), plain.

    Why both always present: templates run with StrictUndefined, and a letterhead that
    prints `{{ referencia }}` must work for `reclama carta` too (where it is None).
    """
    keys = ("nombre", "abogado", "colegiado", "domicilio", "email", "telefono")
    plain = {k: (str(despacho[k]) if despacho.get(k) else None) for k in keys} if despacho else None
    return {"referencia": referencia, "despacho": plain}


def _plain_cita(c: CitaCarta) -> dict[str, Any]:
    return {
        "regla": c.regla,
        "regimen": c.regimen,
        "norma": c.norma,
        "articulo": c.articulo,
        "etiqueta": c.etiqueta,
        "texto": c.texto,
        "breve": c.breve,
        "citado": c.citado,
        "url": c.url,
        "valido_desde": c.valido_desde,
        "repetida": c.repetida,
    }


def _plain_parrafo(parrafo: Parrafo) -> list[dict[str, Any]]:
    return [
        {
            "texto": t.texto,
            "fecha": t.fecha,
            "euros": t.euros,
            "cita": _plain_cita(t.cita) if t.cita is not None else None,
            "es_texto": t.es_texto,
            "codigo": t.codigo,
        }
        for t in parrafo
    ]


def _plain_seccion(s: Seccion) -> dict[str, Any]:
    return {
        "clave": s.clave,
        "titulo": s.titulo,
        "parrafos": [_plain_parrafo(p) for p in s.parrafos],
        "lista": list(s.lista),
        "excusa": s.excusa,
    }


class _Builder:
    """Words a letter from the engine's answers; it reads them and never runs the engine.

    `resultado` is the verdict on the letter's date; `carta` the verdict once the seller
    has the letter (`reclama.evaluation.letter_evaluation`), for what the letter starts.
    """

    def __init__(
        self,
        caso: Caso,
        resultado: Resultado,
        hoy: date,
        textos: dict,
        book: RuleBook,
        *,
        carta: Resultado,
    ):
        self.caso, self.r, self.hoy, self.textos, self.book = caso, resultado, hoy, textos, book
        self.carta = carta
        self.remedio = _remedio(caso, resultado, forzar=True)
        self.fundamentos = [*resultado.fundamentos, *self.carta.fundamentos]
        self.citas: dict[tuple, CitaCarta] = {}
        self.quoted: set[tuple[str, str, str]] = set()
        self.fuente = ""
        self.negativas = negativas(caso)
        self.codigos = [
            x
            for x in dict.fromkeys(caso.reclamacion.respuestas)
            # an offer to repair is no excuse against a letter that demands the repair
            if not (x == "solo-reparacion" and self.remedio.pedido == ("reparacion",))
        ]
        self.valores = self._valores()
        self.condiciones = self._condiciones()

    # -- placeholders ---------------------------------------------------------------------
    def _valores(self) -> dict[str, Any]:
        c, r = self.caso, self.r
        regimen = next(f for f in r.fundamentos if f.regla == "trlgdcu.regimen")
        respuesta = self.carta.plazos["respuesta_empresario"]
        resolucion = self.carta.plazos.get("resolucion_empresario")
        dni = c.consumidor.dni or ""
        return {
            "fecha_compra": r.fecha_compra,
            "fecha_entrega": r.fecha_entrega,
            "fecha_descubrimiento": r.fecha_descubrimiento,
            "fecha_aviso": c.reclamacion.aviso,
            "fecha_carta": self.hoy,
            "vence_garantia": r.plazos["garantia"].vence,
            "vence_presuncion": r.plazos["presuncion"].vence,
            "vence_respuesta": respuesta.vence if respuesta else None,
            "vence_resolucion": resolucion.vence if resolucion else None,
            "regimen_desde": regimen.valido_desde,
            "regimen_hasta": regimen.valido_hasta,
            "remedio_pedido": self._nombre(self.remedio.pedido),
            "remedio_elegido": self._nombre((self.remedio.elegido,)),
            "remedio_reserva": self._nombre(self.remedio.reserva) if self.remedio.reserva else None,
            "vence_medida": respuesta.vence if respuesta else None,
            "vence_prescripcion": r.plazos["prescripcion"].vence,
            "reclamaciones_previas": tuple(
                x.desde
                for x in _pasos(r.plazos["prescripcion"], "cc.interrupcion_prescripcion")
                if x.desde is not None
            ),
            "garantia_dias": str(
                sum(x.dias for x in _pasos(r.plazos["garantia"], "trlgdcu.suspension_reparacion"))
            ),
            "garantia_pactada": (
                f"{c.compra.garantia_pactada_meses} meses"
                if c.compra.garantia_pactada_meses
                else None
            ),
            "producto": c.compra.producto,
            "pedido": Tramo(texto=c.compra.pedido, codigo=True) if c.compra.pedido else None,
            "precio": c.compra.precio,
            "defecto": _unquoted(c.defecto.descripcion),
            "nombre": c.consumidor.nombre,
            "documento": "NIE" if dni[:1] in ("X", "Y", "Z") else "DNI",
            "dni": dni,
            "domicilio": c.consumidor.domicilio,
            "representante": c.representante.nombre,
            "colegiado": c.representante.colegiado,
        }

    def _nombre(self, remedios: tuple[str, ...]) -> str:
        """The measures as the letter names them: carta.toml [remedio.medidas], by regime."""
        # A firm's [remedio] that leaves the names out keeps the bundled ones.
        medidas = self.textos["carta"].get("remedio", {}).get("medidas")
        medidas = medidas or _bundled_texts()["carta"]["remedio"]["medidas"]
        nombres = {**medidas.get("todos", {}), **medidas.get(self.r.regimen, {})}
        if set(remedios) == set(_SUBSIDIARIOS):  # the law's own pair: «la rebaja o la resolución»
            remedios = _SUBSIDIARIOS
        juntas = "_o_".join(remedios)  # a name for the pair, e.g. reparacion_o_sustitucion
        claves = [juntas] if juntas in nombres else list(remedios)
        for x in claves:
            if x not in nombres:
                raise InputError("carta.toml [remedio]", f"falta el nombre de la medida «{x}»")
        return " o ".join(str(nombres[x]) for x in claves)

    def _condiciones(self) -> dict[str, bool]:
        c, r, h = self.caso, self.r, self.caso.hechos()
        pedido, cambio = self.remedio.pedido, self.remedio.cambio
        return {
            "representante": bool(c.representante.nombre),
            "colegiado": bool(c.representante.colegiado),
            "pedido": bool(c.compra.pedido),
            "precio": c.compra.precio is not None,
            "entrega-posterior": r.fecha_entrega != r.fecha_compra,
            "aviso": h.fecha_aviso is not None,
            "aviso-en-plazo": h.fecha_aviso is not None and r.aviso_tardio is False,
            "respuestas": bool(c.reclamacion.respuestas),
            "distancia": h.canal in ("distancia", "fuera-establecimiento"),
            "presuncion": r.carga_prueba == "empresario",
            "plazo-especial": h.digital or h.garantia_pactada_meses is not None,
            "regimen-incierto": r.regimen_incierto,
            "intento-fallido": h.intento_fallido,
            "negativa": h.negativa,
            "grave": h.grave,
            "leve": h.leve,
            "segunda-mano": h.segunda_mano,
            "digital": h.digital,
            "reparacion-sustitucion": any(x in _PRIMARIOS for x in pedido),
            "rebaja-resolucion": any(x in _SUBSIDIARIOS for x in pedido),
            "pide-reparacion": pedido == ("reparacion",),
            "pide-sustitucion": pedido == ("sustitucion",),
            "pide-reparacion-o-sustitucion": len(pedido) > 1,
            "pide-rebaja": pedido == ("rebaja",),
            "pide-resolucion": pedido == ("resolucion",),
            "remedio-cambiado": cambio is not None,
            "cambio-subsidiario": cambio == "reserva",
            "cambio-reserva": cambio == "reserva",
            "reserva": bool(self.remedio.reserva) and any(x in _PRIMARIOS for x in pedido),
            "cronologia": any(ev.tipo in _NARRADOS for ev in c.eventos),
            "envio-acuse": c.carta.prueba_recepcion,
            "sin-producto": any(
                x.hasta is None or x.hasta > x.desde for x in c.reclamacion.reparaciones
            ),
            "garantia-suspendida": any(
                x.dias for x in _pasos(r.plazos["garantia"], "trlgdcu.suspension_reparacion")
            ),
            "garantia-pactada": h.segunda_mano
            and any(
                x.regla == "trlgdcu.garantia_plazo" for x in r.plazos["garantia"].derivacion[1:]
            ),
            "aviso-tardio": r.aviso_tardio is True,
            "reclamaciones-previas": bool(
                _pasos(r.plazos["prescripcion"], "cc.interrupcion_prescripcion")
            ),
            "hay-negativa": h.negativa,
            "desistimiento-en-plazo": bool(
                (d := r.plazos.get("desistimiento")) is not None and not d.vencido
            ),
            "cambio-escasa-importancia": cambio == "escasa-importancia",
            "cambio-segunda-mano": cambio == "segunda-mano",
            "reclamacion-previa": self.carta.via_judicial is not None,
            "gran-empresa": self.carta.plazos.get("resolucion_empresario") is not None,
        }

    def _error(self, mensaje: str) -> InputError:
        return InputError(self.fuente, mensaje)

    def _cumple(self, si: str | list[str] | None) -> bool:
        for cond in [si] if isinstance(si, str) else si or []:
            name = cond.removeprefix("!")
            if name.startswith("excusa:"):
                valor = name.removeprefix("excusa:") in self.codigos
            elif name.startswith("dudoso:"):
                valor = self._version(name.removeprefix("dudoso:"))[1].no_verificado is not None
            elif name in self.condiciones:
                valor = self.condiciones[name]
            else:
                raise self._error(f"condición desconocida «{cond}»")
            if valor == cond.startswith("!"):
                return False
        return True

    # -- citations ------------------------------------------------------------------------
    def _version(self, rule_id: str):
        try:
            rule = self.book.rule(rule_id)
        except RulesError:
            raise self._error(f"la regla «{rule_id}» no existe en legal_rules/") from None
        # Each rule picks its version by the date it names: the purchase, or this letter.
        fechas = fechas_de_evento(self.r.fecha_compra, self.hoy)
        version = rule.select(fechas)
        if version is None:
            fecha = rule.fecha(fechas)
            raise RulesError(f"la regla {rule_id} no tiene versión en vigor el {fecha:%d/%m/%Y}")
        if version.regimen not in (None, self.r.regimen):
            raise RulesError(
                f"{rule_id}: la versión del régimen {version.regimen} no es la del caso"
            )
        return rule, version

    def _cita(self, ref: str) -> CitaCarta:
        ref, _, modo = ref.partition("!")  # {regla!texto}: the whole text, not the excerpt
        rule_id, _, n = ref.partition("#")
        _, version = self._version(rule_id)
        found = [
            f
            for f in self.fundamentos
            if f.regla == rule_id and f.valido_desde == version.valido_desde
        ]
        if not found:  # a rule the engine did not need: the same version, from legal_rules/
            found = fundamentos_of(self.book, rule_id, version)
        found = list({(f.articulo, f.texto): f for f in found}.values())
        i = int(n) - 1 if n.isdigit() else 0
        if not 0 <= i < len(found):
            raise self._error(f"«{{{ref}}}»: la regla {rule_id} tiene {len(found)} cita(s)")
        f = found[i]
        key = (f.norma, f.articulo, f.texto)
        # The engine's Fundamento carries the full text; the excerpt is in the same rule version.
        breve = next(
            (c.breve for c in version.cita if (c.articulo, c.texto) == (f.articulo, f.texto)), None
        )
        if modo == "texto":
            breve = None
        cita = CitaCarta(
            regla=rule_id,
            regimen=f.regimen,
            norma=f.norma,
            articulo=f.articulo,
            etiqueta=etiqueta(f.articulo, f.norma),
            texto=f.texto,
            url=f.url,
            valido_desde=f.valido_desde,
            repetida=key in self.quoted,
            breve=breve,
        )
        self.quoted.add(key)
        self.citas.setdefault((rule_id, f.valido_desde, f.articulo, f.texto), cita)
        return cita

    # -- paragraphs -----------------------------------------------------------------------
    def _tramos(self, texto: str) -> list[Tramo]:
        out: list[Tramo] = []
        pos = 0
        for m in _MARCA.finditer(texto):
            out.append(Tramo(texto=texto[pos : m.start()]))
            name = m.group(1)
            if "." in name:
                out.append(Tramo(cita=self._cita(name)))
            elif name not in self.valores:
                raise self._error(f"marcador desconocido «{{{name}}}»")
            else:
                valor = self.valores[name]
                if valor is None:
                    raise self._error(
                        f"«{{{name}}}» no tiene valor en este caso (póngalo bajo una condición)"
                    )
                if isinstance(valor, Tramo):
                    out.append(valor)
                elif isinstance(valor, tuple):  # dates: «el 1, el 2 y el 3»
                    for n, d in enumerate(valor):
                        if n:
                            out.append(Tramo(texto=" y el " if n == len(valor) - 1 else ", el "))
                        out.append(Tramo(fecha=d))
                elif isinstance(valor, date):
                    out.append(Tramo(fecha=valor))
                elif isinstance(valor, Decimal):
                    out.append(Tramo(euros=valor))
                else:
                    out.append(Tramo(texto=str(valor)))
            pos = m.end()
        out.append(Tramo(texto=texto[pos:]))
        return out

    def _parrafos(self, spec: dict[str, Any] | None) -> tuple[Parrafo, ...]:
        out = []
        for p in (spec or {}).get("parrafos", []):
            tramos: list[Tramo] = []
            for parte in p if isinstance(p, list) else [p]:
                if isinstance(parte, dict):
                    if not self._cumple(parte.get("si")):
                        continue
                    parte = parte.get("texto", "")
                tramos += self._tramos(parte)
            merged = _merge(tramos)
            if merged:
                out.append(merged)
        return tuple(out)

    def _seccion(self, clave: str, data: dict[str, Any], lista: tuple[str, ...] = ()) -> Seccion:
        spec = data.get(self.r.regimen, data.get("todos"))
        return Seccion(clave, data.get("titulo"), self._parrafos(spec), lista)

    def context(self) -> dict[str, Any]:
        c, r = self.caso, self.r
        codigos = self.codigos
        alegaciones = [
            str(self.textos["excusas"].get(code, {}).get("alegacion", code)) for code in codigos
        ]
        by_parte: dict[str, list[tuple[str, dict]]] = {p: [] for p in PARTES}
        for clave, data in self.textos["carta"].items():
            parte = data.get("parte") if isinstance(data, dict) else None
            if parte not in PARTES:
                self.fuente = f"carta.toml [{clave}]"
                raise self._error(f"«parte» debe ser una de: {', '.join(PARTES)}")
            by_parte[parte].append((clave, data))
        # Built in the letter's order, so a citation is quoted only the first time, then named.
        partes: dict[str, list[Seccion]] = {}
        excusas: list[Seccion] = []
        for parte in PARTES:
            partes[parte] = []
            for clave, data in by_parte[parte]:
                if data.get("excusas"):
                    excusas = self._excusas(codigos)
                    partes[parte] += excusas
                    continue
                if data.get("cronologia"):
                    self.fuente = f"carta.toml [{clave}]"
                    partes[parte] += self._cronologia(clave, data)
                    continue
                self.fuente = f"carta.toml [{clave}]"
                lista = tuple(alegaciones) if data.get("lista") == "alegaciones" else ()
                seccion = self._seccion(clave, data, lista)
                if seccion.parrafos:
                    partes[parte].append(seccion)
        citas = list(self.citas.values())
        return {
            "caso": c,
            "resultado": r,
            "hoy": self.hoy,
            "regimen": r.regimen,
            "consumidor": c.consumidor,
            "representante": c.representante if c.representante.nombre else None,
            "vendedor": c.vendedor,
            "documento": self.valores["documento"],
            "lugar": c.carta.lugar,
            "titulo": f"Reclamación por falta de conformidad a {c.vendedor.nombre}",
            "asunto": _first(partes["asunto"]),
            "apertura": [p for s in partes["apertura"] for p in s.parrafos],
            "hechos": partes["hechos"],
            "alegaciones": alegaciones,
            "fundamentos": partes["fundamentos"],
            "excusas": excusas,
            "solicitud": partes["solicitud"],
            "cierre": partes["cierre"],
            "anexos": [p for s in partes["anexos"] for p in s.parrafos],
            "remedio": self.remedio,
            "respuesta": self.carta.plazos["respuesta_empresario"],
            "citas": citas,
            "avisos": self._avisos(citas),
            "borrador": has_blanks(c),
        }

    def _cronologia(self, clave: str, data: dict[str, Any]) -> list[Seccion]:
        """One numbered fact per notice, answer, hand-over and return, each with its date.

        Consecutive answers that say the same thing by the same channel are told once
        ("Entre el ... y el ..., en N ocasiones"): the sequence stays, the letter stays short.
        """
        spec = data.get(self.r.regimen, data.get("todos")) or {}
        canales = data.get("canales", {})
        refusals = {n.indice: n for n in self.negativas}
        grupos: list[list[tuple[int, Evento]]] = []
        for i, ev in in_order(self.caso):
            if ev.tipo not in _NARRADOS:
                continue
            prev = grupos[-1][-1] if grupos else None
            same = (
                prev is not None
                and ev.tipo == prev[1].tipo == "respuesta"
                and (
                    (ev.canal, ev.respuestas, ev.ofrece, i in refusals)
                    == (prev[1].canal, prev[1].respuestas, prev[1].ofrece, prev[0] in refusals)
                )
            )
            if same:
                grupos[-1].append((i, ev))
            else:
                grupos.append([(i, ev)])
        out = []
        saved = dict(self.valores), dict(self.condiciones)
        try:
            for grupo in grupos:
                i, ev = grupo[0]
                last = grupo[-1][1]
                negativa = refusals.get(i)
                alegaciones = [
                    str(self.textos["excusas"].get(x, {}).get("alegacion", x))
                    for x in ev.respuestas
                ]
                ofrece = ev.ofrece
                if ofrece == "reparacion" and "solo-reparacion" in ev.respuestas:
                    ofrece = None  # the excuse already says so
                por_que = data.get("negativas", {})
                self.valores.update(
                    {
                        "ev_fecha": ev.fecha,
                        "ev_hasta": last.fecha,
                        "ev_veces": str(len(grupo)),
                        "ev_canal": str(canales.get(ev.canal, ev.canal)) if ev.canal else None,
                        "ev_remedio": self._nombre((ev.remedio,)) if ev.remedio else None,
                        "ev_alegaciones": "; ".join(alegaciones) or None,
                        "ev_ofrece": self._nombre((ofrece,)) if ofrece else None,
                        "ev_negativa": "; ".join(
                            str(por_que.get(x, por_que.get("expresa", x))) for x in negativa.codigos
                        )
                        if negativa
                        else None,
                    }
                )
                self.condiciones.update(
                    {
                        "ev-canal": bool(ev.canal),
                        "ev-acuse": bool(ev.prueba_recepcion),
                        "ev-remedio": bool(ev.remedio),
                        "ev-excusas": bool(alegaciones),
                        "ev-ofrece": bool(ofrece),
                        "ev-negativa": negativa is not None,
                        "ev-varias": len(grupo) > 1,
                        "ev-reparado": ev.reparado is not False,
                    }
                )
                parrafos = self._parrafos({"parrafos": spec.get(ev.tipo, [])})
                if parrafos:
                    out.append(Seccion(f"{clave}.{ev.tipo}", None, parrafos))
        finally:
            self.valores, self.condiciones = saved
        return out

    def _excusas(self, codigos: list[str]) -> list[Seccion]:
        out = []
        for code in codigos:
            self.fuente = f"excusas.toml [{code}]"
            data = self.textos["excusas"].get(code)
            if not data or "alegacion" not in data:
                raise self._error("falta la respuesta a esta excusa")
            seccion = self._seccion(code, data)
            if not seccion.parrafos:
                raise self._error(f"no hay texto para el régimen {self.r.regimen}")
            out.append(Seccion(code, seccion.titulo, seccion.parrafos, excusa=True))
        return out

    def _avisos(self, citas: list[CitaCarta]) -> list[str]:
        out = []
        if self.remedio.cambio:
            out.append(
                f"La carta exige {self.valores['remedio_pedido']} en lugar de "
                f"{self.valores['remedio_elegido']}: {self.remedio.motivo}"
            )
        for regla in dict.fromkeys(c.regla for c in citas):
            nota = self._version(regla)[1].no_verificado
            if nota:
                out.append(
                    f"Punto no verificado ({regla}): {nota} La carta lo formula con prudencia."
                )
        return out


def _pasos(p: Plazo | None, regla: str) -> list:
    """The steps of a deadline's derivation that apply `regla`."""
    return [x for x in (p.derivacion[1:] if p else []) if x.regla == regla]


def _merge(tramos: list[Tramo]) -> Parrafo:
    """Join neighbouring plain-text pieces and drop empty ones."""
    out: list[Tramo] = []
    for t in tramos:
        if t.es_texto and not t.texto:
            continue
        if t.es_texto and out and out[-1].es_texto:
            out[-1] = Tramo(texto=out[-1].texto + t.texto)
        else:
            out.append(t)
    return tuple(out)


def _unquoted(text: str | None) -> str | None:
    """A text to quote «like this»: the closing period goes after the quote mark (RAE)."""
    return text.rstrip().removesuffix(".") if text else text


def _first(secciones: list[Seccion]) -> Parrafo:
    return secciones[0].parrafos[0] if secciones else ()


def etiqueta(articulo: str, norma: str) -> str:
    """'el art. 5.2 del Código Civil', 'la DF 8.ª d) del RDL 7/2021', 'el art. 18.1 a) de la Ley 7/2017'."""
    pieza = f"el art. {articulo}" if articulo[:1].isdigit() else f"la {articulo}"
    if "," in articulo:  # "el art. 5.1, párrafo segundo, del Código Civil"
        pieza += ","
    de = "de la" if norma.startswith("Ley") else "del"
    return f"{pieza} {de} {norma}"


def plain_text(parrafo: Parrafo, fecha, euros) -> str:
    """A paragraph as text, with the given formatters for dates and amounts (tests, subjects)."""
    out = []
    for t in parrafo:
        if t.cita is not None:
            out.append(
                t.cita.etiqueta if t.cita.repetida else f"{t.cita.etiqueta}: «{t.cita.citado}»"
            )
        elif t.fecha is not None:
            out.append(fecha(t.fecha))
        elif t.euros is not None:
            out.append(euros(t.euros))
        else:
            out.append(t.texto)
    return "".join(out)


__all__ = [
    "CONDICIONES",
    "FORMATOS",
    "VALORES",
    "CitaCarta",
    "Parrafo",
    "RemedioCarta",
    "Seccion",
    "Tramo",
    "build_context",
    "check_format",
    "check_letter_ready",
    "etiqueta",
    "has_blanks",
    "load_texts",
    "plain_text",
    "template_data",
    "with_blanks",
]
