"""`reclama caso`: create a case file, record what happens, see its timeline and deadlines."""

from __future__ import annotations

import json as _json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.cli import options as o
from reclama.cli.campos import flag, named
from reclama.cli.commands._common import user_errors
from reclama.errors import InputError

caso_app = typer.Typer(
    name="caso",
    help="Ficheros de caso: crear uno, añadir lo que va pasando y ver su cronología y plazos.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(caso_app, name="caso")


FicheroArg = Annotated[Path, typer.Argument(help="Fichero de caso (TOML).", show_default=False)]


# -- nuevo ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Pregunta:
    """How `caso nuevo` asks one case fact; what it asks is the fact's declaration."""

    flag: str  # the option (without --), a key of reclama.caso.FLAG_FIELDS
    tipo: str = "texto"  # texto | fecha | opcion | si-no | precio | dni | cif | usuario | comunidad
    opciones: tuple[str, ...] = ()
    grupo: str | None = None
    # Asked only when this earlier answer is given (truthy), or is one of these values.
    solo_si: tuple[str, tuple[str, ...]] | None = None

    @property
    def texto(self) -> str:
        """The question, as declared on the fact's field (reclama.caso)."""
        from reclama.caso import dato

        return dato(self.flag).pregunta or dato(self.flag).descripcion

    @property
    def obligatoria(self) -> bool:
        from reclama.caso import dato

        return dato(self.flag).obligatorio

    def aplica(self, answers: dict[str, Any]) -> bool:
        if self.solo_si is None:
            return True
        flag, values = self.solo_si
        value = answers.get(flag)
        return value in values if values else bool(value)


def _preguntas() -> tuple[_Pregunta, ...]:
    from reclama.facts import CANALES, REMEDIOS

    digital = ("digital", ())
    return (
        _Pregunta("compra", "fecha", grupo="La compra"),
        _Pregunta("entrega", "fecha"),
        _Pregunta("canal", "opcion", opciones=CANALES),
        _Pregunta("producto"),
        _Pregunta("pedido"),
        _Pregunta("precio", "precio"),
        _Pregunta("segunda-mano", "si-no"),
        _Pregunta(
            "sin-informacion-desistimiento",
            "si-no",
            solo_si=("canal", ("distancia", "fuera-establecimiento")),
        ),
        _Pregunta("digital", "si-no"),
        _Pregunta("soporte-material", "si-no", solo_si=digital),
        _Pregunta("ejecucion-consentida", "si-no", solo_si=digital),
        _Pregunta("suministro-hasta", "fecha", solo_si=digital),
        _Pregunta("descubrimiento", "fecha", grupo="El defecto"),
        _Pregunta("defecto"),
        _Pregunta("remedio", "opcion", opciones=REMEDIOS),
        _Pregunta("vendedor", grupo="El vendedor"),
        _Pregunta("cif", "cif"),
        _Pregunta("domicilio-vendedor"),
        _Pregunta("email-vendedor"),
        _Pregunta("usuario-x", "usuario"),
        _Pregunta("usuario-mastodon", "usuario"),
        _Pregunta("usuario-bluesky", "usuario"),
        _Pregunta("gran-empresa", "si-no"),
        _Pregunta("nombre", grupo="Usted"),
        _Pregunta("dni", "dni"),
        _Pregunta("domicilio"),
        _Pregunta("email"),
        _Pregunta("telefono"),
        _Pregunta("comunidad", "comunidad"),
    )


def _si_no(text: str) -> bool:
    t = text.strip().lower()
    if t in ("s", "si", "sí"):
        return True
    if t in ("n", "no"):
        return False
    raise typer.BadParameter("responda s (sí) o n (no)")


def _check_answer(q: _Pregunta, text: str) -> str | None:
    """Validate one answer as it is typed; an empty answer leaves an optional field out."""
    from pydantic import ValidationError

    from reclama.caso import Consumidor, Vendedor, parse_precio
    from reclama.dates import parse_date

    text = text.strip()
    if not text:
        if q.obligatoria:
            raise typer.BadParameter("este dato es obligatorio")
        return None
    try:
        if q.tipo == "fecha":
            return parse_date(text).isoformat()
        if q.tipo == "opcion":
            from reclama.facts import choice

            value = choice(q.flag, text)
            if value not in q.opciones:
                raise ValueError(f"use uno de: {', '.join(q.opciones)}")
            return value
        if q.tipo == "precio":
            return str(parse_precio(text))
        if q.tipo == "dni":
            return Consumidor(dni=text).dni
        if q.tipo == "cif":
            return Vendedor(cif=text).cif
        if q.tipo == "usuario":  # each network's account, in the shape its mentions need
            from reclama.caso import FLAG_FIELDS

            field = FLAG_FIELDS[q.flag][1]
            return getattr(Vendedor(**{field: text}), field)
        if q.tipo == "comunidad":
            return Consumidor(comunidad=text).comunidad
    except ValidationError as e:
        raise typer.BadParameter(
            str(e.errors()[0].get("ctx", {}).get("error", e.errors()[0]["msg"]))
        ) from None
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    return text


def _ask(q: _Pregunta, answers: dict[str, Any]) -> Any:
    """One question; the input ending (Ctrl-D, a file run out) names the field left unanswered."""
    try:
        return _prompt(q, answers)
    except typer.Abort as e:
        if isinstance(e.__context__, EOFError):  # click turns EOF into Abort, keeping the context
            raise InputError(
                f"--{q.flag}", f"la entrada terminó sin responder «{q.texto}»"
            ) from None
        raise


def _prompt(q: _Pregunta, answers: dict[str, Any]) -> Any:
    if q.tipo == "si-no":
        return typer.prompt(f"{q.texto} [s/N]", default="n", show_default=False, value_proc=_si_no)
    texto = q.texto
    if q.opciones:
        texto += f" ({' | '.join(q.opciones)})"
    default = answers.get("compra") if q.flag == "entrega" else None
    if default is None and not q.obligatoria:
        texto += " [Intro: no consta]"
        default = ""
    return typer.prompt(
        texto, default=default, show_default=bool(default), value_proc=lambda t: _check_answer(q, t)
    )


def _summary(caso: Any, path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    from reclama.caso import FLAG_FIELDS

    table = Table(title=f"Resumen del caso ({path})", title_justify="left", show_header=False)
    table.add_column("Dato")
    table.add_column("Valor")
    for q in _preguntas():
        section, field = FLAG_FIELDS[q.flag]
        value = getattr(getattr(caso, section), field)
        if value is None or value is False:
            continue
        shown = (
            "sí"
            if value is True
            else f"{value:%d/%m/%Y}"
            if isinstance(value, date)
            else str(value)
        )
        table.add_row(q.texto, shown)
    Console().print(table)


@caso_app.command("nuevo")
@user_errors
def nuevo(
    fichero: FicheroArg,
    compra: o.CompraOpt = None,
    entrega: o.EntregaOpt = None,
    canal: o.CanalOpt = None,
    producto: Annotated[str | None, typer.Option("--producto", help=o.ayuda("producto"))] = None,
    pedido: Annotated[str | None, typer.Option("--pedido", help=o.ayuda("pedido"))] = None,
    precio: Annotated[str | None, typer.Option("--precio", help=o.ayuda("precio"))] = None,
    segunda_mano: o.SegundaManoOpt = False,
    sin_informacion_desistimiento: o.SinInformacionOpt = False,
    digital: o.DigitalOpt = False,
    soporte_material: o.SoporteMaterialOpt = False,
    ejecucion_consentida: o.EjecucionConsentidaOpt = False,
    suministro_hasta: o.SuministroHastaOpt = None,
    descubrimiento: o.DescubrimientoOpt = None,
    defecto: Annotated[str | None, typer.Option("--defecto", help=o.ayuda("defecto"))] = None,
    remedio: o.RemedioOpt = None,
    vendedor: Annotated[str | None, typer.Option("--vendedor", help=o.ayuda("vendedor"))] = None,
    cif: Annotated[str | None, typer.Option("--cif", help=o.ayuda("cif"))] = None,
    domicilio_vendedor: Annotated[
        str | None, typer.Option("--domicilio-vendedor", help=o.ayuda("domicilio-vendedor"))
    ] = None,
    email_vendedor: Annotated[
        str | None, typer.Option("--email-vendedor", help=o.ayuda("email-vendedor"))
    ] = None,
    usuario_vendedor: Annotated[
        str | None,
        typer.Option("--usuario-vendedor", help=o.ayuda("usuario-vendedor")),
    ] = None,
    usuario_x: Annotated[str | None, typer.Option("--usuario-x", help=o.ayuda("usuario-x"))] = None,
    usuario_mastodon: Annotated[
        str | None, typer.Option("--usuario-mastodon", help=o.ayuda("usuario-mastodon"))
    ] = None,
    usuario_bluesky: Annotated[
        str | None, typer.Option("--usuario-bluesky", help=o.ayuda("usuario-bluesky"))
    ] = None,
    nombre: Annotated[str | None, typer.Option("--nombre", help=o.ayuda("nombre"))] = None,
    dni: Annotated[str | None, typer.Option("--dni", help=o.ayuda("dni"))] = None,
    domicilio: Annotated[str | None, typer.Option("--domicilio", help=o.ayuda("domicilio"))] = None,
    email: Annotated[str | None, typer.Option("--email", help=o.ayuda("email"))] = None,
    telefono: Annotated[str | None, typer.Option("--telefono", help=o.ayuda("telefono"))] = None,
    gran_empresa: o.GranEmpresaOpt = False,
    comunidad: o.ComunidadOpt = None,
    interactivo: Annotated[
        bool | None,
        typer.Option(
            "--interactivo/--no-interactivo",
            help="Preguntar lo que falte, o no preguntar: lo que falte queda sin dato (los "
            "obligatorios dan error). Por defecto pregunta solo si la entrada es un terminal.",
            show_default=False,
        ),
    ] = None,
    si: Annotated[bool, typer.Option("--si", help="Guardar sin pedir confirmación.")] = False,
    forzar: Annotated[
        bool, typer.Option("--forzar", help="Sustituir un fichero existente (queda copia .bak).")
    ] = False,
    hoy: o.HoyOpt = None,
) -> None:
    """Crea un fichero de caso preguntando en español los datos que no se den como opciones.

    Cada pregunta tiene su opción, así que también funciona sin preguntas (--no-interactivo,
    lo normal cuando la entrada no es un terminal, como en un script).
    Código de salida: 0 = guardado; 1 = no se guardó (no lo confirmó); 2 = datos erróneos.

    Ejemplo:

        reclama caso nuevo movil.toml --compra 2026-05-04 --canal distancia
            --descubrimiento 2026-09-14 --remedio sustitucion --no-interactivo
    """
    from reclama import casefile
    from reclama.casefile import build_case

    today = o.parse_hoy(hoy)
    answers: dict[str, Any] = {
        "compra": compra,
        "entrega": entrega,
        "canal": canal,
        "producto": producto,
        "pedido": pedido,
        "precio": precio,
        "segunda-mano": segunda_mano or None,
        "sin-informacion-desistimiento": sin_informacion_desistimiento or None,
        "digital": digital or None,
        "soporte-material": soporte_material or None,
        "ejecucion-consentida": ejecucion_consentida or None,
        "suministro-hasta": suministro_hasta,
        "descubrimiento": descubrimiento,
        "defecto": defecto,
        "remedio": remedio,
        "vendedor": vendedor,
        "cif": cif,
        "domicilio-vendedor": domicilio_vendedor,
        "email-vendedor": email_vendedor,
        "usuario-vendedor": usuario_vendedor,
        "usuario-x": usuario_x,
        "usuario-mastodon": usuario_mastodon,
        "usuario-bluesky": usuario_bluesky,
        "nombre": nombre,
        "dni": dni,
        "domicilio": domicilio,
        "email": email,
        "telefono": telefono,
        "gran-empresa": gran_empresa or None,
        "comunidad": comunidad,
    }
    if fichero.exists() and not forzar:
        raise InputError(
            "FICHERO",
            f"ya existe {fichero}; use --forzar para sustituirlo (se guardará una copia .bak)",
        )
    interactive = (
        _stdin_is_terminal() if interactivo is None else interactivo and sys.stdin is not None
    )
    preguntas = {q.flag: q for q in _preguntas()}
    if interactive:
        grupo, shown = None, None
        for q in preguntas.values():
            grupo = q.grupo or grupo
            if answers[q.flag] is None and q.aplica(answers):
                if grupo != shown:
                    typer.echo(f"\n{grupo}")
                    shown = grupo
                answers[q.flag] = _ask(q, answers)
    while True:
        try:
            si_no = ("segunda-mano", "gran-empresa")
            flags = {k.replace("-", "_"): v for k, v in answers.items() if k not in si_no}
            overrides = o.fact_overrides(
                segunda_mano=bool(answers["segunda-mano"]),
                gran_empresa=bool(answers["gran-empresa"]),
                **flags,
            )
            caso = build_case({}, overrides)
            casefile.check(caso, today)
            break
        except InputError as e:
            q = preguntas.get((flag(e.clave) or "").removeprefix("--"))
            if not interactive or q is None:
                raise
            typer.echo("\n".join(named(e).lines()), err=True)
            answers[q.flag] = _ask(q, answers)
    if interactive and not si:
        _summary(caso, fichero)
        if not _confirm():
            typer.echo("No se ha guardado nada.", err=True)
            raise typer.Exit(1)
    casefile.create(fichero, casefile.new_case_text(caso, today), forzar=forzar)
    typer.echo(f"Caso guardado en {fichero}.")
    typer.echo(
        f"Siguiente paso, cuando reclame: reclama caso evento {fichero} aviso --fecha AAAA-MM-DD "
        "--canal burofax --prueba-recepcion"
    )


def _stdin_is_terminal() -> bool:
    """Ask only a person: a script's pipe, /dev/null or a closed stdin (None) get no questions."""
    return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()


def _confirm() -> bool:
    try:
        return typer.prompt(
            "¿Guardar el caso? [S/n]", default="s", show_default=False, value_proc=_si_no
        )
    except typer.Abort as e:
        if isinstance(e.__context__, EOFError):
            raise InputError(
                "--si", "la entrada terminó antes de confirmar; no se ha guardado nada"
            ) from None
        raise


# -- evento ---------------------------------------------------------------------


@caso_app.command("evento")
@user_errors
def evento(
    fichero: FicheroArg,
    tipo: Annotated[
        str,
        typer.Argument(
            help="aviso | respuesta | entrega-reparacion | devolucion | reaparece | "
            "desistimiento | conserva | resuelto",
            show_default=False,
        ),
    ],
    fecha: Annotated[
        str | None, typer.Option("--fecha", help="Fecha del suceso (por defecto, hoy).")
    ] = None,
    canal: Annotated[
        str | None,
        typer.Option(
            "--canal",
            help="aviso/respuesta/desistimiento: por dónde (burofax, email, formulario, chat, teléfono…).",
        ),
    ] = None,
    prueba_recepcion: Annotated[
        bool | None,
        typer.Option(
            "--prueba-recepcion/--sin-prueba-recepcion",
            help="aviso: puede probar que el vendedor lo recibió (burofax, acuse); "
            "solo así se interrumpe la prescripción.",
            show_default=False,
        ),
    ] = None,
    remedio: Annotated[
        str | None,
        typer.Option(
            "--remedio", help="aviso: qué pide (reparacion, sustitucion, rebaja, resolucion)."
        ),
    ] = None,
    respuesta: Annotated[
        list[str] | None,
        typer.Option(
            "--respuesta", help="respuesta: excusa del vendedor (códigos de `carta`). Repetible."
        ),
    ] = None,
    negativa: Annotated[
        bool, typer.Option("--negativa", help="respuesta: el vendedor se niega.")
    ] = False,
    ofrece: Annotated[
        str | None,
        typer.Option(
            "--ofrece",
            help="respuesta: la medida que el vendedor ofrece en su lugar (p. ej. reparacion).",
        ),
    ] = None,
    reparado: Annotated[
        bool | None,
        typer.Option(
            "--reparado/--no-reparado",
            help="devolucion: volvió conforme (reparado o sustituido) o no.",
            show_default=False,
        ),
    ] = None,
    nota: Annotated[
        str | None, typer.Option("--nota", help="Texto libre para su cronología.")
    ] = None,
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
) -> None:
    """Añade un suceso al fichero de caso y muestra cómo cambian los plazos.

    El fichero se bloquea mientras se escribe, se guarda de forma atómica y la versión
    anterior queda en FICHERO.bak. Código de salida: 0 = añadido; 2 = datos erróneos.

    Ejemplo:

        reclama caso evento movil.toml aviso --fecha 2026-09-15 --canal burofax
            --prueba-recepcion --remedio sustitucion
        reclama caso evento movil.toml respuesta --fecha 2026-09-17 --respuesta marca
        reclama caso evento movil.toml devolucion --fecha 2026-10-20 --reparado
    """
    from reclama import casefile
    from reclama.caso import CAMPOS_EVENTO, EXCUSAS, TIPOS_EVENTO, Evento
    from reclama.engine import evaluate
    from reclama.facts import REMEDIOS, choice, codigo_de
    from reclama.timeline import TIPO_NOMBRE, efecto

    today = o.parse_hoy(hoy)
    tipo = codigo_de(TIPOS_EVENTO, tipo)  # `Respuesta`, `entrega reparación` are fine
    respuesta = [codigo_de(EXCUSAS, c) for c in respuesta or []]
    if tipo not in TIPOS_EVENTO:
        raise InputError("TIPO", f"«{tipo}» no es un suceso; use uno de: {', '.join(TIPOS_EVENTO)}")
    day = o.to_date("fecha", fecha) or today
    if day > today:
        raise InputError(
            "--fecha", f"la fecha {day:%d/%m/%Y} es posterior a hoy ({today:%d/%m/%Y})"
        )
    given = {
        "canal": canal,
        "prueba_recepcion": prueba_recepcion,
        "remedio": remedio,
        "respuestas": respuesta or [],
        "negativa": negativa or None,
        "ofrece": ofrece,
        "reparado": reparado,
    }
    flag = {
        "prueba_recepcion": "--prueba-recepcion",
        "respuestas": "--respuesta",
        "reparado": "--reparado",
    }
    for name, value in given.items():
        if value not in (None, []) and name not in CAMPOS_EVENTO.get(tipo, ()):
            raise InputError(flag.get(name, f"--{name}"), f"no se aplica a un suceso «{tipo}»")
    if tipo == "devolucion" and reparado is None:
        raise InputError("--reparado", "indique --reparado (volvió conforme) o --no-reparado")
    for opcion, medida in (("--remedio", remedio), ("--ofrece", ofrece)):
        if medida is not None and choice("remedio", medida) not in REMEDIOS:
            raise InputError(
                opcion, f"«{medida}» no es un remedio; use uno de: {', '.join(REMEDIOS)}"
            )
    for code in respuesta or []:
        if code not in EXCUSAS:
            raise InputError(
                "--respuesta", f"«{code}» no es una excusa conocida; use: {', '.join(EXCUSAS)}"
            )
    ev = Evento(tipo=tipo, fecha=day, nota=nota, **given)

    report: dict[str, Any] = {}

    def prepare(before: Any, after: Any) -> None:  # runs before the file is written
        antes, despues = evaluate(before.hechos(), today), evaluate(after.hechos(), today)
        report.update(
            antes=antes,
            despues=despues,
            cambios=_changes(before, antes, after, despues, today),
            texto=efecto(ev, after),
        )

    casefile.append_event(fichero, ev, today, prepare=prepare)
    antes, despues, cambios, texto = (report[k] for k in ("antes", "despues", "cambios", "texto"))
    if json:
        out = {
            "fichero": str(fichero),
            "evento": ev.model_dump(mode="json", exclude_defaults=True),
            "efecto": texto,
            "cambios": cambios,
            "remedios_admisibles": despues.remedios_admisibles,
        }
        sys.stdout.write(_json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    from reclama.cli.vistas import PLAZO_TITULO
    from reclama.engine import REMEDIO_NOMBRE

    typer.echo(f"Añadido a {fichero}: {TIPO_NOMBRE[tipo]} del {day:%d/%m/%Y}.")
    typer.echo(texto)
    if cambios:
        typer.echo("Plazos que cambian:")
        for c in cambios:
            a = _fmt(c["antes"]) if c["antes"] else "—"
            d = _fmt(c["despues"]) if c["despues"] else "—"
            typer.echo(f"  • {PLAZO_TITULO.get(c['plazo'], c['plazo'])}: {a} → {d}")
    if antes.remedios_admisibles != despues.remedios_admisibles:
        nombres = ", ".join(REMEDIO_NOMBRE[x] for x in despues.remedios_admisibles) or "ninguno"
        typer.echo(f"Ahora puede exigir: {nombres}.")


def _fmt(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d/%m/%Y}"


def _vences(caso: Any, resultado: Any, hoy: date) -> dict[str, str | None]:
    from reclama.timeline import plazo_respuesta

    plazos = dict(resultado.plazos)
    plazos["respuesta_empresario"] = plazo_respuesta(caso, resultado)
    return {
        k: (p.vence.isoformat() if p is not None and not p.hipotetico else None)
        for k, p in plazos.items()
    }


def _changes(
    before: Any, antes: Any, after: Any, despues: Any, hoy: date
) -> list[dict[str, str | None]]:
    a, d = _vences(before, antes, hoy), _vences(after, despues, hoy)
    return [{"plazo": k, "antes": a.get(k), "despues": d[k]} for k in d if a.get(k) != d[k]]


# -- ver ------------------------------------------------------------------------


@caso_app.command("ver")
@user_errors
def ver(
    fichero: FicheroArg,
    dentro_de: Annotated[
        int,
        typer.Option("--dentro-de", min=0, help="Días vista para marcar un plazo como próximo."),
    ] = 30,
    hoy: o.HoyOpt = None,
    json: o.JsonOpt = False,
) -> None:
    """Muestra la cronología del caso y sus plazos a día de hoy.

    Ejemplo:

        reclama caso ver movil.toml
    """
    from reclama.casefile import check, load_case
    from reclama.engine import evaluate
    from reclama.seguimiento import describe_respuesta, respuesta, vigilados
    from reclama.seguimiento import etapa as etapa_social
    from reclama.timeline import (
        efecto,
        etiqueta,
        in_order,
        plazo_respuesta,
        situacion,
    )

    today = o.parse_hoy(hoy)
    caso = load_case(fichero)
    check(caso, today)
    resultado = evaluate(caso.hechos(), today)
    s = situacion(caso)
    etapa = etapa_social(caso, resultado, today)
    pend = {x.clave: x for x in vigilados(caso, resultado, today, dentro_de)}
    contestacion = respuesta(caso, resultado, today)
    plazos = dict(resultado.plazos)
    plazos["respuesta_empresario"] = plazo_respuesta(caso, resultado)
    eventos = [(ev, efecto(ev, caso)) for _, ev in in_order(caso)]
    if json:
        out = {
            "fichero": str(fichero),
            "caso": etiqueta(caso),
            "hoy": today.isoformat(),
            "cerrado": s.cerrado.isoformat() if s.cerrado else None,
            "etapa_social": etapa,
            "reclamacion_pendiente": s.reclamacion.isoformat()
            if s.reclamacion and not s.contestada
            else None,
            "respuesta_vendedor": {
                "vence": contestacion.plazo.vence.isoformat(),
                "estado": contestacion.estado,
                "respondida": (
                    contestacion.respondida.isoformat() if contestacion.respondida else None
                ),
            }
            if contestacion
            else None,
            "eventos": [
                {**ev.model_dump(mode="json", exclude_defaults=True), "efecto": t}
                for ev, t in eventos
            ],
            "pendientes": [
                {
                    "plazo": k,
                    "vence": x.plazo.vence.isoformat(),
                    "dias_restantes": x.plazo.dias_restantes,
                    "estado": x.estado,
                }
                for k, x in pend.items()
            ],
            "resultado": resultado.model_dump(mode="json"),
        }
        sys.stdout.write(_json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from reclama.cli.vistas import (
        PLAZO_TITULO,
        exigible_ahora,
        print_derivations,
        print_via_judicial,
        verdict,
    )
    from reclama.timeline import EXCUSA_NOMBRE, TIPO_NOMBRE

    console = Console()
    console.print(Text(etiqueta(caso), style="bold"))
    estado = f"resuelto el {s.cerrado:%d/%m/%Y}" if s.cerrado else "abierto"
    linea = f"Estado: {estado} · Etapa en redes: {etapa}"
    if s.reclamacion and not s.contestada and not s.cerrado:
        linea += f" · Reclamación del {s.reclamacion:%d/%m/%Y} sin respuesta"
    if s.en_reparacion:
        linea += f" · Producto en manos del vendedor desde el {s.en_reparacion:%d/%m/%Y}"
    console.print(linea, highlight=False)
    text, colour = verdict(resultado)
    console.print(Text(text, style=f"bold {colour}"))
    console.print()

    table = Table(title="Cronología", title_justify="left")
    for col in ("Fecha", "Suceso", "Detalle", "Efecto"):
        table.add_column(col)
    table.add_row(f"{caso.compra.fecha:%d/%m/%Y}", "Compra", caso.compra.producto or "", "")
    table.add_row(
        f"{caso.defecto.descubrimiento:%d/%m/%Y}",
        "Aparece el defecto",
        caso.defecto.descripcion or "",
        "",
    )
    for ev, t in eventos:
        table.add_row(f"{ev.fecha:%d/%m/%Y}", TIPO_NOMBRE[ev.tipo], _detalle(ev, EXCUSA_NOMBRE), t)
    console.print(table)

    table = Table(title=f"Plazos a {today:%d/%m/%Y}", title_justify="left")
    for col in ("Plazo", "Vence", "Días", "Artículo", "Estado"):
        table.add_column(col)
    for key, p in plazos.items():
        if p is None or p.hipotetico:
            continue
        aviso = (
            {"vencido": "VENCIDO", "proximo": "PRÓXIMO"}[pend[key].estado] if key in pend else ""
        )
        style = "red" if aviso == "VENCIDO" else "yellow" if aviso else ""
        dias = str(p.dias_restantes)
        if key == "respuesta_empresario" and contestacion and contestacion.estado != "pendiente":
            # Met, late or missed: what the history says, not days since it passed.
            vencido = contestacion.estado == "vencido"
            dias, aviso = "—", describe_respuesta(contestacion)
            aviso, style = (aviso.upper(), "red") if vencido else (aviso, "")
        table.add_row(
            PLAZO_TITULO.get(key, key),
            f"{p.vence:%d/%m/%Y}",
            dias,
            p.articulo,
            Text(aviso, style=style),
        )
    console.print(table)
    print_derivations(resultado, console)
    if s.cerrado:
        console.print(
            f"[bold]Puede exigir ahora:[/bold] nada pendiente: caso resuelto el {s.cerrado:%d/%m/%Y}."
        )
    else:
        console.print(
            f"[bold]Puede exigir ahora:[/bold] {exigible_ahora(resultado)}", highlight=False
        )
    print_via_judicial(resultado, console)
    console.print(
        f"[dim]Detalle y fundamentos: reclama comprobar --caso {fichero}[/dim]", highlight=False
    )


def _detalle(ev: Any, excusas: dict[str, str]) -> str:
    partes = []
    if ev.canal:
        partes.append(ev.canal)
    if ev.prueba_recepcion is not None:
        partes.append(
            "con prueba de recepción" if ev.prueba_recepcion else "sin prueba de recepción"
        )
    if ev.remedio:
        from reclama.engine import REMEDIO_NOMBRE

        partes.append(f"pide {REMEDIO_NOMBRE[ev.remedio]}")
    partes += [excusas.get(x, x) for x in ev.respuestas]
    if ev.ofrece:
        from reclama.engine import REMEDIO_NOMBRE

        partes.append(f"ofrece {REMEDIO_NOMBRE[ev.ofrece]}")
    if ev.negativa:
        partes.append("se niega")
    if ev.reparado is not None:
        partes.append("conforme" if ev.reparado else "no conforme")
    if ev.nota:
        partes.append(ev.nota)
    return "; ".join(partes)
