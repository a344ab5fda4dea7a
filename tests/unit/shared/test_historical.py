"""The history format's check and the life it gives (shared.historical)."""

import pytest

from shared import historical
from shared.agencies import Place
from shared.calendar import WorkingCalendar

AGENCIES = {
    "KAB-73-11-DINKES": historical.Agency(
        "KAB-73-11-DINKES", "Dinas Kesehatan Barru", "Asia/Makassar", Place("KAB-73-11", "PROV-73")
    ),
    "KAB-73-11-RSUD": historical.Agency(
        "KAB-73-11-RSUD", "RSUD Barru", "Asia/Makassar", Place("KAB-73-11", "PROV-73")
    ),
}


def region_exists(code: str) -> bool:
    return code in {"73", "73.11", "73.11.01"}


def record(**changes) -> dict:
    base = {
        "tracking_id": "LPR-TEST-0000-0001",
        "submitted_at": "2019-03-04T02:00:00Z",
        "classification": "complaint",
        "category_id": "kesehatan.puskesmas",
        "region_code": "73.11.01",
        "privacy": "public",
        "channel": "web",
        "language": "id",
        "title": "Antrian puskesmas",
        "body": "Antrian di puskesmas sangat lama.",
        "reporter": {"name": "Warga", "phone": "+6281200000000", "email": "w@contoh.id"},
        "dispositions": [
            {
                "agency_code": "KAB-73-11-RSUD",
                "at": "2019-03-04T03:00:00Z",
                "declined_at": "2019-03-05T03:00:00Z",
                "reason": "Bukan kami",
            },
            {"agency_code": "KAB-73-11-DINKES", "at": "2019-03-05T04:00:00Z"},
        ],  # fmt: skip
        "followups": [
            {"at": "2019-03-06T04:00:00Z", "text": "Kami cek.", "final": False},
            {"at": "2019-03-08T04:00:00Z", "text": "Selesai.", "final": True},
        ],
        "feedback": {"at": "2019-03-09T04:00:00Z", "satisfied": True, "note": "Terima kasih"},
    }
    return {**base, **changes}


def checked(**changes) -> dict:
    return historical.check(record(**changes), AGENCIES, region_exists)


def types(events) -> list[str]:
    return [event.event_type for event in events]


def test_a_whole_life_gives_the_events_the_pipeline_would_publish_in_order():
    events = historical.life(checked(), AGENCIES, WorkingCalendar())
    assert types(events) == [
        "report_submitted",
        "report_routed",
        "disposition_declined",
        "report_routed",
        "followup_posted",
        "followup_posted",
        "feedback_given",
        "report_status_changed",
    ]
    routed = events[3].body
    assert routed["kind"] == "redispatched"
    assert routed["previous_agency_code"] == "KAB-73-11-RSUD"
    assert routed["agency_government_code"] == "KAB-73-11"
    assert events[-1].body["status"] == "completed"
    versions = [event.body["version"] for event in events if "version" in event.body]
    assert versions == sorted(set(versions))  # routing's version grows with every change
    assert all(event.occurred_at.tzinfo is not None for event in events)


def test_ids_are_the_same_for_the_same_report_and_differ_between_reports():
    once = historical.life(checked(), AGENCIES, WorkingCalendar())
    again = historical.life(checked(), AGENCIES, WorkingCalendar())
    other = historical.life(checked(tracking_id="LPR-TEST-0000-0002"), AGENCIES, WorkingCalendar())
    assert [e.event_id for e in once] == [e.event_id for e in again]
    assert not {e.event_id for e in once} & {e.event_id for e in other}


def test_no_event_carries_the_reporters_identity_nor_a_confidential_title():
    events = historical.life(checked(privacy="confidential"), AGENCIES, WorkingCalendar())
    text = repr([event.body for event in events])
    for identity in ("Warga", "+6281200000000", "w@contoh.id", "Antrian puskesmas"):
        assert identity not in text
    assert events[0].body["title"] is None
    feedback = next(event for event in events if event.event_type == "feedback_given")
    assert feedback.body["note"] is None


def test_a_late_first_followup_is_a_breach_of_its_clock():
    late = checked(
        followups=[{"at": "2019-04-30T04:00:00Z", "text": "Maaf terlambat.", "final": False}],
        feedback=None,
    )
    events = historical.life(late, AGENCIES, WorkingCalendar())
    breach = next(event for event in events if event.event_type == "deadline_breached")
    assert breach.body["clock"] == "first_followup"
    assert breach.occurred_at < late["followups"][0]["at"]


def test_an_open_report_without_answer_has_no_breach_from_history():
    events = historical.life(checked(followups=[], feedback=None), AGENCIES, WorkingCalendar())
    assert "deadline_breached" not in types(events)  # the live sweep keeps that clock


LONG_AFTER = historical.time_of("2024-01-01T00:00:00Z")  # the export's time: years later


def escalated_to(holder: str, region: str) -> list[str]:
    return [f"COORD-OF-{holder}", f"ITWIL-OF-{region}"]


def breaches(events) -> dict:
    return {e.body["clock"]: e for e in events if e.event_type == "deadline_breached"}


def test_an_open_report_without_answer_at_the_history_s_end_ran_out_then():
    events = historical.life(checked(followups=[], feedback=None), AGENCIES, WorkingCalendar(),
                             LONG_AFTER, escalated_to)  # fmt: skip
    found = breaches(events)
    assert set(found) == {"first_followup", "resolution"}
    routed = [e for e in events if e.event_type == "report_routed"][-1].body
    assert found["first_followup"].occurred_at == routed["first_followup_due_at"]
    assert found["resolution"].occurred_at == routed["resolution_due_at"]
    assert found["resolution"].body["action"] == "escalated"
    escalation = next(e for e in events if e.event_type == "report_escalated")
    assert escalation.body["escalated_to"] == ["COORD-OF-KAB-73-11-DINKES", "ITWIL-OF-73.11.01"]
    assert escalation.body["reason"] == "resolution_breached"
    assert found["resolution"].body["escalated_to"] == escalation.body["escalated_to"]
    times = [event.occurred_at for event in events]
    assert times == sorted(times) and times[-1] < LONG_AFTER  # in order, at the deadlines
    assert len({event.event_id for event in events}) == len(events)


def test_nothing_runs_out_before_its_deadline_has_passed_at_the_history_s_end():
    open_ = checked(followups=[], feedback=None)
    soon = historical.time_of("2019-03-07T00:00:00Z")  # two days after the dispatch
    assert historical.life(open_, AGENCIES, WorkingCalendar(), soon, escalated_to) == (
        historical.life(open_, AGENCIES, WorkingCalendar())
    )
    answered = historical.life(checked(), AGENCIES, WorkingCalendar(), LONG_AFTER, escalated_to)
    assert breaches(answered) == {}  # answered, finished and rated in time: the record's end


def test_a_final_follow_up_after_the_resolution_deadline_was_escalated_when_it_ran_out():
    late = checked(
        followups=[{"at": "2019-03-06T04:00:00Z", "text": "Kami cek.", "final": False},
                   {"at": "2019-05-02T04:00:00Z", "text": "Selesai.", "final": True}],
        feedback={"at": "2019-05-03T04:00:00Z", "satisfied": True},
    )  # fmt: skip
    events = historical.life(late, AGENCIES, WorkingCalendar(), None, escalated_to)
    assert set(breaches(events)) == {"resolution"}
    kinds = types(events)
    answers = [index for index, kind in enumerate(kinds) if kind == "followup_posted"]
    assert answers[0] < kinds.index("report_escalated") < answers[1]  # when it ran out
    assert kinds[-1] == "report_status_changed" and events[-1].body["status"] == "completed"


def test_an_agency_that_declined_late_let_its_clocks_run_out_first():
    slow = record()
    slow["dispositions"][0]["declined_at"] = "2019-04-01T03:00:00Z"  # a month with the RSUD
    slow["dispositions"][1]["at"] = "2019-04-01T04:00:00Z"
    slow["followups"] = [{"at": "2019-04-02T04:00:00Z", "text": "Selesai.", "final": True}]
    slow["feedback"] = {"at": "2019-04-03T04:00:00Z", "satisfied": True}
    checked_ = historical.check(slow, AGENCIES, region_exists)
    events = historical.life(checked_, AGENCIES, WorkingCalendar(), LONG_AFTER, escalated_to)
    late = [e for e in events if e.event_type == "deadline_breached"]
    assert [(e.body["clock"], e.body["agency_code"]) for e in late] == [
        ("first_followup", "KAB-73-11-RSUD"),
        ("resolution", "KAB-73-11-RSUD"),
    ]  # the Dinkes answered in time
    escalation = next(e for e in events if e.event_type == "report_escalated")
    assert escalation.body["agency_code"] == "KAB-73-11-RSUD"
    assert escalation.body["escalated_to"][0] == "COORD-OF-KAB-73-11-RSUD"
    kinds = types(events)
    assert kinds.index("deadline_breached") < kinds.index("disposition_declined")


def test_awaiting_feedback_at_the_history_s_end_completed_when_the_clock_ran_out():
    events = historical.life(checked(feedback=None), AGENCIES, WorkingCalendar(), LONG_AFTER)
    last = events[-1]
    assert (last.body["status"], last.body["reason"]) == ("completed", "feedback_timeout")
    assert breaches(events)["feedback"].occurred_at == last.occurred_at
    assert breaches(events)["feedback"].body["action"] == "auto_completed"


def test_not_satisfied_starts_the_resolution_clock_again_and_it_can_run_out():
    unsatisfied = checked(feedback={"at": "2019-03-09T04:00:00Z", "satisfied": False})
    events = historical.life(unsatisfied, AGENCIES, WorkingCalendar(), LONG_AFTER, escalated_to)
    breach = breaches(events)["resolution"]
    assert breach.occurred_at > historical.time_of("2019-03-09T04:00:00Z")
    assert types(events)[-2:] == ["report_escalated", "deadline_breached"]
    withdrawn = checked(feedback={"at": "2019-03-09T04:00:00Z", "satisfied": False},
                        withdrawn_at="2019-03-11T00:00:00Z")  # fmt: skip
    assert breaches(historical.life(withdrawn, AGENCIES, WorkingCalendar(), LONG_AFTER)) == {}


def test_a_feedback_timeout_completes_when_the_feedback_clock_runs_out():
    events = historical.life(
        checked(feedback=None, feedback_timeout=True), AGENCIES, WorkingCalendar()
    )
    last = events[-1]
    assert last.body["reason"] == "feedback_timeout"
    assert last.occurred_at.date().isoformat() > "2019-03-08"


def test_a_withdrawn_report_is_closed_by_routing_too():
    events = historical.life(
        checked(followups=[], feedback=None, withdrawn_at="2019-03-06T00:00:00Z"),
        AGENCIES,
        WorkingCalendar(),
    )
    assert types(events)[-2:] == ["report_withdrawn", "report_status_changed"]
    assert events[-1].body["status"] == "archived"


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"category_id": "no.such"}, "unknown_category"),
        ({"region_code": "99.99"}, "unknown_region"),
        (
            {"dispositions": [{"agency_code": "NOPE", "at": "2019-03-04T03:00:00Z"}]},
            "unknown_agency",
        ),  # fmt: skip
        ({"privacy": "hidden"}, "unknown_privacy"),
        ({"channel": "fax"}, "unknown_channel"),
        ({"submitted_at": "yesterday"}, "bad_time"),
        ({"submitted_at": "2019-03-10T00:00:00Z"}, "time_goes_back"),
        ({"dispositions": []}, "no_disposition"),
        (
            {"followups": [], "feedback": {"at": "2019-03-09T04:00:00Z", "satisfied": True}},
            "feedback_without_final",
        ),  # fmt: skip
        ({"tracking_id": ""}, "bad_tracking_id"),
    ],
)
def test_a_record_that_cannot_be_imported_is_refused_with_a_reason(changes, reason):
    with pytest.raises(historical.Refused) as refused:
        checked(**changes)
    assert refused.value.reason == reason


def test_a_breach_in_history_says_what_routing_does_at_a_breach():
    from services.routing.rules.deadlines import BREACH_ACTION

    assert historical.ACTIONS == {clock: BREACH_ACTION[clock] for clock in historical.ACTIONS}
