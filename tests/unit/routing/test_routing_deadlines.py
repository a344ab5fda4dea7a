"""The clocks of SPEC §5 in working days (pure): lengths from the config, due moments in the
agency's local time, the reminder one working day ahead, the 60-day resolution."""

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from services.routing.rules.deadlines import (
    BREACH_ACTION,
    CLOCKS,
    OVERDUE_CLOCKS,
    Deadlines,
    Due,
    due,
    long_resolution,
)
from shared.calendar import WorkingCalendar

CALENDAR = WorkingCalendar(official_leave=False)


def test_defaults_are_spec_and_config_overrides_them():
    assert Deadlines() == Deadlines(3, 5, 14, 60, 10)
    configured = Deadlines.from_config({"FIRST_FOLLOWUP_DAYS": "2", "FEEDBACK_DAYS": ""})
    assert (configured.first_followup, configured.feedback) == (2, 10)
    assert configured.days("resolution") == 14
    assert configured.days("resolution", long=True) == 60
    assert configured.days("verification") == 3


def test_resolution_is_long_for_supervision_or_field_inspection():
    assert not long_resolution(False, False)
    assert long_resolution(True, False) and long_resolution(False, True)


def test_five_working_days_in_wita_skip_the_weekend_and_remind_a_day_ahead():
    # dispatched Thursday 2026-03-05 10:00 WITA (02:00 UTC); no holidays that week
    start = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    clock = due(CALENDAR, start, 5, "Asia/Makassar")
    # Fri 6, Mon 9, Tue 10, Wed 11, Thu 12: due at the end of Thursday 12 March, WITA
    assert clock.due_at == datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    assert clock.remind_at == datetime(2026, 3, 11, 16, 0, tzinfo=UTC)


def test_the_same_clock_ends_an_hour_later_in_wib_than_in_wita():
    start = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
    wib = due(CALENDAR, start, 5, "Asia/Jakarta").due_at
    wita = due(CALENDAR, start, 5, "Asia/Makassar").due_at
    wit = due(CALENDAR, start, 5, "Asia/Jayapura").due_at
    assert (wib - wita).total_seconds() == 3600 and (wita - wit).total_seconds() == 3600


def test_holidays_and_collective_leave_do_not_count():
    # Monday 16 March 2026, 09:00 WIB; Nyepi (19th) and Idul Fitri (21st-22nd) are national
    # holidays, the 18th, 20th, 23rd and 24th joint leave ("official" collective leave)
    start = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)
    public_only = due(CALENDAR, start, 5, "Asia/Jakarta").due_at
    # Tue 17, Wed 18, Fri 20, Mon 23, Tue 24 (the 19th is Nyepi)
    assert public_only == datetime(2026, 3, 24, 17, 0, tzinfo=UTC)
    with_leave = due(WorkingCalendar(official_leave=True), start, 5, "Asia/Jakarta").due_at
    # Tue 17, Wed 25, Thu 26, Fri 27, Mon 30
    assert with_leave == datetime(2026, 3, 30, 17, 0, tzinfo=UTC)


WITA = "Asia/Makassar"
OFFICIAL = WorkingCalendar(official_leave=True)
# filed Thu 2026-12-24 10:00 WITA (02:00 UTC), itself the Christmas joint holiday
CHRISTMAS_EVE = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)


def test_every_clock_length_comes_from_its_own_setting():
    configured = Deadlines.from_config(
        {
            "VERIFICATION_DAYS": "4",
            "FIRST_FOLLOWUP_DAYS": "6",
            "RESOLUTION_DAYS": "15",
            "RESOLUTION_LONG_DAYS": "61",
            "FEEDBACK_DAYS": "11",
        }
    )
    assert configured == Deadlines(4, 6, 15, 61, 11)
    assert Deadlines.from_config({}) == Deadlines(3, 5, 14, 60, 10)
    assert Deadlines.from_config({"VERIFICATION_DAYS": None}).verification == 3
    assert Deadlines.from_config({"VERIFICATION_DAYS": "0"}).verification == 0


def test_only_the_resolution_clock_has_a_long_form():
    deadlines = Deadlines()
    assert [deadlines.days(clock) for clock in CLOCKS] == [3, 5, 14, 10]
    assert [deadlines.days(clock, long=True) for clock in CLOCKS] == [3, 5, 60, 10]
    assert deadlines.days("resolution", long=False) == 14


@pytest.mark.parametrize(
    "days, remind_at, due_at",
    [
        # Fri 25 Christmas, weekend, Mon 28 (1): reminded at the end of the start day
        (1, datetime(2026, 12, 24, 16, 0, tzinfo=UTC), datetime(2026, 12, 28, 16, 0, tzinfo=UTC)),
        # Mon 28 (1), Tue 29 (2), Wed 30 (3)
        (3, datetime(2026, 12, 29, 16, 0, tzinfo=UTC), datetime(2026, 12, 30, 16, 0, tzinfo=UTC)),
        # Mon 28, Tue 29, Wed 30, Thu 31 (4), Fri 1 Jan New Year, Mon 4 (5), Tue 5 Isra Mi'raj,
        # Wed 6, Thu 7, Fri 8 (8), Mon 11 … Fri 15 (13), Mon 18 (14)
        (14, datetime(2027, 1, 15, 16, 0, tzinfo=UTC), datetime(2027, 1, 18, 16, 0, tzinfo=UTC)),
        # no working days: both at the end of the start day, Thu 24 Dec WITA
        (0, datetime(2026, 12, 24, 16, 0, tzinfo=UTC), datetime(2026, 12, 24, 16, 0, tzinfo=UTC)),
    ],
)
def test_filed_on_christmas_eve_in_wita(days, remind_at, due_at):
    assert due(OFFICIAL, CHRISTMAS_EVE, days, WITA) == Due(remind_at=remind_at, due_at=due_at)


def test_breach_actions_and_the_clocks_that_make_a_report_overdue():
    assert BREACH_ACTION == {
        "verification": "escalated",
        "first_followup": "marked_overdue",
        "resolution": "escalated",
        "feedback": "auto_completed",
    }
    assert OVERDUE_CLOCKS == ("verification", "first_followup", "resolution")


def test_a_clock_named_in_a_message_is_compared_by_value():
    # as decoded from an event or a request: equal to the constant, not the same object
    assert Deadlines().days(json.loads('"resolution"'), long=True) == 60


def test_lengths_and_due_moments_are_values_no_one_can_change_in_place():
    deadlines = Deadlines()
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadlines.resolution = 1
    clock = due(OFFICIAL, CHRISTMAS_EVE, 1, WITA)
    with pytest.raises(dataclasses.FrozenInstanceError):
        clock.due_at = CHRISTMAS_EVE
