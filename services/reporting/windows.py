"""Time windows: which reports a figure counts, and which stored rows add up to it.

A window is a range of days, both ends included (``?from=2026-01-01&to=2026-03-31``); either
end may be left open. A report counts on the day it first reached satupintu, in the local time
of its province, and is counted with the status it has now: "of the reports that came in
during Q1, how many are completed".

Figures are stored per day and per month, so a window reads whole months plus at most two
partial months of days: a year is about 12 + 60 rows per scope, whatever the volume.
Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DAY, MONTH = "d", "m"
EARLIEST, LATEST = date(1970, 1, 1), date(9999, 12, 1)


class BadWindow(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Window:
    start: date | None = None
    end: date | None = None

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }

    def segments(self) -> list[tuple[str, date, date]]:
        """[(grain, first, last)] of stored rows whose sum is this window's figure."""
        start, end = self.start or EARLIEST, self.end or LATEST
        if start > end:
            return []
        first_full = start if start.day == 1 else next_month(start)
        last_full = month_of(end) if next_month(end) - timedelta(days=1) == end else None
        if last_full is None:
            last_full = previous_month(month_of(end))
        if first_full > last_full:  # no whole month inside: days only
            return [(DAY, start, end)]
        found = []
        if start < first_full:
            found.append((DAY, start, first_full - timedelta(days=1)))
        found.append((MONTH, first_full, last_full))
        after_full = next_month(last_full)
        if after_full <= end:
            found.append((DAY, after_full, end))
        return found


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    if day.month == 12:
        return date(day.year + 1, 1, 1) if day.year < 9999 else date(9999, 12, 31)
    return date(day.year, day.month + 1, 1)


def previous_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def parse(args) -> Window:
    """The window of a request's query string; BadWindow names the offending field."""
    ends = {}
    for field in ("from", "to"):
        value = args.get(field) or None
        if value is None:
            ends[field] = None
            continue
        try:
            ends[field] = date.fromisoformat(value)
        except ValueError:
            raise BadWindow(field, "Tanggal YYYY-MM-DD / A date as YYYY-MM-DD") from None
    if ends["from"] and ends["to"] and ends["from"] > ends["to"]:
        raise BadWindow("to", "Harus setelah 'from' / Must not be before 'from'")
    return Window(ends["from"], ends["to"])
