"""Time windows read whole months plus the days around them (services.reporting.windows)."""

from datetime import date

import pytest

from services.reporting.windows import BadWindow, Window, parse


@pytest.mark.parametrize(
    "start, end, segments",
    [
        (
            date(2026, 1, 15),
            date(2026, 3, 20),
            [
                ("d", date(2026, 1, 15), date(2026, 1, 31)),
                ("m", date(2026, 2, 1), date(2026, 2, 1)),
                ("d", date(2026, 3, 1), date(2026, 3, 20)),
            ],
        ),
        (date(2026, 1, 1), date(2026, 12, 31), [("m", date(2026, 1, 1), date(2026, 12, 1))]),
        (date(2026, 2, 3), date(2026, 2, 9), [("d", date(2026, 2, 3), date(2026, 2, 9))]),
        (
            date(2025, 12, 31),
            date(2026, 2, 28),
            [
                ("d", date(2025, 12, 31), date(2025, 12, 31)),
                ("m", date(2026, 1, 1), date(2026, 2, 1)),
            ],
        ),
        (date(2026, 2, 1), date(2026, 2, 27), [("d", date(2026, 2, 1), date(2026, 2, 27))]),
    ],
)
def test_a_window_is_whole_months_and_the_days_around_them(start, end, segments):
    assert Window(start, end).segments() == segments


def test_every_day_of_a_window_is_read_exactly_once():
    window = Window(date(2024, 2, 10), date(2026, 5, 3))
    days = set()
    for grain, first, last in window.segments():
        day = first
        while day <= last:
            if grain == "d":
                assert day not in days
                days.add(day)
                day = date.fromordinal(day.toordinal() + 1)
            else:
                month = day
                while month.month == day.month:
                    assert month not in days
                    days.add(month)
                    month = date.fromordinal(month.toordinal() + 1)
                day = month
    assert min(days) == date(2024, 2, 10) and max(days) == date(2026, 5, 3)
    assert len(days) == (date(2026, 5, 3) - date(2024, 2, 10)).days + 1


def test_an_open_window_reads_every_month():
    assert Window().segments()[0][0] == "m"


@pytest.mark.parametrize(
    "args, field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "kemarin"}, "to"),
        ({"from": "2026-02-02", "to": "2026-02-01"}, "to"),
    ],
)
def test_a_bad_window_names_its_field(args, field):
    with pytest.raises(BadWindow) as caught:
        parse(args)
    assert caught.value.field == field


def test_a_window_from_the_query_string():
    assert parse({"from": "2026-01-01", "to": ""}) == Window(date(2026, 1, 1), None)
