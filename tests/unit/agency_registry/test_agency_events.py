"""The agency event bodies (shared/contracts/agencies.py) and why their versions make a replica
correct under duplicates and reordering (pure)."""

import pytest

from shared import events

AGENCY = {
    "code": "KAB-73-11-DINKES-PKM",
    "name": "UPT Puskesmas Tanete",
    "kind": "unit",
    "parent_code": "KAB-73-11-DINKES",
    "path": ["KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "KAB-73-11-DINKES-PKM"],
    "status": "pending",
    "is_coordinator": False,
    "verification_mode": "auto",
    "timezone": "Asia/Makassar",
    "jurisdictions": ["73.11.01"],
    "competencies": ["kesehatan.puskesmas"],
    "version": 1,
    "revision": 7,
}


def body(version, status="active", **extra):
    agency = {**AGENCY, "version": version, "status": status}
    return {
        "code": agency["code"],
        "version": version,
        "revision": 6 + version,
        "agency": agency,
        **extra,
    }


def test_each_event_validates_and_round_trips():
    for event_type, data in [
        ("agency_registered", body(1, "pending")),
        ("agency_updated", body(3, changed=["competencies"])),
        ("agency_status_changed", {**body(2), "status": "active", "previous_status": "pending"}),
    ]:
        event = events.new_event(event_type, data["code"], data, "corr")
        assert event.source == "agency_registry"
        parsed = events.from_wire(event.wire)
        assert parsed.body["version"] == data["version"]
        assert parsed.body["agency"]["path"][-1] == data["code"]


def test_a_body_without_its_version_or_with_an_unknown_status_is_refused():
    broken = body(2)
    del broken["version"]
    with pytest.raises(events.InvalidEvent):
        events.validate_body("agency_updated", {**broken, "changed": []})
    with pytest.raises(events.InvalidEvent):
        events.validate_body(
            "agency_status_changed", {**body(2), "status": "closed", "previous_status": "active"}
        )


def apply(replica: dict, event_body: dict) -> None:
    """What a replica does: keep the highest version of each agency it has seen."""
    held = replica.get(event_body["code"])
    if held is None or event_body["version"] > held["version"]:
        replica[event_body["code"]] = event_body["agency"]


def test_duplicates_and_reordering_end_in_the_latest_state():
    stream = [
        body(1, "pending"),
        body(2, "active"),
        body(3, "active", changed=["name"]),
        body(4, "suspended"),
    ]
    in_order, shuffled = {}, {}
    for event_body in stream:
        apply(in_order, event_body)
    for event_body in [stream[3], stream[0], stream[2], stream[3], stream[1]]:
        apply(shuffled, event_body)
    assert in_order == shuffled
    assert shuffled[AGENCY["code"]]["status"] == "suspended"
