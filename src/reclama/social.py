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
from reclama.errors import InputError
from reclama.lint import LintProblem, lint, visible
from reclama.timeline import Etapa, etapa_social, plazo_respuesta, situacion

if TYPE_CHECKING:
    import jinja2

    from reclama.caso import Caso
    from reclama.engine import Plazo, Resultado

Red = Literal["x", "mastodon", "bluesky"]
ETAPAS: tuple[str, ...] = Etapa.__args__
REDES: tuple[str, ...] = textlength.REDES
RED_NOMBRE = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}

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
            "--texto",
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
) -> list[Draft]:
    """Write the public messages to the seller for the stages asked (all four by default).

    Args:
        caso: the case, with the seller's account in `vendedor.usuario`.
        resultado: its evaluation as of `hoy` (reclama.engine.evaluate).
        hoy: the date the drafts are written on.
        red: "x", "mastodon" or "bluesky": the length limit and how it is counted.
        etapas: the stages to write, in any order (they come out in stage order).
        texto_extra: a sentence of the user's own, added to every draft.

    Returns:
        One `Draft` per stage; the stage `reclama.timeline.etapa_social` suggests for
        the case is marked `sugerida`.

    Raises:
        InputError: no seller account, an unknown network or stage, a claim the
            guarantee does not cover, or a draft the linter rejects.
        TextoRechazado: `texto_extra` holds insults, accusations or personal data.
    """
    if red not in REDES:
        raise InputError(
            "--red", f"«{red}» no es una red admitida; use una de: {', '.join(REDES)}"
        )
    wanted = _check_etapas(etapas)
    usuario = caso.vendedor.usuario
    if not usuario:
        raise InputError(
            "--usuario-vendedor",
            "falta el usuario del vendedor en la red social, al que se dirigen los mensajes "
            "(por ejemplo, --usuario-vendedor TiendaEjemplo, o usuario en [vendedor] del "
            "fichero de caso)",
        )
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

    ctx, avisos = _context(caso, resultado, hoy, datos, exige_remedio=wanted != ["agradecimiento"])
    sugerida = etapa_social(caso, resultado, hoy)
    env = _environment()
    out = []
    for etapa in wanted:
        # The defect is told as fully as one post allows; a thread only when even none fits.
        chosen = None
        for defecto in ctx["defectos"]:
            body = _render(env, etapa, {**ctx, "defecto": defecto, "texto_extra": extra})
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


def _render(env: jinja2.Environment, etapa: str, ctx: dict[str, Any]) -> str:
    """One stage's text on one line; a sentence cut short ends with its ellipsis alone."""
    text = " ".join(env.get_template(f"{etapa}.j2.txt").render(**ctx).split())
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
            raise InputError("--etapa", f"«{e}» no es una etapa; use una de: {', '.join(ETAPAS)}")
    return [e for e in ETAPAS if e in etapas]


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    from reclama.paths import templates_dir

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "tuit"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text for a social network, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


# --- What the templates are told --------------------------------------------------------------

_RECLAMAN = ("inicial", "recordatorio", "escalado")


def _context(
    caso: Caso, resultado: Resultado, hoy: date, datos: list[str], exige_remedio: bool
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

    remedio, ley, garantia, nota = _peticion(resultado, exige_remedio)
    if nota:
        avisos.append((_RECLAMAN, nota))

    s = situacion(caso)
    respuesta = None
    p = plazo_respuesta(caso, resultado)
    if p is not None and not p.hipotetico:
        respuesta = {
            "vence": _fecha(p.vence, hoy),
            "vencido": p.vence < hoy,
            "articulo": _citar([_cita_plazo(resultado, p)]),
        }
        # Only the drafts that state the deadline carry its caveat.
        citan = tuple(
            e
            for e, cita in (("recordatorio", p.vence >= hoy), ("escalado", not s.negativa))
            if cita
        )
        if p.no_verificado and citan:
            avisos.append((citan, f"Punto no verificado: {p.no_verificado}"))
    marca = None
    if "marca" in caso.reclamacion.respuestas:
        cita = _cita(resultado, "trlgdcu.responsable_vendedor")
        marca = _citar([cita]) if cita else None
    if s.cerrado is None:
        avisos.append(
            (
                ("agradecimiento",),
                "El caso no consta como resuelto: publique el agradecimiento cuando lo esté.",
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
        "reclamacion": _fecha(s.reclamacion, hoy) if s.reclamacion else None,
        "contestada": s.contestada,
        "negativa": s.negativa,
        "respuesta": respuesta,
        "marca": marca,
    }
    return ctx, avisos


def _rechazo(text: str, pedido: str | None, datos: list[str]) -> str | None:
    """Why `text` cannot be published, or None if it can."""
    checked = lint(text, pedido=pedido, datos=datos)
    if not checked.rechazado:
        return None
    return " ".join(p.mensaje for p in checked.problemas if p.bloquea)


def _peticion(
    resultado: Resultado, exige_remedio: bool
) -> tuple[str, str, str | None, str | None]:
    """The remedy asked, the articles behind it, the guarantee's length, and a note if changed.

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
        return "la garantía", _citar([garantia_cita] if garantia_cita else []), None, None

    nota = None
    if pedido is not None and pedido.admisible and pedido.solicitado in REMEDIO_CORTO:
        elegidos = [pedido.solicitado]
    else:
        # Nothing (claimable) chosen: the consumer's choice between repair and replacement.
        primarios = [r for r in admisibles if _otorga(resultado, r) == "trlgdcu.remedios_primarios"]
        elegidos = primarios if len(primarios) == 2 else admisibles[:1]
    remedio = " o ".join(REMEDIO_CORTO[r] for r in elegidos)
    if pedido is not None and elegidos != [pedido.solicitado]:
        motivo = pedido.motivo if not pedido.admisible else (
            "Los mensajes en redes reclaman la garantía legal; el desistimiento se ejerce aparte."
        )
        nota = (
            f"{motivo} Por eso los borradores piden {remedio} en lugar de "
            f"{REMEDIO_NOMBRE[pedido.solicitado]}."
        )
    otorga = _otorga(resultado, elegidos[0])
    citas = [c for c in (_cita(resultado, otorga) if otorga else None, garantia_cita) if c]
    return remedio, _citar(citas), _duracion(resultado.plazos.get("garantia")), nota


def _otorga(resultado: Resultado, remedio: str) -> str | None:
    """The rule the engine applied whose data grants `remedio` (lists it in `remedios`)."""
    from reclama.rules import load_rules

    book = load_rules()
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

    Only when the first word is capitalised and the second is lower case: a brand or
    model ('Samsung Galaxy', 'iPhone 15', 'TV LG') keeps its spelling.
    """
    words = text.split()
    if (
        len(words) >= 2
        and words[0][:1].isupper()
        and words[0][1:].islower()
        and words[1][:1].islower()
    ):
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
