"""The desk's pure parts: when a session counts as signed in, where sign-in may send back to,
the queue's filters as routing's query, the nearest deadline, which actions a page offers,
and an action form as routing's body."""

from werkzeug.datastructures import MultiDict

from services.portal.desk import action_forms, filters
from services.portal.desk.actions import offered
from services.portal.desk.deadlines import nearest
from services.portal.desk.guard import back_to, state

SIGNED = {"token": "t", "seen": 1000.0, "expires_at": 5000}


def test_a_session_is_signed_in_until_idle_for_longer_than_allowed_or_the_token_expires():
    assert state(None, 1000.0, 1800) == "absent"
    assert state({"seen": 1000.0}, 1000.0, 1800) == "absent"
    assert state(SIGNED, 2800.0, 1800) == "signed_in"  # exactly 30 minutes idle: still in
    assert state(SIGNED, 2800.5, 1800) == "idle"
    assert state({**SIGNED, "expires_at": 2000}, 2000.0, 1800) == "expired"
    assert state({**SIGNED, "expires_at": 2000}, 1999.0, 1800) == "signed_in"


def test_sign_in_sends_back_only_to_a_desk_page_of_this_portal():
    assert back_to("/desk/inbox?offset=20") == "/desk/inbox?offset=20"
    assert back_to("/desk/login") == "/desk/dispositions"
    for elsewhere in (None, "", "/lacak", "https://evil.example/desk/", "//evil.example/desk/"):
        assert back_to(elsewhere) == "/desk/dispositions"


def test_the_queue_filters_become_routings_query_nearest_deadline_first():
    chosen = filters.chosen(
        MultiDict(
            {"status": "dispatched", "q": " uang gedung ", "from": "2026-11-01", "overdue": "ya"}
        )
    )
    assert filters.params(chosen, "", 25)["limit"] == 25
    assert "cursor" not in filters.params(chosen, "", 25)
    assert filters.params(chosen, "abc", 25) == {
        "status": "dispatched",
        "from": "2026-11-01",
        "q": "uang gedung",
        "sort": "due",
        "overdue": "true",
        "cursor": "abc",
        "limit": 25,
    }
    odd = filters.chosen(MultiDict({"status": "lost", "queue": "mine", "sort": "colour"}))
    assert (odd["status"], odd["queue"], odd["sort"]) == ("", "", "due")
    assert filters.link(odd) == {}
    manual = filters.chosen(MultiDict({"queue": "manual", "sort": "-received"}))
    assert filters.link(manual) == {"queue": "manual", "sort": "-received"}


def test_the_nearest_running_deadline_is_named():
    item = {
        "resolution_due_at": "2026-12-21T16:00:00+00:00",
        "first_followup_due_at": "2026-12-08T16:00:00+00:00",
    }
    assert nearest(item) == ("first_followup", "2026-12-08T16:00:00+00:00")
    assert nearest({"tracking_id": "LPR-0000-0000-0000"}) is None


def detail(status: str, access: str, proposed: str | None = None) -> dict:
    return {"status": {"code": status}, "access": access, "proposed_agency_code": proposed}


def test_a_page_offers_only_what_the_role_and_status_allow():
    assert offered(detail("dispatched", "holder"), "liaison") == ["followup", "decline"]
    assert offered(detail("awaiting_feedback", "holder"), "liaison") == []
    assert offered(detail("dispatched", "oversight"), "oversight_viewer") == []
    assert offered(detail("dispatched", "watcher"), "liaison") == []
    assert offered(detail("dispatched", "location"), "liaison") == []
    proposal = detail("awaiting_verification", "location", "PROV-76-DISDIK")
    assert offered(proposal, "coordinator_admin") == [
        "confirm",
        "dispatch",
        "postpone",
        "archive",
        "correct",
    ]
    # SPEC §4: postponing is for a report not yet followed up
    assert offered(detail("in_progress", "location"), "national_admin") == [
        "dispatch",
        "archive",
        "correct",
    ]
    assert offered(detail("completed", "holder"), "coordinator_admin") == []


def test_an_action_form_becomes_routings_body():
    typed = action_forms.values(
        "followup",
        MultiDict({"followup_text": "Sudah ditangani.\r\nTerima kasih.", "followup_final": "ya"}),
    )
    assert action_forms.body("followup", typed) == {
        "text": "Sudah ditangani.\nTerima kasih.",
        "final": True,
        "field_inspection": False,
    }
    assert action_forms.body("decline", {}) == {"reason": ""}  # routing says it is missing
    archive = {"archive_reason": "spam", "archive_duplicate_of": "LPR-7K3M-9Q2X-H4TB"}
    assert action_forms.body("archive", archive) == {"reason": "spam"}
    assert action_forms.body("correct", {"correct_region_code": "73.11"}) == {
        "region_code": "73.11"
    }


def test_routings_field_errors_land_on_the_forms_fields():
    problems = [
        {"field": "reason", "message": "Tulis alasannya / Give the reason"},
        {"field": "_schema", "message": "Tidak sah / Not valid"},
        {"field": "file", "message": "Jenis berkas / File type"},
    ]
    assert action_forms.errors("decline", problems, "id") == [
        {"field": "decline_reason", "message": "Tulis alasannya"},
        {"field": "decline_reason", "message": "Tidak sah"},
        {"field": "decline_reason", "message": "Jenis berkas"},
    ]
    assert action_forms.errors("followup", problems[2:], "en") == [
        {"field": "followup_files", "message": "File type"}
    ]
