"""Civil computation of periods (Código Civil art. 5; rule cc.computo_plazos)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date:
    """Accept `2026-03-01` or `01/03/2026` (day first, as Spaniards write it).

    Raises:
        ValueError: with a Spanish message, if the text is not a real date.
    """
    text = text.strip()
    if m := _ISO.match(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DMY.match(text):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise ValueError(f"«{text}» no es una fecha: use AAAA-MM-DD o DD/MM/AAAA")
    try:
        return date(y, mo, d)
    except ValueError:
        raise ValueError(f"la fecha «{text}» no existe en el calendario") from None


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


def overlap_after(start: date, suspended_from: date, suspended_to: date) -> int:
    """Suspended days (inclusive interval) that fall after a period's start day.

    A period running when a suspension begins resumes when it ends, so the
    period grows by the suspended days it actually lived through.
    """
    first = max(suspended_from, start + timedelta(days=1))
    if first > suspended_to:
        return 0
    return (suspended_to - first).days + 1
