"""The `reclama` command line: a thin skin over the pure core."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated

import typer

app = typer.Typer(
    name="reclama",
    help="Asistente para reclamar la garantía legal de un producto defectuoso en España.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold names, DNI and addresses
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # only here: not on every run's import path

        typer.echo(f"reclama {version('reclama')}")
        raise typer.Exit()


@app.callback()  # options of `reclama` itself; no docstring: Typer would show it as help
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Muestra la versión de reclama y termina.", is_eager=True, callback=_show_version
        ),
    ] = False,
) -> None:
    pass


# One module per command under reclama/commands/, each with register(app).
# Command modules import their heavy dependencies (WeasyPrint, Jinja) inside functions.
COMMANDS = (
    "comprobar",
    "reglas",
    "doctor",
    "lote",
    "caso",
    "plazos",
    "carta",
    "tuit",
)
for _name in COMMANDS:
    import_module(f"reclama.commands.{_name}").register(app)


_USAGE = (
    ("No such option: ", "opción desconocida: "),
    ("Did you mean", "¿Quería decir"),
    ("Missing option", "falta la opción"),
    ("Missing argument", "falta el argumento"),
    ("Invalid value for", "valor no válido para"),
    ("No such command", "orden desconocida"),
    # Typer's vendored click writes "argument(s)"; the longest wording goes first, and the
    # Spanish needs no number: "no se esperaba (a b)".
    ("Got unexpected extra argument(s)", "no se esperaba"),
    ("Got unexpected extra arguments", "no se esperaba"),
    ("Got unexpected extra argument", "no se esperaba"),
    ("Option '", "la opción '"),
    ("requires an argument", "necesita un valor"),
    ("does not exist", "no existe"),
    ("is not a valid", "no es un valor válido de"),
)


def _spanish(message: str) -> str:
    for en, es in _USAGE:
        message = message.replace(en, es)
    return message


def main(argv: list[str] | None = None) -> int:
    """Entry point: click's usage errors are reported in Spanish, with exit code 2."""
    from typer import _click as click  # Typer >= 0.22 vendors click here

    from reclama import help_es

    if help_es.wanted(sys.argv[1:] if argv is None else argv):
        help_es.apply()
    try:
        try:
            rv = app(args=argv, prog_name="reclama", standalone_mode=False)
        except SystemExit as e:  # rich turns a broken pipe into SystemExit(1)
            if isinstance(e.__context__, BrokenPipeError):
                return _closed_stdout()
            raise
    except click.exceptions.UsageError as e:
        where = f" ({e.ctx.command_path})" if e.ctx else ""
        sys.stderr.write(f"Error de uso{where}: {_spanish(e.format_message())}\n")
        sys.stderr.write("Use --help para ver las opciones.\n")
        return 2
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("Interrumpido.\n")
        return 130
    except BrokenPipeError:
        return _closed_stdout()
    except click.exceptions.ClickException as e:
        sys.stderr.write(f"Error: {_spanish(e.format_message())}\n")
        return e.exit_code
    return rv if isinstance(rv, int) else 0


def _closed_stdout() -> int:
    """The reader went away (`reclama ... | head`): stop quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
