"""The hand-made envelope (shared.envelope) against what marshmallow made before: the Envelope
schema below is the one the envelope was, around the loaded body dumped again. If these tests
fail, the wire format drifted."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from services.reporting import synthetic
from shared import envelope, events
from tests.factories import routed, submitted


class Envelope(Schema):
    """The envelope as a marshmallow schema, as shared.events had it."""

    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True)
    event_type = fields.String(required=True, validate=validate.OneOf(list(events.EVENT_TYPES)))
    schema_version = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    source = fields.String(required=True)
    aggregate_id = fields.String(required=True)
    correlation_id = fields.String(required=True)
    body = fields.Dict(required=True)


ENVELOPE = Envelope()


def old_wire(event: events.Event) -> dict:
    wire = ENVELOPE.dump(event)
    schema = events.EVENT_TYPES[event.event_type].body
    wire["body"] = schema.dump(schema.load(schema.dump(event.body)))
    return wire


def old_from_wire(payload) -> events.Event:
    try:
        data = ENVELOPE.load(payload)
        body = events.EVENT_TYPES[data["event_type"]].body.load(data.pop("body"))
    except (ValidationError, TypeError) as exc:
        detail = sorted(exc.messages) if isinstance(exc, ValidationError) else "not an object"
        raise events.InvalidEvent(f"event rejected: {detail}") from None
    return events.Event(body=body, **data)


def sample(schema: Schema, full: bool, at: datetime) -> dict:
    """A valid body of ``schema``: every field (``full``) or the required ones only."""
    return {
        name: _value(field, full, at)
        for name, field in schema.fields.items()
        if full or field.required
    }


def _value(field, full, at):
    choices = [v.choices for v in field.validators if isinstance(v, validate.OneOf)]
    if choices:
        return list(choices[0])[-1]
    if isinstance(field, fields.Nested):
        return sample(field.schema, full, at)
    if isinstance(field, fields.List):
        return [_value(field.inner, full, at), _value(field.inner, full, at)]
    if isinstance(field, fields.DateTime):
        return at
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Integer):
        return 3
    if isinstance(field, fields.Dict):
        return {"status": "in_progress", "note": None}
    return "x-1"


AT = [
    datetime(2026, 11, 24, 3, 15, 42, 123456, tzinfo=UTC),
    datetime(2026, 11, 24, 3, 15, 42, tzinfo=UTC),  # no microseconds: none written
    datetime(2026, 11, 24, 10, 15, 42, 5, tzinfo=timezone(timedelta(hours=7))),
    datetime(2026, 11, 23, 22, 45, tzinfo=timezone(-timedelta(hours=4, minutes=30))),
    datetime(2026, 11, 24, 3, 15, 42, 120000),  # naive stays naive
]


def bodies():
    """(event type, body): a sample of every type, full and minimal, at several times; the
    factories' and the synthetic reports' bodies."""
    for event_type, spec in events.EVENT_TYPES.items():
        for at in AT:
            for full in (True, False):
                yield event_type, sample(spec.body, full, at)
    yield "report_submitted", submitted("LPR-1")
    yield "report_routed", routed("LPR-1")
    for plan in synthetic.ranking_example(datetime(2026, 1, 5, tzinfo=UTC))[:6]:
        yield from synthetic.events(plan)


def test_the_wire_is_the_one_marshmallow_made_byte_for_byte():
    count = 0
    for event_type, body in bodies():
        event = events.new_event(event_type, "LPR-1", body, "corr")
        assert json.dumps(event.wire, default=str) == json.dumps(old_wire(event), default=str)
        received = events.from_wire(event.wire)
        assert received == old_from_wire(event.wire)
        assert received.wire == old_wire(received)  # a consumer's copy (reporting's journal)
        count += 1
    assert count > 4 * len(events.EVENT_TYPES)


def test_the_defaults_a_consumer_loads_travel_in_their_place():
    body = submitted("LPR-1")
    for name in ("language", "title", "supervision", "target_agency_code"):
        body.pop(name, None)
    wire = events.new_event("report_submitted", "LPR-1", body, None).wire["body"]
    assert (wire["language"], wire["title"], wire["supervision"]) == ("id", None, False)
    assert list(wire) == list(events.EVENT_TYPES["report_submitted"].body.fields)


def test_an_event_made_from_another_computes_its_own_wire():
    from dataclasses import replace

    event = events.new_event("report_submitted", "LPR-1", submitted("LPR-1"), None)
    moved = replace(event, aggregate_id="LPR-2", body={**event.body, "region_code": "73.12"})
    assert (moved.wire["aggregate_id"], moved.wire["body"]["region_code"]) == ("LPR-2", "73.12")
    assert event.wire["aggregate_id"] == "LPR-1"


def good_payload() -> dict:
    return json.loads(
        json.dumps(events.new_event("report_routed", "LPR-1", routed("LPR-1"), "c").wire)
    )


def rejection(read, payload) -> str:
    with pytest.raises(events.InvalidEvent) as caught:
        read(payload)
    return str(caught.value)


BAD_VALUES = [
    None,
    7,
    1.5,
    True,
    "",
    "1",
    "nothing_happened",
    "2026-13-01T00:00:00",
    "24/11/2026",
    [],
    {},
    ["x"],
    b"\xff",
    b"report_routed",
]


@pytest.mark.parametrize("name", envelope.FIELDS)
@pytest.mark.parametrize("value", [*BAD_VALUES, "absent"])
def test_each_field_is_refused_or_taken_as_marshmallow_did(name, value):
    payload = good_payload()
    if value == "absent":
        del payload[name]
    else:
        payload[name] = value
    try:
        expected = old_from_wire(payload)
    except events.InvalidEvent as exc:
        assert rejection(events.from_wire, payload) == str(exc)
        assert (name in str(exc)) or (name == "body")  # a bad body names its own fields
        return
    assert events.from_wire(payload) == expected


@pytest.mark.parametrize("payload", [None, "text", 5, [], [{"event_id": "1"}], {}])
def test_what_is_not_an_envelope_is_refused_as_before(payload):
    assert rejection(events.from_wire, payload) == rejection(old_from_wire, payload)


def test_several_faults_are_named_together_and_never_their_values():
    payload = {**good_payload(), "event_type": "nothing_happened", "schema_version": "v1"}
    del payload["source"]
    message = rejection(events.from_wire, payload)
    assert message == rejection(old_from_wire, payload)
    assert message == "event rejected: ['event_type', 'schema_version', 'source']"
    assert "nothing_happened" not in message and "v1" not in message


def test_a_field_the_envelope_does_not_know_is_ignored():
    payload = {**good_payload(), "trace_parent": {"id": 1}, "routing_key": "x"}
    event = events.from_wire(payload)
    assert event == old_from_wire(payload)
    assert event.routing_key is None and "trace_parent" not in event.wire


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-24T03:15:42.123456+00:00",
        "2026-11-24T03:15:42+00:00",
        "2026-11-24T03:15:42-00:00",
        "2026-11-24T10:15:42.000005+07:00",
        "2026-11-23T22:45:00-04:30",
        "2026-11-24T03:15:42.123456",  # naive
        "2026-11-24T03:15:42",
        "2026-11-24T03:15:42Z",
        "2026-11-24 03:15:42+0700",
        "2026-11-24T03:15+07",
        "2026-1-4T3:05:42.1234567+05:99",
        "2026-11-24T03:15:42.1",
        "2028-02-29T00:00:00+00:00",
    ],
)
def test_occurred_at_reads_as_marshmallow_read_it_naive_or_aware(text):
    expected = fields.DateTime().deserialize(text)
    got = envelope.parse_datetime(text)
    assert (got, got.tzinfo is None) == (expected, expected.tzinfo is None)
    assert (got.utcoffset(), got.tzname()) == (expected.utcoffset(), expected.tzname())
    assert got.isoformat() == expected.isoformat()
    payload = {**good_payload(), "occurred_at": text}
    assert events.from_wire(payload) == old_from_wire(payload)


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29T00:00:00+00:00",
        "2026-11-24T24:00:00",
        "2026-11-24T03:15:60",
        "2026-11-24",
        "2026-11-24T03:15:42+24:00",
        "2026-11-24T03:15:42+07:00:30",
        "٢٠٢٦-11-24T03:15:42",
        "",
    ],
)
def test_occurred_at_that_is_no_datetime_is_refused_as_before(text):
    payload = {**good_payload(), "occurred_at": text}
    try:
        expected = old_from_wire(payload)
    except events.InvalidEvent as exc:
        assert rejection(events.from_wire, payload) == str(exc) == "event rejected: ['occurred_at']"
    else:
        assert events.from_wire(payload) == expected


@pytest.mark.parametrize("at", AT)
def test_an_event_of_any_time_is_written_as_marshmallow_wrote_it(at):
    event = events.Event(
        "e1",
        "report_submitted",
        1,
        at,
        "intake",
        "LPR-1",
        "c",
        events.validate_body("report_submitted", submitted("LPR-1")),
    )
    assert event.wire == old_wire(event)
    assert event.wire["occurred_at"] == at.isoformat()


class Stamp:
    """Something a producer might pass for a datetime: its isoformat() is loose."""

    def isoformat(self):
        return "2026-1-4 3:05"


def test_what_travels_for_a_datetime_is_the_parsed_value_whatever_the_producer_gave():
    event = events.new_event(
        "report_submitted", "LPR-1", submitted("LPR-1", submitted_at=Stamp()), None
    )
    assert event.wire == old_wire(event)
    assert event.wire["body"]["submitted_at"] == "2026-01-04T03:05:00"
