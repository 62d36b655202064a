"""Writing a document drafted from a case file (demanda, arbitraje): check, draft, render, write."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reclama.cli import options as o


def write_document(
    caso_path: Path,
    hoy: str | None,
    formato: str,
    salida: Path | None,
    forzar: bool,
    plantillas: Path | None,
    *,
    modulo: Any,
    plantilla: str,
    hecho: str,
    siguiente: str,
) -> None:
    """Refuse what the law does not allow yet (exit 1), else write the draft atomically.

    `modulo` is reclama.demanda or reclama.arbitraje: its check_*_ready, build_*, *_data,
    and load_*_texts; the file, without -o, is named after `plantilla`.
    """
    from reclama.casefile import load_case
    from reclama.engine import evaluate
    from reclama.files import check_target, document_name, is_stdout, write_atomic, write_stdout
    from reclama.letter import check_format

    check: Callable = getattr(modulo, f"check_{plantilla}_ready")
    build: Callable = getattr(modulo, f"build_{plantilla}")
    data: Callable = getattr(modulo, f"{plantilla}_data")
    textos: Callable = getattr(modulo, f"load_{plantilla}_texts")

    docx = formato == "docx" and plantilla == "demanda"  # the lawsuit is edited before filing
    if not docx:
        check_format(formato, False)
    today = o.parse_hoy(hoy)
    case = load_case(caso_path, campo="--caso")
    result = evaluate(case.hechos(), today)
    check(case, result, today)
    path = salida or Path(document_name(plantilla, case.vendedor.nombre, today, formato))
    to_stdout = is_stdout(path)
    if not to_stdout:  # fail before rendering; write_atomic checks again
        check_target(path, forzar=forzar, campo="-o", streams=True)

    from reclama.render import LetterRenderer

    renderer = LetterRenderer(plantillas)
    ctx = build(case, result, today, textos(*renderer.dirs))
    if docx:
        from reclama.formatos import demanda_docx_bytes

        out = demanda_docx_bytes(data(ctx))
    else:
        out = renderer.render_documento(plantilla, data(ctx), today, formato)
    if to_stdout:
        write_stdout(out)
    else:
        write_atomic(path, out, forzar=forzar, streams=True)
    for aviso in ctx["avisos"]:
        sys.stderr.write(f"Aviso: {aviso}\n")
    donde = "la salida estándar" if to_stdout else path
    sys.stderr.write(f"{hecho} en {donde}. {siguiente}\n")
    if not to_stdout:
        sys.stdout.write(f"{path}\n")
