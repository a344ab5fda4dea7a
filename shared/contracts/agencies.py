"""Events about agencies: what the agency registry says changed in the national hierarchy.

Every body carries the agency's whole state after the change and its ``version`` (+1 on each
change of that agency), plus the registry ``revision`` of the change (+1 per committed change to
any agency; the snapshot RPC says which revision it reflects). A replica keeps, per agency, the
state with the highest version it has seen: applying the same event twice, or an older one
after a newer one, changes nothing, and events at or below its snapshot's revision are already
in it.

Every body also says where the agency sits for the figures (``government_code``: the deepest
government on its path, ``province_code``: the provincial government on it; shared.agencies
``place_on`` over the registry's own tree): null for a national body, absent on events from
before they were sent.
"""

from marshmallow import fields, validate

from shared.contracts import Body

STATUSES = ("pending", "active", "suspended", "rejected")


class AgencyState(Body):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    parent_code = fields.String(allow_none=True, load_default=None)
    path = fields.List(fields.String(), required=True)  # root first, the agency last
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    is_coordinator = fields.Boolean(required=True)
    verification_mode = fields.String(required=True, validate=validate.OneOf(["auto", "review"]))
    timezone = fields.String(required=True)
    jurisdictions = fields.List(fields.String(), required=True)  # [] = the whole country
    competencies = fields.List(fields.String(), required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    revision = fields.Integer(required=True, validate=validate.Range(min=0))


class _AgencyEvent(Body):
    code = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    revision = fields.Integer(required=True, validate=validate.Range(min=0))
    agency = fields.Nested(AgencyState, required=True)
    # where the agency sits (shared.agencies.place_on over the registry's tree); absent on
    # events from before they were sent, null for a national body
    government_code = fields.String(allow_none=True)
    province_code = fields.String(allow_none=True)


class AgencyRegistered(_AgencyEvent):
    """agency_registry → everyone: a new agency exists (``pending`` until a coordinator
    approves it; ``active`` straight away when the national template creates it)."""


class AgencyUpdated(_AgencyEvent):
    """agency_registry → everyone: name, kind, place in the tree (a move also updates every
    agency below: their paths change), jurisdictions, competencies or coordinator settings. A
    new kind that puts agencies below in another government or province updates each of them
    too (``changed``: the place fields that changed)."""

    changed = fields.List(fields.String(), required=True)


class AgencyStatusChanged(_AgencyEvent):
    """agency_registry → everyone: approved, rejected, suspended or reactivated."""

    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    previous_status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    reason = fields.String(allow_none=True, load_default=None)


EVENTS = [
    ("agency_registered", "agency_registry", AgencyRegistered),
    ("agency_updated", "agency_registry", AgencyUpdated),
    ("agency_status_changed", "agency_registry", AgencyStatusChanged),
]
