"""Spanish wording for Typer's help screens (everything a user sees is in Spanish).

Applied only when help is about to be shown, so ordinary runs do not import rich.
"""

from __future__ import annotations

_DONE = False

PANELS = {
    "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Órdenes",
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "ERRORS_PANEL_TITLE": "Error",
    "DEFAULT_STRING": "[por defecto: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]",
    "ENVVAR_STRING": "[variable de entorno: {}]",
    "DEPRECATED_STRING": "(obsoleta) ",
    "ABORTED_TEXT": "Interrumpido.",
    "RICH_HELP": "Pruebe [blue]'{command_path} {help_option}'[/] para ver la ayuda.",
}
HELP_OPTION = "Muestra esta ayuda y termina."
USAGE = "Uso: "
METAVARS = {"[OPTIONS]": "[OPCIONES]", "COMMAND [ARGS]...": "ORDEN [ARGUMENTOS]..."}


def apply() -> None:
    global _DONE
    if _DONE:
        return
    from typer import rich_utils
    from typer._click import core, formatting

    for name, text in PANELS.items():
        setattr(rich_utils, name, text)
    # The usage line's highlighter looks for the English prefix; teach it the Spanish one.
    rich_utils.highlighter.highlights = [
        h.replace("(?P<usage>Usage: )", f"(?P<usage>{USAGE})") for h in rich_utils.highlighter.highlights
    ]

    write_usage = formatting.HelpFormatter.write_usage

    def spanish_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for en, es in METAVARS.items():
            args = args.replace(en, es)
        write_usage(self, prog, args, USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = spanish_usage

    get_help_option = core.Command.get_help_option

    def spanish_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    core.Command.get_help_option = spanish_help_option
    _DONE = True


def wanted(args: list[str]) -> bool:
    """Will this run print help? (no arguments, or -h/--help anywhere)."""
    return not args or any(a in ("--help", "-h") for a in args)
