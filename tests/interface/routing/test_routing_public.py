"""Routing's public page GET /dispositions/<id>, as the attack: whoever holds a tracking id
reads which agency and rule and why, never who at the agencies acted, their notes, traces or
decline reasons, and a confidential report answers exactly as an unknown id. The registry,
routing and a stand-in intake on the real RabbitMQ and SQLite (test_routing_desk's system)."""

import requests

from tests.interface.routing.test_routing_desk import (  # noqa: F401 — the fixtures
    keys_fixture,
    next_event,
    routing_events_fixture,
    submit,
    system_fixture,
)

NOTE = "Catatan internal: pelapor ini sering mengadu"
REASON = "Rumah sakit yang dimaksud milik RSUD, bukan kami"


def public(system, tracking_id):
    return requests.get(f"{system.desk.url}/dispositions/{tracking_id}", timeout=5)


def test_the_public_page_shows_agencies_and_rules_not_staff_or_notes(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan", region_code="73.11")
    assert next_event(system, "report_routed", tid)["agency_code"] == "KAB-73-11-DINKES"
    decline = {"reason": REASON, "suggested_agency_code": "KAB-73-11-RSUD"}
    declined = desk("POST", f"/desk/dispositions/{tid}/decline", "dinkes.barru", json=decline)
    assert declined.status_code == 200, declined.text
    hand = {"agency_code": "KAB-73-11-DINKES", "note": NOTE}
    dispatched = desk("POST", f"/desk/dispositions/{tid}/dispatch", "kominfo.barru", json=hand)
    assert dispatched.status_code == 200, dispatched.text

    response = public(system, tid)
    assert response.status_code == 200, response.text
    text = response.text
    for secret in ("kominfo.barru", "dinkes.barru", NOTE, REASON, "trace", "note", "actor"):
        assert secret not in text, secret
    page = response.json()
    assert (page["agency_code"], page["rule"]) == ("KAB-73-11-DINKES", "manual")
    assert page["why"] == (
        "koordinator mendisposisikannya secara manual / a coordinator dispatched it by hand"
    )
    assert [(h["kind"], h["agency_code"], h["rule"]) for h in page["history"]] == [
        ("dispatched", "KAB-73-11-DINKES", "most_local"),
        ("redispatched", "KAB-73-11-RSUD", "suggested_agency"),
        ("redispatched", "KAB-73-11-DINKES", "manual"),
    ]
    assert [d["agency_code"] for d in page["declines"]] == ["KAB-73-11-DINKES"]
    # staff still read the whole story at the desk
    detail = desk("GET", f"/desk/dispositions/{tid}", "kominfo.barru").json()
    assert detail["history"][-1]["note"] == NOTE


def test_a_confidential_report_is_not_there_for_the_public(system):
    tid = submit(system, category_id="kesehatan", region_code="73.11", privacy="confidential")
    assert next_event(system, "report_routed", tid)["agency_code"] == "KAB-73-11-DINKES"
    unknown_id = "LPR-2026-ZZZZ-ZZZZ"
    hidden, unknown = public(system, tid), public(system, unknown_id)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.headers["Content-Type"] == unknown.headers["Content-Type"]
    assert set(hidden.headers) == set(unknown.headers)

    def shape(response, tracking_id):
        body = response.json()
        body.pop("correlation_id")
        return {k: str(v).replace(tracking_id.upper(), "<id>") for k, v in body.items()}

    assert shape(hidden, tid) == shape(unknown, unknown_id)
    # its agency still has it at the desk
    assert system.desk("GET", f"/desk/dispositions/{tid}", "dinkes.barru").status_code == 200
