"""The envelope an event travels in, written and read by hand.

Eight fields, all required: ``event_id``, ``event_type`` (a known type), ``schema_version``,
``occurred_at``, ``source``, ``aggregate_id``, ``correlation_id`` and ``body`` (an object, loaded
afterwards by its type's schema, shared.events). The rules are marshmallow's for String,
Integer, DateTime and Dict fields, so the wire is what an ``Envelope`` schema of those fields
made before (tests/unit/shared/test_envelope.py keeps that schema and compares): occurred_at is
``datetime.isoformat()`` (microseconds when there are any, the offset when the time has one) and
is read as marshmallow's ISO 8601 parser reads the bodies' datetimes (parse_datetime). Fields
the envelope does not know are ignored, so a producer can add one before its consumers are
upgraded.

A malformed envelope is reported by the names of the fields at fault, never their values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache

from marshmallow.utils import from_iso_datetime, get_fixed_timezone

TEXT = ("event_id", "event_type", "source", "aggregate_id", "correlation_id")
FIELDS = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "source",
    "aggregate_id",
    "correlation_id",
    "body",
)
# what datetime.isoformat() writes, which datetime.fromisoformat reads: a third of the time
ISOFORMAT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{6})?"
    r"(?:[+-][0-9]{2}:[0-9]{2})?"
)
NOT_AN_OBJECT = "_schema"  # what names the fault when the envelope itself is not an object


def write(event, body: dict) -> dict:
    """The JSON-ready envelope of ``event`` around its already dumped ``body``."""
    return {
        "event_id": _text(event.event_id),
        "event_type": _text(event.event_type),
        "schema_version": None if event.schema_version is None else int(event.schema_version),
        "occurred_at": None if event.occurred_at is None else event.occurred_at.isoformat(),
        "source": _text(event.source),
        "aggregate_id": _text(event.aggregate_id),
        "correlation_id": _text(event.correlation_id),
        "body": body,
    }


def read(payload, known_types) -> tuple[dict, list[str]]:
    """(the envelope's fields, body still as received; the sorted names of the fields at
    fault). Nothing is at fault when the list is empty."""
    if not isinstance(payload, Mapping):
        return {}, [NOT_AN_OBJECT]
    data, faults = {}, []
    for name in TEXT:
        value = payload.get(name)
        if type(value) is not str:
            value = _as_text(value)
            if value is None:
                faults.append(name)
                continue
        data[name] = value
    if "event_type" in data and data["event_type"] not in known_types:
        faults.append("event_type")
    version = _as_int(payload.get("schema_version"))
    if version is None:
        faults.append("schema_version")
    data["schema_version"] = version
    try:
        data["occurred_at"] = parse_datetime(payload.get("occurred_at"))
    except (TypeError, AttributeError, ValueError):  # absent, null, not text, not a datetime
        faults.append("occurred_at")
    body = payload.get("body")
    if not isinstance(body, Mapping):
        faults.append("body")
    data["body"] = body
    return data, sorted(faults)


def parse_datetime(value) -> datetime:
    """As marshmallow's DateTime loads it, the same value with the same kind of zone (a fixed
    offset named like "+0700", none for a naive time); raises ValueError, TypeError or
    AttributeError where it refuses. Anything but isoformat()'s own form goes to its parser."""
    if type(value) is str and ISOFORMAT.fullmatch(value):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            pass  # out of range: marshmallow's parser says so too
        else:
            offset = when.utcoffset()
            if offset is None:
                return when
            return when.replace(tzinfo=_zone(int(offset.total_seconds()) // 60))
    return from_iso_datetime(value)


@cache
def _zone(minutes: int):
    return get_fixed_timezone(minutes)  # at most 2 × 24 × 60 of them


def _text(value):
    """As marshmallow's String dumps it."""
    if value is None or type(value) is str:
        return value
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _as_text(value) -> str | None:
    """As marshmallow's String loads it; None where it refuses (null included)."""
    if not isinstance(value, str | bytes):
        return None
    try:
        return _text(value)
    except UnicodeDecodeError:
        return None


def _as_int(value) -> int | None:
    """As marshmallow's Integer loads it (not strict: 1.0 and "1" are 1); None where it
    refuses (null and booleans included)."""
    if type(value) is int:
        return value
    if value is None or value is True or value is False:
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None
