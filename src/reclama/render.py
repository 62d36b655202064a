"""Letters from Jinja templates to e-mail text, HTML and PDF; the only module using Jinja, Babel and WeasyPrint.

Every Jinja environment is made here (`_environment`): the letters' and the drafts' (`TextTemplates`).

Import it only on the rendering path: `reclama comprobar` never loads it. Rendering never touches
the network and reads files only from the template folders (see `_local_fetcher`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import mimetypes
import re
import sys
import time as _time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import nodes
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from reclama.caso import Caso
from reclama.engine import Resultado
from reclama.errors import InputError
from reclama.letter import build_context, check_format, load_texts, template_data
from reclama.paths import templates_dir
from reclama.plantillas import MAX_RECURSO, Carpetas, PlantillaError

LOCALE = "es_ES"
ATTACHMENT_NAME = "reclama-caso.json"
_ORDINALES = (
    "Primero",
    "Segundo",
    "Tercero",
    "Cuarto",
    "Quinto",
    "Sexto",
    "Séptimo",
    "Octavo",
    "Noveno",
    "Décimo",
)
_ROMANOS = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def fecha_larga(d: date) -> str:
    """22 de noviembre de 2026."""
    return format_date(d, "long", locale=LOCALE)


def euros(amount: Decimal) -> str:
    """1.299,00 € (with a no-break space before the sign, as CLDR writes it)."""
    return format_currency(amount, "EUR", locale=LOCALE)


def ordinal(n: int) -> str:
    return _ORDINALES[n - 1] if 0 < n <= len(_ORDINALES) else f"{n}.º"


def romano(n: int) -> str:
    out = ""
    for value, letters in _ROMANOS:
        while n >= value:
            out, n = out + letters, n - value
    return out


# Budgets for one letter. Counted, not timed, so a template either fits or it does not, on any
# machine; the clock is only a backstop for single steps that are slow.
PRESUPUESTO = 1_000_000  # steps: loop iterations, calls, attribute and item lookups, operators
MAX_TEXTO = 2_000_000  # characters in the output, or in any value a template builds
MAX_BITS = 100_000  # integers a template builds
MAX_SEGUNDOS = 60.0


class _Excedido(jinja2.TemplateRuntimeError):
    """A template went over its budget."""


class _Contador(NodeTransformer):
    """Routes every `{% for %}` and `~` through the environment, so loops and joins are counted."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = _llamada("iterar", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        return _llamada("medir", self.generic_visit(node))


def _llamada(metodo: str, arg: nodes.Expr) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(metodo), [arg], [], None, None, lineno=arg.lineno)


def _tamano(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return len(value) + sum(len(x) for x in value if isinstance(x, str))
    return 0


class _Entorno(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a step budget and a size cap on everything a template builds.

    Why: the sandbox blocks `__class__` and mutation but lets `range(100000)` loops nest and
    strings double without end; a letterhead pack must fail fast with a message instead.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(self, loader: jinja2.BaseLoader):
        super().__init__(
            loader=loader,
            autoescape=jinja2.select_autoescape(),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals = {
            "range": self._range,
            "dict": dict,
            "cycler": self.globals["cycler"],
            "joiner": self.globals["joiner"],
            "namespace": self.globals["namespace"],
        }
        self.filters.pop("random", None)
        self.filters.update(fecha_larga=fecha_larga, euros=euros, ordinal=ordinal, romano=romano)
        self.filters = {name: self._guarded(f) for name, f in self.filters.items()}
        self.limite = PRESUPUESTO
        self.empezar()

    def empezar(self, limite: int | None = None) -> None:
        """A fresh budget for the next letter."""
        self.pasos, self.limite = 0, limite or PRESUPUESTO
        self.hasta = _time.monotonic() + MAX_SEGUNDOS

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Contador().visit(super()._parse(source, name, filename))

    def paso(self, n: int = 1) -> None:
        self.pasos += n
        if self.pasos > self.limite:
            raise _Excedido(
                f"la plantilla supera el límite de {self.limite:,} pasos de cálculo por carta "
                "(¿bucles anidados demasiado grandes?)".replace(",", ".")
            )
        if self.pasos & 0x3FF == 0 and _time.monotonic() > self.hasta:
            raise _Excedido(f"la plantilla tarda más de {MAX_SEGUNDOS:.0f} segundos en una carta")

    def medir(self, value: Any) -> Any:
        if _tamano(value) > MAX_TEXTO:
            raise _Excedido(
                f"la plantilla genera un texto o una lista de más de {MAX_TEXTO:,} caracteres".replace(
                    ",", "."
                )
            )
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
            raise _Excedido("la plantilla genera un número demasiado grande")
        return value

    def iterar(self, iterable: Any) -> Any:
        for item in iterable:
            self.paso()
            yield item

    def _range(self, *args: int) -> range:
        self._args(args, {})
        rng = range(*args)
        self.paso(len(rng))
        return rng

    def _args(self, args: tuple, kwargs: dict) -> None:
        """No argument a width, count or repetition could blow up: big ints are refused up front."""
        for a in (*args, *kwargs.values()):
            if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_TEXTO:
                raise _Excedido(f"número demasiado grande para la plantilla ({a})")
            self.medir(a)

    def _guarded(self, f: Any) -> Any:
        @functools.wraps(f)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.paso()
            self._args(args, kwargs)
            strings = [a for a in args if isinstance(a, str)]
            if f.__name__ == "do_replace":
                _check_replace(strings)
            if f.__name__ == "do_format" and strings:
                _check_format(strings[0])
            return self.medir(f(*args, **kwargs))

        return guarded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.paso()
        __self._args(args, kwargs)
        bound = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(bound, str):
            name = getattr(getattr(__obj, "__wrapped__", __obj), "__name__", "")
            if name in ("format", "format_map"):
                _check_format(bound)
            if name == "replace":
                _check_replace([bound, *(a for a in args if isinstance(a, str))])
            if name == "join":
                items = list(args[0]) if args else []
                __self.paso(len(items))
                if sum(len(str(x)) for x in items) > MAX_TEXTO:
                    raise _Excedido("la plantilla genera un texto demasiado largo")
                args = (items, *args[1:])
        return __self.medir(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.paso()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.paso()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.paso()
        ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (left, right))
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and _tamano(seq) * max(n, 0) > MAX_TEXTO:
                    raise _Excedido("la plantilla genera un texto o una lista demasiado larga")
            if ints and left.bit_length() + right.bit_length() > MAX_BITS:
                raise _Excedido("la plantilla genera un número demasiado grande")
        elif operator == "**" and ints and right > 0 and left.bit_length() * right > MAX_BITS:
            raise _Excedido("la plantilla genera un número demasiado grande")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return self.medir(super().call_binop(context, operator, left, right))


def _check_format(fmt: str) -> None:
    """A format string may not ask for a width or precision that makes a huge text."""
    for spec in re.findall(r"%[^a-zA-Z%]*|\{[^{}]*\}", fmt):
        if "*" in spec or any(int(d) > MAX_TEXTO for d in re.findall(r"\d+", spec)):
            raise _Excedido("formato con una anchura demasiado grande")


def _check_replace(strings: list[str]) -> None:
    if len(strings) >= 3:
        s, old, new = strings[:3]
        if (s.count(old) if old else len(s) + 1) * len(new) > MAX_TEXTO:
            raise _Excedido("la plantilla genera un texto demasiado largo")


class _Cargador(jinja2.BaseLoader):
    """Templates from the folders, first folder first, read only inside them (`Carpetas`)."""

    def __init__(self, carpetas: Carpetas):
        self.carpetas = carpetas
        self.vistos: set[str] = set()  # files handed to Jinja: the frames an error is located in

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = self.carpetas.find("/".join(split_template_path(template)))
        if path is None:
            raise jinja2.TemplateNotFound(template)
        source = self.carpetas.read_text(path)
        mtime = path.stat().st_mtime
        self.vistos.add(str(path))
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], sandboxed: bool = True) -> _Entorno:
    """One sandboxed Jinja environment per set of template folders, first folder first.

    Why: `select_autoescape()` escapes `*.j2.html` (not `*.html.j2`), and StrictUndefined turns
    a missing field into an error instead of a gap in a legal letter. The bundled templates run
    in the same sandbox as a firm's (`sandboxed` is kept for callers; it is always on).
    """
    return _Entorno(_Cargador(Carpetas(dirs)))


_RECURSO_FALLIDO = re.compile(r"^Failed to (load|render)|cannot be loaded")


class _Aviso(logging.Handler):
    """WeasyPrint's and fontTools' warnings go to stderr as the CLI's own «Aviso:» lines.

    While a PDF is drawn, `fallidos` collects the resources WeasyPrint could not use (a logo
    that is not an image, a broken font): the renderer makes them an error instead.
    """

    fallidos: list[str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if _Aviso.fallidos is not None and _RECURSO_FALLIDO.search(message):
            _Aviso.fallidos.append(message)
            return
        sys.stderr.write(f"Aviso: {message}\n")


def _route_warnings() -> None:
    for name in ("weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Aviso) for h in logger.handlers):
            logger.addHandler(_Aviso(logging.WARNING))
            logger.propagate = False


@dataclass(frozen=True)
class MotorPdf:
    """What the PDF engine finds on this machine; `doctor` asks here, as this module is
    WeasyPrint's only importer. `harfbuzz_subset` is None when WeasyPrint did not load."""

    weasyprint: str | None  # its version, None when it cannot load
    error: str = ""  # why it cannot load
    pango: str | None = None
    harfbuzz_subset: bool | None = None  # fast font subsetting (about 4 times faster PDFs)


def motor_pdf() -> MotorPdf:
    try:
        import weasyprint
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset, pango
    except Exception as e:  # OSError when Pango is missing, ImportError when not installed
        return MotorPdf(weasyprint=None, error=str(e))
    v = pango.pango_version()  # e.g. 15014 for 1.50.14
    return MotorPdf(
        weasyprint=weasyprint.__version__,
        pango=f"{v // 10000}.{v // 100 % 100}.{v % 100}",
        # the test WeasyPrint itself makes before it subsets with harfbuzz (pdf/fonts.py)
        harfbuzz_subset=harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0)),
    )


def _local_fetcher(roots: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves files from `roots` (and data: URLs) and refuses the rest.

    WeasyPrint only logs a resource it could not get and leaves a gap; the fetcher also keeps
    the refusals in `fallos`, so the renderer turns a missing logo into an error.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    carpetas = Carpetas(roots)

    class LocalFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = carpetas.dirs
            self.fallos: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                return self._fetch(url, headers)
            except Exception as e:
                self.fallos.append(str(e) or f"no se puede cargar {url}")
                raise

        def _fetch(self, url: str, headers: Any) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path))
                if carpetas.contains(path):
                    try:
                        data = carpetas.read_bytes(path, MAX_RECURSO)
                    except PlantillaError as e:
                        raise ValueError(f"{url}: {e.mensaje}") from None
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, data, {"Content-Type": mime})
            raise ValueError(f"{url}: recurso bloqueado (fuera de las carpetas de plantillas)")

    return LocalFetcher()


def attachment_data(ctx: dict[str, Any]) -> dict[str, Any]:
    """What the PDF/A carries to re-check the letter later: what the letter states, and the rules quoted.

    Only data the letter itself states: the parties, the purchase, the defect, the seller's
    answers, the remedy and the deadlines it gives, with the rule versions. Never the case's
    timeline (its `nota` fields are the user's private notes) nor facts the letter does not use.
    """
    from importlib.metadata import version

    datos = template_data(ctx)
    c, r = ctx["caso"], ctx["resultado"]
    respuesta = ctx["respuesta"]
    plazos = {"garantia": r.plazos["garantia"].vence, "presuncion": r.plazos["presuncion"].vence}
    if respuesta:
        plazos["respuesta_empresario"] = respuesta.vence
    return {
        "generador": f"reclama {version('reclama')}",
        "fecha_carta": ctx["hoy"].isoformat(),
        "regimen": ctx["regimen"],
        "remedio": {"elegido": ctx["remedio"].elegido, "pedido": list(ctx["remedio"].pedido)},
        "caso": {
            "consumidor": datos["consumidor"],
            "representante": datos["representante"],
            "vendedor": datos["vendedor"],
            "compra": {
                "fecha": _iso(r.fecha_compra),
                "entrega": _iso(r.fecha_entrega),
                "producto": c.compra.producto,
                "pedido": c.compra.pedido,
                "precio": str(c.compra.precio) if c.compra.precio is not None else None,
            },
            "defecto": {
                "descubrimiento": _iso(r.fecha_descubrimiento),
                "descripcion": c.defecto.descripcion,
            },
            "reclamacion": {
                "remedio": c.reclamacion.remedio,
                "aviso": _iso(c.reclamacion.aviso),
                "respuestas": list(dict.fromkeys(c.reclamacion.respuestas)),
            },
            "carta": {"lugar": ctx["lugar"]},
        },
        "alegaciones": datos["alegaciones"],
        "resultado": {
            "regimen": r.regimen,
            "plazos": {k: {"vence": _iso(v)} for k, v in plazos.items()},
        },
        "citas": [
            {
                "regla": x.regla,
                "valido_desde": x.valido_desde.isoformat(),
                "regimen": x.regimen,
                "norma": x.norma,
                "articulo": x.articulo,
                "texto": x.texto,
                "breve": x.breve,
                "url": x.url,
            }
            for x in ctx["citas"]
        ],
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class LetterRenderer:
    """Renders claim letters; build one per process and reuse it for every letter.

    The Jinja environment is shared per template folder; the WeasyPrint font configuration,
    URL fetcher and parsed stylesheet are created on the first PDF and reused afterwards.
    Templates, bundled or from --plantillas, run in an immutable sandbox with a budget, see
    only plain data (`reclama.letter.template_data`) and read files only inside the folders.
    """

    def __init__(self, plantillas: Path | None = None):
        """
        Args:
            plantillas: a folder whose templates (carta.j2.html, _membrete.j2.html, carta.css,
                carta.toml, excusas.toml, ...) replace the bundled ones of the same name.

        Raises:
            InputError: the folder does not exist.
            PlantillaError: one of its text files is not valid, or leads outside the folders.
        """
        if plantillas is not None and not Path(plantillas).is_dir():
            raise InputError("plantillas", f"no existe la carpeta {plantillas}")
        self.plantillas = Path(plantillas).resolve() if plantillas is not None else None
        bundled = templates_dir().resolve()
        self.dirs = (self.plantillas, bundled) if self.plantillas else (bundled,)
        self.env = _environment(self.dirs, sandboxed=True)
        self.textos = load_texts(*self.dirs)
        self.base_url = self.dirs[0].as_uri() + "/"
        self._css_text: str | None = None
        self._pdf_tools: tuple[Any, Any, Any] | None = None

    def render(
        self,
        caso: Caso,
        resultado: Resultado,
        hoy: date,
        formato: str,
        pdf_a: bool = False,
        firma: dict[str, Any] | None = None,
        *,
        carta: Resultado,
    ) -> bytes:
        """One letter as bytes: UTF-8 text for txt and html, a PDF for pdf.

        Args:
            caso: the case; `reclama.letter.check_letter_ready` must have accepted it.
            resultado: `evaluate(caso.hechos(), hoy)`.
            carta: the verdict once the seller has the letter
                (`reclama.evaluation.letter_evaluation(caso, hoy)`).
            hoy: the letter's date.
            formato: pdf, html or txt (a plain e-mail body).
            pdf_a: PDF/A-3b with what the letter states and the rules quoted attached as
                reclama-caso.json (`attachment_data`).
            firma: the reference and signing firm (`reclama.letter.representation_data`).

        Raises:
            InputError: a bad format.
            PlantillaError: a broken template, one over its budget, or a resource (image,
                font, stylesheet) that cannot be read from the template folders.
        """
        return self.render_with_context(caso, resultado, hoy, formato, pdf_a, firma, carta=carta)[0]

    def render_with_context(
        self,
        caso: Caso,
        resultado: Resultado,
        hoy: date,
        formato: str,
        pdf_a: bool = False,
        firma: dict[str, Any] | None = None,
        *,
        carta: Resultado,
    ) -> tuple[bytes, dict[str, Any]]:
        """`render`, plus the context it used (its `avisos` are for the user, not the seller)."""
        check_format(formato, pdf_a)
        ctx = build_context(caso, resultado, hoy, self.textos, carta=carta)
        return self.render_context(ctx, formato, pdf_a, firma), ctx

    def render_context(
        self,
        ctx: dict[str, Any],
        formato: str,
        pdf_a: bool = False,
        firma: dict[str, Any] | None = None,
    ) -> bytes:
        """One letter from a context already built (`reclama.letter.build_context`): what one
        letter sent in two forms (an e-mail's text and its PDF) words once."""
        check_format(formato, pdf_a)
        datos = template_data(ctx, firma)
        if formato == "txt":
            return self._template("carta.j2.txt", datos).encode("utf-8")
        css = Markup(self._css()) if formato == "html" else None
        html = self._template("carta.j2.html", {**datos, "css": css})
        if formato == "html":
            return html.encode("utf-8")
        return self._pdf(html, ctx, pdf_a)

    def render_documento(
        self, plantilla: str, datos: dict[str, Any], hoy: date, formato: str
    ) -> bytes:
        """Another document drafted from the case (demanda, arbitraje): same sandbox, stylesheet and PDF.

        Args:
            plantilla: the template's stem (`demanda` for demanda.j2.html and demanda.j2.txt).
            datos: plain data only (`reclama.demanda.demanda_data`), never models.
            hoy: the document's date.
            formato: pdf, html or txt.
        """
        check_format(formato, False)
        if formato == "txt":
            return self._template(f"{plantilla}.j2.txt", datos).encode("utf-8")
        css = Markup(self._css()) if formato == "html" else None
        html = self._template(f"{plantilla}.j2.html", {**datos, "css": css})
        if formato == "html":
            return html.encode("utf-8")
        return self._pdf(html, {"hoy": hoy}, pdf_a=False)

    def _template(self, name: str, datos: dict[str, Any]) -> str:
        return _generate(self.env, name, datos)

    def _css(self) -> str:
        if self._css_text is None:
            try:
                self._css_text = self.env.loader.get_source(self.env, "carta.css")[0]
            except jinja2.TemplateNotFound:
                raise PlantillaError("carta.css", "no existe") from None
        return self._css_text

    def _tools(self) -> tuple[Any, Any, Any]:
        """FontConfiguration, URL fetcher and parsed stylesheet, made once and reused."""
        if self._pdf_tools is None:
            _route_warnings()
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fonts = FontConfiguration()
            fetcher = _local_fetcher(self.dirs)
            with _resources_checked(fetcher, "carta.css"):
                css = CSS(
                    string=self._css(),
                    base_url=self.base_url,
                    url_fetcher=fetcher,
                    font_config=fonts,
                )
            self._pdf_tools = (fonts, fetcher, css)
        return self._pdf_tools

    def _pdf(self, html: str, ctx: dict[str, Any], pdf_a: bool) -> bytes:
        from weasyprint import HTML, Attachment

        fonts, fetcher, css = self._tools()
        options: dict[str, Any] = {}
        if pdf_a:
            data = json.dumps(attachment_data(ctx), ensure_ascii=False, indent=2).encode("utf-8")
            when = datetime.combine(ctx["hoy"], time(12))
            options["pdf_variant"] = "pdf/a-3b"
            options["attachments"] = [
                Attachment(
                    string=data,
                    name=ATTACHMENT_NAME,
                    description="Lo que dice la carta y las reglas citadas (reclama)",
                    relationship="Source",
                    created=when,
                    modified=when,
                    url_fetcher=fetcher,
                )
            ]
        with _resources_checked(fetcher, "carta.j2.html"):
            document = HTML(string=html, base_url=self.base_url, url_fetcher=fetcher)
            return document.write_pdf(stylesheets=[css], font_config=fonts, **options)


class TextTemplates:
    """Plain-text templates outside the letter (the social drafts, templates/tuit/).

    Why here: this module is the only Jinja environment factory, so every template runs in
    the letters' immutable sandbox, with their budget, reading only inside its folders.
    """

    def __init__(self, *dirs: Path):
        self.env = _environment(tuple(Path(d).resolve() for d in dirs))

    def render(self, name: str, datos: dict[str, Any]) -> str:
        """`name` filled with `datos` (plain data only).

        Raises:
            PlantillaError: a broken template, or one over its budget.
        """
        return _generate(self.env, name, datos)


def _generate(env: _Entorno, name: str, datos: dict[str, Any]) -> str:
    """Render within the budget; every failure becomes «la plantilla FICHERO, línea N»."""
    env.empezar(PRESUPUESTO)
    out: list[str] = []
    size = 0
    try:
        for chunk in env.get_template(name).generate(datos):
            size += len(chunk)
            if size > MAX_TEXTO:
                raise _Excedido(f"la carta pasa de {MAX_TEXTO:,} caracteres".replace(",", "."))
            out.append(chunk)
    except PlantillaError:
        raise
    except Exception as e:
        raise _error(env, name, e) from None
    return "".join(out)


def _error(env: _Entorno, name: str, e: BaseException) -> PlantillaError:
    fichero, linea = getattr(e, "filename", None), getattr(e, "lineno", None)
    if not isinstance(e, jinja2.TemplateSyntaxError):
        tb, vistos = e.__traceback__, env.loader.vistos
        while tb is not None:  # the innermost template frame (Jinja maps it to the template's line)
            if tb.tb_frame.f_code.co_filename in vistos:
                fichero, linea = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    return PlantillaError(fichero or name, _mensaje(e), linea)


@contextlib.contextmanager
def _resources_checked(fetcher: Any, what: str) -> Iterator[None]:
    """A logo, font or stylesheet that could not be fetched or used is an error, not a gap."""
    fetcher.fallos.clear()
    _Aviso.fallidos = []
    try:
        yield
        if fetcher.fallos:
            raise PlantillaError(what, f"no se puede usar el recurso {fetcher.fallos[0]}")
        if _Aviso.fallidos:
            url = re.search(r"\b(?:file|data|https?|ftp):[^'\s]*", _Aviso.fallidos[0])
            font = re.search(r"Font-face '([^']*)'", _Aviso.fallidos[0])
            recurso = (
                f"el recurso {url[0].rstrip(':')}"
                if url
                else f"la fuente «{font[1] if font else '?'}»"
            )
            raise PlantillaError(what, f"no se puede usar {recurso}: su contenido no es válido")
    finally:
        fetcher.fallos.clear()
        _Aviso.fallidos = None


_MENSAJES = (
    (ZeroDivisionError, "división por cero"),
    (RecursionError, "demasiadas llamadas anidadas (¿una macro que se llama a sí misma?)"),
    (MemoryError, "la plantilla agota la memoria"),
    (OverflowError, "número demasiado grande"),
    (jinja2.TemplateNotFound, None),
    (jinja2.UndefinedError, None),
    (_Excedido, None),
    (jinja2.TemplateSyntaxError, None),
    (
        jinja2.exceptions.SecurityError,
        "la plantilla intenta usar algo que no está permitido: solo puede leer los datos de la carta",
    ),
    (TypeError, "operación con datos de tipos incompatibles"),
    (ValueError, "valor no válido para esta operación"),
)


def _mensaje(e: BaseException) -> str:
    """The Spanish words for a template failure; Jinja's own text only where it names the spot."""
    if isinstance(e, jinja2.TemplateNotFound):
        return f"no existe la plantilla «{e.name}»"
    if isinstance(e, _Excedido):
        return str(e)
    if isinstance(e, jinja2.UndefinedError):
        m = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(e))
        return f"no existe el dato «{(m[1] or m[2]) if m else '?'}»"
    if isinstance(e, jinja2.TemplateSyntaxError):
        return f"sintaxis de plantilla no válida (Jinja dice: {e.message})"
    for cls, texto in _MENSAJES:
        if isinstance(e, cls) and texto:
            return texto
    return f"error al aplicar la plantilla ({type(e).__name__})"
