"""Civil computation of periods (Código Civil art. 5; rule cc.computo_plazos)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from reclama.errors import shown

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)

# Dates reclama accepts anywhere (flags, case files, rows). Wide enough for any purchase
# and any deadline, narrow enough that adding the longest period never leaves the calendar.
MIN_FECHA = date(1900, 1, 1)
MAX_FECHA = date(2200, 12, 31)


def check_range(d: date) -> date:
    """Raises ValueError (Spanish) for a date outside MIN_FECHA..MAX_FECHA."""
    if not MIN_FECHA <= d <= MAX_FECHA:
        raise ValueError(
            f"la fecha {d:%d/%m/%Y} está fuera del intervalo admitido "
            f"({MIN_FECHA:%d/%m/%Y} a {MAX_FECHA:%d/%m/%Y})"
        )
    return d


def parse_date(text: str) -> date:
    """Accept `2026-03-01` or `01/03/2026` (day first, as Spaniards write it).

    Raises:
        ValueError: with a Spanish message, if the text is not a real date.
    """
    text = text.strip()
    if m := _ISO.fullmatch(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DMY.fullmatch(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise ValueError(f"«{shown(text)}» no es una fecha: use AAAA-MM-DD o DD/MM/AAAA")
    try:
        day = date(y, mo, d)
    except ValueError:
        raise ValueError(f"la fecha «{text}» no existe en el calendario") from None
    return check_range(day)


def add_months(start: date, months: int) -> date:
    """Months and years run date to date; a missing day ends on the month's last day.

    dateutil's relativedelta does exactly that: 31-01 + 1 month = 28/29-02,
    29-02-2024 + 12 months = 28-02-2025.
    """
    return start + relativedelta(months=months)


def add_days(start: date, days: int) -> date:
    """Day periods exclude the start day, so the last day is start + N."""
    return start + timedelta(days=days)


def is_weekend(d: date) -> bool:
    return d.weekday() >= 5


def previous_working_day(d: date) -> date:
    """The last weekday before `d` (national holidays are not known to reclama)."""
    d -= timedelta(days=1)
    while is_weekend(d):
        d -= timedelta(days=1)
    return d
