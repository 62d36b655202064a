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

# The value each option takes, as its help shows it (`--compra FECHA`), instead of Typer's
# type names (`<str>`). One table for every command; "orden --opción" entries win where the
# same option means something else in one command. Flags show no value.
VALUE_NAMES = {
    **dict.fromkeys(
        (
            "--compra",
            "--entrega",
            "--descubrimiento",
            "--aviso",
            "--recepcion",
            "--desistimiento",
            "--interrupcion",
            "--hoy",
            "--fecha",
        ),
        "FECHA",
    ),
    "--reparacion": "DESDE:HASTA",
    "--sustitucion": "ELECCIÓN:ENTREGA",
    "--comunidad": "COMUNIDAD",
    "--garantia-pactada": "MESES",
    "--precio": "EUROS",
    "--dentro-de": "DIAS",
    "--jobs": "N",
    **dict.fromkeys(("--caso", "--salida", "--ics"), "FICHERO"),
    "lote --salida": "CARPETA",
    "--plantillas": "CARPETA",
    "--remedio": "REMEDIO",
    "--canal": "CANAL",
    "--respuesta": "EXCUSA",
    "--formato": "FORMATO",
    "--etapa": "ETAPA",
    "--red": "RED",
    "--regla": "REGLA",
    "--dni": "DNI",
    "--cif": "CIF",
    **dict.fromkeys(("--email", "--email-vendedor"), "CORREO"),
    "--telefono": "TELÉFONO",
    "--usuario-vendedor": "USUARIO",
    **dict.fromkeys(("--nombre", "--representante", "--vendedor"), "NOMBRE"),
    **dict.fromkeys(("--domicilio", "--domicilio-vendedor"), "DOMICILIO"),
    "--colegiado": "NÚMERO",
    "--pedido": "NÚMERO",
}
VALUE_DEFAULT = "TEXTO"
COMPLETION_HELP = {
    "--install-completion": "Instala el completado de órdenes y opciones (tecla Tab) en su "
    "intérprete de órdenes (bash, zsh, fish o PowerShell) y termina.",
    "--show-completion": "Muestra el código de completado para su intérprete, para copiarlo o "
    "instalarlo a mano, y termina.",
}


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
        h.replace("(?P<usage>Usage: )", f"(?P<usage>{USAGE})")
        for h in rich_utils.highlighter.highlights
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
    _value_names()
    _completion()
    _DONE = True


def _declared_value(flag: str) -> str:
    """A case fact not in VALUE_NAMES shows its declared type: `--conserva FECHA`."""
    from reclama.caso import FLAG_FIELDS, dato

    name = flag.removeprefix("--")
    if name in FLAG_FIELDS and "fecha" in dato(name).tipo:  # fecha, lista de fechas
        return "FECHA"
    return VALUE_DEFAULT


def _value_names() -> None:
    """Options show VALUE_NAMES; arguments read `FICHERO`, `[ENTRADA]`, `RUTAS...` everywhere."""
    from typer.core import TyperArgument, TyperOption

    def option_value(self, ctx):  # type: ignore[no-untyped-def]
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None
        longest = max(self.opts, key=len)
        name = (
            VALUE_NAMES.get(f"{ctx.info_name} {longest}")
            or VALUE_NAMES.get(longest)
            or _declared_value(longest)
        )
        return f"{name}..." if self.nargs != 1 else name

    def argument_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1:
            name += "..."
        return name if self.required else f"[{name}]"

    TyperOption.display_type_rich = option_value
    TyperArgument.display_type_rich = lambda self, ctx: None  # the name says it: FICHERO
    TyperArgument._usage_display_name = argument_name
    TyperArgument.display_name_raw = property(lambda self: self.metavar or self.name.upper())


def _completion() -> None:
    """Typer's shell-completion options, in Spanish: their help and what they print."""
    import inspect
    import sys

    from typer import _click, completion
    from typer._completion_shared import install

    def spanish_install(ctx, param, value):  # type: ignore[no-untyped-def]
        if not value or ctx.resilient_parsing:
            return value
        shell, path = install(shell=value if isinstance(value, str) else None)
        _click.echo(f"Completado para {shell} instalado en {path}.")
        _click.echo("Tendrá efecto en los terminales que abra a partir de ahora.")
        sys.exit(0)

    for fn in (
        completion._install_completion_placeholder_function,
        completion._install_completion_no_auto_placeholder_function,
    ):
        for p in inspect.signature(fn).parameters.values():
            flag = "--" + p.name.replace("_", "-")
            p.default.help = COMPLETION_HELP[flag]
            if flag == "--install-completion":
                p.default.callback = spanish_install


def wanted(args: list[str]) -> bool:
    """Will this run print help or install completion? (no arguments, -h/--help anywhere...)."""
    return not args or any(a in ("--help", "-h", *COMPLETION_HELP) for a in args)
