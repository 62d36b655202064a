"""Rendering the demo letter to PDF, N times in one process (docs/cartas.md records the figures).

Compares one `LetterRenderer` reused for every letter (one WeasyPrint FontConfiguration and
one parsed stylesheet, as `reclama lote` does per worker) with a fresh renderer, so a fresh
FontConfiguration and stylesheet, for each letter. The first letter (imports, font scan) is
timed apart. Prints letters per second and the machine.

    python bench/bench_carta.py [-n 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "caso-demo.toml"
HOY = date(2026, 11, 22)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "desconocido"


def _nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(os.cpu_count())


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:6.2f} cartas/s  ({1000 * seconds / n:6.0f} ms por carta)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="cartas por variante (20)")
    n = parser.parse_args().n

    start = time.perf_counter()
    from reclama.casefile import load_case
    from reclama.engine import evaluate
    from reclama.evaluation import letter_evaluation
    from reclama.letter import check_letter_ready
    from reclama.render import LetterRenderer

    caso = load_case(DEMO)
    resultado = evaluate(caso.hechos(), HOY)
    check_letter_ready(caso, resultado, forzar=False)
    carta = letter_evaluation(caso, HOY)
    renderer = LetterRenderer()
    first = renderer.render(caso, resultado, HOY, "pdf", carta=carta)
    first_s = time.perf_counter() - start

    t = time.perf_counter()
    for _ in range(n):
        renderer.render(caso, resultado, HOY, "pdf", carta=carta)
    reused = time.perf_counter() - t

    t = time.perf_counter()
    for _ in range(n):
        LetterRenderer().render(caso, resultado, HOY, "pdf", carta=carta)
    fresh = time.perf_counter() - t

    t = time.perf_counter()
    for _ in range(n):
        renderer.render(caso, resultado, HOY, "pdf", pdf_a=True, carta=carta)
    pdf_a = time.perf_counter() - t

    t = time.perf_counter()
    for _ in range(n):
        renderer.render(caso, resultado, HOY, "html", carta=carta)
    html = time.perf_counter() - t

    import weasyprint
    from weasyprint.text.ffi import harfbuzz_subset

    print(
        f"Carta de ejemplo (examples/caso-demo.toml), {len(first) // 1024} KB, {n} cartas por variante"
    )
    print(f"  primera carta (importaciones y fuentes):   {first_s * 1000:6.0f} ms")
    print(f"  PDF, un LetterRenderer reutilizado:       {_rate(n, reused)}")
    print(f"  PDF, FontConfiguration nueva cada vez:    {_rate(n, fresh)}")
    print(f"  reutilizar es {fresh / reused:.2f} veces más rápido")
    print(f"  PDF/A-3b con adjunto, reutilizado:        {_rate(n, pdf_a)}")
    print(f"  HTML (sin WeasyPrint), reutilizado:       {_rate(n, html)}")
    print(
        f"Máquina: nproc={_nproc()}, CPU «{_cpu_model()}», Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, "
        f"HarfBuzz-subset {'sí' if harfbuzz_subset else 'NO (subconjunto lento con fontTools)'}"
    )


if __name__ == "__main__":
    main()
