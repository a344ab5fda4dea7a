"""What crosses intake's boundary. Every channel's report goes through ``ReportDraft``: the one
validation (HTTP loads it from JSON, SMS/Twitter/Open311 from what they parsed)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from services.intake import nik as nik_rules
from services.intake import phones
from shared import bilingual, categories, passwords, privacy
from shared.regions import load_regions

CLASSIFICATIONS = ("complaint", "aspiration", "information_request")
CHANNELS = ("web", "mobile", "sms", "twitter", "email", "open311", "walk_in")
HTTP_CHANNELS = ("web", "mobile", "walk_in")
LANGUAGES = ("id", "en")
MAX_BODY = 4000
MAX_ATTACHMENTS = 5
MAX_PARTIES = 10


def today() -> date:
    """Today where it is latest (WIT): a date that is today anywhere in Indonesia is not future."""
    return datetime.now(ZoneInfo("Asia/Jayapura")).date()


# Free text is stored exactly as written, whatever it looks like ("<b>", "drop table"): it is
# text (SPEC §2), escaped by each output (shared.privacy: HTML, CSV), never refused here.
Text = fields.String


class Phone(fields.String):
    """An Indonesian phone number in any usual form, loaded as E.164."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return phones.to_e164(text)
        except phones.InvalidPhone:
            raise ValidationError(
                "Nomor telepon tidak valid / Invalid phone number, e.g. 0812-3456-7890"
            ) from None


class PrivacyLevel(fields.String):
    """public | anonymous | confidential, or the Indonesian umum | anonim | rahasia."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return privacy.level_of(text.lower())
        except ValueError:
            raise ValidationError(
                "Pilih public/umum, anonymous/anonim atau confidential/rahasia / "
                "Choose public, anonymous or confidential"
            ) from None


def _known_region(value: str) -> None:
    if not load_regions().exists(value):
        raise ValidationError("Kode wilayah tidak dikenal / Unknown region code")


def _known_category(value: str) -> None:
    if categories.get(value) is None:
        raise ValidationError("Kategori tidak dikenal / Unknown category")


def _not_future(value: date) -> None:
    if value > today():
        raise ValidationError("Tanggal kejadian di masa depan / Event date is in the future")


class Strict(Schema):
    class Meta:
        unknown = RAISE  # a typo must not silently lose data

    def handle_error(self, error, data, *, many, **kwargs):
        """Every message the reporter reads is Indonesian / English (shared/bilingual.py)."""
        raise ValidationError(
            bilingual.messages(error.messages), valid_data=error.valid_data
        ) from None


class LocationSchema(Strict):
    region_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=[validate.Length(max=16), _known_region],
    )
    address = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))
    latitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))


class PartySchema(Strict):
    name = Text(required=True, validate=validate.Length(min=1, max=100))
    role = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))


class ReporterSchema(Strict):
    """Contact of a reporter filing without an account."""

    name = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    phone = Phone(load_default=None, allow_none=True)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    handle = Text(load_default=None, allow_none=True, validate=validate.Length(max=64))
    social_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))


class OnBehalfOfSchema(Strict):
    """The resident an RT/RW representative files for."""

    name = Text(required=True, validate=validate.Length(min=1, max=100))
    nik = fields.String(load_default=None, allow_none=True)
    relation = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))

    @validates("nik")
    def _nik(self, value, **_):
        if value is not None:
            try:
                nik_rules.check(value)
            except nik_rules.InvalidNik as exc:
                raise ValidationError(str(exc)) from None


class ReportDraft(Strict):
    """A new report, from any channel. Completeness is judged after this, not here."""

    classification = fields.String(required=True, validate=validate.OneOf(CLASSIFICATIONS))
    category_id = fields.String(
        load_default=None, allow_none=True, validate=[validate.Length(max=96), _known_category]
    )
    title = Text(load_default=None, allow_none=True, validate=validate.Length(min=5, max=200))
    body = Text(required=True, validate=validate.Length(min=1, max=MAX_BODY))
    event_date = fields.Date(load_default=None, allow_none=True, validate=_not_future)
    location = fields.Nested(LocationSchema, load_default=dict)
    parties = fields.List(
        fields.Nested(PartySchema), load_default=list, validate=validate.Length(max=MAX_PARTIES)
    )
    target_agency_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[A-Z0-9][A-Z0-9-]{0,63}$"),
    )
    attachments = fields.List(
        fields.String(validate=validate.Regexp(r"^[0-9a-f]{32}$")),
        load_default=list,
        validate=validate.Length(max=MAX_ATTACHMENTS),
    )
    privacy = PrivacyLevel(load_default=privacy.PUBLIC)
    channel = fields.String(load_default="web", validate=validate.OneOf(CHANNELS))
    language = fields.String(load_default="id", validate=validate.OneOf(LANGUAGES))
    reporter = fields.Nested(ReporterSchema, load_default=dict)
    on_behalf_of = fields.Nested(OnBehalfOfSchema, load_default=None, allow_none=True)

    @post_load
    def _defaults(self, data, **_):
        location = {"region_code": None, "address": None, "latitude": None, "longitude": None}
        location.update(data.get("location") or {})
        data["location"] = location
        if not data.get("title"):
            data["title"] = derive_title(data["body"])
        return data


class HttpReportDraft(ReportDraft):
    """POST /reports: the web, the mobile app, and staff entering a walk-in report."""

    channel = fields.String(load_default="web", validate=validate.OneOf(HTTP_CHANNELS))


class Supplement(Strict):
    """POST /reports/<id>/supplement: what the reporter adds to a returned report."""

    body_addition = Text(validate=validate.Length(min=1, max=MAX_BODY))
    category_id = fields.String(validate=[validate.Length(max=96), _known_category])
    title = Text(validate=validate.Length(min=5, max=200))
    event_date = fields.Date(validate=_not_future)
    location = fields.Nested(LocationSchema)
    parties = fields.List(fields.Nested(PartySchema), validate=validate.Length(max=MAX_PARTIES))
    target_agency_code = fields.String(validate=validate.Regexp(r"^[A-Z0-9][A-Z0-9-]{0,63}$"))
    attachments = fields.List(
        fields.String(validate=validate.Regexp(r"^[0-9a-f]{32}$")),
        validate=validate.Length(max=MAX_ATTACHMENTS),
    )

    @validates_schema
    def _something(self, data, **_):
        if not data:
            raise ValidationError("Tidak ada yang ditambahkan / Nothing to add")


class Comment(Strict):
    text = Text(required=True, validate=validate.Length(min=1, max=2000))


class Feedback(Strict):
    satisfied = fields.Boolean(required=True)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class Withdrawal(Strict):
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))


GENDERS = {"male": "male", "female": "female", "laki-laki": "male", "perempuan": "female"}


class Registration(Strict):
    """POST /reporters."""

    nik = fields.String(required=True)
    full_name = Text(required=True, validate=validate.Length(min=2, max=100))
    display_name = Text(load_default=None, allow_none=True, validate=validate.Length(max=60))
    gender = fields.String(required=True, validate=validate.OneOf(list(GENDERS)))
    birth_date = fields.Date(required=True, validate=_not_future)
    occupation = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    username = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[a-z0-9_.]{3,32}$",
            error="3–32 huruf kecil, angka, _ atau . / 3–32 lower-case letters, digits, _ or .",
        ),
    )
    phone = Phone(required=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True)
    language = fields.String(load_default="id", validate=validate.OneOf(LANGUAGES))

    @validates_schema
    def _nik_agrees(self, data, **_):
        if "nik" not in data:
            return
        gender = GENDERS.get(data.get("gender", ""))
        try:
            nik_rules.check(data["nik"], data.get("birth_date"), gender)
        except nik_rules.InvalidNik as exc:
            raise ValidationError(str(exc), field_name="nik") from None

    @validates_schema
    def _strong_password(self, data, **_):
        if "password" in data:  # the staff rule: length, no username, not a common one
            try:
                passwords.check(data.get("username", ""), data["password"])
            except passwords.WeakPassword as weak:
                raise ValidationError(
                    [error["message"] for error in weak.errors], field_name="password"
                ) from None

    @post_load
    def _normalise(self, data, **_):
        data["gender"] = GENDERS[data["gender"]]
        data["email"] = data["email"].lower()
        return data


class Login(Strict):
    """POST /login: username, e-mail or phone, and the password."""

    login = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=passwords.MAX_LENGTH)
    )


def derive_title(body: str) -> str:
    """A title from the first words of ``body`` (SMS and tweets have none), 5–80 characters."""
    words = " ".join(body.split())
    title = words if len(words) <= 80 else words[:77].rsplit(" ", 1)[0] + "..."
    return title if len(title) >= 5 else (title + " (laporan)").strip()
