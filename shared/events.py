"""Events: the registry of their types (shared.contracts), the checks on publish and receipt.

A body is a plain dict. It is validated when it is written to the outbox and again when a
consumer receives it; consumers ignore fields they do not know, so a producer can add fields
before its consumers are upgraded. The envelope around the body is shared.envelope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from marshmallow import Schema, ValidationError

from shared import envelope
from shared.contracts import agencies, dispositions, regional, reports, staff

SCHEMA_VERSION = 1


class InvalidEvent(Exception):
    """An event that can never be applied: unknown type or a body that fails its schema."""


@dataclass(frozen=True)
class EventType:
    name: str
    source: str  # the service that publishes it
    schema: type[Schema]
    exchange: str | None = None  # default "<source>.events", where nameko's handlers bind

    @cached_property
    def body(self) -> Schema:
        """One schema instance per event type: marshmallow schemas are reusable."""
        return self.schema()


EVENT_TYPES = {
    name: EventType(name, source, schema, *exchange)
    for module in (reports, dispositions, agencies, regional, staff)
    for name, source, schema, *exchange in module.EVENTS
}


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    schema_version: int
    occurred_at: datetime
    source: str
    aggregate_id: str
    correlation_id: str
    body: dict
    routing_key: str | None = None  # default: the event type

    @property
    def exchange(self) -> str:
        return EVENT_TYPES[self.event_type].exchange or f"{self.source}.events"

    @property
    def key(self) -> str:
        return self.routing_key or self.event_type

    @cached_property
    def wire(self) -> dict:
        """The JSON-ready envelope, as published."""
        return envelope.write(self, EVENT_TYPES[self.event_type].body.dump(self.body))


def validate_body(event_type: str, body: dict) -> dict:
    """The body as its consumers will load it; raises InvalidEvent if it breaks the schema."""
    spec = EVENT_TYPES.get(event_type)
    if spec is None:
        raise InvalidEvent(f"unknown event type {event_type!r}")
    schema = spec.body
    try:
        wire = schema.dump(body)  # datetimes to ISO 8601, as they travel
    except (AttributeError, TypeError, ValueError):
        raise InvalidEvent(f"{event_type} body cannot be serialised") from None
    try:
        return schema.load(wire)
    except ValidationError as exc:
        raise InvalidEvent(f"{event_type} body invalid: {sorted(exc.messages)}") from None


def new_event(
    event_type: str,
    aggregate_id: str,
    body: dict,
    correlation_id: str | None,
    routing_key: str | None = None,
) -> Event:
    body = validate_body(event_type, body)
    return Event(
        event_id=uuid.uuid4().hex,
        event_type=event_type,
        schema_version=SCHEMA_VERSION,
        occurred_at=datetime.now(UTC),
        source=EVENT_TYPES[event_type].source,
        aggregate_id=aggregate_id,
        correlation_id=correlation_id or uuid.uuid4().hex,
        body=body,
        routing_key=routing_key,
    )


def from_wire(payload) -> Event:
    """Parse what a consumer received; the body comes back as loaded by its schema."""
    data, faults = envelope.read(payload, EVENT_TYPES)
    if faults:
        raise InvalidEvent(f"event rejected: {faults}")
    try:
        body = EVENT_TYPES[data["event_type"]].body.load(data.pop("body"))
    except (ValidationError, TypeError) as exc:
        detail = sorted(exc.messages) if isinstance(exc, ValidationError) else "not an object"
        raise InvalidEvent(f"event rejected: {detail}") from None
    return Event(body=body, **data)
