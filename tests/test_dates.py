"""Civil computation of periods (Código Civil art. 5): date to date, month-end, days exclude the start."""

from datetime import date

import pytest

from reclama.dates import add_days, add_months, parse_date, previous_working_day

MONTHS = [
    # start, months, end, why
    (
        date(2023, 1, 31),
        1,
        date(2023, 2, 28),
        "31 de enero + 1 mes: no hay 31 de febrero, último día del mes",
    ),
    (date(2024, 1, 31), 1, date(2024, 2, 29), "31 de enero + 1 mes en año bisiesto"),
    (date(2024, 2, 29), 12, date(2025, 2, 28), "29 de febrero + 1 año"),
    (date(2024, 2, 29), 48, date(2028, 2, 29), "29 de febrero + 4 años: vuelve a existir"),
    (date(2021, 8, 31), 6, date(2022, 2, 28), "31 de agosto + 6 meses"),
    (date(2023, 8, 31), 6, date(2024, 2, 29), "31 de agosto + 6 meses, bisiesto"),
    (date(2021, 3, 10), 24, date(2023, 3, 10), "de fecha a fecha"),
    (date(2025, 10, 31), 2, date(2025, 12, 31), "31 de octubre + 2 meses: existe el 31"),
]


@pytest.mark.parametrize(("start", "months", "end", "why"), MONTHS, ids=[m[3] for m in MONTHS])
def test_months_run_date_to_date(start, months, end, why):
    assert add_months(start, months) == end


def test_days_exclude_the_start_day():
    # Recibido el 3 de marzo: los 14 días empiezan el 4 y acaban el 17 (ejemplo E8 del digest).
    assert add_days(date(2025, 3, 3), 14) == date(2025, 3, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("01/03/2026", date(2026, 3, 1)),
        ("1/3/2026", date(2026, 3, 1)),
        (" 2026-3-1 ", date(2026, 3, 1)),
    ],
)
def test_parse_date_accepts_iso_and_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-02-30", "31/04/2026", "2026/03/01", "03-01-2026", "mañana", "", "2026-13-01"]
)
def test_parse_date_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="fecha"):
        parse_date(text)


def test_previous_working_day_skips_the_weekend():
    assert previous_working_day(date(2026, 3, 8)) == date(2026, 3, 6)  # domingo -> viernes
