"""What crosses the desk's HTTP boundary: request bodies and list filters, field by field."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from shared.lifecycle import STATUSES

MAX_TEXT = 4000
CODE = validate.Length(min=1, max=64)


class Strict(Schema):
    class Meta:
        unknown = "raise"


class FollowupIn(Strict):
    """POST /desk/dispositions/<id>/followups"""

    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    final = fields.Boolean(load_default=False)
    field_inspection = fields.Boolean(load_default=False)

    @validates_schema
    def not_blank(self, data, **kwargs):
        if not data.get("text", "").strip():
            raise ValidationError("Isi tindak lanjut / Write the follow-up", "text")


class DeclineIn(Strict):
    """POST /desk/dispositions/<id>/decline"""

    reason = fields.String(required=True, validate=validate.Length(min=3, max=MAX_TEXT))
    suggested_agency_code = fields.String(load_default=None, allow_none=True, validate=CODE)

    @validates_schema
    def not_blank(self, data, **kwargs):
        if len(data.get("reason", "").strip()) < 3:
            raise ValidationError("Tulis alasannya / Give the reason", "reason")


class DispatchIn(Strict):
    """POST /desk/dispositions/<id>/dispatch"""

    agency_code = fields.String(required=True, validate=CODE)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class ConfirmIn(Strict):
    """POST /desk/dispositions/<id>/confirm"""

    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


def _csv(values):
    return [v for v in (values or "").split(",") if v]


class ListingQuery(Schema):
    """GET /desk/dispositions?status=dispatched,in_progress&overdue=true&category=kesehatan
    &from=2026-01-01&to=2026-01-31&agency=KAB-73-11-DINKES&access=held&queue=manual"""

    class Meta:
        unknown = EXCLUDE

    status = fields.Function(
        deserialize=_csv,
        validate=validate.ContainsOnly(list(STATUSES)),
        load_default=list,
    )
    overdue = fields.Boolean(load_default=None, allow_none=True)
    category = fields.String(load_default=None, validate=validate.Length(max=96))
    date_from = fields.Date(data_key="from", load_default=None)
    date_to = fields.Date(data_key="to", load_default=None)
    agency = fields.String(load_default=None, validate=CODE)
    access = fields.String(
        load_default="all", validate=validate.OneOf(("all", "held", "watching", "escalated"))
    )
    queue = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(("proposals", "manual"))
    )
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
