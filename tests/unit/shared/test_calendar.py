"""Working days: weekends, Indonesian holidays, collective leave, WIB/WITA/WIT, UTC in and out."""

import signal
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


@contextmanager
def returns_within(seconds):
    """Fail (rather than hang the suite) if the block does not return in time."""

    def expired(signum, frame):
        raise AssertionError(f"did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_official_joint_leave_is_counted_unless_told_otherwise():
    # Thu 24 Dec 2026 is the Christmas joint holiday (government category of the package)
    assert not WorkingCalendar().is_working_day(date(2026, 12, 24))
    assert not from_config({}).is_working_day(date(2026, 12, 24))  # COLLECTIVE_LEAVE unset
    assert from_config({"COLLECTIVE_LEAVE": ""}).is_working_day(date(2026, 12, 24))


def test_configured_leave_belongs_to_its_own_year_only():
    calendar = WorkingCalendar(
        [date(2025, 12, 31), date(2026, 11, 26), date(2027, 1, 4)], official_leave=False
    )
    days_off_2026 = calendar.holidays_of(2026)
    assert date(2026, 11, 26) in days_off_2026
    assert date(2025, 12, 31) not in days_off_2026
    assert date(2027, 1, 4) not in days_off_2026
    assert calendar.holidays_of(2027) >= {date(2027, 1, 4)}
    assert date(2026, 11, 26) not in calendar.holidays_of(2027)


def test_leave_configured_on_a_national_holiday_leaves_it_a_holiday():
    # Fri 25 Dec 2026 (Christmas) and Mon 17 Aug 2026 (Independence Day) also listed as leave
    calendar = from_config({"COLLECTIVE_LEAVE": "2026-12-25,2026-08-17,2026-12-31"})
    assert not calendar.is_working_day(date(2026, 12, 25))
    assert not calendar.is_working_day(date(2026, 8, 17))
    assert not calendar.is_working_day(date(2026, 12, 31))


@pytest.mark.parametrize(
    "value, days, official",
    [
        ("", set(), False),
        ("official", set(), True),
        ("OFFICIAL", set(), True),
        ("official,,2026-12-31,", {date(2026, 12, 31)}, True),  # empty items are skipped
        (",2026-12-31, 2027-01-04", {date(2026, 12, 31), date(2027, 1, 4)}, False),
    ],
)
def test_collective_leave_setting(value, days, official):
    assert parse_collective_leave(value) == (frozenset(days), official)


@pytest.mark.parametrize("value", ["resmi", "officials", "official,tomorrow", "2026-12-32"])
def test_a_collective_leave_setting_that_is_neither_a_date_nor_official_is_refused(value):
    with pytest.raises(ValueError):
        parse_collective_leave(value)


def test_a_start_in_local_time_is_the_same_moment_as_in_utc(plain):
    # Mon 2 Nov 2026 10:00 WITA is 02:00 UTC: ten working days end Mon 16 Nov, 16:00 UTC
    local = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo(WITA))
    assert plain.add_working_days(local, 10, WITA) == datetime(2026, 11, 16, 16, 0, tzinfo=UTC)
    # Sun 22 Nov 2026 23:30 UTC given as Mon 23 Nov 06:30 WIB: one working day ends Tue 24th
    monday = datetime(2026, 11, 23, 6, 30, tzinfo=ZoneInfo(WIB))
    assert plain.add_working_days(monday, 1, WIB) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
    end = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo(WIB))
    assert plain.working_days_between(monday, end, WIB) == 1
    # Mon 23 Nov 20:00 WIT is 11:00 UTC, still Monday in Jayapura (read as 20:00 UTC it would
    # be Tuesday 05:00 WIT): one working day ends with Tuesday 24th, 15:00 UTC
    evening = datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo(WIT))
    assert plain.add_working_days(evening, 1, WIT) == datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_no_working_days_end_with_the_start_day(plain):
    # Wed 25 Nov 2026 10:00 WIB (03:00 UTC): the end of Wednesday is 17:00 UTC
    start = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    with returns_within(5):
        assert plain.add_working_days(start, 0, WIB) == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
        assert plain.add_working_days(start, -1, WIB) == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "start, end, counted",
    [
        # same local day: nothing after the start day yet
        (datetime(2026, 11, 25, 1, 0, tzinfo=UTC), datetime(2026, 11, 25, 16, 0, tzinfo=UTC), 0),
        # Fri 20 Nov → Mon 23 Nov (WIB): Monday only
        (datetime(2026, 11, 20, 3, 0, tzinfo=UTC), datetime(2026, 11, 23, 3, 0, tzinfo=UTC), 1),
        # an end before the start counts nothing
        (datetime(2026, 11, 25, 3, 0, tzinfo=UTC), datetime(2026, 11, 20, 3, 0, tzinfo=UTC), 0),
    ],
)
def test_working_days_between(plain, start, end, counted):
    with returns_within(5):
        assert plain.working_days_between(start, end, WIB) == counted
