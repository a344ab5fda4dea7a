"""What crosses intake's HTTP boundary."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates

from shared import categories, privacy
from shared.regions import load_regions

CLASSIFICATIONS = ("complaint", "aspiration", "information_request")
HTTP_CHANNELS = ("web", "mobile", "walk_in")


class LocationSchema(Schema):
    region_code = fields.String(required=True, validate=validate.Length(max=16))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))

    @validates("region_code")
    def _known_region(self, value, **_):
        if not load_regions().exists(value):
            raise ValidationError("Kode wilayah tidak dikenal / Unknown region code")


class ReporterSchema(Schema):
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    phone = fields.String(
        load_default=None, allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()-]{6,20}$")
    )
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))


class NewReportSchema(Schema):
    """POST /reports. Unknown fields are refused so a typo does not silently lose data."""

    classification = fields.String(required=True, validate=validate.OneOf(CLASSIFICATIONS))
    category_id = fields.String(required=True, validate=validate.Length(max=96))
    title = fields.String(required=True, validate=validate.Length(min=5, max=200))
    body = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    event_date = fields.Date(load_default=None, allow_none=True)
    location = fields.Nested(LocationSchema, required=True)
    target_agency_code = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=64)
    )
    privacy = fields.String(load_default=privacy.PUBLIC, validate=validate.OneOf(privacy.LEVELS))
    channel = fields.String(load_default="web", validate=validate.OneOf(HTTP_CHANNELS))
    language = fields.String(load_default="id", validate=validate.OneOf(("id", "en")))
    reporter = fields.Nested(ReporterSchema, load_default=dict)

    @validates("category_id")
    def _known_category(self, value, **_):
        if categories.get(value) is None:
            raise ValidationError("Kategori tidak dikenal / Unknown category")

    @validates("event_date")
    def _not_future(self, value, **_):
        if value is not None and value > date.today():
            raise ValidationError("Tanggal kejadian di masa depan / Event date is in the future")

    class Meta:
        unknown = "raise"
