"""Events about dispositions: what routing and the agencies' desk say happened to a report
after it was routed (SPEC §4, §5, §7), the coordinators' verdicts (archive, postpone, correct)
among them. A (re)dispatch itself is ``report_routed``
(shared.contracts.reports). No identity, ever; follow-up text is content and stays inside the
core (never on the regional exchange)."""

from marshmallow import fields, validate

from shared import lifecycle
from shared.contracts import Body, values
from shared.contracts.reports import ARCHIVE_REASONS

CLOCKS = ("verification", "first_followup", "resolution", "feedback")
PRIVACY = values.PRIVACY
STATUS_NAMES = validate.OneOf(list(lifecycle.STATUSES))


class DispositionProposed(Body):
    """A coordinator in review mode must confirm or change where the report goes."""

    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    coordinator_code = fields.String(required=True)
    # where the coordinator sits (shared.agencies.place_in); absent on events from before they
    # were sent, null for a national body
    coordinator_government_code = fields.String(allow_none=True)
    coordinator_province_code = fields.String(allow_none=True)
    rule = fields.String(required=True)
    trace = fields.List(fields.String(), load_default=list)
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    privacy = fields.String(required=True, validate=PRIVACY)
    verification_due_at = fields.DateTime(allow_none=True, load_default=None)
    proposed_at = fields.DateTime(required=True)


class DispositionDeclined(Body):
    """An agency said "not our authority" (bukan kewenangan), with a reason."""

    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    reason = fields.String(required=True)
    suggested_agency_code = fields.String(allow_none=True, load_default=None)
    declines = fields.Integer(required=True)  # how many agencies have declined it so far
    privacy = fields.String(required=True, validate=PRIVACY)
    declined_at = fields.DateTime(required=True)


class ManualDispatchQueued(Body):
    """Rules could not settle it: a coordinator dispatches by hand (the coordinator holds it)."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    coordinator_code = fields.String(required=True)
    coordinator_name = fields.String(required=True)
    # where the coordinator sits (shared.agencies.place_in); absent on events from before they
    # were sent, null for a national body
    coordinator_government_code = fields.String(allow_none=True)
    coordinator_province_code = fields.String(allow_none=True)
    reason = fields.String(
        required=True, validate=validate.OneOf(("three_declines", "loop", "no_competent_agency"))
    )
    category_id = fields.String(required=True)
    region_code = fields.String(required=True)
    privacy = fields.String(required=True, validate=PRIVACY)
    queued_at = fields.DateTime(required=True)


class FileReference(Body):
    """A file an agency attached to a follow-up; routing keeps the bytes and hands them to
    the desk and the proven reporter only (services/routing/state/followup_files.py)."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class FollowupPosted(Body):
    """The holding agency answered (tindak lanjut): interim, or final (→ awaiting feedback)."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    followup_id = fields.Integer(required=True)
    agency_code = fields.String(required=True)
    agency_name = fields.String(required=True)
    text = fields.String(required=True)
    final = fields.Boolean(required=True)
    field_inspection = fields.Boolean(load_default=False)
    status = fields.String(
        required=True, validate=validate.OneOf(("in_progress", "awaiting_feedback"))
    )
    privacy = fields.String(required=True, validate=PRIVACY)
    language = fields.String(load_default="id")
    posted_at = fields.DateTime(required=True)
    feedback_due_at = fields.DateTime(allow_none=True, load_default=None)
    resolution_due_at = fields.DateTime(allow_none=True, load_default=None)
    attachments = fields.List(fields.Nested(FileReference), load_default=list)


class ReportStatusChanged(Body):
    """routing → everyone: the report's status moved for a reason other than the events above
    (completed on feedback or by silence, reopened after "not satisfied", closed)."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    status = fields.String(required=True, validate=validate.OneOf(list(lifecycle.STATUSES)))
    previous_status = fields.String(required=True)
    agency_code = fields.String(allow_none=True, load_default=None)
    reason = fields.String(
        required=True,
        validate=validate.OneOf(
            ("satisfied", "feedback_timeout", "not_satisfied", "withdrawn", "archived")
        ),
    )
    privacy = fields.String(required=True, validate=PRIVACY)
    language = fields.String(load_default="id")
    changed_at = fields.DateTime(required=True)


class DeadlineApproaching(Body):
    """A clock falls due within one working day (the agency is reminded)."""

    tracking_id = fields.String(required=True)
    clock = fields.String(required=True, validate=validate.OneOf(CLOCKS))
    agency_code = fields.String(required=True)
    due_at = fields.DateTime(required=True)
    privacy = fields.String(required=True, validate=PRIVACY)
    # the holder's coordinator (told too); None when nobody stands above the holder
    coordinator_code = fields.String(allow_none=True, load_default=None)
    # the report's region: staff read the deadline in its local time (None: WIB)
    region_code = fields.String(allow_none=True, load_default=None)


class DeadlineBreached(Body):
    """A clock ran out; ``action`` says what routing did about it (SPEC §5)."""

    tracking_id = fields.String(required=True)
    clock = fields.String(required=True, validate=validate.OneOf(CLOCKS))
    agency_code = fields.String(required=True)
    due_at = fields.DateTime(required=True)
    breached_at = fields.DateTime(required=True)
    action = fields.String(
        required=True, validate=validate.OneOf(("escalated", "marked_overdue", "auto_completed"))
    )
    privacy = fields.String(required=True, validate=PRIVACY)
    # the coordinator of the agency that let it run out (notified with the agency)
    coordinator_code = fields.String(allow_none=True, load_default=None)
    # the report's region: staff read the deadline in its local time (None: WIB)
    region_code = fields.String(allow_none=True, load_default=None)
    escalated_to = fields.List(fields.String(), load_default=list)  # when action is escalated


class ReportEscalated(Body):
    """The report is put before coordinators and oversight (they get read access and are told)."""

    tracking_id = fields.String(required=True)
    agency_code = fields.String(required=True)  # the agency that still holds it
    escalated_to = fields.List(fields.String(), required=True)
    reason = fields.String(
        required=True,
        validate=validate.OneOf(
            ("verification_breached", "resolution_breached", "not_satisfied_twice")
        ),
    )
    privacy = fields.String(required=True, validate=PRIVACY)
    escalated_at = fields.DateTime(required=True)


class DispositionArchived(Body):
    """A coordinator closed the report without action, with a reason; a duplicate names the
    report it repeats (``duplicate_of``), which its reporter follows from then on."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS))
    duplicate_of = fields.String(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)
    previous_status = fields.String(required=True, validate=STATUS_NAMES)
    agency_code = fields.String(allow_none=True, load_default=None)  # who held it
    by_agency_code = fields.String(required=True)  # the coordinator's agency
    privacy = fields.String(required=True, validate=PRIVACY)
    language = fields.String(load_default="id")
    archived_at = fields.DateTime(required=True)


class DispositionPostponed(Body):
    """A coordinator sent the report back to the reporter (``returned``): ``note`` says what to
    complete; the completion clock of SPEC §5 starts again."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    note = fields.String(required=True)
    previous_status = fields.String(required=True, validate=STATUS_NAMES)
    by_agency_code = fields.String(required=True)
    privacy = fields.String(required=True, validate=PRIVACY)
    language = fields.String(load_default="id")
    postponed_at = fields.DateTime(required=True)


class DispositionCorrected(Body):
    """Staff corrected what the report is about; ``before``/``after`` hold only the changed
    fields (category_id, region_code, classification, privacy). ``rerouted`` says whether the
    correction changed who is competent (a report_routed or manual_dispatch_queued follows)."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    before = fields.Dict(required=True)
    after = fields.Dict(required=True)
    by_agency_code = fields.String(required=True)
    rerouted = fields.Boolean(load_default=False)
    status = fields.String(required=True, validate=STATUS_NAMES)
    privacy = fields.String(required=True, validate=PRIVACY)  # after the correction
    language = fields.String(load_default="id")
    corrected_at = fields.DateTime(required=True)


EVENTS = [
    ("disposition_proposed", "routing", DispositionProposed),
    ("disposition_declined", "routing", DispositionDeclined),
    ("manual_dispatch_queued", "routing", ManualDispatchQueued),
    ("followup_posted", "routing", FollowupPosted),
    ("report_status_changed", "routing", ReportStatusChanged),
    ("deadline_approaching", "routing", DeadlineApproaching),
    ("deadline_breached", "routing", DeadlineBreached),
    ("report_escalated", "routing", ReportEscalated),
    ("disposition_archived", "routing", DispositionArchived),
    ("disposition_postponed", "routing", DispositionPostponed),
    ("disposition_corrected", "routing", DispositionCorrected),
]
