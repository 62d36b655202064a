"""`reclama lote` against a naive loop, side by side in one run (docs/lote.md records the figures).

Measures, on rows generated like a law firm's (varied dates, sellers and seller
excuses, so letters run to one or two pages):

  (a) a naive loop: one process, per letter the case, the verdict, the HTML
      of reclama's renderer and a fresh `weasyprint.HTML(string=...).write_pdf()`;
  (b) `reclama lote --jobs 1`;  (c) `reclama lote --jobs 2`;
  peak memory of the whole process tree for 200 letters, and for 2,000 with --completo;
  `reclama lote --solo-plazos` rows per second over 20,000 rows, with --jobs 1 and 2.
Peak memory is the whole process tree (parent, forkserver, workers), sampled every 50 ms
with psutil if installed, else from /proc: /usr/bin/time would only see the parent.

Goals (issue): (c) >= 2.5x (a); peak(2,000) <= 1.2x peak(200); solo-plazos >= 5,000 rows/s.

    python bench/bench_lote.py [--letras 200] [--completo]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

HOY = date(2026, 11, 22)
SELLERS = [
    "Telefonía Ejemplo, S.L.", "Electrodomésticos del Sur, S.A.", "Muebles Norte, S.L.",
    "Informática Levante, S.L.", "Grandes Almacenes Ficticios, S.A.", "Bicicletas Ribera, S.L.",
    "Óptica Central, S.L.", "Hogar y Confort, S.A.", "Audio Imagen Digital, S.L.",
    "Deportes Cumbre, S.L.", "Relojería Puerta del Sol, S.L.", "Tecnología Atlántica, S.A.",
]  # fmt: skip
PRODUCTS = [
    ("Teléfono móvil Nexo X12, 256 GB", "El micrófono dejó de funcionar: en las llamadas no se oye a quien habla."),
    ("Lavadora Ejemplo 8 kg", "No centrifuga y deja la ropa empapada; el programa se detiene a la mitad."),
    ("Portátil Ligero 14 pulgadas", "La pantalla parpadea y se apaga sola a los pocos minutos de uso."),
    ("Frigorífico combi A++", "El congelador no enfría y los alimentos se descongelan."),
    ("Bicicleta eléctrica urbana", "La batería no carga por encima del 20 % y el motor se corta en las cuestas."),
    ("Televisor 55 pulgadas", "Aparecen franjas verticales en la imagen y el sonido se corta."),
]  # fmt: skip
NAMES = ["Lucía Martín Ortega", "Jorge Pérez Gil", "Ana López Ruiz", "Carmen Díaz Soler",
         "Pablo Romero Vidal", "Marta Iglesias Pons", "Iván Castro Mena", "Elena Navarro Sanz"]  # fmt: skip
EXCUSES = [
    "marca",
    "siete-dias",
    "procedimientos",
    "aviso-tardio",
    "garantia-dos-anos",
    "gastos",
    "vale",
]


def _dni(rng: random.Random) -> str:
    n = rng.randrange(10_000_000, 99_999_999)
    return f"{n}{'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}"


def _cif(rng: random.Random) -> str:
    from stdnum.es import cif

    body = f"B{rng.randrange(1_000_000, 9_999_999)}"
    return body + cif.calc_check_digits(body)[0]


def generate_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """n valid claims in the 2022 regime, each different."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        compra = date(2023, 1, 2) + timedelta(days=rng.randrange(0, 1300))
        entrega = compra + timedelta(days=rng.randrange(0, 5))
        descubrimiento = min(
            entrega + timedelta(days=rng.randrange(20, 900)), HOY - timedelta(days=12)
        )
        aviso = descubrimiento + timedelta(days=rng.randrange(1, 10))
        product, defect = rng.choice(PRODUCTS)
        remedio = rng.choice(["reparacion", "sustitucion", "sustitucion"])
        excuses = rng.sample(EXCUSES, rng.randrange(0, 4))
        if remedio == "sustitucion" and rng.random() < 0.3:
            excuses.append("solo-reparacion")
        fmt = (lambda d: d.isoformat()) if i % 2 else (lambda d: d.strftime("%d/%m/%Y"))
        out.append({
            "id": f"EXP-{2026}-{i + 1:05d}",
            "compra": fmt(compra),
            "entrega": fmt(entrega),
            "canal": rng.choice(["tienda", "distancia"]),
            "producto": product,
            "pedido": f"P-{rng.randrange(10**9):09d}",
            "precio": f"{rng.randrange(99, 2500)},{rng.randrange(100):02d}",
            "descubrimiento": fmt(descubrimiento),
            "defecto": defect,
            "remedio": remedio,
            "aviso": fmt(aviso),
            "respuesta": "|".join(excuses),
            "nombre": rng.choice(NAMES),
            "dni": _dni(rng),
            "domicilio": f"Calle Mayor {rng.randrange(1, 200)}, {rng.randrange(1, 9)}.º, 28013 Madrid",
            "email": f"cliente{i}@example.org",
            "vendedor": rng.choice(SELLERS),
            "cif": _cif(rng),
            "domicilio-vendedor": f"Polígono Industrial {rng.randrange(1, 40)}, 28108 Alcobendas (Madrid)",
            "lugar": "Madrid",
        })  # fmt: skip
    return out


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


# -- measuring ---------------------------------------------------------------------------


class TreeRSS:
    """Peak resident memory of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> TreeRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree_rss(self) -> int:
        """RSS of the process and every descendant (workers, the forkserver): psutil if
        installed, else /proc."""
        try:
            import psutil
        except ImportError:
            return self._proc_tree_rss()
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def _proc_tree_rss(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            with contextlib.suppress(OSError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            todo += children.get(pid, [])
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(self.every)


def run_lote(args: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, int, int]:
    """Wall time, peak tree RSS (bytes) and exit code of `reclama lote ...`."""
    cmd = [sys.executable, "-m", "reclama", "lote", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    with TreeRSS(proc.pid) as rss:
        _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(err.decode())
    return elapsed, rss.peak, proc.returncode


def naive_loop(csv_path: Path, out_dir: Path) -> tuple[float, int]:
    """(a): what a script would do by hand, one letter after another, nothing reused."""
    import weasyprint

    from reclama.batch import Entrada, evaluate_row
    from reclama.evaluation import letter_evaluation
    from reclama.paths import templates_dir
    from reclama.render import LetterRenderer

    out_dir.mkdir()
    pages = 0
    start = time.perf_counter()
    for row in Entrada(csv_path):
        caso, resultado, hoy = evaluate_row(row, HOY)
        carta = letter_evaluation(caso, hoy)
        html = LetterRenderer().render(caso, resultado, hoy, "html", carta=carta).decode("utf-8")
        document = weasyprint.HTML(string=html, base_url=str(templates_dir())).render()
        pages += len(document.pages)  # render() + write_pdf() is what HTML.write_pdf() does
        (out_dir / f"{row.fila}.pdf").write_bytes(document.write_pdf())
    return time.perf_counter() - start, pages


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import weasyprint

    return (
        f"{len(os.sched_getaffinity(0))} núcleos ({cpu}), Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, carga media al empezar {os.getloadavg()[0]:.2f}"
    )


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letras", type=int, default=200, help="cartas para (a), (b) y (c)")
    parser.add_argument("--filas-plazos", type=int, default=20_000)
    parser.add_argument(
        "--completo", action="store_true", help="también 2.000 cartas (varios minutos)"
    )
    opts = parser.parse_args()
    print("reclama lote: cartas por segundo, memoria y --solo-plazos")
    print(f"  máquina: {machine()}")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="bench-lote-") as tmp:
        tmp = Path(tmp)
        n = opts.letras
        src = write_rows(tmp / "casos.csv", generate_rows(n))
        hoy = ["--hoy", HOY.isoformat()]

        naive, pages = naive_loop(src, tmp / "a")
        print(f"  cartas de {pages / n:.1f} páginas de media")
        print(
            f"  (a) bucle ingenuo, 1 proceso:   {n / naive:6.1f} cartas/s  ({n} cartas en {naive:.1f} s)"
        )
        results = {}
        for jobs in (1, 2):
            t, peak, code = run_lote(
                [str(src), "-o", str(tmp / f"j{jobs}"), "--jobs", str(jobs), *hoy]
            )
            failed = failed or code
            results[jobs] = (t, peak)
            print(f"  ({'bc'[jobs - 1]}) reclama lote --jobs {jobs}:     {n / t:6.1f} cartas/s  "
                  f"({t:.1f} s, memoria máxima {mib(peak)})")  # fmt: skip
        speedup = naive / results[2][0]
        print(f"  (c) frente a (a): {speedup:.2f}x (objetivo >= 2.5x)")

        if opts.completo:
            big = write_rows(tmp / "casos-2000.csv", generate_rows(2000, seed=11))
            small = write_rows(tmp / "casos-200.csv", generate_rows(200, seed=11))
            _, peak_small, c1 = run_lote([str(small), "-o", str(tmp / "m200"), "--jobs", "2", *hoy])
            t, peak_big, c2 = run_lote([str(big), "-o", str(tmp / "m2000"), "--jobs", "2", *hoy])
            failed = failed or c1 or c2
            print(f"  memoria máxima, --jobs 2: 200 cartas {mib(peak_small)}, 2.000 cartas {mib(peak_big)} "
                  f"({peak_big / peak_small:.2f}x, objetivo <= 1.2x); 2.000 cartas en {t:.0f} s")  # fmt: skip
        else:
            print("  memoria para 2.000 cartas: use --completo (varios minutos)")

        rows = opts.filas_plazos
        plazos = write_rows(tmp / "plazos.csv", generate_rows(rows, seed=3))
        for jobs in (1, 2):  # the default job count of --solo-plazos is the faster one
            t, peak, code = run_lote([str(plazos), "--solo-plazos", "--jobs", str(jobs), *hoy])
            failed = failed or code
            print(f"  --solo-plazos --jobs {jobs}: {rows / t:,.0f} filas/s ({rows:,} filas en {t:.1f} s, "
                  f"arranque incluido; memoria máxima {mib(peak)}; objetivo >= 5.000)")  # fmt: skip
    print(
        f"  carga media al terminar {os.getloadavg()[0]:.2f} (con otra tarea en un núcleo, --jobs 2 no gana)"
    )
    return failed


if __name__ == "__main__":
    sys.exit(main())
