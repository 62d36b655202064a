"""Cold start of `reclama comprobar --json` side by side with a minimal Typer app.

Goal (issue 10): within 1.3x of a 5-line `typer.Typer()` app run by the same Python in the
same venv (written to a temp file here). The commands run in turns (the order rotates every
round), many times, and the medians are compared, so that noise from other processes hits
all of them alike; the ranges and the load average say how noisy the machine was. CPU
time (user + system) is reported too: on a loaded machine it moves much less than wall time. The old
baseline (`python -c "import typer, pydantic"`) is kept for comparison with earlier figures.

    BENCH_RUNS=15 .venv/bin/python bench/bench_arranque.py
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
GOAL = 1.30
MINIMAL_APP = """import typer

app = typer.Typer()
app.command()(lambda: None)
app()
"""


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


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run; CPU time suffers less from a busy machine."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)


def ms(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return (
        f"mediana {statistics.median(values) * 1000:6.1f} ms  "
        f"(intercuartil {q1 * 1000:.0f}-{q3 * 1000:.0f}, mín-máx {min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
    )


def main() -> None:
    python = sys.executable
    reclama = shutil.which("reclama", path=str(Path(python).parent)) or "reclama"
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "typer_minima.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        commands = {
            "app Typer mínima (5 líneas)": [python, str(app)],
            "python -c 'import typer, pydantic'": [python, "-c", "import typer, pydantic"],
            "reclama comprobar --json": [
                reclama,
                "comprobar",
                "--caso",
                str(ROOT / "examples" / "caso-demo.toml"),
                "--hoy",
                "2026-11-22",
                "--json",
            ],
        }
        names = list(commands)
        for cmd in commands.values():  # warm the OS page cache and the .pyc files
            timed(cmd)
        load_before = load()
        wall: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for i in range(RUNS):
            for name in names[i % len(names) :] + names[: i % len(names)]:
                w, c = timed(commands[name])
                wall[name].append(w)
                cpu[name].append(c)
    print(f"Arranque en frío, {RUNS} rondas alternadas")
    print(f"  máquina: {machine()}")
    print(f"  carga media (1, 5, 15 min): antes {load_before}, después {load()}")
    for label, times in (("tiempo real", wall), ("tiempo de CPU (usuario + sistema)", cpu)):
        print(f" {label}:")
        for name in names:
            print(f"  {name:<36} {ms(times[name])}")
        minimal, ours = names[0], names[-1]
        # each round's own ratio: both ran within a second of each other, under the same load
        ratios = [o / b for o, b in zip(times[ours], times[minimal], strict=True)]
        b, o = statistics.median(times[minimal]), statistics.median(times[ours])
        print(
            f"  cociente de medianas: {o / b:.2f}x (objetivo <= {GOAL:.2f}x); "
            f"cociente por ronda: mediana {statistics.median(ratios):.2f}x, "
            f"mín-máx {min(ratios):.2f}-{max(ratios):.2f}x"
        )


if __name__ == "__main__":
    main()
