"""Run every bench/bench_*.py in turn and print what each reports (`make bench`).

Each runs in its own process with its defaults (longer variants, such as
`bench_lote.py --completo`, are run by hand); the exit code is that of the first
benchmark that failed, 0 if none did.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    scripts = sorted(HERE.glob("bench_*.py"))
    for script in scripts:
        print(f"== {script.name} ==", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"-- {script.name}: {time.perf_counter() - start:.0f} s, código {code}\n", flush=True)
        failed = failed or code
    if not scripts:
        print("No hay ningún bench/bench_*.py")
    return failed


if __name__ == "__main__":
    sys.exit(main())
