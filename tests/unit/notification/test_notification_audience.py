"""Who is told what (SPEC §9), from services/notification/audience.py, the pure rules."""

import pytest

from services.notification import audience
from services.notification.audience import AGENCY, REPORTER, Notice


def test_a_routed_report_tells_the_reporter_the_agency_and_each_watcher():
    body = {
        "tracking_id": "LPR-1",
        "agency_code": "KAB-73-11-DINKES",
        "agency_name": "Dinas Kesehatan Kabupaten Barru",
        "first_followup_due_at": "2026-12-08T16:00:00+00:00",
        "region_code": "73.11.01",
        "watchers": ["PROV-73-INSPEKTORAT"],
    }
    assert audience.notices("report_routed", body) == [
        Notice(REPORTER, None, "report_routed", {"agency_name": "Dinas Kesehatan Kabupaten Barru"}),
        Notice(
            AGENCY,
            "KAB-73-11-DINKES",
            "new_disposition",
            {
                "agency_name": "Dinas Kesehatan Kabupaten Barru",
                "deadline": "2026-12-08T16:00:00+00:00",
                "region_code": "73.11.01",  # the deadline is read in its local time
            },
        ),
        Notice(
            AGENCY,
            "PROV-73-INSPEKTORAT",
            "watcher_copy",
            {"agency_name": "Dinas Kesehatan Kabupaten Barru"},
        ),
    ]


def test_a_breach_tells_the_agency_and_its_coordinator_once_each():
    body = {"clock": "resolution", "agency_code": "A", "coordinator_code": "A", "due_at": "d"}
    body["region_code"] = "73.11"
    told = audience.notices("deadline_breached", body)
    assert [(n.agency_code, n.kind) for n in told] == [("A", "deadline_breached")]
    body["coordinator_code"] = "C"
    told = audience.notices("deadline_breached", body)
    assert [n.agency_code for n in told] == ["A", "C"]
    assert told[0].context == {"clock": "resolution", "deadline": "d", "region_code": "73.11"}


@pytest.mark.parametrize("event_type", ["deadline_approaching", "deadline_breached"])
def test_the_reporters_own_feedback_clock_reminds_no_one_at_the_agency(event_type):
    body = {"clock": "feedback", "agency_code": "A", "coordinator_code": "C", "due_at": "d"}
    assert audience.notices(event_type, body) == []


def test_a_final_follow_up_asks_for_feedback_and_another_only_informs():
    body = {"agency_name": "Dinkes", "text": "Sudah diperbaiki", "final": True}
    [final] = audience.notices("followup_posted", body)
    assert (final.to, final.kind, final.context["deadline"]) == (REPORTER, "awaiting_feedback", "-")
    [other] = audience.notices("followup_posted", {**body, "final": False})
    assert other.kind == "followup" and other.context["text"] == "Sudah diperbaiki"


def test_not_satisfied_reopens_for_the_reporter_and_the_agency_other_changes_tell_no_one():
    reopened = {"status": "in_progress", "reason": "not_satisfied", "agency_code": "A"}
    assert [(n.to, n.kind) for n in audience.notices("report_status_changed", reopened)] == [
        (REPORTER, "report_reopened"),
        (AGENCY, "reopened_for_agency"),
    ]
    moved = {"status": "in_progress", "reason": "followup"}
    assert audience.notices("report_status_changed", moved) == []
    done = {"status": "completed", "reason": "satisfied"}
    assert [n.kind for n in audience.notices("report_status_changed", done)] == ["report_completed"]


def test_a_comment_goes_to_the_holding_agency_without_its_words():
    [told] = audience.notices("report_commented", {"agency_code": "A", "text": "rahasia"})
    assert told == Notice(AGENCY, "A", "reporter_commented", {})
    assert audience.notices("report_commented", {"text": "x"}) == []


def test_every_event_notification_consumes_has_its_rule():
    from services.notification.service import Notification
    from shared.messaging import service_queues

    consumed = {
        queue.name.split("-", 2)[2].split("--")[0] for queue in service_queues(Notification)
    }
    assert consumed == set(audience.EVENTS)
