"""Working days: weekends, Indonesian holidays, collective leave, WIB/WITA/WIT, UTC in and out."""

from datetime import UTC, date, datetime

import pytest

from shared.calendar import WorkingCalendar, from_config, parse_collective_leave, zone_of
from shared.regions import WIB, WIT, WITA


@pytest.fixture(scope="module")
def plain():
    return WorkingCalendar(official_leave=False)


def test_weekends_and_national_holidays_are_not_working_days(plain):
    assert plain.is_working_day(date(2026, 11, 25))  # a Wednesday
    assert not plain.is_working_day(date(2026, 11, 28))  # Saturday
    assert not plain.is_working_day(date(2026, 8, 17))  # Independence Day, a Monday
    assert not plain.is_working_day(date(2026, 12, 25))  # Christmas, a Friday
    assert plain.is_working_day(date(2026, 12, 24))  # joint leave only if configured


def test_official_collective_leave_comes_from_the_holidays_package():
    calendar = WorkingCalendar(official_leave=True)
    assert not calendar.is_working_day(date(2026, 12, 24))  # Christmas joint holiday
    assert not calendar.is_working_day(date(2026, 3, 23))  # Eid al-Fitr joint holiday


def test_configured_collective_leave_days_are_off():
    days, official = parse_collective_leave("official, 2026-12-31")
    assert days == {date(2026, 12, 31)} and official
    calendar = from_config({"COLLECTIVE_LEAVE": "2026-11-26"})
    assert not calendar.is_working_day(date(2026, 11, 26))
    assert calendar.is_working_day(date(2026, 12, 24))  # no "official": package leave not used
    with pytest.raises(ValueError):
        parse_collective_leave("2026-13-01")


def test_ten_working_days_end_at_local_midnight_in_utc(plain):
    # returned on Monday 2 November 2026, 10:00 WITA: due by the end of Monday 16 November
    start = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    assert plain.add_working_days(start, 10, WITA) == datetime(2026, 11, 16, 16, 0, tzinfo=UTC)
    assert plain.add_working_days(start, 10, WIB) == datetime(2026, 11, 16, 17, 0, tzinfo=UTC)
    assert plain.add_working_days(start, 10, WIT) == datetime(2026, 11, 16, 15, 0, tzinfo=UTC)


def test_the_local_day_decides_when_the_clock_starts(plain):
    # Sunday 22 Nov 2026 17:30 UTC is already Monday in Indonesia (00:30 WIB, 01:30 WITA): the
    # local start day is Monday, so one working day runs to the end of Tuesday 24 November. Were
    # the start day taken in UTC (a Sunday), it would end on Monday 23rd.
    sunday_utc = datetime(2026, 11, 22, 17, 30, tzinfo=UTC)
    assert plain.add_working_days(sunday_utc, 1, WIB) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    assert plain.add_working_days(sunday_utc, 1, WITA) == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    # Friday 20 Nov 16:30 UTC is Friday 23:30 WIB but Saturday 00:30 WITA: both count from
    # Monday 23rd, which ends at local midnight
    late_friday = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    assert plain.add_working_days(late_friday, 1, WIB) == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert plain.add_working_days(late_friday, 1, WITA) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


def test_holidays_and_leave_stretch_a_deadline():
    calendar = WorkingCalendar(official_leave=True)
    # from Tuesday 22 Dec 2026: 23rd (1), 24th leave, 25th Christmas, 28th (2), 29th (3)
    start = datetime(2026, 12, 22, 3, 0, tzinfo=UTC)
    assert calendar.add_working_days(start, 3, WIB) == datetime(2026, 12, 29, 17, 0, tzinfo=UTC)
    assert calendar.working_days_between(start, datetime(2026, 12, 29, 5, tzinfo=UTC), WIB) == 3


def test_naive_timestamps_are_read_as_utc(plain):
    aware = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    assert plain.add_working_days(aware.replace(tzinfo=None), 2, WIB) == plain.add_working_days(
        aware, 2, WIB
    )


def test_zone_by_province():
    assert zone_of("73.11") == WITA  # Barru, Sulawesi Selatan
    assert zone_of("31.71") == WIB  # Jakarta
    assert zone_of("91.01") == WIT  # Papua
    assert zone_of(None) == WIB and zone_of("") == WIB
    assert zone_of("99.01") == WIB  # unknown province: national time
