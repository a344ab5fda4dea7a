"""What reporting knows about one report: a fold of all the report's events, in business order.

Events can arrive in any order and more than once. Reporting keeps every event in its journal
and, for each new one, folds ALL of the report's events again, sorted by the time each event
says the fact happened (``submitted_at``, ``routed_at``, …; ties in lifecycle order, then by
event id). The result depends only on the set of events, never on their arrival order, and a
rebuild from the journal gives the same rows.

Each event is an action of the one transition table (shared.lifecycle): it moves the status
only where the table allows that action from the status the report is in, so a repeated or
stale event changes nothing and archived and completed are final. Routing decides the status
after submission; the reporter's feedback_given only records what they said (routing's
report_status_changed moves the status).

Routing's events that make an agency the holder carry where it sits (``agency_government_code``
/ ``agency_province_code`` on report_routed, ``coordinator_…`` on manual_dispatch_queued and
disposition_proposed); a hop keeps that place, None when the event is older than those fields.

Pure: no database, no nameko. Bodies may hold datetimes or the ISO strings they travel as.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from shared import lifecycle
from shared.agencies import Place

# When each event says its fact happened.
TIME_FIELD = {
    "report_returned": "returned_at",
    "report_supplemented": "supplemented_at",
    "report_submitted": "submitted_at",
    "disposition_proposed": "proposed_at",
    "manual_dispatch_queued": "queued_at",
    "report_routed": "routed_at",
    "disposition_declined": "declined_at",
    "deadline_approaching": "due_at",
    "deadline_breached": "breached_at",
    "report_escalated": "escalated_at",
    "followup_posted": "posted_at",
    "report_commented": "commented_at",
    "feedback_given": "given_at",
    "report_status_changed": "changed_at",
    "report_withdrawn": "withdrawn_at",
    "report_archived": "archived_at",
    "disposition_corrected": "corrected_at",
    "disposition_postponed": "postponed_at",
    "disposition_archived": "archived_at",
}
REPORT_EVENTS = frozenset(TIME_FIELD)
# at the same instant, the order the lifecycle has them in
_ORDER = {name: i for i, name in enumerate(TIME_FIELD)}

# report_status_changed says why; the action of the table it is
_STATUS_CHANGE_ACTIONS = {
    "satisfied": "satisfied",
    "feedback_timeout": "feedback_timeout",
    "not_satisfied": "not_satisfied",
    "withdrawn": "withdraw",
    "archived": "archive",
}


def carried_place(body: dict, prefix: str) -> Place | None:
    """The place an event says its ``prefix`` agency has; None if it says nothing."""
    government, province = f"{prefix}_government_code", f"{prefix}_province_code"
    if government not in body and province not in body:
        return None
    return Place(body.get(government), body.get(province))


def as_time(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Event:
    """An event as reporting folds it: its type, id, envelope time and body."""

    event_type: str
    event_id: str
    occurred_at: datetime
    body: dict

    @property
    def at(self) -> datetime:
        return as_time(self.body.get(TIME_FIELD.get(self.event_type, ""))) or as_time(
            self.occurred_at
        )

    def sort_key(self):
        return (self.at, _ORDER.get(self.event_type, 99), self.event_id)


@dataclass
class Hop:
    """One agency holding the report: a dispatch (or the coordinator's manual queue)."""

    agency_code: str
    agency_name: str | None = None
    manual: bool = False
    routed_at: datetime | None = None
    first_followup_due_at: datetime | None = None
    resolution_due_at: datetime | None = None
    first_followup_at: datetime | None = None
    first_final_at: datetime | None = None
    declined_at: datetime | None = None
    first_followup_breached: bool = False
    resolution_breached: bool = False
    place: Place | None = None  # as the event that made it the holder says


@dataclass
class Report:
    tracking_id: str
    classification: str | None = None
    category_id: str | None = None
    region_code: str | None = None
    privacy: str | None = None
    channel: str | None = None
    first_at: datetime | None = None
    submitted_at: datetime | None = None
    first_routed_at: datetime | None = None
    completed_at: datetime | None = None
    status: str | None = None
    archived_reason: str | None = None
    coordinator_code: str | None = None
    coordinator_place: Place | None = None
    hops: list[Hop] = field(default_factory=list)
    holder: Hop | None = None
    verification_breached: bool = False
    final: bool = False
    reopened: bool = False
    feedback: bool = False
    satisfied: bool = False
    completed_silent: bool = False
    visited: set[str] = field(default_factory=set)

    def act(self, action: str) -> bool:
        """Take ``action`` if the table allows it from the current status; True if it moved.
        A report first seen mid-life (its earlier events not journaled) takes the action's
        status."""
        current = self.status
        if current is None:
            new = lifecycle.TRANSITIONS.get((None, action))
            targets = {lifecycle.TRANSITIONS[(s, action)].to for s in lifecycle.sources(action)}
            status = new.to if new else (targets.pop() if len(targets) == 1 else None)
        elif lifecycle.allowed(current, action):
            status = lifecycle.next_status(current, action)
        else:
            return False
        if status is None or status == current:
            return False
        self.status = status
        self.visited.add(status)
        return True

    def hop_of(self, agency_code: str) -> Hop:
        """The latest hop at ``agency_code``; one is added (not holding) if none is known."""
        for hop in reversed(self.hops):
            if hop.agency_code == agency_code:
                return hop
        hop = Hop(agency_code)
        self.hops.append(hop)
        return hop


def fold(tracking_id: str, events) -> Report:
    """The report as all of ``events`` (reporting's Event, any order) say it is."""
    report = Report(tracking_id)
    for event in sorted(events, key=Event.sort_key):
        _apply(report, event)
    return report


def _describe(report: Report, body: dict) -> None:
    for key in ("classification", "category_id", "region_code", "privacy", "channel"):
        value = body.get(key)
        if value is not None:
            setattr(report, key, value)


def _apply(report: Report, event: Event) -> None:  # noqa: C901 — one branch per event type
    kind, body, at = event.event_type, event.body, event.at
    if report.first_at is None or at < report.first_at:
        report.first_at = at
    _describe(report, body)
    if kind == "report_returned":
        report.act("file_incomplete")
    elif kind == "report_submitted":
        report.submitted_at = report.submitted_at or at
        report.act("supplement_complete" if report.status == "returned" else "file_complete")
    elif kind == "disposition_proposed":
        report.coordinator_code = body["coordinator_code"]
        report.coordinator_place = carried_place(body, "coordinator")
    elif kind == "manual_dispatch_queued":
        hop = Hop(
            body["coordinator_code"],
            body.get("coordinator_name"),
            manual=True,
            routed_at=at,
            place=carried_place(body, "coordinator"),
        )
        report.hops.append(hop)
        report.holder = hop
        report.act("queue_manual")
    elif kind == "report_routed":
        hop = Hop(
            body["agency_code"],
            body.get("agency_name"),
            routed_at=at,
            first_followup_due_at=as_time(body.get("first_followup_due_at")),
            resolution_due_at=as_time(body.get("resolution_due_at")),
            place=carried_place(body, "agency"),
        )
        report.hops.append(hop)
        report.holder = hop
        report.first_routed_at = report.first_routed_at or at
        report.act("redispatch" if report.status in lifecycle.HELD else "dispatch")
    elif kind == "disposition_declined":
        hop = report.hop_of(body["agency_code"])
        hop.declined_at = hop.declined_at or at
    elif kind == "deadline_breached":
        clock = body["clock"]
        if clock == "verification":
            report.verification_breached = True
        elif clock == "first_followup":
            report.hop_of(body["agency_code"]).first_followup_breached = True
        elif clock == "resolution":
            report.hop_of(body["agency_code"]).resolution_breached = True
    elif kind == "followup_posted":
        hop = report.hop_of(body["agency_code"])
        hop.first_followup_at = hop.first_followup_at or at
        if body.get("resolution_due_at") is not None:
            hop.resolution_due_at = as_time(body["resolution_due_at"])
        if body.get("final"):
            hop.first_final_at = hop.first_final_at or at
            report.final = True
        report.act("final_follow_up" if body.get("final") else "follow_up")
    elif kind == "feedback_given":
        report.feedback = True
        report.satisfied = report.satisfied or bool(body["satisfied"])
    elif kind == "report_status_changed":
        action = _STATUS_CHANGE_ACTIONS[body["reason"]]
        if report.act(action):
            if action == "not_satisfied":
                report.reopened = True
            elif report.status == "completed":
                report.completed_at = report.completed_at or at
                report.completed_silent = action == "feedback_timeout"
            elif report.status == "archived":
                report.archived_reason = "withdrawn" if action == "withdraw" else None
    elif kind == "report_withdrawn":
        if report.act("withdraw"):
            report.archived_reason = "withdrawn"
    elif kind in ("report_archived", "disposition_archived"):
        if report.act("expire" if body["reason"] == "incomplete" else "archive"):
            report.archived_reason = body["reason"]
    elif kind == "disposition_postponed":
        report.act("postpone")
    elif kind == "disposition_corrected":
        _describe(report, body.get("after") or {})
    # report_supplemented, report_commented, deadline_approaching, report_escalated: journal only
