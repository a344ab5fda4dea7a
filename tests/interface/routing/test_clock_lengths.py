"""How long each clock of SPEC §5 runs, worked out by hand from the calendar, never read back
from the service. Real RabbitMQ and SQLite; routing's "now" (shared.clock.Clock) is set to a
fixed moment before the report arrives, then moved to a minute before and a minute after the
moment written below: nothing before, the breach after.

Every clock starts on Thu 2026-12-24 10:00 WITA (02:00 UTC) in Kabupaten Barru (73.11,
Sulawesi Selatan: WITA, UTC+8). Days off counted (the pinned ``holidays`` package, Indonesia,
public and government categories, i.e. with the joint-leave days):

    2026-12-24 Thu  Christmas joint leave (the start day: not counted anyway)
    2026-12-25 Fri  Christmas Day
    2027-01-01 Fri  New Year's Day
    2027-01-05 Tue  Isra' Mi'raj
    2027-02-05 Fri  Lunar New Year joint leave
    2027-03-08 Mon  Day of Silence
    2027-03-09 Tue  Eid al-Fitr joint leave
    2027-03-10 Wed  Eid al-Fitr
    2027-03-11 Thu  Eid al-Fitr, second day
    2027-03-12 Fri  Eid al-Fitr joint leave
    2027-03-15 Mon  Eid al-Fitr joint leave
    2027-03-25 Thu  Good Friday joint leave
    2027-03-26 Fri  Good Friday

Working days after the start: Dec 28 29 30 31 (1–4), Jan 4 (5), 6 7 8 (6–8), 11 12 (9–10), 13 14
15 (11–13), 18 (14), …; a clock of N working days runs to the end of the Nth, local time:
midnight WITA, 16:00 UTC that day.
"""

from datetime import UTC, datetime, timedelta

import pytest
import requests
from nameko.testing.services import entrypoint_hook
from nameko.testing.utils import get_extension

from services.intake.service import Intake
from shared.clock import Clock
from shared.db import utcnow
from tests.factories import make_report
from tests.interface.routing.test_routing_clocks import final_followup, sweep
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    next_event,
    routing_events_fixture,
    submit,
    system_fixture,
)
from tests.interface.routing.test_routing_review import set_review_mode

START = datetime(2026, 12, 24, 2, 0, tzinfo=UTC)  # Thu 2026-12-24 10:00 WITA
MINUTE = timedelta(minutes=1)

# end of the Nth working day after the start, Barru time (00:00 WITA next day = 16:00 UTC)
END_OF_3 = datetime(2026, 12, 30, 16, 0, tzinfo=UTC)  # Wed 2026-12-30
END_OF_4 = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # Thu 2026-12-31
END_OF_5 = datetime(2027, 1, 4, 16, 0, tzinfo=UTC)  # Mon 2027-01-04 (Jan 1 off)
END_OF_10 = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)  # Tue 2027-01-12 (Jan 5 off)
END_OF_14 = datetime(2027, 1, 18, 16, 0, tzinfo=UTC)  # Mon 2027-01-18
# 60: Dec 28–31 (4), January 19 (Jan 1 and 5 off: 23), February 19 (Feb 5 off: 42), March 1–5
# (47), Mar 16–19 (51), 22–24 (54), 29–31 (57), Apr 1 (58), 2 (59), Mon Apr 5 (60)
END_OF_60 = datetime(2027, 4, 5, 16, 0, tzinfo=UTC)


def set_now(system, moment: datetime) -> None:
    """Routing's "now" becomes ``moment``."""
    get_extension(system.routing, Clock).offset = moment - utcnow()


def breaches_at(system, moment: datetime) -> list[tuple[str, str]]:
    """Sweep at ``moment``; the (clock, action) of every deadline it breached."""
    set_now(system, moment)
    found = sweep(system)["breaches"]
    return sorted(
        (body["clock"], body["action"])
        for body in (next_event(system, "deadline_breached") for _ in range(found))
    )


def test_first_follow_up_is_5_and_resolution_14_working_days_from_dispatch(system):
    set_now(system, START)
    tid = submit(system, category_id="kesehatan.puskesmas", submitted_at=START)
    routed = next_event(system, "report_routed", tid)
    assert routed["agency_code"] == "KAB-73-11-DINKES"
    assert breaches_at(system, END_OF_5 - MINUTE) == []
    assert breaches_at(system, END_OF_5 + MINUTE) == [("first_followup", "marked_overdue")]
    assert breaches_at(system, END_OF_14 - MINUTE) == []
    assert breaches_at(system, END_OF_14 + MINUTE) == [("resolution", "escalated")]


def test_a_field_inspection_gives_the_resolution_60_working_days_from_dispatch(system):
    set_now(system, START)
    tid = submit(system, category_id="kesehatan.puskesmas", submitted_at=START)
    next_event(system, "report_routed", tid)
    interim = {"text": "Perlu pemeriksaan lapangan.", "field_inspection": True}
    posted = system.desk(
        "POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json=interim
    )
    assert posted.status_code == 201, posted.text
    assert breaches_at(system, END_OF_14 + MINUTE) == []
    assert breaches_at(system, END_OF_60 - MINUTE) == []
    assert breaches_at(system, END_OF_60 + MINUTE) == [("resolution", "escalated")]


def test_verification_in_review_mode_is_3_working_days(system):
    set_review_mode(system, "KAB-73-11-DISKOMINFO")
    set_now(system, START)
    tid = submit(system, category_id="kesehatan.puskesmas", submitted_at=START)
    next_event(system, "disposition_proposed", tid)
    assert breaches_at(system, END_OF_3 - MINUTE) == []
    assert breaches_at(system, END_OF_3 + MINUTE) == [("verification", "escalated")]


def test_the_reporter_has_10_working_days_for_feedback_after_the_final_follow_up(system):
    set_now(system, START)
    tid = submit(system, category_id="kesehatan.puskesmas", submitted_at=START)
    next_event(system, "report_routed", tid)
    final_followup(system, tid)  # at the start moment too
    assert breaches_at(system, END_OF_10 - MINUTE) == []
    assert breaches_at(system, END_OF_10 + MINUTE) == [("feedback", "auto_completed")]
    changed = next_event(system, "report_status_changed", tid)
    assert (changed["status"], changed["reason"]) == ("completed", "feedback_timeout")


def test_each_reminder_comes_one_working_day_before_its_deadline(system):
    set_now(system, START)
    tid = submit(system, category_id="kesehatan.puskesmas", submitted_at=START)
    next_event(system, "report_routed", tid)
    set_now(system, END_OF_4 - MINUTE)
    assert sweep(system) == {"reminders": 0, "breaches": 0}
    set_now(system, END_OF_4 + MINUTE)
    assert sweep(system) == {"reminders": 1, "breaches": 0}
    assert next_event(system, "deadline_approaching", tid)["clock"] == "first_followup"


# --- intake's clock: completing a returned report ---------------------------------------------


@pytest.fixture
def intake(container_factory, service_config):
    config = service_config("intake")
    container = container_factory(Intake, config)
    container.start()
    get_extension(container, Clock).set(START)  # filed at the start moment
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


def archive_sweep(container) -> int:
    with entrypoint_hook(container, "archive_overdue") as sweep_now:
        return sweep_now()


def test_a_returned_report_has_10_working_days_to_be_completed(intake):
    container, url = intake
    incomplete = make_report(event_date=None)
    del incomplete["event_date"]
    answer = requests.post(f"{url}/reports", json=incomplete, timeout=5).json()
    assert answer["status"]["code"] == "returned", answer
    assert datetime.fromisoformat(answer["deadline_at"]) == END_OF_10
    key = {"X-Report-Key": answer["report_key"]}
    status = f"{url}/reports/{answer['tracking_id']}"

    get_extension(container, Clock).set(END_OF_10 - MINUTE)
    assert archive_sweep(container) == 0
    assert requests.get(status, headers=key, timeout=5).json()["status"]["code"] == "returned"
    get_extension(container, Clock).set(END_OF_10 + MINUTE)
    assert archive_sweep(container) == 1
    assert requests.get(status, headers=key, timeout=5).json()["status"]["code"] == "archived"
    assert archive_sweep(container) == 0, "archived once"
