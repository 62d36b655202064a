"""Fact values as typed (flags, batch cells) -> typed case-file overrides.

Shared by the command line and the batch reader, so it must not import typer.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from reclama.caso import FLAG_FIELDS
from reclama.dates import parse_date
from reclama.errors import InputError, shown
from reclama.facts import MAX_GARANTIA_MESES

_DATE_FLAGS = {
    "compra",
    "entrega",
    "descubrimiento",
    "aviso",
    "recepcion",
    "desistimiento",
    "conserva",
    "suministro-hasta",
    "contestacion",
}


def clave(name: str) -> str:
    """The case-file key (`compra.fecha`) of a fact's name (`compra`, a key of FLAG_FIELDS);
    a name that is no fact (`hoy`) is its own key."""
    return ".".join(FLAG_FIELDS[name]) if name in FLAG_FIELDS else name


def to_date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(str(text))
    except ValueError as e:
        raise InputError(clave(flag), str(e)) from None


def to_months(flag: str, text: Any) -> int:
    """A whole number of months written with ASCII digits (`²` and `٣` pass isdigit, not int)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    digits = str(text).strip()
    if not re.fullmatch(r"[0-9]+", digits):
        raise InputError(clave(flag), f"«{shown(text)}» no es un número entero de meses")
    if len(digits) > 6:  # int() of 5,000 digits is refused by Python itself
        raise InputError(clave(flag), f"no puede pasar de {MAX_GARANTIA_MESES}")
    return int(digits)


def _reparacion(text: str, flag: str = "reparacion") -> dict[str, date | None]:
    desde, sep, hasta = text.partition(":")
    if not sep:
        forma = "DESDE:HASTA" if flag == "reparacion" else "ELECCION:ENTREGA"
        raise InputError(clave(flag), f"«{text}»: use {forma} (el segundo vacío si sigue en curso)")
    return {"desde": to_date(flag, desde), "hasta": to_date(flag, hasta) if hasta.strip() else None}


def fact_overrides(**flags: Any) -> dict[str, Any]:
    """Turn CLI flag values into case-file overrides (flag name -> typed value)."""
    out: dict[str, Any] = {}
    for name, value in flags.items():
        flag = name.replace("_", "-")
        if value is None or value is False or value == []:
            continue
        if flag in _DATE_FLAGS:
            value = to_date(flag, value)
        elif flag == "interrupcion":
            value = [to_date(flag, v) for v in value]
        elif flag in ("reparacion", "sustitucion"):
            value = [_reparacion(v, flag) for v in value]
        elif flag == "garantia-pactada":
            value = to_months(flag, value)
        out[flag] = value
    return out
