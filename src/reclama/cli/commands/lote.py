"""`reclama lote`: a spreadsheet of claims in, one letter per row and a summary out."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.cli import options as o
from reclama.cli.commands._common import user_errors
from reclama.errors import InputError

FORMATOS = ("pdf", "html", "txt", "docx", "eml")


def register(app: typer.Typer) -> None:
    app.command("lote")(lote)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@user_errors
def lote(
    entrada: Annotated[
        Path | None,
        typer.Argument(
            metavar="ENTRADA",
            help="Hoja de cálculo .xlsx, CSV (',' o ';') o JSON Lines: una reclamación por fila; "
            "«-» la lee de la entrada estándar.",
            show_default=False,
        ),
    ] = None,
    salida: Annotated[
        Path | None,
        typer.Option(
            "--salida", "-o", help="Carpeta de las cartas y de resumen.csv / resumen.jsonl."
        ),
    ] = None,
    formato: Annotated[
        str,
        typer.Option(
            "--formato",
            help="pdf | html | txt (cuerpo de correo) | docx (Word, para retocar antes de firmar) "
            "| eml (mensaje de correo para el vendedor, con la carta en PDF adjunta).",
        ),
    ] = "pdf",
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Procesos en paralelo (por defecto, uno por núcleo; con --solo-plazos, uno, "
            "que resultó lo más rápido).",
        ),
    ] = None,
    solo_plazos: Annotated[
        bool,
        typer.Option(
            "--solo-plazos",
            help="Sin cartas: una línea JSON por fila con el veredicto y los plazos con sus "
            "artículos (sin el texto de la ley; véase --completo).",
        ),
    ] = False,
    completo: Annotated[
        bool,
        typer.Option(
            "--completo",
            help="Con --solo-plazos: el objeto entero de reclama comprobar --json, con el texto "
            "de la ley citada y el razonamiento.",
        ),
    ] = False,
    validar: Annotated[
        bool,
        typer.Option(
            "--validar", help="Comprobar todas las filas y listar los problemas, sin escribir nada."
        ),
    ] = False,
    forzar: Annotated[
        bool,
        typer.Option(
            "--forzar",
            help="Rehacer también las filas ya hechas y sustituir ficheros propios con el nombre "
            "de una carta o de un resumen; y si la medida elegida en una fila aún no puede "
            "exigirse, pedir la que sí y explicar por qué (como reclama carta --forzar).",
        ),
    ] = False,
    pdf_a: o.PdfAOpt = False,
    plantillas: o.PlantillasOpt = None,
    despacho: Annotated[
        Path | None,
        typer.Option(
            "--despacho",
            metavar="FICHERO",
            help="Perfil del despacho (TOML): despacho, abogado que firma, colegiado, domicilio, "
            "correo y teléfono para notificaciones, membrete y numeración de referencias. Por "
            "defecto, despacho.toml en la carpeta de configuración de reclama, si existe.",
        ),
    ] = None,
    unir: Annotated[
        Path | None,
        typer.Option(
            "--unir",
            metavar="FICHERO.pdf",
            help="Además, un solo PDF con todas las cartas correctas, en el orden de las filas.",
        ),
    ] = None,
    carpetas: Annotated[
        bool,
        typer.Option("--carpetas", help="Una carpeta por cliente dentro de la salida."),
    ] = False,
    casos: Annotated[
        Path | None,
        typer.Option(
            "--casos",
            metavar="CARPETA",
            help="Escribir un fichero de caso por fila, con la carta como reclamación, para "
            "vigilar el lote con reclama plazos CARPETA.",
        ),
    ] = None,
    plantilla: Annotated[
        bool,
        typer.Option(
            "--plantilla",
            help="Escribir un CSV de ejemplo con todas las columnas "
            "(en ENTRADA, o en la salida estándar).",
        ),
    ] = False,
    columnas: Annotated[
        Path | None,
        typer.Option(
            "--columnas",
            metavar="MAPA.toml",
            help="Nombres de columna propios del despacho: una tabla «columnas» con "
            'líneas «"Su nombre" = "compra"» (vea docs/lote.md).',
        ),
    ] = None,
    estricto: Annotated[
        bool,
        typer.Option(
            "--estricto",
            help="Una columna desconocida hace inutilizable la entrada (si no, se avisa y se "
            "ignora).",
        ),
    ] = False,
    hoy: o.HoyOpt = None,
) -> None:
    """Una carta por fila de una hoja de cálculo, y un resumen con el veredicto y los plazos.

    Una fila errónea no detiene el lote: se anota en el resumen con su número de fila y el campo.
    Si se repite la orden tras corregir filas o tras una interrupción, solo se hace lo que falta.

    Código de salida: 0 = todas las filas bien; 1 = alguna fila con errores;
    2 = entrada inutilizable.

    \b
    Ejemplos:
        reclama lote --plantilla > casos.csv
        reclama lote casos.csv --salida cartas/ --jobs 2
        reclama lote casos.xlsx -o cartas/ --despacho despacho.toml --casos casos/ --unir todas.pdf
        reclama lote casos.xlsx --validar --columnas mapa.toml
        reclama lote casos.csv --solo-plazos --hoy 2026-11-22 > plazos.jsonl
    """
    from reclama import batch

    if plantilla:
        _write_template(entrada, forzar)
        return
    if entrada is None:
        raise InputError(
            "ENTRADA", "indique el fichero de reclamaciones (o use --plantilla para ver un ejemplo)"
        )
    if formato not in FORMATOS:
        raise InputError(
            "--formato", f"«{formato}» no es un formato; use uno de: {', '.join(FORMATOS)}"
        )
    if pdf_a and formato not in ("pdf", "eml"):
        raise InputError("--pdf-a", "solo se aplica con --formato pdf o eml")
    if unir is not None and formato != "pdf":
        raise InputError("--unir", "solo se aplica con --formato pdf")
    if completo and not solo_plazos:
        raise InputError("--completo", "solo se aplica con --solo-plazos")
    letters_only = {"--unir": unir, "--casos": casos, "--carpetas": carpetas or None}
    for flag, value in letters_only.items():
        if value is not None and (solo_plazos or validar):
            other = "--solo-plazos" if solo_plazos else "--validar"
            raise InputError(flag, f"no se puede combinar con {other}: no se escriben cartas")
    if solo_plazos and validar:
        raise InputError("--validar", "no se puede combinar con --solo-plazos")
    if salida is None and not (solo_plazos or validar):
        raise InputError("--salida", "indique la carpeta donde escribir las cartas")
    today = o.parse_hoy(hoy)
    mapa = batch.load_mapa(columnas) if columnas is not None else None
    source = batch.Entrada(entrada, mapa=mapa, estricto=estricto)
    if source.ignored:
        sys.stderr.write(
            f"Aviso: se ignoran las columnas desconocidas: {batch.describe_unknown(source.ignored)}"
            " (use --columnas para darles nombre, o --estricto para rechazarlas)\n"
        )
    workers = jobs or (batch.PLAZOS_DEFAULT_JOBS if solo_plazos else default_jobs())
    firm = None if solo_plazos else batch.despacho.find(despacho)

    with _progress(source) as advance, _sigterm_as_interrupt():
        if solo_plazos:
            try:
                counts = batch.run_plazos(
                    source,
                    sys.stdout,
                    hoy=today,
                    jobs=workers,
                    on_chunk=lambda n, _e: advance(n),
                    completo=completo,
                )
            except BrokenPipeError:  # the reader (head, a script) stopped reading: not our error
                with contextlib.suppress(OSError):
                    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(141) from None
        elif validar:

            def problem(estado: str, _row: Any, error: Any) -> None:
                if error is not None:
                    sys.stdout.write("".join(f"{line}\n" for line in error.lines()))
                advance(1)

            counts = batch.validate(
                source,
                hoy=today,
                formato=formato,
                forzar=forzar,
                on_row=problem,
                plantillas=plantillas,
                despacho=firm,
                carpetas=carpetas,
            )
        else:

            def done(estado: str, _row: Any, error: Any) -> None:
                advance(1, error)

            assert salida is not None
            counts = batch.run_letters(
                source,
                salida,
                hoy=today,
                formato=formato,
                jobs=workers,
                forzar=forzar,
                pdf_a=pdf_a,
                plantillas=plantillas,
                hoy_explicito=hoy or "",
                on_row=done,
                despacho=firm,
                salidas=batch.Salidas(carpetas=carpetas, casos=casos, unir=unir),
            )

    line = counts.line()
    if counts.errors and salida is not None and not (solo_plazos or validar):
        line += f"; detalle de los errores en {salida / batch.SUMMARY_CSV}"
    if counts.interrupted:
        sys.stderr.write(f"Interrumpido. {line}; repita la orden para continuar.\n")
        raise typer.Exit(130)
    sys.stderr.write(line + "\n")
    raise typer.Exit(1 if counts.errors else 0)


def _write_template(entrada: Path | None, forzar: bool) -> None:
    from reclama.batch import template_csv
    from reclama.files import STDOUT, write_atomic

    text = template_csv()
    if entrada is None or str(entrada) == STDOUT:
        sys.stdout.write(text)
    else:
        write_atomic(entrada, text, forzar=forzar, campo="ENTRADA", streams=True)
        sys.stderr.write(f"Plantilla escrita en {entrada}\n")


@contextlib.contextmanager
def _progress(source: Any) -> Iterator[Any]:
    """A progress bar with rate and ETA on a terminal's stderr; silence anywhere else."""
    if not sys.stderr.isatty():
        yield lambda n=1, error=None: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:,.0f} filas/s" if task.speed else "… filas/s", style="cyan")

    total = source.count()
    with Progress(
        TextColumn("filas"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("quedan"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("lote", total=total)

        def advance(n: int = 1, error: Any = None) -> None:
            if error is not None:
                bar.console.print(str(error), style="red", markup=False, highlight=False)
            bar.advance(task, n)

        yield advance


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """`kill` stops a batch as cleanly as Ctrl-C does."""

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
