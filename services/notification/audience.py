"""Who is told what (SPEC §9), pure: an event becomes the notices it owes, each to the reporter
or to an agency's staff, with the template kind and what the template needs.

    notices("report_routed", body) → [Notice("reporter", None, "report_routed", {...}),
                                      Notice("agency", "PROV-73-DISDIK", "new_disposition", {...})]

Nothing here names a reporter: events carry no identity, and staff notices have no place for
one. How a notice reaches its recipient (inbox, channel, email) is services.notification.telling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REPORTER, AGENCY = "reporter", "agency"


@dataclass(frozen=True)
class Notice:
    to: str  # REPORTER or AGENCY
    agency_code: str | None
    kind: str  # a template of services.notification.templates
    context: dict = field(default_factory=dict)


def _reporter(kind: str, **context) -> Notice:
    return Notice(REPORTER, None, kind, context)


def _agency(code: str, kind: str, **context) -> Notice:
    return Notice(AGENCY, code, kind, context)


def _submitted(body):
    return [_reporter("report_received")]


def _returned(body):
    return [
        _reporter(
            "report_returned",
            missing=body["missing"],
            deadline=body["deadline_at"],
            note=body.get("note"),
        )
    ]


def _routed(body):
    """The reporter (where it went), the agency (a new disposition), watchers (a copy)."""
    name = body["agency_name"]
    deadline = body.get("first_followup_due_at") or "-"
    return [
        _reporter("report_routed", agency_name=name),
        _agency(
            body["agency_code"],
            "new_disposition",
            agency_name=name,
            deadline=deadline,
            region_code=body.get("region_code"),  # the deadline in the report's local time
        ),
        *(_agency(w, "watcher_copy", agency_name=name) for w in body.get("watchers") or ()),
    ]


def _followup(body):
    kind = "awaiting_feedback" if body["final"] else "followup"
    deadline = body.get("feedback_due_at") or "-"
    return [_reporter(kind, agency_name=body["agency_name"], text=body["text"], deadline=deadline)]


def _status_changed(body):
    if body["status"] == "completed":
        return [_reporter("report_completed")]
    if body["reason"] == "not_satisfied" and body.get("agency_code"):
        return [_reporter("report_reopened"), _agency(body["agency_code"], "reopened_for_agency")]
    return []


def _archived(body):
    return [
        _reporter("report_archived", reason=body["reason"], duplicate_of=body.get("duplicate_of"))
    ]


def _commented(body):
    """The holding agency; the words stay at intake (staff read them at the desk)."""
    code = body.get("agency_code")
    return [_agency(code, "reporter_commented")] if code else []


def _approaching(body):
    """The feedback clock is the reporter's, and its end only completes the report: no one at
    the agency is reminded of it."""
    if body["clock"] == "feedback":
        return []
    return [
        _agency(
            body["agency_code"],
            "deadline_approaching",
            clock=body["clock"],
            deadline=body["due_at"],
            region_code=body.get("region_code"),
        )
    ]


def _breached(body):
    """The agency and its coordinator (SPEC §5); the feedback clock's end is told to the
    reporter by the report_status_changed that completes the report."""
    if body["clock"] == "feedback":
        return []
    codes = dict.fromkeys(filter(None, (body["agency_code"], body.get("coordinator_code"))))
    return [
        _agency(
            code,
            "deadline_breached",
            clock=body["clock"],
            deadline=body["due_at"],
            region_code=body.get("region_code"),
        )
        for code in codes
    ]


def _manual(body):
    return [
        _agency(body["coordinator_code"], "manual_dispatch", agency_name=body["coordinator_name"])
    ]


def _proposed(body):
    return [_agency(body["coordinator_code"], "proposal", agency_name=body["agency_name"])]


def _escalated(body):
    return [
        _agency(code, "escalated", agency_name=body["agency_code"]) for code in body["escalated_to"]
    ]


RULES = {
    "report_submitted": _submitted,
    "report_returned": _returned,
    "report_routed": _routed,
    "followup_posted": _followup,
    "report_status_changed": _status_changed,
    "report_archived": _archived,
    "report_commented": _commented,
    "deadline_approaching": _approaching,
    "deadline_breached": _breached,
    "manual_dispatch_queued": _manual,
    "disposition_proposed": _proposed,
    "report_escalated": _escalated,
}
EVENTS = tuple(RULES)


def notices(event_type: str, body: dict) -> list[Notice]:
    """What ``event_type`` with ``body`` owes, in the order it is told."""
    return RULES[event_type](body)
