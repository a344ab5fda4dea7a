"""What crosses the registry's HTTP boundary: request bodies, validated field by field."""

from marshmallow import Schema, fields, validate

from services.agency_registry.registration import VERIFICATION_MODES
from services.agency_registry.staff_mail import TOPICS
from shared.auth import ROLES


class AgencyRegistration(Schema):
    """POST /agencies"""

    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=validate.Length(min=3, max=255))
    kind = fields.String(required=True)
    parent_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    jurisdictions = fields.List(
        fields.String(validate=validate.Length(min=1, max=16)), required=True
    )
    competencies = fields.List(
        fields.String(validate=validate.Length(min=1, max=96)), load_default=list
    )
    is_coordinator = fields.Boolean(load_default=False)
    verification_mode = fields.String(
        load_default="auto", validate=validate.OneOf(VERIFICATION_MODES)
    )


class AgencyEdit(Schema):
    """PATCH /agencies/<code>: only the fields given change."""

    name = fields.String(validate=validate.Length(min=3, max=255))
    kind = fields.String()
    parent_code = fields.String(validate=validate.Length(min=1, max=64))
    jurisdictions = fields.List(fields.String(validate=validate.Length(min=1, max=16)))
    competencies = fields.List(fields.String(validate=validate.Length(min=1, max=96)))
    is_coordinator = fields.Boolean()
    verification_mode = fields.String(validate=validate.OneOf(VERIFICATION_MODES))


class Decision(Schema):
    """POST /agencies/<code>/{approve,reject,suspend,reactivate}"""

    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class ReasonRequired(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class StaffCreate(Schema):
    """POST /staff"""

    username = fields.String(required=True, validate=validate.Length(min=3, max=64))
    full_name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    agency_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True)


class StaffEdit(Schema):
    """PATCH /staff/<id>"""

    full_name = fields.String(validate=validate.Length(min=2, max=200))
    email = fields.Email(allow_none=True)
    role = fields.String(validate=validate.OneOf(ROLES))
    agency_code = fields.String(validate=validate.Length(min=1, max=64))


class Login(Schema):
    """POST /auth/token"""

    username = fields.String(required=True, validate=validate.Length(max=64))
    password = fields.String(required=True, validate=validate.Length(max=256))


class PasswordChange(Schema):
    """POST /staff/me/password"""

    current_password = fields.String(required=True, validate=validate.Length(max=256))
    new_password = fields.String(required=True)


class EmailTopics(Schema):
    """PUT /staff/me/email-notifications"""

    topics = fields.List(fields.String(validate=validate.OneOf(TOPICS)), required=True)
