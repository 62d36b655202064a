"""Errors a user can fix, each naming the field at fault."""


class InputError(Exception):
    """Bad input: the CLI prints the Spanish message and exits with code 2."""

    def __init__(self, campo: str, mensaje: str):
        super().__init__(f"{campo}: {mensaje}")
        self.campo = campo
        self.mensaje = mensaje
