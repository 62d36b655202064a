"""The option the user typed for each fact or setting the library names (issue 10).

The library names what is at fault by its key: a case fact (`reclamacion.aviso`) or the
neutral key of a setting that only exists on the command line (`carta.formato`). Only here
does a key become a flag; a fact read from a case file is named at its line instead
(reclama.caso.relabel), and a batch row at its column (reclama.batch.columns.column_of).
"""

from __future__ import annotations

from functools import cache

from reclama.errors import InputError, nombrar

# Settings of the command line and facts whose option has another name.
_OPCIONES = {
    "reclamacion.reclamaciones": "--aviso",  # the claims an `aviso` brings
    "carta.formato": "--formato",
    "carta.pdf_a": "--pdf-a",
    "plantillas": "--plantillas",
    "salida": "-o",
    "hoy": "--hoy",
    "fecha": "--fecha",
    "evento.fecha": "--fecha",
    "tuit.red": "--red",
    "tuit.etapa": "--etapa",
    "tuit.texto": "--texto",
    "lote.salida": "--salida",
    "lote.casos": "--casos",
    "lote.unir": "--unir",
    "lote.despacho": "--despacho",
    "lote.columnas": "--columnas",
}


@cache
def _flags() -> dict[str, str]:
    from reclama.caso import FLAG_FIELDS

    return {f"{s}.{f}": f"--{name}" for name, (s, f) in FLAG_FIELDS.items()} | _OPCIONES


def flag(clave: str) -> str | None:
    """The option of a fact or setting (`compra.fecha` -> `--compra`), if it has one."""
    return _flags().get(clave)


def shown(clave: str) -> str:
    """A key as the user knows it: its option, or the key itself (`carta.lugar`)."""
    return flag(clave) or clave


def named(e: InputError) -> InputError:
    """Each problem named where the user wrote it: a fact or setting the library left
    under its own key was given as an option, so it is named by its flag; one a case file
    lacks (already named at its line) gets the hint of both ways to give it."""
    out = []
    for p in e.errores:
        if "⟨" in p.mensaje:  # facts named inside the message: by their option too
            p = p.named(p.campo, nombrar(p.mensaje, shown))
        opcion = flag(p.clave)
        if opcion is None:
            out.append(p)
        elif p.campo == p.clave:
            out.append(p.named(opcion))
        elif p.mensaje.startswith("falta") and "(" not in p.mensaje:
            out.append(p.named(p.campo, f"{p.mensaje} (añádalo al fichero o use {opcion})"))
        else:
            out.append(p)
    return InputError.todos(out)


def como_indicar(claves: tuple[str, ...]) -> str:
    """How to give the facts a conclusion asks for: `Se indica con --interrupcion.`

    The engine names the facts; their option is named here. Options also complete a case
    read from a file, so the same hint serves both.
    """
    partes = [shown(c) for c in claves]
    return f"Se indica con {' y '.join(partes)}." if partes else ""
