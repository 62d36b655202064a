"""Options shared by the commands that take the facts of a case (comprobar, carta, tuit)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.caso import dato
from reclama.overrides import fact_overrides, to_date


def ayuda(flag: str, extra: str = "") -> str:
    """A case fact's option help: the description on its model field (reclama.caso).

    Why: the fact is described once; only what is the command line's own (that the option
    repeats, how it combines with another) is added here.
    """
    text = dato(flag).explicacion
    if dato(flag).lista:
        text += " Repetible."
    return f"{text} {extra}" if extra else text


_F = "Hechos del caso"

CasoOpt = Annotated[
    Path | None,
    typer.Option(
        "--caso",
        help="Fichero de caso (TOML); las opciones lo completan o corrigen.",
        rich_help_panel=_F,
    ),
]
CompraOpt = Annotated[
    str | None,
    typer.Option("--compra", help=ayuda("compra"), rich_help_panel=_F),
]
EntregaOpt = Annotated[
    str | None,
    typer.Option("--entrega", help=ayuda("entrega"), rich_help_panel=_F),
]
DescubrimientoOpt = Annotated[
    str | None,
    typer.Option(
        "--descubrimiento",
        help=ayuda("descubrimiento"),
        rich_help_panel=_F,
    ),
]
RemedioOpt = Annotated[
    str | None,
    typer.Option(
        "--remedio",
        help=ayuda("remedio"),
        rich_help_panel=_F,
    ),
]
AvisoOpt = Annotated[str | None, typer.Option("--aviso", help=ayuda("aviso"), rich_help_panel=_F)]
SegundaManoOpt = Annotated[
    bool, typer.Option("--segunda-mano", help=ayuda("segunda-mano"), rich_help_panel=_F)
]
GarantiaPactadaOpt = Annotated[
    str | None,
    typer.Option("--garantia-pactada", help=ayuda("garantia-pactada"), rich_help_panel=_F),
]
DigitalOpt = Annotated[bool, typer.Option("--digital", help=ayuda("digital"), rich_help_panel=_F)]
LeveOpt = Annotated[bool, typer.Option("--leve", help=ayuda("leve"), rich_help_panel=_F)]
GraveOpt = Annotated[bool, typer.Option("--grave", help=ayuda("grave"), rich_help_panel=_F)]
IntentoFallidoOpt = Annotated[
    bool,
    typer.Option("--intento-fallido", help=ayuda("intento-fallido"), rich_help_panel=_F),
]
NegativaOpt = Annotated[
    bool,
    typer.Option("--negativa", help=ayuda("negativa"), rich_help_panel=_F),
]
ReparacionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reparacion",
        help=ayuda("reparacion"),
        rich_help_panel=_F,
    ),
]
InterrupcionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--interrupcion",
        help=ayuda("interrupcion"),
        rich_help_panel=_F,
    ),
]
CanalOpt = Annotated[
    str | None,
    typer.Option(
        "--canal",
        help=ayuda("canal"),
        rich_help_panel=_F,
    ),
]
RecepcionOpt = Annotated[
    str | None,
    typer.Option("--recepcion", help=ayuda("recepcion"), rich_help_panel=_F),
]
DesistimientoOpt = Annotated[
    str | None,
    typer.Option("--desistimiento", help=ayuda("desistimiento"), rich_help_panel=_F),
]
# Issue 12: digital withdrawal, withdrawal without information, continuous supply, replacement.
SoporteMaterialOpt = Annotated[
    bool,
    typer.Option(
        "--soporte-material",
        help=ayuda("soporte-material"),
        rich_help_panel=_F,
    ),
]
EjecucionConsentidaOpt = Annotated[
    bool,
    typer.Option(
        "--ejecucion-consentida",
        help=ayuda("ejecucion-consentida"),
        rich_help_panel=_F,
    ),
]
SinInformacionOpt = Annotated[
    bool,
    typer.Option(
        "--sin-informacion-desistimiento",
        help=ayuda("sin-informacion-desistimiento"),
        rich_help_panel=_F,
    ),
]
SuministroHastaOpt = Annotated[
    str | None,
    typer.Option(
        "--suministro-hasta",
        help=ayuda("suministro-hasta", "Con --digital."),
        rich_help_panel=_F,
    ),
]
SustitucionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sustitucion",
        help=ayuda("sustitucion"),
        rich_help_panel=_F,
    ),
]
ConservaOpt = Annotated[
    str | None,
    typer.Option(
        "--conserva",
        help=ayuda("conserva"),
        rich_help_panel=_F,
    ),
]
ContestadaOpt = Annotated[
    bool,
    typer.Option(
        "--contestada",
        help=ayuda("contestada"),
        rich_help_panel=_F,
    ),
]
ContestacionOpt = Annotated[
    str | None,
    typer.Option(
        "--contestacion",
        help=ayuda("contestacion"),
        rich_help_panel=_F,
    ),
]
GranEmpresaOpt = Annotated[
    bool,
    typer.Option(
        "--gran-empresa",
        help=ayuda("gran-empresa"),
        rich_help_panel=_F,
    ),
]
ComunidadOpt = Annotated[
    str | None,
    typer.Option(
        "--comunidad",
        help=ayuda("comunidad"),
        rich_help_panel=_F,
    ),
]
HoyOpt = Annotated[
    str | None, typer.Option("--hoy", help="Fecha de referencia (por defecto, hoy).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Salida JSON para programas.")]


def parse_hoy(text: str | None) -> date:
    return to_date("hoy", text) or date.today()


def case_overrides(params: dict[str, Any]) -> dict[str, Any]:
    """The case-file flags among a command's parameters (pass `locals()` first thing)."""
    from reclama.caso import FLAG_FIELDS

    return fact_overrides(**{k: v for k, v in params.items() if k.replace("_", "-") in FLAG_FIELDS})


# --- Letters (carta): the people, the product, the seller's answers, the output -------------

_C = "Datos de la carta"
NombreOpt = Annotated[
    str | None,
    typer.Option("--nombre", help=ayuda("nombre"), rich_help_panel=_C),
]
DniOpt = Annotated[
    str | None,
    typer.Option("--dni", help=ayuda("dni"), rich_help_panel=_C),
]
DomicilioOpt = Annotated[
    str | None, typer.Option("--domicilio", help=ayuda("domicilio"), rich_help_panel=_C)
]
EmailOpt = Annotated[
    str | None,
    typer.Option("--email", help=ayuda("email"), rich_help_panel=_C),
]
TelefonoOpt = Annotated[
    str | None, typer.Option("--telefono", help=ayuda("telefono"), rich_help_panel=_C)
]
RepresentanteOpt = Annotated[
    str | None,
    typer.Option(
        "--representante",
        help=ayuda("representante"),
        rich_help_panel=_C,
    ),
]
ColegiadoOpt = Annotated[
    str | None,
    typer.Option("--colegiado", help=ayuda("colegiado"), rich_help_panel=_C),
]
VendedorOpt = Annotated[
    str | None,
    typer.Option("--vendedor", help=ayuda("vendedor"), rich_help_panel=_C),
]
CifOpt = Annotated[
    str | None,
    typer.Option(
        "--cif",
        help=ayuda("cif"),
        rich_help_panel=_C,
    ),
]
DomicilioVendedorOpt = Annotated[
    str | None,
    typer.Option("--domicilio-vendedor", help=ayuda("domicilio-vendedor"), rich_help_panel=_C),
]
EmailVendedorOpt = Annotated[
    str | None,
    typer.Option("--email-vendedor", help=ayuda("email-vendedor"), rich_help_panel=_C),
]
UsuarioVendedorOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-vendedor",
        help=ayuda("usuario-vendedor"),
        rich_help_panel=_C,
    ),
]
ProductoOpt = Annotated[
    str | None,
    typer.Option("--producto", help=ayuda("producto"), rich_help_panel=_C),
]
PedidoOpt = Annotated[
    str | None, typer.Option("--pedido", help=ayuda("pedido"), rich_help_panel=_C)
]
PrecioOpt = Annotated[
    str | None,
    typer.Option("--precio", help=ayuda("precio"), rich_help_panel=_C),
]
DefectoOpt = Annotated[
    str | None, typer.Option("--defecto", help=ayuda("defecto"), rich_help_panel=_C)
]
RespuestaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--respuesta",
        help=ayuda("respuesta"),
        rich_help_panel=_C,
    ),
]
LugarOpt = Annotated[
    str | None,
    typer.Option("--lugar", help=ayuda("lugar"), rich_help_panel=_C),
]

_S = "Salida"
CasoRequeridoOpt = Annotated[
    Path,
    typer.Option("--caso", help="Fichero de caso (TOML) con los datos y la historia del caso."),
]
FormatoDocumentoOpt = Annotated[
    str, typer.Option("--formato", help="pdf | html | txt.", rich_help_panel=_S)
]
FormatoDemandaOpt = Annotated[
    str,
    typer.Option(
        "--formato",
        help="pdf | html | txt | docx (para editarla antes de presentarla).",
        rich_help_panel=_S,
    ),
]
SalidaDocumentoOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--salida",
        help="Fichero de salida (por defecto, <documento>-<vendedor>-<fecha>.<formato>); - para la salida estándar.",
        rich_help_panel=_S,
    ),
]
ForzarFicheroOpt = Annotated[
    bool, typer.Option("--forzar", help="Sobrescribir el fichero de salida.", rich_help_panel=_S)
]
FormatoOpt = Annotated[
    str,
    typer.Option(
        "--formato", help="pdf | html | txt (cuerpo de correo electrónico).", rich_help_panel=_S
    ),
]
SalidaOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--salida",
        help="Fichero de salida (por defecto, reclamacion-<vendedor>-<fecha>.<formato>).",
        rich_help_panel=_S,
    ),
]
ForzarOpt = Annotated[
    bool,
    typer.Option(
        "--forzar",
        help="Sobrescribir el fichero; y si la medida elegida aún no puede exigirse, pedir la que sí y explicar por qué.",
        rich_help_panel=_S,
    ),
]
PdfAOpt = Annotated[
    bool,
    typer.Option(
        "--pdf-a",
        help="PDF/A-3b con los datos del caso y las reglas citadas adjuntos (reclama-caso.json).",
        rich_help_panel=_S,
    ),
]
PlantillasOpt = Annotated[
    Path | None,
    typer.Option(
        "--plantillas",
        help="Carpeta con plantillas propias (membrete, textos) que sustituyen a las de reclama.",
        rich_help_panel=_S,
    ),
]

# --- Social-media drafts (tuit) ---------------------------------------------------------------

_T = "Mensajes en redes"
EtapaOpt = Annotated[
    str | None,
    typer.Option(
        "--etapa",
        help="inicial | recordatorio | escalado | agradecimiento (por defecto, todas).",
        rich_help_panel=_T,
    ),
]
RedOpt = Annotated[
    str,
    typer.Option(
        "--red",
        help="x (280, URL = 23) | mastodon (500) | bluesky (300 grafemas).",
        rich_help_panel=_T,
    ),
]
UsuarioXOpt = Annotated[
    str | None,
    typer.Option("--usuario-x", help=ayuda("usuario-x"), rich_help_panel=_T),
]
UsuarioMastodonOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-mastodon",
        help=ayuda("usuario-mastodon"),
        rich_help_panel=_T,
    ),
]
UsuarioBlueskyOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-bluesky",
        help=ayuda("usuario-bluesky"),
        rich_help_panel=_T,
    ),
]
TextoOpt = Annotated[
    str | None,
    typer.Option(
        "--texto",
        help="Una frase suya que se añade a cada mensaje (se revisa como el resto).",
        rich_help_panel=_T,
    ),
]


# The facts of a purchase, declared once: `comprobar`, `carta` and `tuit` take exactly these.
CASE_FACTS: tuple[tuple[str, Any, Any], ...] = (
    ("caso", CasoOpt, None),
    ("compra", CompraOpt, None),
    ("entrega", EntregaOpt, None),
    ("descubrimiento", DescubrimientoOpt, None),
    ("remedio", RemedioOpt, None),
    ("aviso", AvisoOpt, None),
    ("segunda_mano", SegundaManoOpt, False),
    ("garantia_pactada", GarantiaPactadaOpt, None),
    ("digital", DigitalOpt, False),
    ("leve", LeveOpt, False),
    ("grave", GraveOpt, False),
    ("intento_fallido", IntentoFallidoOpt, False),
    ("negativa", NegativaOpt, False),
    ("reparacion", ReparacionOpt, None),
    ("interrupcion", InterrupcionOpt, None),
    ("canal", CanalOpt, None),
    ("recepcion", RecepcionOpt, None),
    ("desistimiento", DesistimientoOpt, None),
    ("conserva", ConservaOpt, None),
    ("soporte_material", SoporteMaterialOpt, False),
    ("ejecucion_consentida", EjecucionConsentidaOpt, False),
    ("sin_informacion_desistimiento", SinInformacionOpt, False),
    ("suministro_hasta", SuministroHastaOpt, None),
    ("sustitucion", SustitucionOpt, None),
    ("contestada", ContestadaOpt, False),
    ("contestacion", ContestacionOpt, None),
    ("gran_empresa", GranEmpresaOpt, False),
    ("comunidad", ComunidadOpt, None),
)


# What a letter or a public draft says of the people, the seller and the product (carta, tuit).
LETTER_FACTS: tuple[tuple[str, Any, Any], ...] = (
    ("nombre", NombreOpt, None),
    ("dni", DniOpt, None),
    ("domicilio", DomicilioOpt, None),
    ("email", EmailOpt, None),
    ("telefono", TelefonoOpt, None),
    ("representante", RepresentanteOpt, None),
    ("colegiado", ColegiadoOpt, None),
    ("vendedor", VendedorOpt, None),
    ("cif", CifOpt, None),
    ("domicilio_vendedor", DomicilioVendedorOpt, None),
    ("email_vendedor", EmailVendedorOpt, None),
    ("usuario_vendedor", UsuarioVendedorOpt, None),
    ("producto", ProductoOpt, None),
    ("pedido", PedidoOpt, None),
    ("precio", PrecioOpt, None),
    ("defecto", DefectoOpt, None),
    ("respuesta", RespuestaOpt, None),
    ("lugar", LugarOpt, None),
)


def _with_options(group: tuple[tuple[str, Any, Any], ...]) -> Any:
    """A decorator giving a command the options of `group`, first; it gets them as `**hechos`.

    Why: one declaration, so a new fact reaches every command that takes it. Typer reads the
    signature, so the wrapper carries the combined one.
    """

    def decorate(fn: Any) -> Any:
        return _add_options(fn, group)

    return decorate


def _add_options(fn: Any, group: tuple[tuple[str, Any, Any], ...]) -> Any:
    import functools
    import inspect

    own = [
        p
        for p in inspect.signature(fn, eval_str=True).parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    facts = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann)
        for name, ann, default in group
    ]
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]

    @functools.wraps(fn)
    def wrapper(**kwargs: Any) -> Any:
        return fn(**kwargs)

    wrapper.__signature__ = inspect.Signature(facts + params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in facts + params}
    return wrapper


case_facts = _with_options(CASE_FACTS)
letter_facts = _with_options(LETTER_FACTS)
