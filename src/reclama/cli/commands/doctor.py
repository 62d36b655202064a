"""`reclama doctor`: what the machine lacks for each feature, and the command that fixes it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # render loads Jinja and Babel: only doctor() imports it
    from reclama.render import MotorPdf

APT = "apt-get install -y"


@dataclass
class Check:
    nombre: str
    ok: bool
    detalle: str
    arreglo: str = ""
    necesario: bool = True


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def _python() -> Check:
    v = sys.version_info
    return Check(
        "Python >= 3.11",
        v >= (3, 11),
        f"{v.major}.{v.minor}.{v.micro}",
        "instale Python 3.11 o posterior",
    )


def _data() -> Check:
    try:
        from reclama.paths import templates_dir
        from reclama.rules import load_rules

        n = len(load_rules().rules)
        templates_dir()
        return Check("Reglas legales y plantillas", True, f"{n} reglas cargadas")
    except Exception as e:  # any failure here means a broken install
        return Check("Reglas legales y plantillas", False, str(e), "reinstale reclama (make setup)")


def _weasyprint(motor: MotorPdf) -> Check:
    if motor.weasyprint is None:
        return Check(
            "WeasyPrint (PDF)",
            False,
            f"no se puede cargar: {motor.error}",
            f"{APT} libpango-1.0-0 libpangoft2-1.0-0 && pip install weasyprint",
        )
    return Check("WeasyPrint (PDF)", True, f"versión {motor.weasyprint}, Pango {motor.pango}")


def _harfbuzz_subset(motor: MotorPdf) -> Check:
    detalle = {
        True: "disponible",
        False: "no encontrada: WeasyPrint usará una vía unas 4 veces más lenta",
        None: "no se puede comprobar sin WeasyPrint",
    }[motor.harfbuzz_subset]
    return Check(
        "libharfbuzz-subset (PDF rápido)",
        motor.harfbuzz_subset is True,
        detalle,
        f"{APT} libharfbuzz-subset0",
        necesario=False,
    )


def _font(family: str, package: str) -> Check:
    fc = shutil.which("fc-match")
    if fc is None:
        return Check(
            f"Fuente {family}",
            False,
            "fontconfig no está instalado",
            f"{APT} fontconfig {package}",
            False,
        )
    out = subprocess.run([fc, family], capture_output=True, text=True, check=False).stdout.strip()
    ok = family.split()[0].lower() in out.lower()
    return Check(
        f"Fuente {family}",
        ok,
        out or "sin respuesta de fc-match",
        f"{APT} {package}",
        necesario=False,
    )


def _pdftoppm() -> Check:
    path = shutil.which("pdftoppm")
    return Check(
        "pdftoppm (PNG de la carta, documentación)",
        path is not None,
        path or "no encontrado",
        f"{APT} poppler-utils",
        necesario=False,
    )


def doctor(
    json: Annotated[bool, typer.Option("--json", help="Salida JSON.")] = False,
) -> None:
    """Comprueba qué necesita reclama en esta máquina y dice cómo instalar lo que falte."""
    from reclama.render import motor_pdf

    motor = motor_pdf()
    checks = [
        _python(),
        _data(),
        _weasyprint(motor),
        _harfbuzz_subset(motor),
        _font("Liberation Serif", "fonts-liberation2"),
        _font("DejaVu Sans", "fonts-dejavu-core"),
        _pdftoppm(),
    ]
    failed_required = any(not c.ok and c.necesario for c in checks)
    if json:
        import json as _json

        sys.stdout.write(
            _json.dumps([c.__dict__ for c in checks], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="reclama doctor", title_justify="left")
        table.add_column("Comprobación")
        table.add_column("Estado")
        table.add_column("Detalle")
        for c in checks:
            estado = (
                "[green]bien[/green]"
                if c.ok
                else ("[red]falta[/red]" if c.necesario else "[yellow]falta (opcional)[/yellow]")
            )
            table.add_row(c.nombre, estado, c.detalle)
        console = Console()
        console.print(table)
        fixes = [c for c in checks if not c.ok and c.arreglo]
        if fixes:
            console.print("\n[bold]Para arreglarlo[/bold] (como root):")
            for c in fixes:
                console.print(f"  {c.arreglo}", highlight=False, markup=False)
        else:
            console.print("Todo listo.")
    raise typer.Exit(1 if failed_required else 0)
