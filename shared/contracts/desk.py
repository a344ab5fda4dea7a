"""Events of the coordinators' everyday actions at routing's desk (SPEC §4): archive, postpone,
correct. Each names the staff member's agency, never a reporter's identity; notes are written by
staff for the reporter and stay inside the core (never on the regional exchange)."""

from marshmallow import fields, validate

from shared import lifecycle, privacy
from shared.contracts import Body
from shared.contracts.reports import ARCHIVE_REASONS

PRIVACY = validate.OneOf(privacy.LEVELS)
STATUS = validate.OneOf(list(lifecycle.STATUSES))


class DispositionArchived(Body):
    """A coordinator closed the report without action, with a reason; a duplicate names the
    report it repeats (``duplicate_of``), which its reporter follows from then on."""

    tracking_id = fields.String(required=True)
    # the disposition's version after this change: intake mirrors the latest it has seen
    version = fields.Integer(allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.OneOf(ARCHIVE_REASONS))
    duplicate_of = fields.String(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None)
    previous_status = fields.String(required=True, validate=STATUS)
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
    previous_status = fields.String(required=True, validate=STATUS)
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
    status = fields.String(required=True, validate=STATUS)
    privacy = fields.String(required=True, validate=PRIVACY)  # after the correction
    language = fields.String(load_default="id")
    corrected_at = fields.DateTime(required=True)


EVENTS = [
    ("disposition_archived", "routing", DispositionArchived),
    ("disposition_postponed", "routing", DispositionPostponed),
    ("disposition_corrected", "routing", DispositionCorrected),
]
