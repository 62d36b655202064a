"""What the small-claims lawsuit (demanda de juicio verbal) says, drafted from the case, and when it can be filed.

Pure, like reclama.letter: the prose comes from templates/demanda.toml, every citation from the
engine's answer or legal_rules/, and the templates only lay it out. The lawsuit is possible only
once the prior claim of LO 1/2025 lets the consumer sue (reclama.via_judicial); otherwise
`check_demanda_ready` says, with the date, what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reclama.caso import Caso
from reclama.engine import Resultado
from reclama.errors import InputError, ReclamaError
from reclama.letter import (
    Parrafo,
    _Builder,
    _plain_cita,
    _plain_parrafo,
    _plain_seccion,
    load_texts,
)
from reclama.rules import RuleBook, load_rules
from reclama.timeline import EXCUSA_NOMBRE, apply_events, in_order

PARTES = ("encabezado", "comparecencia", "hechos", "fundamentos", "suplico", "otrosi")
TEXT_FILE = "demanda.toml"

# Placeholders of demanda.toml, besides those of the letter (reclama.letter.VALORES).
VALORES = {
    "cuantia": "cuantía de la demanda: el precio (--precio)",
    "tribunal_lugar": "localidad del tribunal: --lugar, o el domicilio si no se indica (condición «tribunal-lugar»)",
    "vendedor": "--vendedor",
    "cif": "--cif",
    "domicilio_vendedor": "--domicilio-vendedor",
    "email": "--email",
    "telefono": "--telefono",
    "fecha_recibida": "fecha en que el vendedor recibió la reclamación previa",
    "fecha_respuesta": "fecha de la respuesta no satisfactoria (condición «respuesta»)",
    "vence_prescripcion": "fin del plazo de prescripción (motor)",
    "fecha": "en [cronologia] y [documentos]: la fecha del hecho",
    "doc": "en [cronologia]: el número del documento que lo prueba",
    "excusas": "en [cronologia] respuesta: lo que alegó el vendedor",
    "prueba": "en [documentos] prueba: la descripción de una prueba (defecto.pruebas)",
}
CONDICIONES = {
    "sin-abogado": "la cuantía no supera el límite sin abogado ni procurador (regla lec.postulacion)",
    "con-abogado": "la cuantía lo supera: borrador para el abogado",
    "respuesta": "el vendedor contestó sin atender la reclamación",
    "tribunal-lugar": "se conoce la localidad (--lugar)",
    "email": "se indicó --email",
    "telefono": "se indicó --telefono",
    "interrupciones": "el vendedor recibió alguna reclamación (interrumpe la prescripción)",
}

# (section, field) of the case file: what a lawsuit cannot go without.
_REQUIRED = (
    ("consumidor", "nombre"),
    ("consumidor", "dni"),
    ("consumidor", "domicilio"),
    ("vendedor", "nombre"),
    ("vendedor", "cif"),
    ("vendedor", "domicilio"),
    ("compra", "producto"),
    ("compra", "precio"),
    ("defecto", "descripcion"),
)


class DemandaNoProcede(ReclamaError):
    """The lawsuit cannot be filed yet, or any more: the message says why and from or until when."""

    exit_code = 1


def _fmt(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _euros(x: Decimal | int) -> str:
    return f"{x:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " €"


def check_demanda_ready(
    caso: Caso, resultado: Resultado, hoy: date, book: RuleBook | None = None
) -> None:
    """Refuse a lawsuit the law does not allow today, or one whose data are missing.

    Raises:
        InputError: a fact the lawsuit needs is missing (exit 2), every one at once.
        DemandaNoProcede: no proof that the seller received the prior claim, its answer period
            not over (the date it is), the year of art. 7.3 LO 1/2025 gone, the action
            time-barred, or an amount above the juicio verbal limit (exit 1).
    """
    book = book or load_rules()
    missing = [
        InputError(f"{sec}.{campo}", "falta este dato, necesario para la demanda")
        for sec, campo in _REQUIRED
        if getattr(getattr(caso, sec), campo) in (None, "")
    ]
    if missing:
        raise InputError.todos(missing)
    v = resultado.via_judicial
    if v is None:
        raise DemandaNoProcede(
            "reclama solo redacta demandas con la ley procesal vigente desde la LO 1/2025; "
            f"para una demanda del {_fmt(hoy)} consulte a un profesional."
        )
    if v.estado in ("sin_reclamacion", "sin_prueba"):
        raise DemandaNoProcede(
            f"a {_fmt(hoy)} no se puede demandar todavía: {v.texto} Registre la recepción con "
            "«reclama caso evento aviso --prueba-recepcion» o envíe la carta de «reclama carta»."
        )
    if v.estado == "esperando":
        raise DemandaNoProcede(
            f"a {_fmt(hoy)} el plazo de respuesta a la reclamación recibida el {_fmt(v.reclamacion)} "
            f"no ha terminado: podrá demandar desde el {_fmt(v.puede_demandar_desde)}."
        )
    if v.estado == "caducado":
        raise DemandaNoProcede(
            f"la reclamación previa recibida el {_fmt(v.reclamacion)} solo permitía demandar hasta el "
            f"{_fmt(v.requisito_hasta)}: envíe una nueva reclamación antes de demandar."
        )
    if resultado.prescrita:
        vence = resultado.plazos["prescripcion"].vence
        raise DemandaNoProcede(
            f"la acción prescribió el {_fmt(vence)}: a {_fmt(hoy)} la demanda no puede prosperar "
            "(si el vendedor recibió antes alguna reclamación suya, indíquela, porque reinicia el plazo)."
        )
    maximo = book.rule("lec.juicio_verbal").at(hoy).valores["cuantia_maxima"]
    if caso.compra.precio > maximo:
        raise DemandaNoProcede(
            f"la cuantía ({_euros(caso.compra.precio)}) supera el límite del juicio verbal "
            f"({_euros(maximo)}): el pleito va por el juicio ordinario, con abogado y procurador, "
            "y reclama no redacta esa demanda."
        )


@dataclass(frozen=True)
class _Hecho:
    fecha: date
    clave: str
    valores: dict[str, Any]


class _DemandaBuilder(_Builder):
    """The letter's builder (placeholders, conditions, citations) over demanda.toml."""

    clave = "demanda"
    titulo = "Demanda de juicio verbal"

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
        super().__init__(caso, resultado, hoy, textos, book, carta=carta)
        self.textos = textos
        self.via = resultado.via_judicial
        postulacion = book.rule("lec.postulacion").at(hoy)
        limite = postulacion.valores["cuantia_sin_abogado"] if postulacion else 0
        self.sin_abogado = caso.compra.precio is not None and caso.compra.precio <= limite
        c = caso
        reclamacion = self.via.reclamacion if self.via else None
        self.valores |= {
            "cuantia": c.compra.precio,
            "tribunal_lugar": (c.carta.lugar or "").upper() or None,
            "vendedor": c.vendedor.nombre,
            "cif": c.vendedor.cif,
            "domicilio_vendedor": c.vendedor.domicilio,
            "email": c.consumidor.email,
            "telefono": c.consumidor.telefono,
            "fecha_recibida": reclamacion,
            "fecha_respuesta": self.via.respuesta if self.via else c.reclamacion.respuesta,
            "vence_prescripcion": resultado.plazos["prescripcion"].vence,
        }
        self.condiciones |= {
            "sin-abogado": self.sin_abogado,
            "con-abogado": not self.sin_abogado,
            "respuesta": self.valores["fecha_respuesta"] is not None,
            "tribunal-lugar": bool(c.carta.lugar),
            "email": bool(c.consumidor.email),
            "telefono": bool(c.consumidor.telefono),
            "interrupciones": bool(caso.hechos().interrupciones),
        }

    def _frase(self, tabla: str, clave: str, valores: dict[str, Any]) -> Parrafo:
        texto = self.textos[self.clave].get(tabla, {}).get(clave)
        self.fuente = f"{self.clave}.toml [{tabla}] {clave}"
        if not isinstance(texto, str):
            raise self._error("falta este texto")
        base = self.valores
        self.valores = {**base, **valores}
        try:
            return self._parrafos({"parrafos": [texto]})[0]
        finally:
            self.valores = base

    def _historia(self) -> tuple[list[_Hecho], list[_Hecho]]:
        """The facts in date order, and the documents that prove them, numbered in that order."""
        c, r = self.caso, self.r
        h = c.hechos()
        recibidas = set(h.interrupciones)
        hechos: list[_Hecho] = []
        docs: list[_Hecho] = []

        def doc(dia: date, clave: str, **valores: Any) -> str:
            docs.append(_Hecho(dia, clave, valores))
            return str(len(docs))

        compra = "compra" if c.compra.precio is not None else "compra_sin_precio"
        hechos.append(
            _Hecho(
                r.fecha_compra,
                compra,
                {
                    "fecha": r.fecha_compra,
                    "doc": doc(r.fecha_compra, "compra", fecha=r.fecha_compra),
                },
            )
        )
        if r.fecha_entrega != r.fecha_compra:
            hechos.append(_Hecho(r.fecha_entrega, "entrega", {"fecha": r.fecha_entrega}))
        hechos.append(_Hecho(r.fecha_descubrimiento, "defecto", {"fecha": r.fecha_descubrimiento}))
        claims = sorted({d for d in (h.fecha_aviso, *h.reclamaciones, *h.interrupciones) if d})
        for n, d in enumerate(claims):
            if d in recibidas:
                clave = "aviso_recibido"
            else:
                clave = "aviso" if n == 0 else "reclamacion"
            hechos.append(_Hecho(d, clave, {"fecha": d, "doc": doc(d, clave, fecha=d)}))
        for _, ev in in_order(c):
            if ev.tipo == "respuesta":
                excusas = ", ".join(EXCUSA_NOMBRE[x] for x in ev.respuestas)
                clave = "respuesta" if excusas else "respuesta_negativa"
                numero = doc(ev.fecha, "respuesta", fecha=ev.fecha)
                hechos.append(
                    _Hecho(ev.fecha, clave, {"fecha": ev.fecha, "excusas": excusas, "doc": numero})
                )
            elif ev.tipo == "entrega-reparacion":
                hechos.append(_Hecho(ev.fecha, "entrega_reparacion", {"fecha": ev.fecha}))
            elif ev.tipo == "devolucion":
                clave = "devolucion" if ev.reparado else "devolucion_no_conforme"
                hechos.append(_Hecho(ev.fecha, clave, {"fecha": ev.fecha}))
            elif ev.tipo == "reaparece":
                hechos.append(_Hecho(ev.fecha, "reaparece", {"fecha": ev.fecha}))
        if not c.eventos:  # repairs written in the file, without events
            for x in c.reclamacion.reparaciones:
                hechos.append(_Hecho(x.desde, "entrega_reparacion", {"fecha": x.desde}))
                if x.hasta:
                    clave = "devolucion" if x.conforme else "devolucion_no_conforme"
                    hechos.append(_Hecho(x.hasta, clave, {"fecha": x.hasta}))
            d = self.valores["fecha_respuesta"]
            if d and not any(x.clave.startswith("respuesta") for x in hechos):
                numero = doc(d, "respuesta", fecha=d)
                hechos.append(_Hecho(d, "respuesta_negativa", {"fecha": d, "doc": numero}))
        respuesta = r.plazos["respuesta_empresario"]
        if (
            self.valores["fecha_respuesta"] is None
            and respuesta is not None
            and not respuesta.hipotetico
        ):
            hechos.append(_Hecho(respuesta.vence, "sin_respuesta", {"fecha": respuesta.vence}))
        for prueba in c.defecto.pruebas:
            doc(r.fecha_descubrimiento, "prueba", prueba=prueba.rstrip("."))
        hechos.sort(key=lambda x: x.fecha)  # stable: same-day facts keep the order above
        return hechos, docs

    def demanda(self) -> dict[str, Any]:
        textos = self.textos[self.clave]
        hechos, docs = self._historia()
        partes: dict[str, list] = {p: [] for p in PARTES}
        partes["hechos"] = [self._frase("cronologia", x.clave, x.valores) for x in hechos]
        for clave, data in textos.items():
            if clave in ("cronologia", "documentos"):
                continue
            parte = data.get("parte")
            self.fuente = f"{self.clave}.toml [{clave}]"
            if parte not in PARTES:
                raise self._error(f"«parte» debe ser una de: {', '.join(PARTES)}")
            seccion = self._seccion(clave, data)
            if not seccion.parrafos:
                continue
            if parte == "hechos":
                partes["hechos"] += list(seccion.parrafos)
            else:
                partes[parte].append(seccion)
        documentos = [self._frase("documentos", x.clave, x.valores) for x in docs]
        citas = list(self.citas.values())
        return {
            "caso": self.caso,
            "resultado": self.r,
            "hoy": self.hoy,
            "regimen": self.r.regimen,
            "titulo": f"{self.titulo} contra {self.caso.vendedor.nombre}",
            "encabezado": [p for s in partes["encabezado"] for p in s.parrafos],
            "comparecencia": [p for s in partes["comparecencia"] for p in s.parrafos],
            "hechos": partes["hechos"],
            "fundamentos": partes["fundamentos"],
            "suplico": [p for s in partes["suplico"] for p in s.parrafos],
            "otrosi": [p for s in partes["otrosi"] for p in s.parrafos],
            "documentos": documentos,
            "sin_abogado": self.sin_abogado,
            "citas": citas,
            "avisos": [
                a.replace("La carta lo formula", "El borrador lo formula")
                for a in self._avisos(citas)
            ],
        }


def load_demanda_texts(*dirs: Path) -> dict[str, dict[str, Any]]:
    """demanda.toml, and the letter's texts whose remedy names it uses, from template folders."""
    return {**load_texts(*dirs), **load_texts(*dirs, names=(TEXT_FILE,))}


def build_demanda(
    caso: Caso,
    resultado: Resultado,
    hoy: date,
    textos: dict | None = None,
    book: RuleBook | None = None,
) -> dict[str, Any]:
    """The lawsuit, already worded; call `check_demanda_ready` first. Templates see `demanda_data` of it.

    The letter's placeholders it shares are evaluated as the letter's are: the engine runs
    here (`reclama.evaluation`), the builder only reads its answers.
    """
    from reclama.evaluation import letter_evaluation

    caso = apply_events(caso)
    book = book or load_rules()
    carta = letter_evaluation(caso, hoy, book)
    return _DemandaBuilder(
        caso, resultado, hoy, textos or load_demanda_texts(), book, carta=carta
    ).demanda()


_PERSONA = ("nombre", "dni", "domicilio", "email", "telefono")


def demanda_data(ctx: dict[str, Any]) -> dict[str, Any]:
    """The lawsuit as plain data for Jinja (same reason as reclama.letter.template_data)."""
    c = ctx["caso"]
    return {
        "hoy": ctx["hoy"],
        "regimen": ctx["regimen"],
        "titulo": ctx["titulo"],
        "lugar": c.carta.lugar,
        "consumidor": {k: getattr(c.consumidor, k) for k in _PERSONA},
        "vendedor": {
            "nombre": c.vendedor.nombre,
            "cif": c.vendedor.cif,
            "domicilio": c.vendedor.domicilio,
        },
        "sin_abogado": ctx["sin_abogado"],
        **{
            k: [_plain_parrafo(p) for p in ctx[k]]
            for k in ("encabezado", "comparecencia", "hechos", "suplico", "otrosi", "documentos")
        },
        "fundamentos": [_plain_seccion(s) for s in ctx["fundamentos"]],
        "citas": [_plain_cita(x) for x in ctx["citas"]],
    }
