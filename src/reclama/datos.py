"""Each fact of a case declared once, on its pydantic field, and read off the model here.

The description (`Field(description=...)`) and, in `json_schema_extra`, the flag (which is
also the batch column) and the `caso nuevo` question live on the field in reclama.caso.
The option help, the batch columns, the questions and docs/datos.md
(reclama.cli.referencia) all come from the `Dato` records built here, so a fact is added
or reworded in one place.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Dato:
    """One fact of the case file: where it lives, how it is typed and what it means."""

    seccion: str
    campo: str
    descripcion: str
    flag: str | None = None  # the option (without --) and the batch column; None: file only
    pregunta: str | None = None  # what `caso nuevo` asks for it
    tipo: str = "texto"  # fecha, sí/no, número, importe, código, texto, lista de ...
    opciones: tuple[str, ...] = ()  # the values a choice admits
    lista: bool = False
    obligatorio: bool = False

    @property
    def clave(self) -> str:
        """The fact's key in the case file: `compra.fecha`."""
        return f"{self.seccion}.{self.campo}"

    @property
    def explicacion(self) -> str:
        """The description with what the type adds: the values admitted, and if it is required."""
        text = self.descripcion
        if self.opciones:
            text += f" Valores: {' | '.join(self.opciones)}."
        if self.obligatorio:
            text += " Dato obligatorio."
        return text


def declarados(caso: type[BaseModel]) -> tuple[Dato, ...]:
    """The facts of every section of `caso` (a field whose type is a model), in model order.

    Reads `model_fields` only (cheap at import); never builds a JSON schema.
    """
    out: list[Dato] = []
    for seccion, section_info in caso.model_fields.items():
        modelo = section_info.annotation
        if not (isinstance(modelo, type) and issubclass(modelo, BaseModel)):
            continue
        for campo, info in modelo.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            tipo, opciones, lista = _tipo(info.annotation)
            out.append(
                Dato(
                    seccion=seccion,
                    campo=campo,
                    descripcion=info.description or "",
                    flag=extra.get("flag"),  # type: ignore[arg-type]
                    pregunta=extra.get("pregunta"),  # type: ignore[arg-type]
                    tipo=tipo,
                    opciones=opciones,
                    lista=lista,
                    obligatorio=info.is_required(),
                )
            )
    return tuple(out)


def _tipo(ann: Any) -> tuple[str, tuple[str, ...], bool]:
    """(type name in Spanish, values of a choice, is a list) of a field's annotation."""
    ann = _bare(ann)
    if get_origin(ann) is list:
        inner, opciones, _ = _tipo(get_args(ann)[0])
        plural = {"fecha": "fechas", "código": "códigos", "texto": "textos"}
        return f"lista de {plural.get(inner, inner)}", opciones, True
    if get_origin(ann) is Literal:
        return "código", tuple(str(a) for a in get_args(ann)), False
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return "periodos", (), False
    names = {bool: "sí/no", date: "fecha", int: "número", Decimal: "importe", str: "texto"}
    return names.get(ann, "texto"), (), False


def _bare(ann: Any) -> Any:
    """The annotation without `| None` and `Annotated[...]` wrappers."""
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann = get_args(ann)[0]
        elif origin in (Union, types.UnionType):
            ann = next(a for a in get_args(ann) if a is not type(None))
        else:
            return ann
