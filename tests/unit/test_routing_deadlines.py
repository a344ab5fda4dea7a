"""The clocks of SPEC §5 in working days (pure): lengths from the config, due moments in the
agency's local time, the reminder one working day ahead, the 60-day resolution."""

from datetime import UTC, datetime

from services.routing.deadlines import Deadlines, due, long_resolution
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
