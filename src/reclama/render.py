"""Letters from Jinja templates to e-mail text, HTML and PDF; the only module using Jinja, Babel and WeasyPrint.

Import it only on the rendering path: `reclama comprobar` never loads it. Rendering never touches
the network and reads files only from the template folders (see `_local_fetcher`).
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sys
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
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from reclama.caso import Caso
from reclama.engine import Resultado
from reclama.errors import InputError
from reclama.letter import attachment_data, build_context, check_format, load_texts
from reclama.paths import templates_dir

LOCALE = "es_ES"
ATTACHMENT_NAME = "reclama-caso.json"
_ORDINALES = (
    "Primero", "Segundo", "Tercero", "Cuarto", "Quinto",
    "Sexto", "Séptimo", "Octavo", "Noveno", "Décimo",
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


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], sandboxed: bool) -> jinja2.Environment:
    """One Jinja environment per set of template folders, first folder first.

    Why: `select_autoescape()` escapes `*.j2.html` (not `*.html.j2`), and StrictUndefined turns
    a missing field into an error instead of a gap in a legal letter.
    """
    cls = SandboxedEnvironment if sandboxed else jinja2.Environment
    env = cls(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in dirs]),
        autoescape=jinja2.select_autoescape(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fecha_larga=fecha_larga, euros=euros, ordinal=ordinal, romano=romano)
    return env


class _Aviso(logging.Handler):
    """WeasyPrint's and fontTools' warnings go to stderr as the CLI's own «Aviso:» lines."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(f"Aviso: {record.getMessage()}\n")


def _route_warnings() -> None:
    for name in ("weasyprint", "fontTools"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _Aviso) for h in logger.handlers):
            logger.addHandler(_Aviso(logging.WARNING))
            logger.propagate = False


def _local_fetcher(roots: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that serves files from `roots` (and data: URLs) and refuses the rest."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = tuple(r.resolve() for r in roots)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_file() and any(path.is_relative_to(r) for r in self.roots):
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            raise ValueError(f"recurso bloqueado (fuera de las carpetas de plantillas): {url}")

    return LocalFetcher()


class LetterRenderer:
    """Renders claim letters; build one per process and reuse it for every letter.

    The Jinja environment is shared per template folder; the WeasyPrint font configuration,
    URL fetcher and parsed stylesheet are created on the first PDF and reused afterwards.
    """

    def __init__(self, plantillas: Path | None = None):
        """
        Args:
            plantillas: a folder whose templates (carta.j2.html, _membrete.j2.html, carta.css,
                carta.toml, excusas.toml, ...) replace the bundled ones of the same name;
                they run in Jinja's sandbox.

        Raises:
            InputError: the folder does not exist, or one of its text files is not valid TOML.
        """
        if plantillas is not None and not Path(plantillas).is_dir():
            raise InputError("--plantillas", f"no existe la carpeta {plantillas}")
        self.plantillas = Path(plantillas).resolve() if plantillas is not None else None
        bundled = templates_dir().resolve()
        self.dirs = (self.plantillas, bundled) if self.plantillas else (bundled,)
        self.env = _environment(self.dirs, sandboxed=self.plantillas is not None)
        self.textos = load_texts(*self.dirs)
        self.base_url = self.dirs[0].as_uri() + "/"
        self._css_text: str | None = None
        self._pdf_tools: tuple[Any, Any, Any] | None = None

    def render(
        self, caso: Caso, resultado: Resultado, hoy: date, formato: str, pdf_a: bool = False
    ) -> bytes:
        """One letter as bytes: UTF-8 text for txt and html, a PDF for pdf.

        Args:
            caso: the case; `reclama.letter.check_letter_ready` must have accepted it.
            resultado: `evaluate(caso.hechos(), hoy)`.
            hoy: the letter's date.
            formato: pdf, html or txt (a plain e-mail body).
            pdf_a: PDF/A-3b with the case and the rules quoted attached as reclama-caso.json.

        Raises:
            InputError: a bad format, or a broken template in the --plantillas folder.
        """
        return self.render_with_context(caso, resultado, hoy, formato, pdf_a)[0]

    def render_with_context(
        self, caso: Caso, resultado: Resultado, hoy: date, formato: str, pdf_a: bool = False
    ) -> tuple[bytes, dict[str, Any]]:
        """`render`, plus the context it used (its `avisos` are for the user, not the seller)."""
        check_format(formato, pdf_a)
        ctx = build_context(caso, resultado, hoy, self.textos)
        if formato == "txt":
            return self._template("carta.j2.txt", ctx).encode("utf-8"), ctx
        css = Markup(self._css()) if formato == "html" else None
        html = self._template("carta.j2.html", {**ctx, "css": css})
        if formato == "html":
            return html.encode("utf-8"), ctx
        return self._pdf(html, ctx, pdf_a), ctx

    def _template(self, name: str, ctx: dict[str, Any]) -> str:
        try:
            return self.env.get_template(name).render(ctx)
        except jinja2.TemplateError as e:
            if self.plantillas is None:
                raise
            where = f"{e.name}, línea {e.lineno}: " if getattr(e, "lineno", None) else ""
            raise InputError("--plantillas", f"{where}{e.message or e}") from None

    def _css(self) -> str:
        if self._css_text is None:
            self._css_text = self.env.loader.get_source(self.env, "carta.css")[0]
        return self._css_text

    def _tools(self) -> tuple[Any, Any, Any]:
        """FontConfiguration, URL fetcher and parsed stylesheet, made once and reused."""
        if self._pdf_tools is None:
            _route_warnings()
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            fonts = FontConfiguration()
            fetcher = _local_fetcher(self.dirs)
            css = CSS(string=self._css(), base_url=self.base_url, url_fetcher=fetcher, font_config=fonts)
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
                    description="Hechos del caso, respuesta del motor y reglas citadas (reclama)",
                    relationship="Source",
                    created=when,
                    modified=when,
                    url_fetcher=fetcher,
                )
            ]
        document = HTML(string=html, base_url=self.base_url, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[css], font_config=fonts, **options)
