"""Glue shared by commands: loading the case, reporting errors the Spanish way."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from reclama.caso import Caso, build_case, load_case
from reclama.errors import InputError
from reclama.rules import RulesError


def fail(campo: str, mensaje: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(f"Error en {campo}: {mensaje}\n")
    return typer.Exit(code)


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input -> one Spanish line on stderr and exit 2; broken rule data -> exit 3."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as e:
            raise fail(e.campo, e.mensaje) from None
        except RulesError as e:
            sys.stderr.write(f"Error interno en las reglas legales: {e}\n")
            raise typer.Exit(3) from None

    return wrapper


def get_case(caso: Path | None, overrides: dict[str, Any]) -> Caso:
    """The case from a file plus flags, or from flags alone; required facts named by flag."""
    if caso is not None:
        return load_case(caso, overrides)
    return build_case({}, overrides)
