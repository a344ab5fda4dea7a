"""Events about staff accounts: what the agency registry says changed in someone's authority.

``staff_changed`` goes out when an account is deactivated or reactivated, its role or agency
changes, or an admin resets its password (``changed``: ["password"]). ``version`` is the account's version after the change; a staff token carries the
version its account had when it was issued (claim ``ver``), so every service refuses a token
whose version is below the latest change it knows of (shared/staff_changes.py).
"""

from marshmallow import fields, validate

from shared.contracts import Body

STATUSES = ("active", "deactivated")


class StaffChanged(Body):
    """agency_registry → every service that checks staff tokens."""

    staff_id = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    role = fields.String(required=True)
    agency_code = fields.String(required=True)
    scope_code = fields.String(required=True)
    changed = fields.List(fields.String(), required=True)  # e.g. ["status"], ["role"], ["password"]
    changed_at = fields.DateTime(required=True)


EVENTS = [
    ("staff_changed", "agency_registry", StaffChanged),
]
