"""The bodies of the events services exchange: one module per domain, one schema per event.

Each module lists ``EVENTS = [(event_type, publishing service, body schema), ...]``;
shared.events gathers them. Bodies ignore unknown fields so producers can add fields first.
"""

from marshmallow import EXCLUDE, Schema


class Body(Schema):
    class Meta:
        unknown = EXCLUDE
