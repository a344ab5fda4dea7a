from datetime import UTC, datetime

import pytest

from shared import events
from shared.contracts import values
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


@pytest.mark.parametrize(
    "field, value",
    [("channel", "fax"), ("classification", "gossip"), ("language", "fr"), ("privacy", "x")],
)
def test_a_value_outside_the_shared_lists_is_refused_on_publish(field, value):
    with pytest.raises(events.InvalidEvent, match=field):
        events.new_event("report_submitted", "LPR-1", submitted("LPR-1", **{field: value}), None)


@pytest.mark.parametrize("channel", values.CHANNELS)
def test_every_channel_of_the_list_is_carried(channel):
    event = events.new_event("report_submitted", "LPR-1", submitted("LPR-1", channel=channel), None)
    assert events.from_wire(event.wire).body["channel"] == channel


def test_the_services_own_lists_are_the_shared_ones():
    from services.intake import schemas as intake_schemas
    from services.reporting import counters, synthetic
    from services.routing.desk import schemas as routing_schemas

    assert intake_schemas.CHANNELS is values.CHANNELS
    assert routing_schemas.CLASSIFICATIONS is values.CLASSIFICATIONS
    assert counters.CHANNELS == set(values.CHANNELS) == set(synthetic.CHANNEL_WEIGHTS)
    assert counters.PRIVACY == set(values.PRIVACY_LEVELS)
