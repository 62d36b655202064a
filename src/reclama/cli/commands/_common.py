"""Glue shared by commands: loading the case, reporting errors the Spanish way."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from reclama.casefile import build_case, load_case
from reclama.caso import ORIGEN, Caso, relabel
from reclama.cli.campos import named
from reclama.errors import InputError, ReclamaError, visible


def fail(campo: str, mensaje: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(visible(f"Error en {campo}: {mensaje}") + "\n")
    return typer.Exit(code)


def report(e: ReclamaError) -> int:
    """Print a reclama error on stderr, one Spanish line per problem; returns the exit code.

    An input error is first named where the user wrote the value (the case file's line
    and field, from the case the command loaded, or else the flag typed).
    """
    if isinstance(e, InputError):
        e = named(relabel(e, ORIGEN.get()))
        for line in e.lines():
            sys.stderr.write(line + "\n")
    elif e.exit_code == 3:
        sys.stderr.write(visible(f"Error interno en las reglas legales: {e}") + "\n")
    else:
        sys.stderr.write(visible(f"Error: {e}") + "\n")
    return e.exit_code


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input -> one Spanish line per problem and exit 2; broken rule data -> exit 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token = ORIGEN.set(None)
        try:
            return fn(*args, **kwargs)
        except ReclamaError as e:
            raise typer.Exit(report(e)) from None
        finally:
            ORIGEN.reset(token)

    return wrapper


def get_case(caso: Path | None, overrides: dict[str, Any]) -> Caso:
    """The case from a file plus flags, or from flags alone; required facts named by flag."""
    if caso is not None:
        return load_case(caso, overrides, campo="--caso")
    return build_case({}, overrides)
