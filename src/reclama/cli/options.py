"""Options shared by the commands that take the facts of a case (comprobar, carta, tuit)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.overrides import fact_overrides, to_date

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
    typer.Option(
        "--compra", help="Fecha del contrato (compra o pedido). Obligatoria.", rich_help_panel=_F
    ),
]
EntregaOpt = Annotated[
    str | None,
    typer.Option(
        "--entrega", help="Fecha de entrega (por defecto, la de compra).", rich_help_panel=_F
    ),
]
DescubrimientoOpt = Annotated[
    str | None,
    typer.Option(
        "--descubrimiento",
        help="Fecha en que apareció el defecto. Obligatoria.",
        rich_help_panel=_F,
    ),
]
RemedioOpt = Annotated[
    str | None,
    typer.Option(
        "--remedio",
        help="reparación | sustitución | rebaja | resolución | desistimiento",
        rich_help_panel=_F,
    ),
]
AvisoOpt = Annotated[
    str | None, typer.Option("--aviso", help="Fecha en que avisó al vendedor.", rich_help_panel=_F)
]
SegundaManoOpt = Annotated[
    bool, typer.Option("--segunda-mano", help="Producto de segunda mano.", rich_help_panel=_F)
]
GarantiaPactadaOpt = Annotated[
    str | None,
    typer.Option(
        "--garantia-pactada", help="Meses de garantía pactados (segunda mano).", rich_help_panel=_F
    ),
]
DigitalOpt = Annotated[
    bool, typer.Option("--digital", help="Contenido o servicio digital.", rich_help_panel=_F)
]
LeveOpt = Annotated[
    bool, typer.Option("--leve", help="Defecto de escasa importancia.", rich_help_panel=_F)
]
GraveOpt = Annotated[bool, typer.Option("--grave", help="Defecto grave.", rich_help_panel=_F)]
IntentoFallidoOpt = Annotated[
    bool,
    typer.Option(
        "--intento-fallido", help="Una reparación o sustitución ya falló.", rich_help_panel=_F
    ),
]
NegativaOpt = Annotated[
    bool,
    typer.Option(
        "--negativa", help="El vendedor se negó o no actuó en plazo razonable.", rich_help_panel=_F
    ),
]
ReparacionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--reparacion",
        help="DESDE:HASTA de una reparación (HASTA vacío si sigue en curso). Repetible.",
        rich_help_panel=_F,
    ),
]
InterrupcionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--interrupcion",
        help="Fecha en que el vendedor recibió una reclamación. Repetible.",
        rich_help_panel=_F,
    ),
]
CanalOpt = Annotated[
    str | None,
    typer.Option(
        "--canal",
        help="tienda (presencial) | distancia (internet, teléfono) | fuera-establecimiento",
        rich_help_panel=_F,
    ),
]
RecepcionOpt = Annotated[
    str | None,
    typer.Option(
        "--recepcion", help="Fecha de recepción (compras a distancia).", rich_help_panel=_F
    ),
]
DesistimientoOpt = Annotated[
    str | None,
    typer.Option(
        "--desistimiento", help="Fecha en que envió el desistimiento.", rich_help_panel=_F
    ),
]
# Issue 12: digital withdrawal, withdrawal without information, continuous supply, replacement.
SoporteMaterialOpt = Annotated[
    bool,
    typer.Option(
        "--soporte-material",
        help="Contenido digital en soporte material (un disco): el desistimiento cuenta desde que lo recibe.",
        rich_help_panel=_F,
    ),
]
EjecucionConsentidaOpt = Annotated[
    bool,
    typer.Option(
        "--ejecucion-consentida",
        help="El suministro digital empezó con su consentimiento expreso, sabiendo que perdía el desistimiento.",
        rich_help_panel=_F,
    ),
]
SinInformacionOpt = Annotated[
    bool,
    typer.Option(
        "--sin-informacion-desistimiento",
        help="El vendedor no le informó del derecho de desistimiento (doce meses más).",
        rich_help_panel=_F,
    ),
]
SuministroHastaOpt = Annotated[
    str | None,
    typer.Option(
        "--suministro-hasta",
        help="Último día de un suministro continuo de contenido o servicio digital (con --digital).",
        rich_help_panel=_F,
    ),
]
SustitucionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sustitucion",
        help="ELECCION:ENTREGA de una sustitución: desde que la eligió hasta que recibió el nuevo (vacío si no ha llegado). Repetible.",
        rich_help_panel=_F,
    ),
]
ConservaOpt = Annotated[
    str | None,
    typer.Option(
        "--conserva",
        help="Fecha en que decidió conservar el producto tras desistir.",
        rich_help_panel=_F,
    ),
]
ContestadaOpt = Annotated[
    bool,
    typer.Option(
        "--contestada",
        help="El vendedor contestó a la reclamación: muestra que la recibió.",
        rich_help_panel=_F,
    ),
]
ContestacionOpt = Annotated[
    str | None,
    typer.Option(
        "--contestacion",
        help="Fecha de la respuesta del vendedor que no atendió la reclamación (desde ella puede demandar).",
        rich_help_panel=_F,
    ),
]
GranEmpresaOpt = Annotated[
    bool,
    typer.Option(
        "--gran-empresa",
        help="El vendedor está en la Ley 10/2025 (servicios básicos, o 250 trabajadores, más de 50 M€ de negocio o 43 M€ de balance): debe resolver en 15 días hábiles.",
        rich_help_panel=_F,
    ),
]
ComunidadOpt = Annotated[
    str | None,
    typer.Option(
        "--comunidad",
        help="Su comunidad autónoma para los festivos (código ISO 3166-2:ES: MD, CT, AN...).",
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
    typer.Option("--nombre", help="Nombre y apellidos de quien compró.", rich_help_panel=_C),
]
DniOpt = Annotated[
    str | None,
    typer.Option(
        "--dni", help="DNI o NIE de quien compró (se comprueba la letra).", rich_help_panel=_C
    ),
]
DomicilioOpt = Annotated[
    str | None, typer.Option("--domicilio", help="Domicilio de quien compró.", rich_help_panel=_C)
]
EmailOpt = Annotated[
    str | None,
    typer.Option("--email", help="Correo electrónico de quien compró.", rich_help_panel=_C),
]
TelefonoOpt = Annotated[
    str | None, typer.Option("--telefono", help="Teléfono de quien compró.", rich_help_panel=_C)
]
RepresentanteOpt = Annotated[
    str | None,
    typer.Option(
        "--representante",
        help="Quien firma en nombre y representación (abogado, asociación).",
        rich_help_panel=_C,
    ),
]
ColegiadoOpt = Annotated[
    str | None,
    typer.Option(
        "--colegiado", help="Número de colegiación del representante.", rich_help_panel=_C
    ),
]
VendedorOpt = Annotated[
    str | None,
    typer.Option("--vendedor", help="Razón social del vendedor (no la marca).", rich_help_panel=_C),
]
CifOpt = Annotated[
    str | None,
    typer.Option(
        "--cif",
        help="CIF/NIF del vendedor (se comprueba el dígito de control).",
        rich_help_panel=_C,
    ),
]
DomicilioVendedorOpt = Annotated[
    str | None,
    typer.Option("--domicilio-vendedor", help="Domicilio del vendedor.", rich_help_panel=_C),
]
EmailVendedorOpt = Annotated[
    str | None,
    typer.Option(
        "--email-vendedor", help="Correo del vendedor para reclamaciones.", rich_help_panel=_C
    ),
]
UsuarioVendedorOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-vendedor",
        help="Usuario del vendedor en X (opción anterior; la misma que --usuario-x).",
        rich_help_panel=_C,
    ),
]
ProductoOpt = Annotated[
    str | None,
    typer.Option("--producto", help="El producto, como figura en la factura.", rich_help_panel=_C),
]
PedidoOpt = Annotated[
    str | None, typer.Option("--pedido", help="Número de pedido o de factura.", rich_help_panel=_C)
]
PrecioOpt = Annotated[
    str | None,
    typer.Option("--precio", help="Precio pagado (1299.00 o 1.299,00).", rich_help_panel=_C),
]
DefectoOpt = Annotated[
    str | None, typer.Option("--defecto", help="Descripción del defecto.", rich_help_panel=_C)
]
RespuestaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--respuesta",
        help="Excusa del vendedor: marca, siete-dias, procedimientos, solo-reparacion, aviso-tardio, "
        "garantia-dos-anos, gastos, vale. Repetible.",
        rich_help_panel=_C,
    ),
]
LugarOpt = Annotated[
    str | None,
    typer.Option(
        "--lugar", help="Lugar que figura junto a la fecha de la carta.", rich_help_panel=_C
    ),
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
    typer.Option(
        "--usuario-x", help="Cuenta del vendedor en X (TiendaEjemplo).", rich_help_panel=_T
    ),
]
UsuarioMastodonOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-mastodon",
        help="Cuenta del vendedor en Mastodon: @usuario@servidor.",
        rich_help_panel=_T,
    ),
]
UsuarioBlueskyOpt = Annotated[
    str | None,
    typer.Option(
        "--usuario-bluesky",
        help="Cuenta del vendedor en Bluesky: un dominio (tienda.bsky.social).",
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
