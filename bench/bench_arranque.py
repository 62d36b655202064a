"""Cold start of `reclama comprobar --json` against `python -c "import typer, pydantic"`.

Goal (issue 2): within 1.3x of the baseline. Runs each command alternately, many
times, and compares medians so that machine noise hits both alike.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} núcleos, {cpu}, Python {platform.python_version()}"


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main() -> None:
    python = sys.executable
    reclama = shutil.which("reclama", path=str(Path(python).parent)) or "reclama"
    baseline = [python, "-c", "import typer, pydantic"]
    target = [reclama, "comprobar", "--caso", str(ROOT / "examples" / "caso-demo.toml"),
              "--hoy", "2026-11-22", "--json"]
    for cmd in (baseline, target):  # warm the OS page cache
        timed(cmd)
    base, ours = [], []
    for _ in range(RUNS):
        base.append(timed(baseline))
        ours.append(timed(target))
    b, o = statistics.median(base), statistics.median(ours)
    print("Arranque en frío de `reclama comprobar --json` (mediana de", RUNS, "ejecuciones)")
    print(f"  máquina: {machine()}")
    print(f"  python -c 'import typer, pydantic': {b * 1000:6.1f} ms")
    print(f"  reclama comprobar --json:           {o * 1000:6.1f} ms")
    print(f"  cociente: {o / b:.2f}x (objetivo <= 1.30x)")


if __name__ == "__main__":
    main()
