"""Events about reports: what intake and routing say happened to one.

None of them carries the reporter's identity (SPEC §3): intake keeps it, and answers the
reporter itself or through the notification service's own records.
"""

from marshmallow import fields, validate

from shared.contracts import Body, values
from shared.contracts.missing import MISSING_ITEMS

ARCHIVE_REASONS = ("incomplete", "duplicate", "spam", "not_public_service", "withdrawn")


class ReportSubmitted(Body):
    """intake → everyone: a complete report is waiting for routing. No identity, ever."""

    tracking_id = fields.String(required=True)
    classification = fields.String(required=True, validate=values.CLASSIFICATION)
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    target_agency_code = fields.String(allow_none=True, load_default=None)
    privacy = fields.String(required=True, validate=values.PRIVACY)
    channel = fields.String(required=True, validate=values.CHANNEL)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    title = fields.String(allow_none=True, load_default=None)
    submitted_at = fields.DateTime(required=True)
    supervision = fields.Boolean(load_default=False)


class ReportRouted(Body):
    """routing → everyone: one agency now holds the report."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    # where the agency sits (shared.agencies.place_in); absent on events from before they were
    # sent, null for a national body
    agency_government_code = fields.String(allow_none=True)
    agency_province_code = fields.String(allow_none=True)
    rule = fields.String(required=True)
    trace = fields.List(fields.String(), load_default=list)
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    privacy = fields.String(required=True, validate=values.PRIVACY)
    channel = fields.String(load_default=None, allow_none=True, validate=values.CHANNEL)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    routed_at = fields.DateTime(required=True)
    # a re-dispatch (decline, coordinator) says so and names the agency that held it before
    kind = fields.String(
        load_default="dispatched", validate=validate.OneOf(("dispatched", "redispatched"))
    )
    previous_agency_code = fields.String(allow_none=True, load_default=None)
    watchers = fields.List(fields.String(), load_default=list)  # read-only copies (supervision)
    first_followup_due_at = fields.DateTime(allow_none=True, load_default=None)
    resolution_due_at = fields.DateTime(allow_none=True, load_default=None)


class ReportReturned(Body):
    """intake → everyone: a report is incomplete and waits for the reporter until the deadline."""

    tracking_id = fields.String(required=True)
    classification = fields.String(required=True, validate=values.CLASSIFICATION)
    category_id = fields.String(allow_none=True, load_default=None)
    region_code = fields.String(allow_none=True, load_default=None)
    privacy = fields.String(required=True, validate=values.PRIVACY)
    channel = fields.String(required=True, validate=values.CHANNEL)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    missing = fields.List(fields.String(validate=validate.OneOf(MISSING_ITEMS)), required=True)
    note = fields.String(allow_none=True, load_default=None)  # the coordinator's, if postponed
    deadline_at = fields.DateTime(required=True)
    returned_at = fields.DateTime(required=True)


class ReportSupplemented(Body):
    """intake → everyone: the reporter added to a returned report; ``complete`` says whether it
    now is (a complete one is also announced as report_submitted)."""

    tracking_id = fields.String(required=True)
    complete = fields.Boolean(required=True)
    missing = fields.List(fields.String(validate=validate.OneOf(MISSING_ITEMS)), load_default=list)
    channel = fields.String(required=True, validate=values.CHANNEL)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    supplemented_at = fields.DateTime(required=True)


class ReportCommented(Body):
    """intake → everyone: the reporter commented on their report (never identity)."""

    tracking_id = fields.String(required=True)
    comment_id = fields.Integer(required=True)
    author = fields.String(load_default="reporter", validate=validate.OneOf(("reporter",)))
    # content as the public may see it: None for a confidential report (ask intake for it)
    text = fields.String(allow_none=True, load_default=None)
    privacy = fields.String(required=True, validate=values.PRIVACY)
    channel = fields.String(required=True, validate=values.CHANNEL)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    commented_at = fields.DateTime(required=True)
    # the agency holding the report, which notification tells (None before dispatch)
    agency_code = fields.String(allow_none=True, load_default=None)


class FeedbackGiven(Body):
    """intake → everyone: what the reporter said after the final follow-up. Routing decides
    what it does to the status (report_status_changed) and counts the unsatisfied rounds
    itself; ``round`` and ``escalate`` are no longer sent (older producers may still)."""

    tracking_id = fields.String(required=True)
    satisfied = fields.Boolean(required=True)
    round = fields.Integer(allow_none=True, load_default=None)
    escalate = fields.Boolean(load_default=False)
    note = fields.String(allow_none=True, load_default=None)
    agency_code = fields.String(allow_none=True, load_default=None)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    given_at = fields.DateTime(required=True)


class ReportWithdrawn(Body):
    """intake → everyone: the reporter withdrew the report; it is archived (reason withdrawn)."""

    tracking_id = fields.String(required=True)
    previous_status = fields.String(required=True)
    agency_code = fields.String(allow_none=True, load_default=None)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    withdrawn_at = fields.DateTime(required=True)


class ReportArchived(Body):
    """intake → everyone: the report is closed without action, with a reason."""

    tracking_id = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS))
    duplicate_of = fields.String(allow_none=True, load_default=None)  # the original it repeats
    previous_status = fields.String(required=True)
    language = fields.String(load_default="id", validate=values.LANGUAGE)
    archived_at = fields.DateTime(required=True)


EVENTS = [
    ("report_submitted", "intake", ReportSubmitted),
    ("report_routed", "routing", ReportRouted),
    ("report_returned", "intake", ReportReturned),
    ("report_supplemented", "intake", ReportSupplemented),
    ("report_commented", "intake", ReportCommented),
    ("feedback_given", "intake", FeedbackGiven),
    ("report_withdrawn", "intake", ReportWithdrawn),
    ("report_archived", "intake", ReportArchived),
]
