"""Working days (SPEC §5): Monday–Friday, minus Indonesia's national holidays, minus collective
leave (cuti bersama), counted in the local time of the responsible agency (WIB, WITA or WIT by
province). Timestamps go in and come out in UTC.

A clock of N working days that starts at some moment ends at the end of the Nth working day
after the day it started on, local time: returned on Monday 10:00 WITA with 10 working days
(no holidays), the report is due by the end of Monday two weeks later, 16:00 UTC.

Collective leave is configured as ``COLLECTIVE_LEAVE``: comma-separated ISO dates, and the word
``official`` for the joint-leave days the ``holidays`` package knows for Indonesia (its
``government`` category), e.g. ``official,2026-12-31``; an empty value means none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from shared.regions import NATIONAL_TIMEZONE, load_regions

OFFICIAL = "official"


class WorkingCalendar:
    """Which days are working days. Immutable; build one per process (``from_config``)."""

    def __init__(self, collective_leave: Iterable[date] = (), official_leave: bool = True):
        self.collective_leave = frozenset(collective_leave)
        self.official_leave = official_leave
        self._years: dict[int, frozenset[date]] = {}
        self._ends: dict[tuple[date, int, str], datetime] = {}
        # the working days of whole years, in order, and each day's rank among them (how many
        # working days up to and including it): the Nth working day after a day in O(1)
        self._span: tuple[int, int] | None = None
        self._working: list[date] = []
        self._rank: dict[date, int] = {}

    def holidays_of(self, year: int) -> frozenset[date]:
        """Days off in ``year`` besides weekends: national holidays and collective leave."""
        if year not in self._years:
            categories = ("public", "government") if self.official_leave else ("public",)
            days = holidays.country_holidays("ID", years=year, categories=categories)
            extra = {day for day in self.collective_leave if day.year == year}
            self._years[year] = frozenset(days) | extra
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_of(day.year)

    def add_working_days(self, start: datetime, days: int, zone: str = NATIONAL_TIMEZONE):
        """The UTC moment ``days`` working days after ``start`` ends, in ``zone``'s local time."""
        tz = ZoneInfo(zone)
        first = _aware(start).astimezone(tz).date()
        key = (first, days, zone)
        found = self._ends.get(key)
        if found is None:  # the answer depends on the local day only: kept (imports ask a lot)
            day = self.nth_working_day_after(first, days)
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
            found = self._ends[key] = end.astimezone(UTC)
        return found

    def nth_working_day_after(self, first: date, days: int) -> date:
        """The ``days``-th working day after ``first`` (``first`` itself for 0)."""
        if days <= 0:
            return first
        years = days // 200 + 2  # ≥ 200 working days a year: the answer is within this span
        self._cover(first.year, first.year + years)
        index = self._rank[first] + days - 1
        while index >= len(self._working):  # pragma: no cover - a span too short after all
            self._cover(first.year, self._span[1] + years)
        return self._working[index]

    def _cover(self, low: int, high: int) -> None:
        """Build the table for the years ``low``..``high`` (and what it already covered)."""
        if self._span is not None and self._span[0] <= low and high <= self._span[1]:
            return
        if self._span is not None:
            low, high = min(low, self._span[0]), max(high, self._span[1])
        working, rank = [], {}
        day, last = date(low, 1, 1), date(high, 12, 31)
        while day <= last:
            if self.is_working_day(day):
                working.append(day)
            rank[day] = len(working)
            day += timedelta(days=1)
        self._span, self._working, self._rank = (low, high), working, rank

    def working_days_between(self, start: datetime, end: datetime, zone: str = NATIONAL_TIMEZONE):
        """Working days after ``start``'s day up to and including ``end``'s day (local)."""
        tz = ZoneInfo(zone)
        first = _aware(start).astimezone(tz).date()
        last = _aware(end).astimezone(tz).date()
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def zone_of(region_code: str | None) -> str:
    """The time zone of a region's province (WIB, WITA or WIT); WIB for national or unknown."""
    if not region_code:
        return NATIONAL_TIMEZONE
    try:
        return load_regions().timezone(region_code)
    except KeyError:
        return NATIONAL_TIMEZONE


def parse_collective_leave(value: str | None) -> tuple[frozenset[date], bool]:
    """``"official,2026-12-31"`` → ({2026-12-31}, True). ValueError on a bad date."""
    days, official = set(), False
    for token in (value or "").replace(" ", "").split(","):
        if not token:
            continue
        if token.lower() == OFFICIAL:
            official = True
        else:
            days.add(date.fromisoformat(token))
    return frozenset(days), official


def from_config(config: dict) -> WorkingCalendar:
    days, official = parse_collective_leave(str(config.get("COLLECTIVE_LEAVE", OFFICIAL)))
    return WorkingCalendar(days, official_leave=official)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
