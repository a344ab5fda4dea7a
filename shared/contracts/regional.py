"""What regional instances (a province's or regency's own system) receive: routing decisions of
their region on the topic exchange ``satupintu.regional``, routing key
``<region code>.<agency code>`` (e.g. ``73.11.01.2002.PROV-73-DISDIK``; a province binds ``73.#``).
Only SPEC §3's public column: never identity; for a confidential report, no content either.
"""

from marshmallow import fields, validate

from shared.contracts import Body, values

REGIONAL_EXCHANGE = "satupintu.regional"


class RegionalDecision(Body):
    kind = fields.String(
        required=True, validate=validate.OneOf(("dispatched", "redispatched", "escalated"))
    )
    region_code = fields.String(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    rule = fields.String(required=True)
    privacy = fields.String(required=True, validate=values.PRIVACY)
    decided_at = fields.DateTime(required=True)
    # content: None for confidential reports
    tracking_id = fields.String(allow_none=True, load_default=None)
    category_id = fields.String(allow_none=True, load_default=None)
    title = fields.String(allow_none=True, load_default=None)


EVENTS = [("regional_decision", "routing", RegionalDecision, REGIONAL_EXCHANGE)]
