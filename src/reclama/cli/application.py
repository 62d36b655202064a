"""The `reclama` command line: a thin skin over the pure core."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, MutableMapping
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

# One module per command: reclama/cli/commands/<name>.py, with register(app). Adding a
# command = its module plus its name here. Only the invoked command's module is imported
# (help imports them all to list them): startup is what `comprobar --json` pays.
COMMANDS = (
    "comprobar",
    "reglas",
    "doctor",
    "lote",
    "caso",
    "plazos",
    "carta",
    "demanda",
    "arbitraje",
    "tuit",
)


def module_of(name: str) -> str:
    return f"reclama.cli.commands.{name}"


class _OnDemand(MutableMapping):
    """The root group's commands by name: every name is known, its module loads on first lookup."""

    def __init__(self, loaded: Mapping[str, Any]) -> None:
        self._loaded = dict(loaded)

    def _names(self) -> list[str]:
        return [*COMMANDS, *(n for n in self._loaded if n not in COMMANDS)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in COMMANDS

    def __getitem__(self, name: str) -> Any:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._loaded[name] = _load(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]


class _LazyGroup(TyperGroup):
    """`reclama` itself: click asks it for one command by name, or lists them all for help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _OnDemand(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only; TyperGroup's would load every module


def _load(name: str) -> Any:
    """The click command that `commands/<name>.py` registers, built from that module alone."""
    one = typer.Typer(pretty_exceptions_show_locals=False)
    import_module(module_of(name)).register(one)
    return typer.main.get_group(one).commands[name]


app = typer.Typer(
    name="reclama",
    help="Asistente para reclamar la garantía legal de un producto defectuoso en España.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold names, DNI and addresses
    cls=_LazyGroup,
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
            "--version",
            help="Muestra la versión de reclama y termina.",
            is_eager=True,
            callback=_show_version,
        ),
    ] = False,
) -> None:
    pass


def register_all() -> typer.Typer:
    """`app` with every command registered on it, for tools that read `registered_commands`
    (tests, docs); `main` does not need it. Idempotent."""
    if not (app.registered_commands or app.registered_groups):
        for name in COMMANDS:
            import_module(module_of(name)).register(app)
    return app


# click's English, most specific first (each pair is applied in order).
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
    ("does not take a value", "no admite un valor"),
    ("Missing command", "falta la orden"),
    ("Missing parameter", "falta el parámetro"),
    ("Possible options", "opciones posibles"),
    ("Value ", "el valor "),
    ("Path ", "la ruta "),
    ("File ", "el fichero "),
    ("Directory ", "la carpeta "),
    ("does not exist", "no existe"),
    ("is not readable", "no se puede leer"),
    ("is not writable", "no se puede escribir"),
    ("is a directory", "es una carpeta"),
    ("is a file", "es un fichero"),
    ("is not a valid integer", "no es un número entero"),
    ("is not a valid int.", "no es un número entero."),
    ("is not a valid float", "no es un número"),
    ("is not a valid boolean", "no es sí ni no"),
    ("is not in the range", "está fuera del intervalo"),
    ("is not one of", "no es uno de"),
    ("is not a valid", "no es un valor válido de"),
    # pydantic's wording, which Typer uses to convert some values
    (", unable to parse string as an integer", ""),
    (", unable to parse string as a number", ""),
    ("Input should be a valid integer", "debe ser un número entero"),
    ("Input should be a valid number", "debe ser un número"),
    ("Input should be a valid boolean", "debe ser sí o no"),
    ("Input should be greater than or equal to", "debe ser como mínimo"),
    ("Input should be less than or equal to", "debe ser como mucho"),
    ("Input should be greater than", "debe ser mayor que"),
    ("Input should be less than", "debe ser menor que"),
    ("Input should be", "debe ser"),
)


def _spanish(message: str) -> str:
    for en, es in _USAGE:
        message = message.replace(en, es)
    return message


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error ends here as one Spanish line on stderr, never a traceback.

    User errors exit 2 (usage and bad data), rule-data faults 3, and an unexpected
    fault of reclama 3 too, with its type and place but no values: a traceback, or an
    exception's text, can hold the case's name, DNI or address, whatever
    TYPER_STANDARD_TRACEBACK says.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        sys.stderr.write("Interrumpido.\n")
        return 130
    except BaseException as e:  # the last line of defence: nothing gets past it
        if isinstance(e, SystemExit) and isinstance(e.code, int | None):
            return e.code or 0
        return _internal(e)


def _run(args: list[str]) -> int:
    from typer import _click as click  # Typer >= 0.22 vendors click here

    from reclama.caso import ORIGEN
    from reclama.cli import help_es
    from reclama.cli.commands._common import report
    from reclama.errors import ReclamaError, visible

    ORIGEN.set(None)  # errors name only the case this run loads
    if bad := _undecodable(args):
        mensaje = "contiene bytes que no son UTF-8; use un terminal y nombres de fichero en UTF-8"
        sys.stderr.write(visible(f"Error en {bad}: {mensaje}") + "\n")
        return 2
    if help_es.wanted(args):
        help_es.apply()
    try:
        try:
            rv = app(args=args, prog_name="reclama", standalone_mode=False)
        except SystemExit as e:  # rich turns a broken pipe into SystemExit(1)
            if isinstance(e.__context__, BrokenPipeError):
                return _closed_stdout()
            raise
    except click.exceptions.UsageError as e:
        where = f" ({e.ctx.command_path})" if e.ctx else ""
        sys.stderr.write(visible(f"Error de uso{where}: {_spanish(e.format_message())}") + "\n")
        sys.stderr.write("Use --help para ver las opciones.\n")
        return 2
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("Interrumpido.\n")
        return 130
    except BrokenPipeError:
        return _closed_stdout()
    except click.exceptions.ClickException as e:
        sys.stderr.write(visible(f"Error: {_spanish(e.format_message())}") + "\n")
        return e.exit_code
    except ReclamaError as e:  # raised outside a command's own handler
        return report(e)
    return rv if isinstance(rv, int) else 0


def _undecodable(args: list[str]) -> str | None:
    """The option (or argument number) whose value has non-UTF-8 bytes (surrogateescape)."""

    def undecodable(arg: str) -> bool:
        return any("\udc80" <= ch <= "\udcff" for ch in arg)

    for i, arg in enumerate(args):
        if undecodable(arg):
            if arg.startswith("--") and "=" in arg:
                return arg.split("=", 1)[0]
            if i and args[i - 1].startswith("-") and not undecodable(args[i - 1]):
                return args[i - 1]
            return f"el argumento n.º {i + 1}"
    return None


def _internal(e: BaseException) -> int:
    """One line naming the fault's type and place in reclama's code; never its text or values."""
    import traceback

    frames = traceback.extract_tb(e.__traceback__)
    place = f" en {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    sys.stderr.write(
        f"Error interno de reclama ({type(e).__name__}{place}). No se debe a sus datos; "
        "por favor, avise a quien mantiene reclama con esta línea.\n"
    )
    return 3


def _closed_stdout() -> int:
    """The reader went away (`reclama ... | head`): stop quietly, as Unix tools do."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


if __name__ == "__main__":
    sys.exit(main())
