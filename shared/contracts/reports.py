"""Events about reports: what intake and routing say happened to one."""

from marshmallow import fields, validate

from shared import privacy
from shared.contracts import Body


class ReportSubmitted(Body):
    """intake → everyone: a complete report is waiting for routing. No identity, ever."""

    tracking_id = fields.String(required=True)
    classification = fields.String(required=True)
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    target_agency_code = fields.String(allow_none=True, load_default=None)
    privacy = fields.String(required=True, validate=validate.OneOf(privacy.LEVELS))
    channel = fields.String(required=True)
    language = fields.String(load_default="id")
    title = fields.String(allow_none=True, load_default=None)
    submitted_at = fields.DateTime(required=True)


class ReportRouted(Body):
    """routing → everyone: one agency now holds the report."""

    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    rule = fields.String(required=True)
    trace = fields.List(fields.String(), load_default=list)
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    privacy = fields.String(required=True, validate=validate.OneOf(privacy.LEVELS))
    channel = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default="id")
    routed_at = fields.DateTime(required=True)


EVENTS = [
    ("report_submitted", "intake", ReportSubmitted),
    ("report_routed", "routing", ReportRouted),
]
