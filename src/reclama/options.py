"""Options shared by the commands that take the facts of a case (comprobar, carta, tuit)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from reclama.dates import parse_date
from reclama.errors import InputError

_F = "Hechos del caso"

CasoOpt = Annotated[
    Path | None, typer.Option("--caso", help="Fichero de caso (TOML); las opciones lo completan o corrigen.", rich_help_panel=_F)
]
CompraOpt = Annotated[str | None, typer.Option("--compra", help="Fecha del contrato (compra o pedido). Obligatoria.", rich_help_panel=_F)]
EntregaOpt = Annotated[str | None, typer.Option("--entrega", help="Fecha de entrega (por defecto, la de compra).", rich_help_panel=_F)]
DescubrimientoOpt = Annotated[
    str | None, typer.Option("--descubrimiento", help="Fecha en que apareció el defecto. Obligatoria.", rich_help_panel=_F)
]
RemedioOpt = Annotated[
    str | None,
    typer.Option("--remedio", help="reparacion | sustitucion | rebaja | resolucion | desistimiento", rich_help_panel=_F),
]
AvisoOpt = Annotated[str | None, typer.Option("--aviso", help="Fecha en que avisó al vendedor.", rich_help_panel=_F)]
SegundaManoOpt = Annotated[bool, typer.Option("--segunda-mano", help="Producto de segunda mano.", rich_help_panel=_F)]
GarantiaPactadaOpt = Annotated[
    str | None, typer.Option("--garantia-pactada", help="Meses de garantía pactados (segunda mano).", rich_help_panel=_F)
]
DigitalOpt = Annotated[bool, typer.Option("--digital", help="Contenido o servicio digital.", rich_help_panel=_F)]
LeveOpt = Annotated[bool, typer.Option("--leve", help="Defecto de escasa importancia.", rich_help_panel=_F)]
GraveOpt = Annotated[bool, typer.Option("--grave", help="Defecto grave.", rich_help_panel=_F)]
IntentoFallidoOpt = Annotated[
    bool, typer.Option("--intento-fallido", help="Una reparación o sustitución ya falló.", rich_help_panel=_F)
]
NegativaOpt = Annotated[
    bool, typer.Option("--negativa", help="El vendedor se negó o no actuó en plazo razonable.", rich_help_panel=_F)
]
ReparacionOpt = Annotated[
    list[str] | None,
    typer.Option("--reparacion", help="DESDE:HASTA de una reparación (HASTA vacío si sigue en curso). Repetible.", rich_help_panel=_F),
]
InterrupcionOpt = Annotated[
    list[str] | None,
    typer.Option("--interrupcion", help="Fecha en que el vendedor recibió una reclamación. Repetible.", rich_help_panel=_F),
]
CanalOpt = Annotated[
    str | None, typer.Option("--canal", help="tienda | distancia | fuera-establecimiento", rich_help_panel=_F)
]
RecepcionOpt = Annotated[str | None, typer.Option("--recepcion", help="Fecha de recepción (compras a distancia).", rich_help_panel=_F)]
DesistimientoOpt = Annotated[
    str | None, typer.Option("--desistimiento", help="Fecha en que envió el desistimiento.", rich_help_panel=_F)
]
HoyOpt = Annotated[str | None, typer.Option("--hoy", help="Fecha de referencia (por defecto, hoy).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Salida JSON para programas.")]

_DATE_FLAGS = {"compra", "entrega", "descubrimiento", "aviso", "recepcion", "desistimiento"}


def to_date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as e:
        raise InputError(f"--{flag}", str(e)) from None


def parse_hoy(text: str | None) -> date:
    return to_date("hoy", text) or date.today()


def _reparacion(text: str) -> dict[str, date | None]:
    desde, sep, hasta = text.partition(":")
    if not sep:
        raise InputError("--reparacion", f"«{text}»: use DESDE:HASTA (HASTA vacío si sigue en curso)")
    return {"desde": to_date("reparacion", desde), "hasta": to_date("reparacion", hasta) if hasta.strip() else None}


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
        elif flag == "reparacion":
            value = [_reparacion(v) for v in value]
        elif flag == "garantia-pactada":
            if not value.strip().isdigit():
                raise InputError("--garantia-pactada", f"«{value}» no es un número entero de meses")
            value = int(value)
        out[flag] = value
    return out
