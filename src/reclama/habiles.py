"""Working days (días hábiles) for Ley 10/2025 art. 17: weekends and national and regional holidays.

Ley 10/2025 does not define «días hábiles»; the count follows the convention of rule
ley10_2025.plazo_atencion_clientela (by analogy with Ley 39/2015 art. 30): the day of the
complaint is excluded, Saturdays, Sundays and the holidays of Spain and of the consumer's
autonomous community are skipped. The calendars come from the maintained `holidays` package;
local (municipal) holidays are not known and the result says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

# ISO 3166-2:ES codes of the autonomous communities and cities, as `holidays` names them.
COMUNIDADES: dict[str, str] = {
    "AN": "Andalucía",
    "AR": "Aragón",
    "AS": "Asturias",
    "CB": "Cantabria",
    "CE": "Ceuta",
    "CL": "Castilla y León",
    "CM": "Castilla-La Mancha",
    "CN": "Canarias",
    "CT": "Cataluña",
    "EX": "Extremadura",
    "GA": "Galicia",
    "IB": "Illes Balears",
    "MC": "Región de Murcia",
    "MD": "Comunidad de Madrid",
    "ML": "Melilla",
    "NC": "Navarra",
    "PV": "País Vasco",
    "RI": "La Rioja",
    "VC": "Comunitat Valenciana",
}
# Last year whose calendars the `holidays` package says it checked against official sources.
ULTIMO_ANO_VERIFICADO = 2026


def parse_comunidad(value: str | None) -> str | None:
    """`MD`, `md` or `ES-MD` -> `MD`; raises ValueError (Spanish) for an unknown code."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("debe ser el código de una comunidad autónoma, como MD o CT")
    code = value.strip().upper().removeprefix("ES-")
    if code not in COMUNIDADES:
        raise ValueError(
            f"«{value}» no es el código de una comunidad autónoma (ISO 3166-2:ES): "
            + ", ".join(COMUNIDADES)
        )
    return code


# The calendars `holidays` gives, saved for the version that gave them (tools/festivos.py).
# Why: `import holidays` loads all its 250 countries, ~100 ms at every start of a command that
# meets a working-day count; with another version installed, the package itself is asked.
CALENDARIOS = Path(__file__).parent / "data" / "festivos.json"


def calendarios(anos: range) -> dict:
    """Spain's national and regional holidays for `anos`, from `holidays` (the saved file's content)."""
    import holidays

    return {
        "version": holidays.__version__,
        "anos": {
            str(ano): {
                c or "ES": {
                    d.isoformat(): nombre
                    for d, nombre in sorted(
                        holidays.Spain(years=ano, subdiv=c, language="es").items()
                    )
                }
                for c in (None, *COMUNIDADES)
            }
            for ano in anos
        },
    }


@cache
def _guardados() -> dict | None:
    """The saved calendars, if they come from the installed version of `holidays`."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        data = json.loads(CALENDARIOS.read_text(encoding="utf-8"))
        return data["anos"] if data["version"] == version("holidays") else None
    except (OSError, ValueError, KeyError, TypeError, PackageNotFoundError):
        return None


@cache
def _festivos(ano: int, comunidad: str | None) -> dict[date, str]:
    guardado = (_guardados() or {}).get(str(ano))
    if guardado is not None:
        return {date.fromisoformat(d): nombre for d, nombre in guardado[comunidad or "ES"].items()}
    import holidays

    return dict(holidays.Spain(years=ano, subdiv=comunidad, language="es").items())


@dataclass(frozen=True)
class Computo:
    """The end of a working-day period, and what was skipped to reach it."""

    vence: date
    festivos: tuple[tuple[date, str], ...]  # holidays skipped on weekdays, with their names
    sin_verificar: bool  # some year counted is beyond the package's verified calendars


def festivo(d: date, comunidad: str | None) -> str | None:
    """The holiday's name if `d` is a national (or, with `comunidad`, regional) holiday."""
    return _festivos(d.year, comunidad).get(d)


def add_working_days(start: date, dias: int, comunidad: str | None = None) -> Computo:
    """`start` + `dias` working days: the start day excluded, weekends and holidays skipped.

    Args:
        start: the day the complaint was presented.
        dias: number of working days (at least 1).
        comunidad: ISO 3166-2:ES suffix (MD, CT...) for regional holidays; None = national only.

    Returns:
        The last working day of the period and the holidays it skipped.
    """
    d, left, skipped = start, dias, []
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() >= 5:
            continue
        nombre = festivo(d, comunidad)
        if nombre is not None:
            skipped.append((d, nombre))
            continue
        left -= 1
    return Computo(vence=d, festivos=tuple(skipped), sin_verificar=d.year > ULTIMO_ANO_VERIFICADO)
