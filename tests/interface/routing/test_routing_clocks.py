"""The clocks of SPEC §5 and intake's events on the real RabbitMQ and SQLite. Routing's "now" is
a dependency (shared.clock.Clock) that the tests move to just past a reminder or a deadline, then
they run the sweep themselves: each reminder and breach happens once, whatever runs after."""

from datetime import datetime, timedelta

from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from nameko.testing.utils import get_extension

from shared.clock import Clock
from shared.db import utcnow
from shared.tracking import new_tracking_id
from tests.factories import drain, submitted
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    next_event,
    problem,
    routing_events_fixture,
    submit,
    system_fixture,
)
from tests.interface.routing.test_routing_review import set_review_mode

NOTHING = {"reminders": 0, "breaches": 0}


def clock_of(system, tracking_id, name) -> dict:
    clocks = {c["clock"]: c for c in system.desk.detail(tracking_id)["clocks"]}
    return clocks[name]


def travel_to(system, moment: str | datetime) -> None:
    """Routing's "now" becomes a minute past ``moment``."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    get_extension(system.routing, Clock).offset = moment - utcnow() + timedelta(minutes=1)


def sweep(system) -> dict:
    with entrypoint_hook(system.routing, "check_clocks") as check:
        return check()


def intake_says(system, event_type, tracking_id, body, handler):
    with entrypoint_waiter(system.routing, handler):
        with entrypoint_hook(system.intake, "emit") as emit:
            emit(event_type, tracking_id, {"tracking_id": tracking_id, **body})


def final_followup(system, tracking_id, who="dinkes.barru", text="Sudah selesai ditangani."):
    body = {"text": text, "final": True}
    response = system.desk("POST", f"/desk/dispositions/{tracking_id}/followups", who, json=body)
    assert response.status_code == 201, response.text
    return next_event(system, "followup_posted", tracking_id)


def test_first_follow_up_reminder_then_breach_each_once(system):
    tid = submit(system, category_id="kesehatan.puskesmas")
    first = clock_of(system, tid, "first_followup")
    assert sweep(system) == NOTHING

    travel_to(system, first["remind_at"])
    assert sweep(system) == {"reminders": 1, "breaches": 0}
    approaching = next_event(system, "deadline_approaching", tid)
    assert (approaching["clock"], approaching["agency_code"]) == (
        "first_followup",
        "KAB-73-11-DINKES",
    )
    assert approaching["coordinator_code"] == "KAB-73-11-DISKOMINFO"
    assert sweep(system) == NOTHING

    travel_to(system, first["due_at"])
    assert sweep(system) == {"reminders": 0, "breaches": 1}
    breached = next_event(system, "deadline_breached", tid)
    assert (breached["clock"], breached["action"]) == ("first_followup", "marked_overdue")
    assert breached["coordinator_code"] == "KAB-73-11-DISKOMINFO"
    assert sweep(system) == NOTHING
    desk = system.desk
    assert tid in desk.listed("dinkes.barru", overdue="true")

    response = desk(
        "POST",
        f"/desk/dispositions/{tid}/followups",
        "dinkes.barru",
        json={"text": "Maaf, kami cek."},
    )
    assert response.status_code == 201
    assert tid in desk.listed("dinkes.barru", overdue="false")


def test_resolution_breach_escalates_to_the_coordinator_and_oversight(system):
    tid = submit(system, category_id="kesehatan.puskesmas")
    travel_to(system, clock_of(system, tid, "resolution")["due_at"])
    assert sweep(system)["breaches"] == 2  # first follow-up and resolution
    escalated = next_event(system, "report_escalated", tid)
    assert escalated["reason"] == "resolution_breached"
    assert escalated["escalated_to"] == [
        "KAB-73-11-DISKOMINFO",
        "KAB-73-11-INSPEKTORAT",
        "OMBUDSMAN",
    ]
    assert escalated["agency_code"] == "KAB-73-11-DINKES"  # it still holds the report
    breaches = {next_event(system, "deadline_breached", tid)["clock"] for _ in range(2)}
    assert breaches == {"first_followup", "resolution"}
    # the Inspektorat's own staff now read it (escalated to them), and cannot act on it
    detail = system.desk.detail(tid, "staf.itwil.barru")
    assert detail["access"] == "escalated" and detail["overdue"]
    note = {"text": "Kami pantau."}
    path = f"/desk/dispositions/{tid}/followups"
    problem(system.desk("POST", path, "staf.itwil.barru", json=note), 403, "not-holder")
    assert sweep(system) == NOTHING


def test_silence_after_the_final_follow_up_completes_the_report(system):
    tid = submit(system, category_id="kesehatan.puskesmas")
    posted = final_followup(system, tid)
    travel_to(system, posted["feedback_due_at"])
    assert sweep(system) == {"reminders": 0, "breaches": 1}
    changed = next_event(system, "report_status_changed", tid)
    assert (changed["status"], changed["reason"]) == ("completed", "feedback_timeout")
    breached = next_event(system, "deadline_breached", tid)
    assert (breached["clock"], breached["action"]) == ("feedback", "auto_completed")
    assert system.desk.detail(tid)["status"]["code"] == "completed"
    assert not any(c["running"] for c in system.desk.detail(tid)["clocks"])


def test_feedback_reopens_then_escalates_then_completes(system):
    tid = submit(system, category_id="kesehatan.puskesmas")
    final_followup(system, tid)
    unsatisfied = {"satisfied": False, "round": 1, "given_at": utcnow()}
    intake_says(system, "feedback_given", tid, unsatisfied, "on_feedback_given")
    reopened = next_event(system, "report_status_changed", tid)
    assert (reopened["status"], reopened["reason"]) == ("in_progress", "not_satisfied")
    assert reopened["agency_code"] == "KAB-73-11-DINKES"  # the same agency
    running = {c["clock"] for c in system.desk.detail(tid)["clocks"] if c["running"]}
    assert running == {"resolution"}
    # the same feedback again (a second event): the report moved on, nothing changes
    intake_says(system, "feedback_given", tid, unsatisfied, "on_feedback_given")
    assert drain(system.events["report_status_changed"]) == []

    final_followup(system, tid, text="Sudah kami perbaiki lagi.")
    second = {"satisfied": False, "round": 2, "escalate": True, "given_at": utcnow()}
    intake_says(system, "feedback_given", tid, second, "on_feedback_given")
    assert next_event(system, "report_status_changed", tid)["status"] == "in_progress"
    escalated = next_event(system, "report_escalated", tid)
    assert escalated["reason"] == "not_satisfied_twice"
    assert "KAB-73-11-DISKOMINFO" in escalated["escalated_to"]

    final_followup(system, tid, text="Tuntas.")
    satisfied = {"satisfied": True, "round": 3, "given_at": utcnow()}
    intake_says(system, "feedback_given", tid, satisfied, "on_feedback_given")
    done = next_event(system, "report_status_changed", tid)
    assert (done["status"], done["reason"]) == ("completed", "satisfied")
    assert system.desk.detail(tid)["unsatisfied_rounds"] == 2


def test_withdrawn_and_archived_reports_stop_their_clocks(system):
    tid = submit(system, category_id="kesehatan.puskesmas")
    due = clock_of(system, tid, "resolution")["due_at"]
    withdrawn = {"previous_status": "dispatched", "withdrawn_at": utcnow()}
    intake_says(system, "report_withdrawn", tid, withdrawn, "on_report_withdrawn")
    changed = next_event(system, "report_status_changed", tid)
    assert (changed["status"], changed["reason"]) == ("archived", "withdrawn")
    travel_to(system, due)
    assert sweep(system) == NOTHING
    followup = {"text": "Terlambat."}
    response = system.desk(
        "POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json=followup
    )
    problem(response, 409, "wrong-state")

    # archived before routing saw it (a duplicate, say): a late report_submitted is not routed
    late = new_tracking_id()
    archived = {"reason": "duplicate", "previous_status": "awaiting_verification"}
    intake_says(
        system,
        "report_archived",
        late,
        {**archived, "archived_at": utcnow()},
        "on_report_archived",
    )
    with entrypoint_waiter(system.routing, "on_report_submitted"):
        with entrypoint_hook(system.intake, "emit") as emit:
            emit("report_submitted", late, submitted(late))
    assert system.desk("GET", f"/dispositions/{late}").status_code == 404


def test_an_unverified_proposal_goes_up_to_the_next_coordinator(system):
    set_review_mode(system, "KAB-73-11-DISKOMINFO")
    tid = submit(system, category_id="kesehatan.puskesmas")
    proposed = next_event(system, "disposition_proposed", tid)
    place = (proposed["coordinator_government_code"], proposed["coordinator_province_code"])
    assert place == ("KAB-73-11", "PROV-73")  # where the reviewing coordinator sits
    travel_to(system, proposed["verification_due_at"])
    assert sweep(system)["breaches"] == 1
    # the province's coordinator works in auto mode: the proposal is dispatched
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["rule"]) == ("KAB-73-11-DINKES", "most_local")
    escalated = next_event(system, "report_escalated", tid)
    assert (escalated["reason"], escalated["escalated_to"]) == (
        "verification_breached",
        ["PROV-73-DISKOMINFO"],
    )
    breached = next_event(system, "deadline_breached", tid)
    assert (breached["clock"], breached["agency_code"], breached["action"]) == (
        "verification",
        "KAB-73-11-DISKOMINFO",
        "escalated",
    )


def test_an_unserved_manual_queue_goes_up_to_the_next_coordinator(system):
    tid = submit(system, category_id="administrasi_kependudukan.surat_pengantar")
    next_event(system, "manual_dispatch_queued", tid)
    travel_to(system, clock_of(system, tid, "verification")["due_at"])
    assert sweep(system)["breaches"] == 1
    queued = next_event(system, "manual_dispatch_queued", tid)
    assert queued["coordinator_code"] == "PROV-73-DISKOMINFO"
    assert queued["coordinator_government_code"] == queued["coordinator_province_code"] == "PROV-73"
    detail = system.desk.detail(tid)
    assert detail["agency_code"] == "PROV-73-DISKOMINFO"
    assert [hop["kind"] for hop in detail["history"]] == ["queued", "escalated"]
    verification = clock_of(system, tid, "verification")
    assert verification["running"] and verification["agency_code"] == "PROV-73-DISKOMINFO"
    assert sweep(system) == NOTHING
