"""Public complaint drafts for social networks, addressed to the seller's account.

One draft per stage of the public conversation (`inicial`, `recordatorio`, `escalado`,
`agradecimiento`), worded by the templates in templates/tuit/, checked by the safe-wording
linter (reclama.lint), counted as the network counts (reclama.textlength) and split into a
numbered thread when it does not fit. The articles cited come from the engine's grounds
(`Resultado.fundamentos`) and the rule data, never from this module. Pure: "today" is an
argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from reclama import textlength
from reclama.cuentas import RED_NOMBRE, usuario_valido
from reclama.errors import InputError, dato
from reclama.lint import LintProblem, lint, visible
from reclama.seguimiento import etapa as etapa_social
from reclama.seguimiento import respuesta as estado_respuesta
from reclama.seguimiento import ultima_excusa, ultimo_paso
from reclama.timeline import Etapa, in_order, situacion

if TYPE_CHECKING:
    from reclama.caso import Caso, Vendedor
    from reclama.engine import Plazo, Resultado
    from reclama.render import TextTemplates
    from reclama.rules import RuleBook

Red = Literal["x", "mastodon", "bluesky"]
ETAPAS: tuple[str, ...] = Etapa.__args__
REDES: tuple[str, ...] = textlength.REDES

# How each remedy is asked for in a short public message.
REMEDIO_CORTO = {
    "reparacion": "la reparación",
    "sustitucion": "la sustitución",
    "rebaja": "una rebaja del precio",
    "resolucion": "la devolución del dinero",
}
_PRODUCTO_MAX = 40
_DEFECTO_MAX = 70
_DEFECTO_CORTO = 40
_PARTICULAS = {"de", "del", "la", "las", "los", "el", "y", "i", "da", "dos", "van", "von"}


class Draft(BaseModel):
    """One stage's message: the posts to publish (one, or a numbered thread) and their counts."""

    etapa: Etapa
    red: Red
    partes: list[str]
    longitudes: list[int]
    limite: int
    hilo: bool
    sugerida: bool = False
    avisos: list[str] = []


class TextoRechazado(InputError):
    """The sentence the user wants to add (`--texto`) cannot be published; `problemas` says why."""

    def __init__(self, problemas: list[LintProblem]):
        bloqueos = _sin_repetir([p for p in problemas if p.bloquea])
        lineas = "\n".join(f"  • {p.mensaje}" for p in bloqueos)
        super().__init__(
            "tuit.texto",
            f"el texto no se puede publicar ({len(bloqueos)} "
            f"{'problema' if len(bloqueos) == 1 else 'problemas'}); no se ha escrito ningún "
            f"borrador:\n{lineas}",
        )
        self.problemas = problemas


def _sin_repetir(problemas: list[LintProblem]) -> list[LintProblem]:
    """Drop a 'dato' finding inside a longer or more specific one ('martin' in an e-mail)."""

    def covered(p: LintProblem) -> bool:
        return p.regla == "dato" and any(
            q is not p
            and p.fragmento.casefold() in q.fragmento.casefold()
            and (q.regla != "dato" or len(q.fragmento) > len(p.fragmento))
            for q in problemas
        )

    return [p for p in problemas if not covered(p)]


def drafts(
    caso: Caso,
    resultado: Resultado,
    hoy: date,
    red: str = "x",
    etapas: Sequence[str] | None = None,
    texto_extra: str | None = None,
    book: RuleBook | None = None,
) -> list[Draft]:
    """Write the public messages to the seller for the stages asked (all four by default).

    Args:
        caso: the case, with the seller's account on `red` in `vendedor` (see `usuario`).
        resultado: its evaluation as of `hoy` (reclama.engine.evaluate).
        hoy: the date the drafts are written on.
        red: "x", "mastodon" or "bluesky": the length limit and how it is counted.
        etapas: the stages to write, in any order (they come out in stage order).
        texto_extra: a sentence of the user's own, added to every draft.
        book: the rules the engine used (the bundled legal_rules/ by default).

    Returns:
        One `Draft` per stage; the stage `reclama.seguimiento.etapa` suggests for
        the case is marked `sugerida`.

    Raises:
        InputError: no seller account, an unknown network or stage, a claim the
            guarantee does not cover, or a draft the linter rejects.
        TextoRechazado: `texto_extra` holds insults, accusations or personal data.
    """
    if red not in REDES:
        raise InputError(
            "tuit.red", f"«{red}» no es una red admitida; use una de: {', '.join(REDES)}"
        )
    wanted = _check_etapas(etapas)
    usuario = usuario_en(caso.vendedor, red)
    pedido = caso.compra.pedido
    datos = datos_personales(caso)
    comunes: list[str] = []
    extra = None
    if texto_extra and texto_extra.strip():
        checked = lint(" ".join(texto_extra.split()), pedido=pedido, datos=datos)
        if checked.rechazado:
            raise TextoRechazado(checked.problemas)
        extra = checked.texto
        comunes += [p.mensaje for p in checked.problemas]

    if book is None:
        from reclama.rules import load_rules

        book = load_rules()
    ctx, avisos = _context(
        caso, resultado, hoy, datos, book, exige_remedio=wanted != ["agradecimiento"]
    )
    sugerida = etapa_social(caso, resultado, hoy)
    plantillas = _plantillas()
    out = []
    for etapa in wanted:
        # The defect is told as fully as one post allows; a thread only when even none fits.
        chosen = None
        for defecto in ctx["defectos"]:
            body = _render(plantillas, etapa, {**ctx, "defecto": defecto, "texto_extra": extra})
            # The leading mention is left out of the check: a Mastodon account
            # (@tienda@servidor.social) has the shape of an e-mail address.
            checked = lint(body, pedido=pedido, datos=datos)
            if checked.rechazado:
                motivos = "; ".join(p.mensaje for p in checked.problemas if p.bloquea)
                raise InputError("caso", f"el borrador «{etapa}» no se puede publicar: {motivos}")
            # visible(): the account name is not linted; no draft carries invisible characters.
            candidate = (checked, visible(f"@{usuario} {checked.texto}"))
            chosen = chosen or candidate  # the fullest wording, if none fits
            if textlength.fits(candidate[1], red):
                chosen = candidate
                break
        assert chosen is not None  # defectos always ends with None
        checked, text = chosen
        partes = textlength.split_thread(text, red)
        notas = [
            *comunes,
            *(p.mensaje for p in checked.problemas),
            *(texto for etapas_, texto in avisos if etapa in etapas_),
        ]
        out.append(
            Draft(
                etapa=etapa,
                red=red,
                partes=partes,
                longitudes=[textlength.count(p, red) for p in partes],
                limite=textlength.limit(red),
                hilo=len(partes) > 1,
                sugerida=etapa == sugerida,
                avisos=list(dict.fromkeys(notas)),
            )
        )
    return out


# The seller's account on each network: its case-file field, an example.
USUARIO_RED = {
    "x": ("usuario_x", "TiendaEjemplo"),
    "mastodon": ("usuario_mastodon", "@tienda@mastodon.social"),
    "bluesky": ("usuario_bluesky", "tienda.bsky.social"),
}


def usuario_en(vendedor: Vendedor, red: str) -> str:
    """The seller's account on `red`, as a mention is written after its '@'.

    On X, `usuario_x` or else the older single field `usuario` (--usuario-vendedor). On
    Mastodon and Bluesky their own field, or `usuario` only if it already has that
    network's shape: a bare name there would mention whoever holds it on the poster's
    server, or nobody.

    Raises:
        InputError: no account for that network, named by its case-file field.
    """
    campo, ejemplo = USUARIO_RED[red]
    opcion = dato(f"vendedor.{campo}")
    usuario = getattr(vendedor, campo) or _antiguo(vendedor.usuario, red)
    if not usuario:
        otra = f" (o {dato('vendedor.usuario')})" if red == "x" else ""
        raise InputError(
            f"vendedor.{campo}",
            f"falta el usuario del vendedor en {RED_NOMBRE[red]}, al que se dirigen los "
            f"mensajes (por ejemplo, {opcion} {ejemplo}{otra}, o {campo} en [vendedor] del "
            "fichero de caso)",
        )
    return usuario.removeprefix("@")


def _antiguo(usuario: str | None, red: str) -> str | None:
    """The older single field, where it can stand for `red`'s account.

    On X it is the account: one that X could not hold (16 letters, a dot) would
    mention nobody, so it is refused rather than published.
    """
    if not usuario:
        return usuario
    if red == "x":
        try:
            return usuario_valido(red, usuario)
        except ValueError as e:
            raise InputError(
                "vendedor.usuario",
                f"{e} (o indique la cuenta de X con {dato('vendedor.usuario_x')})",
            ) from None
    try:
        return usuario_valido(red, usuario)
    except ValueError:
        return None


def _render(plantillas: TextTemplates, etapa: str, ctx: dict[str, Any]) -> str:
    """One stage's text on one line; a sentence cut short ends with its ellipsis alone."""
    text = " ".join(plantillas.render(f"{etapa}.j2.txt", ctx).split())
    return text.replace("….", "…")


def datos_personales(caso: Caso) -> list[str]:
    """What of the consumer must never be published: DNI, phone, e-mail, address, surnames.

    The full name and each surname are included; the first name alone is not (it is
    common, and the account already shows who writes). The address goes whole and by
    its comma-separated pieces that hold a number (street and number, postcode and town).
    """
    c = caso.consumidor
    out = [x for x in (c.dni, c.telefono, c.email, c.domicilio, c.nombre) if x]
    if c.nombre:
        words = c.nombre.split()[1:]
        out += [w for w in words if w.lower() not in _PARTICULAS and len(w) >= 3]
    if c.domicilio:
        out += [p.strip() for p in c.domicilio.split(",") if re.search(r"\d", p)]
    return list(dict.fromkeys(out))


def _check_etapas(etapas: Sequence[str] | None) -> list[str]:
    if not etapas:
        return list(ETAPAS)
    for e in etapas:
        if e not in ETAPAS:
            raise InputError(
                "tuit.etapa", f"«{e}» no es una etapa; use una de: {', '.join(ETAPAS)}"
            )
    return [e for e in ETAPAS if e in etapas]


@cache
def _plantillas() -> TextTemplates:
    """templates/tuit/, in the letters' sandbox (`reclama.render` makes every Jinja environment)."""
    from reclama.paths import templates_dir
    from reclama.render import TextTemplates

    return TextTemplates(templates_dir() / "tuit")


# --- What the templates are told --------------------------------------------------------------

_RECLAMAN = ("inicial", "recordatorio", "escalado")


def _context(
    caso: Caso,
    resultado: Resultado,
    hoy: date,
    datos: list[str],
    book: RuleBook,
    exige_remedio: bool,
) -> tuple[dict[str, Any], list[tuple[tuple[str, ...], str]]]:
    """The facts the templates word, and the warnings with the stages they concern."""
    avisos: list[tuple[tuple[str, ...], str]] = []
    pedido = caso.compra.pedido

    # What the consumer wrote is checked on its own first, so that a bad word there costs
    # only that detail, not the whole draft.
    producto = _producto(caso.compra.producto)
    if producto and (motivo := _rechazo(producto, pedido, datos)):
        avisos.append((ETAPAS, f"El nombre del producto no se usa en los mensajes: {motivo}"))
        producto = None
    defectos = _defectos(caso.defecto.descripcion)
    if defectos and (motivo := _rechazo(defectos[0], pedido, datos)):
        defectos = [d for d in defectos[1:] if not _rechazo(d, pedido, datos)]
        que = "Parte de la descripción" if defectos else "La descripción"
        avisos.append((ETAPAS, f"{que} del defecto no se usa en los mensajes: {motivo}"))

    elegidos, remedio, ley, garantia, nota = _peticion(caso, resultado, book, exige_remedio)
    if nota:
        avisos.append((_RECLAMAN, nota))

    s = situacion(caso)
    respuesta = None
    r = estado_respuesta(caso, resultado, hoy)
    if r is not None:
        p = r.plazo
        respuesta = {
            "vence": _fecha(p.vence, hoy),
            "estado": r.estado,
            "articulo": _citar([_cita_plazo(resultado, p)]),
        }
        # Only the drafts that state the deadline carry its caveat.
        citan = tuple(
            e
            for e, cita in (
                ("recordatorio", r.estado == "pendiente"),
                ("escalado", r.estado == "vencido"),
            )
            if cita and not s.negativa
        )
        if p.no_verificado and citan:
            avisos.append((citan, f"Punto no verificado: {p.no_verificado}"))
    reclamada, reclamado = _reclamacion_citada(caso, elegidos)
    if s.cerrado is None:
        paso = ultimo_paso(caso)
        vuelto = paso is not None and paso.tipo == "devolucion" and paso.reparado
        avisos.append(
            (
                ("agradecimiento",),
                f"El producto volvió conforme el {paso.fecha:%d/%m/%Y}: si con eso el caso "
                "está resuelto, regístrelo (suceso «resuelto») para que deje de vigilarse."
                if vuelto and paso is not None
                else "El caso no consta como resuelto: publique el agradecimiento cuando lo esté.",
            )
        )
    ctx = {
        "producto": producto,
        "pedido": pedido,
        "defectos": [*defectos, None],  # longest first; None: only the date it appeared
        "descubrimiento": _fecha(caso.defecto.descubrimiento, hoy),
        "remedio": remedio,
        "ley": ley,
        "garantia": garantia,
        "reclamacion": _fecha(reclamada, hoy) if reclamada else None,
        "ultima": _fecha(s.reclamacion, hoy) if s.reclamacion else None,  # the latest claim
        # What that claim asked, in its own words: None if the same as asked now, "" if unknown.
        "reclamado": None
        if reclamado == elegidos
        else " o ".join(REMEDIO_CORTO.get(x, "") for x in reclamado),
        "contestada": s.contestada,
        "negativa": s.negativa,
        "en_reparacion": _fecha(s.en_reparacion, hoy) if s.en_reparacion else None,
        "respuesta": respuesta,
        "rebate": _rebate(caso, resultado, elegidos, garantia, hoy, book),
    }
    return ctx, avisos


def _rechazo(text: str, pedido: str | None, datos: list[str]) -> str | None:
    """Why `text` cannot be published, or None if it can."""
    checked = lint(text, pedido=pedido, datos=datos)
    if not checked.rechazado:
        return None
    return " ".join(p.mensaje for p in checked.problemas if p.bloquea)


def _peticion(
    caso: Caso, resultado: Resultado, book: RuleBook, exige_remedio: bool
) -> tuple[list[str], str, str, str | None, str | None]:
    """The remedies asked, in words, the articles behind them, the guarantee's length, and
    a note if they are not the consumer's latest choice.

    Raises:
        InputError: no guarantee remedy can be demanded (and a claim is being drafted).
    """
    from reclama.engine import REMEDIO_NOMBRE

    pedido = resultado.remedio
    garantia_cita = _cita(resultado, "trlgdcu.garantia_plazo")
    admisibles = [r for r in resultado.remedios_admisibles if r in REMEDIO_CORTO]
    if not admisibles:
        if exige_remedio:
            tema = "garantia" if not resultado.en_garantia else "prescripcion"
            motivo = next((c.texto for c in resultado.conclusiones if c.tema == tema), "")
            if pedido is not None and not pedido.admisible:
                motivo = pedido.motivo
            raise InputError(
                "caso",
                "no hay ninguna medida de la garantía legal que pueda exigirse, así que no se "
                f"redacta una reclamación pública. {motivo}".strip(),
            )
        return [], "la garantía", _citar([garantia_cita] if garantia_cita else []), None, None

    elegidos = remedio_decidido(caso, resultado, book)
    remedio = " o ".join(REMEDIO_CORTO[r] for r in elegidos)
    nota = None
    if pedido is not None and elegidos != [pedido.solicitado]:
        motivo = (
            pedido.motivo
            if not pedido.admisible
            else (
                "Los mensajes en redes reclaman la garantía legal; el desistimiento se ejerce aparte."
            )
        )
        nota = (
            f"{motivo} Por eso los borradores piden {remedio} en lugar de "
            f"{REMEDIO_NOMBRE[pedido.solicitado]}."
        )
    otorga = _otorga(resultado, elegidos[0], book)
    citas = [c for c in (_cita(resultado, otorga) if otorga else None, garantia_cita) if c]
    return elegidos, remedio, _citar(citas), _duracion(resultado.plazos.get("garantia")), nota


def remedio_decidido(caso: Caso, resultado: Resultado, book: RuleBook) -> list[str]:
    """What the drafts demand: the consumer's choice, never one the tool makes for them.

    The single place to ask. Until the shared remedy decision exists, it is the latest
    choice recorded if it can be demanded now; else the latest repair-or-replacement
    choice in the history (a refund asked before the law opens it leaves the replacement
    chosen earlier standing: the choice is the consumer's); only with no such choice, the
    two of them.
    reclama.remedio (the shared decision, as for the letter) answers first; the rest is
    for what it leaves out (no guarantee remedy chosen, e.g. a withdrawal).
    """
    from reclama.remedio import exigible

    d = exigible(caso, resultado, book)
    if d is not None and all(r in REMEDIO_CORTO for r in d.pedido):
        return list(d.pedido)
    admisibles = [r for r in resultado.remedios_admisibles if r in REMEDIO_CORTO]
    pedido = resultado.remedio
    if pedido is not None and pedido.admisible and pedido.solicitado in admisibles:
        return [pedido.solicitado]
    primarios = [
        r for r in admisibles if _otorga(resultado, r, book) == "trlgdcu.remedios_primarios"
    ]
    for elegido in reversed([x for _, x in _elecciones(caso)]):
        if elegido in primarios:
            return [elegido]
    return primarios if len(primarios) == 2 else admisibles[:1]


def _elecciones(caso: Caso) -> list[tuple[date | None, str | None]]:
    """Each claim with the remedy in force when it was sent, in order.

    The file's own `[reclamacion]` comes first (its `aviso` date, unless that is an event's:
    a case whose events are already folded in has the earliest event's date there). Its
    `remedio` is the starting choice only when no `aviso` event names one (folded, it is
    the latest event's).
    """
    r = caso.reclamacion
    avisos = [ev for _, ev in in_order(caso) if ev.tipo == "aviso"]
    actual = None if any(ev.remedio for ev in avisos) else r.remedio
    out: list[tuple[date | None, str | None]] = []
    if r.aviso is None or r.aviso not in {ev.fecha for ev in avisos}:
        out.append((r.aviso, r.remedio))
    for ev in avisos:
        actual = ev.remedio or actual
        out.append((ev.fecha, actual))
    return out


def _reclamacion_citada(caso: Caso, elegidos: list[str]) -> tuple[date | None, list[str]]:
    """The claim a draft names, and what it asked: the latest that asked what is asked now,
    else the latest one; so "El 03/08 les reclamé la sustitución" is always what was sent.
    """
    avisos = [(d, x) for d, x in _elecciones(caso) if d is not None]
    if not avisos:
        return None, []
    for fecha, remedio in reversed(avisos):
        if remedio is not None and [remedio] == elegidos:
            return fecha, elegidos
    fecha, remedio = avisos[-1]
    return fecha, [remedio] if remedio else []


_CITA_EN_TEXTO = re.compile(r"\{([a-z0-9_]+\.[a-z0-9_]+)(?:#(\d+))?\}")


def _rebate(
    caso: Caso,
    resultado: Resultado,
    elegidos: list[str],
    garantia: str | None,
    hoy: date,
    book: RuleBook,
) -> str | None:
    """One short sentence that rebuts the seller's latest excuse with its article, or None.

    The words are the `tuit` of that excuse in templates/excusas.toml (the one of the
    contract's regime, else the common one); `{regla.id}` there becomes the short citation
    ('art. N LEY') of the version that applies, `{regla.id#2}` its second citation.
    """
    from reclama.letter import load_texts

    excusa = ultima_excusa(caso)
    if excusa is None:
        return None
    code, fecha = excusa
    data = load_texts()["excusas"].get(code) or {}
    tuit = next(
        (
            sub["tuit"]
            for sub in (data.get(resultado.regimen), data.get("todos"), data)
            if isinstance(sub, dict) and "tuit" in sub
        ),
        None,
    )
    if isinstance(tuit, list):
        condiciones = {"rebaja-resolucion": bool(set(elegidos) & {"rebaja", "resolucion"})}
        tuit = next((t["texto"] for t in tuit if _cumple(t.get("si"), condiciones)), None)
    if not isinstance(tuit, str) or not tuit.strip():
        return None
    valores = {"remedio": " o ".join(REMEDIO_CORTO[r] for r in elegidos), "garantia": garantia}
    citas = {
        m[0]: _cita_regla(caso, resultado, m[1], int(m[2] or 1), book)
        for m in _CITA_EN_TEXTO.finditer(tuit)
    }
    if None in citas.values():
        return None  # an article this contract's law does not have: say nothing rather than guess
    texto = _CITA_EN_TEXTO.sub(lambda m: citas[m[0]] or "", tuit)
    texto = re.sub(r"\{(\w+)\}", lambda m: valores.get(m[1]) or "", texto)
    texto = " ".join(texto.split()).rstrip(".")
    if fecha is not None:
        return f"El {_fecha(fecha, hoy)} {texto}."
    return f"{texto[:1].upper()}{texto[1:]}."


def _cumple(si: str | None, condiciones: dict[str, bool]) -> bool:
    if si is None:
        return True
    return not condiciones.get(si[1:], False) if si.startswith("!") else condiciones.get(si, False)


def _cita_regla(caso: Caso, resultado: Resultado, regla: str, n: int, book: RuleBook) -> str | None:
    """The short citation of a rule's n-th citation: the version the engine applied, else
    the one in force for this contract; None if the rule does not apply to it."""
    from reclama.rules import fechas_de_evento

    f = next((f for f in resultado.fundamentos if f.regla == regla), None)
    v = book.applied(regla, f.valido_desde) if f else None
    if v is None:
        hoy = resultado.hoy
        v = book.select(regla, fechas_de_evento(caso.compra.fecha, hoy))
    if v is None or len(v.cita) < n:
        return None
    cita = v.cita[n - 1]
    return _citar([(cita.articulo, cita.norma)])


def _otorga(resultado: Resultado, remedio: str, book: RuleBook) -> str | None:
    """The rule the engine applied whose data grants `remedio` (lists it in `remedios`)."""
    for f in resultado.fundamentos:
        v = book.applied(f.regla, f.valido_desde)
        if v is not None and remedio in v.valores.get("remedios", ()):
            return f.regla
    return None


def _cita(resultado: Resultado, regla: str) -> tuple[str, str] | None:
    """(article, law) of the first citation the engine used for `regla`."""
    f = next((f for f in resultado.fundamentos if f.regla == regla), None)
    return (f.articulo, f.norma) if f else None


def _cita_plazo(resultado: Resultado, p: Plazo) -> tuple[str, str]:
    """(article, law) that sets a deadline: the rule version the engine applied for it."""
    return _cita(resultado, p.regla) or (p.articulo, "")


def _citar(citas: Iterable[tuple[str, str]]) -> str:
    """A short citation, 'art. N LEY', or 'arts. N y M LEY' for two articles of one law.

    A public message names the article, not its paragraph: article '12.1' or '12 d)' is
    cited as '12'.
    """
    por_norma: dict[str, list[str]] = {}
    for articulo, norma in citas:
        m = re.match(r"\d+", articulo)
        numero = m.group() if m else articulo
        if numero not in por_norma.setdefault(norma, []):
            por_norma[norma].append(numero)
    partes = []
    for norma, numeros in por_norma.items():
        numeros.sort(key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n))
        digit = numeros[0][:1].isdigit()
        if len(numeros) == 1:
            texto = f"{'art. ' if digit else ''}{numeros[0]}"
        else:
            texto = f"{'arts. ' if digit else ''}{', '.join(numeros[:-1])} y {numeros[-1]}"
        partes.append(f"{texto} {norma}".strip())
    return " y ".join(partes)


def _duracion(p: Plazo | None) -> str | None:
    """The guarantee's length in words ('3 años'), from its start and its end before extensions."""
    if p is None:
        return None
    base = p.vence - timedelta(days=p.ampliado_dias)
    meses = (base.year - p.desde.year) * 12 + base.month - p.desde.month
    if meses <= 0:
        return None
    if meses % 12 == 0:
        return "1 año" if meses == 12 else f"{meses // 12} años"
    return "1 mes" if meses == 1 else f"{meses} meses"


def _fecha(d: date, hoy: date) -> str:
    """'15/09' within the current year, '15/09/2025' otherwise."""
    return f"{d:%d/%m}" if d.year == hoy.year else f"{d:%d/%m/%Y}"


def _minuscula(text: str) -> str:
    """Lower-case a common-noun phrase's first letter ('Teléfono móvil' → 'teléfono móvil').

    Only when the first word is capitalised and the second is all lower case: a brand or
    model ('Samsung Galaxy', 'Apple iPhone 17', 'TV LG') keeps its spelling.
    """
    words = text.split()
    if len(words) >= 2 and words[0][:1].isupper() and words[0][1:].islower() and words[1].islower():
        return text[0].lower() + text[1:]
    return text


def _recortar(text: str, limite: int) -> str:
    """Cut at the last word boundary within `limite` characters, with an ellipsis."""
    if len(text) <= limite:
        return text
    cut = text[: limite - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _producto(producto: str | None) -> str | None:
    """The product as a public message names it: the invoice line up to its first comma."""
    if not producto or not producto.strip():
        return None
    return _recortar(_minuscula(" ".join(producto.split(",")[0].split())), _PRODUCTO_MAX)


def _defectos(descripcion: str | None) -> list[str]:
    """The defect in a few words, longest first: its first sentence, then its first clause.

    The first sentence (up to '.', ':', ';', '?' or '!') is cut at a word boundary if long;
    the clause ends at the first comma or ' y '.
    """
    if not descripcion or not descripcion.strip():
        return []
    text = " ".join(descripcion.split())
    first = _minuscula(re.split(r"(?<=[^\d\s])[.:;!?](?:\s|$)", text, maxsplit=1)[0].strip())
    clause = re.split(r",\s| y ", first, maxsplit=1)[0].strip()
    out = [_recortar(first, _DEFECTO_MAX), _recortar(clause, _DEFECTO_CORTO)]
    return [d for d in dict.fromkeys(out) if d]
