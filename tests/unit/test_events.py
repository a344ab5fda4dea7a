from datetime import UTC, datetime

import pytest

from shared import events
from tests.factories import submitted


def test_an_event_survives_the_wire_and_its_consumer_ignores_unknown_fields():
    event = events.new_event("report_submitted", "LPR-1", submitted("LPR-1"), "corr-1")
    wire = event.wire
    assert wire["schema_version"] == events.SCHEMA_VERSION
    assert wire["source"] == "intake"
    assert isinstance(wire["body"]["submitted_at"], str)
    wire["body"]["added_by_a_newer_producer"] = 1
    wire["something_new"] = True
    received = events.from_wire(wire)
    assert received.event_id == event.event_id
    assert received.correlation_id == "corr-1"
    assert "added_by_a_newer_producer" not in received.body
    assert received.body["submitted_at"] == event.body["submitted_at"]


def test_a_body_that_breaks_its_schema_is_refused_on_publish():
    body = submitted("LPR-1")
    del body["region_code"]
    with pytest.raises(events.InvalidEvent, match="region_code"):
        events.new_event("report_submitted", "LPR-1", body, None)
    with pytest.raises(events.InvalidEvent, match="privacy"):
        events.new_event("report_submitted", "LPR-1", submitted("LPR-1", privacy="secret"), None)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        {"event_type": "report_submitted"},
        {
            "event_id": "1",
            "event_type": "nothing_happened",
            "schema_version": 1,
            "source": "x",
            "occurred_at": datetime.now(UTC).isoformat(),
            "aggregate_id": "a",
            "correlation_id": "c",
            "body": {},
        },
    ],
)
def test_a_malformed_event_is_refused_on_receipt(payload):
    with pytest.raises(events.InvalidEvent):
        events.from_wire(payload)


def test_unknown_event_type_is_refused_on_publish():
    with pytest.raises(events.InvalidEvent):
        events.new_event("nothing_happened", "x", {}, None)
