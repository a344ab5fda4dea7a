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
