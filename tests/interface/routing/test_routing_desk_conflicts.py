"""Two officers on one report (ETag / If-Match), on the real RabbitMQ and SQLite: every desk
action sent with the version the officer read is refused with 412 once the report moved on,
and nothing changes; sent with the current version it is done, and the ETag moves on."""

import pytest

from tests.factories import drain
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    next_event,
    problem,
    routing_events_fixture,
    submit,
    system_fixture,
)
from tests.interface.routing.test_routing_review import set_review_mode

# (action, who, body): each one a desk action an officer may take on a dispatched report
ACTIONS = [
    ("followups", "dinkes.barru", {"text": "Petugas sudah ke puskesmas."}),
    ("decline", "dinkes.barru", {"reason": "Puskesmas itu dikelola RSUD"}),
    ("dispatch", "kominfo.barru", {"agency_code": "KAB-73-11-RSUD"}),
    ("postpone", "kominfo.barru", {"note": "Sebutkan nama puskesmasnya"}),
    ("archive", "kominfo.barru", {"reason": "spam"}),
    ("correct", "kominfo.barru", {"category_id": "kesehatan.rumah_sakit"}),
]


def etag(desk, tid, who="nasional") -> str:
    response = desk("GET", f"/desk/dispositions/{tid}", who)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


@pytest.mark.parametrize(("action", "who", "body"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_an_action_on_the_version_read_before_another_officers_change_is_refused(
    system, action, who, body
):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas", region_code="73.11")
    opened = etag(desk, tid, who)  # the second officer opens the report: version "2"
    assert opened == '"2"'
    first = desk(  # the first officer changes it meanwhile (the status stays)
        "POST",
        f"/desk/dispositions/{tid}/correct",
        "kominfo.barru",
        headers={"If-Match": opened},
        json={"classification": "aspiration"},
    )
    assert first.status_code == 200, first.text
    moved = etag(desk, tid)
    assert moved == '"3"'
    before = desk.detail(tid)
    drain(system.events["report_routed"])

    stale = desk(
        "POST", f"/desk/dispositions/{tid}/{action}", who, headers={"If-Match": opened}, json=body
    )
    conflict = problem(stale, 412, "precondition-failed")
    assert "berubah" in conflict["title"]
    after = desk.detail(tid)
    assert (after["version"], after["status"], after["agency_code"]) == (
        before["version"],
        before["status"],
        before["agency_code"],
    )
    assert after["followups"] == before["followups"] and after["declines"] == []
    assert after["history"] == before["history"]
    assert after["corrections"] == before["corrections"]

    fresh = desk(
        "POST", f"/desk/dispositions/{tid}/{action}", who, headers={"If-Match": moved}, json=body
    )
    assert fresh.status_code in (200, 201), fresh.text
    assert etag(desk, tid) != moved


def test_a_confirmation_of_a_proposal_read_before_a_correction_is_refused(system):
    desk = system.desk
    set_review_mode(system, "KAB-73-11-DISKOMINFO")
    tid = submit(system, category_id="kesehatan.puskesmas", region_code="73.11")
    next_event(system, "disposition_proposed", tid)
    opened = etag(desk, tid, "kominfo.barru")
    noted = desk(
        "POST",
        f"/desk/dispositions/{tid}/correct",
        "kominfo.barru",
        headers={"If-Match": opened},
        json={"classification": "aspiration"},
    )
    assert noted.status_code == 200, noted.text
    path = f"/desk/dispositions/{tid}/confirm"
    stale = desk("POST", path, "kominfo.barru", headers={"If-Match": opened}, json={})
    problem(stale, 412, "precondition-failed")
    assert desk.detail(tid)["status"]["code"] == "awaiting_verification"
    assert drain(system.events["report_routed"]) == []
    current = etag(desk, tid)
    confirmed = desk("POST", path, "kominfo.barru", headers={"If-Match": current}, json={})
    assert confirmed.status_code == 200, confirmed.text
    assert desk.detail(tid)["status"]["code"] == "dispatched"
