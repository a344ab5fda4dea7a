"""What crosses the desk's HTTP boundary: request bodies and list filters, field by field."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from shared import categories, keyset, privacy
from shared.contracts.reports import ARCHIVE_REASONS
from shared.contracts.values import CLASSIFICATIONS
from shared.lifecycle import STATUSES

MAX_TEXT = 4000
SORTS = ("-received", "received", "due", "-updated", "updated")  # listing.ORDERS
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
    # the category the report is really about: the suggestion is checked against it
    corrected_category_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=96)
    )

    @validates_schema
    def known_category(self, data, **kwargs):
        corrected = data.get("corrected_category_id")
        if corrected is not None and not categories.exists(corrected):
            raise ValidationError(
                "Kategori tidak dikenal / Unknown category", "corrected_category_id"
            )

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


NOTE = validate.Length(max=MAX_TEXT)
DUPLICATE_NEEDS = "Laporan asli wajib diisi untuk duplikat / A duplicate names its original"


class ArchiveIn(Strict):
    """POST /desk/dispositions/<id>/archive"""

    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS[1:]))
    duplicate_of = fields.String(load_default=None, allow_none=True, validate=CODE)
    note = fields.String(load_default=None, allow_none=True, validate=NOTE)

    @validates_schema
    def duplicate_names_original(self, data, **kwargs):
        if data.get("reason") == "duplicate" and not data.get("duplicate_of"):
            raise ValidationError(DUPLICATE_NEEDS, "duplicate_of")
        if data.get("reason") != "duplicate" and data.get("duplicate_of"):
            raise ValidationError(
                "Hanya untuk alasan duplikat / Only for reason duplicate", "duplicate_of"
            )


class PostponeIn(Strict):
    """POST /desk/dispositions/<id>/postpone"""

    note = fields.String(required=True, validate=validate.Length(min=3, max=MAX_TEXT))

    @validates_schema
    def not_blank(self, data, **kwargs):
        if len(data.get("note", "").strip()) < 3:
            raise ValidationError(
                "Tulis apa yang perlu dilengkapi / Say what the reporter must complete", "note"
            )


class CorrectIn(Strict):
    """POST /desk/dispositions/<id>/correct"""

    category_id = fields.String(load_default=None, validate=validate.Length(min=1, max=96))
    region_code = fields.String(load_default=None, validate=validate.Length(min=2, max=16))
    classification = fields.String(load_default=None, validate=validate.OneOf(CLASSIFICATIONS))
    privacy = fields.String(load_default=None, validate=validate.OneOf(privacy.LEVELS))

    @validates_schema
    def something_and_known(self, data, **kwargs):
        if all(data.get(key) is None for key in self.fields):
            raise ValidationError("Sebutkan yang dikoreksi / Name what to correct", "category_id")
        category = data.get("category_id")
        if category is not None and not categories.exists(category):
            raise ValidationError("Kategori tidak dikenal / Unknown category", "category_id")


def _csv(values):
    return [v for v in (values or "").split(",") if v]


class ListingQuery(Schema):
    """GET /desk/dispositions?status=dispatched,in_progress&overdue=true&category=kesehatan
    &from=2026-01-01&to=2026-01-31&agency=KAB-73-11-DINKES&access=held&queue=manual
    &cursor=<the last page's next>"""

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
    q = fields.String(load_default=None, validate=validate.Length(min=2, max=200))
    sort = fields.String(
        load_default="-received",
        validate=validate.OneOf(SORTS),
    )
    cursor = fields.String(load_default=None, validate=validate.Length(max=keyset.MAX_CURSOR))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
