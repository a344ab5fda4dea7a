"""The life of a report (SPEC §4): its statuses, and the one table of what may happen in each.

``TRANSITIONS[(status, action)]`` says where an action leads, who may take it and what it
emits. Every service reads the same table: intake before it records what a reporter asks for,
routing before it changes a disposition (after submission routing decides every status), and
reporting when it folds a report's events. ``None`` as a status is "no report yet".

Pure: no I/O, no nameko.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str
    label_id: str
    label_en: str
    colour: str | None
    rank: int  # how far along the life of a report (for sorting and display only)


STATUSES = {
    status.name: status
    for status in (
        Status("returned", "Dikembalikan", "Returned", None, 0),
        Status("awaiting_verification", "Belum terverifikasi", "Awaiting verification", None, 1),
        Status("dispatched", "Belum ditindaklanjuti", "Dispatched", "red", 2),
        Status("in_progress", "Proses", "In progress", "yellow", 3),
        Status("awaiting_feedback", "Menunggu tanggapan pelapor", "Awaiting feedback", "yellow", 4),
        Status("completed", "Selesai", "Completed", "green", 5),
        Status("archived", "Diarsipkan", "Archived", None, 6),
    )
}

RETURNED = "returned"
AWAITING_VERIFICATION = "awaiting_verification"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
AWAITING_FEEDBACK = "awaiting_feedback"
COMPLETED = "completed"
ARCHIVED = "archived"

OPEN = (RETURNED, AWAITING_VERIFICATION, DISPATCHED, IN_PROGRESS, AWAITING_FEEDBACK)
HELD = (DISPATCHED, IN_PROGRESS, AWAITING_FEEDBACK)  # an agency holds it and answers
CLOSED = (COMPLETED, ARCHIVED)

# who takes an action
REPORTER, AGENCY, COORDINATOR, SYSTEM = "reporter", "agency", "coordinator", "system"

# "Not satisfied" this many times puts the report before the coordinator and oversight.
ESCALATE_AFTER_ROUNDS = 2

# Privacy may only be raised by staff (SPEC §3): public → anonymous → confidential.
PRIVACY_ORDER = ("public", "anonymous", "confidential")


@dataclass(frozen=True)
class Transition:
    to: str
    by: frozenset[str]
    emits: str


def _rows():
    """(from statuses, action, to, who, event). ``to=None``: the status does not change."""
    return [
        ((None,), "file_incomplete", RETURNED, {REPORTER}, "report_returned"),
        ((None,), "file_complete", AWAITING_VERIFICATION, {REPORTER}, "report_submitted"),
        ((RETURNED,), "supplement_incomplete", None, {REPORTER}, "report_supplemented"),
        ((RETURNED,), "supplement_complete", AWAITING_VERIFICATION, {REPORTER}, "report_submitted"),
        (OPEN, "comment", None, {REPORTER}, "report_commented"),
        (OPEN, "withdraw", ARCHIVED, {REPORTER}, "report_withdrawn"),
        ((RETURNED,), "expire", ARCHIVED, {SYSTEM}, "report_archived"),
        # routing: verification in review mode, the manual queue, dispatch
        ((AWAITING_VERIFICATION,), "propose", None, {SYSTEM}, "disposition_proposed"),
        (
            (AWAITING_VERIFICATION, *HELD),
            "queue_manual",
            AWAITING_VERIFICATION,
            {SYSTEM, COORDINATOR},
            "manual_dispatch_queued",
        ),
        ((AWAITING_VERIFICATION,), "dispatch", DISPATCHED, {SYSTEM, COORDINATOR}, "report_routed"),
        ((*HELD,), "redispatch", DISPATCHED, {SYSTEM, COORDINATOR}, "report_routed"),
        ((AWAITING_VERIFICATION, DISPATCHED, IN_PROGRESS), "decline", None, {AGENCY, COORDINATOR},
         "disposition_declined"),
        ((AWAITING_VERIFICATION, DISPATCHED), "postpone", RETURNED, {COORDINATOR},
         "disposition_postponed"),
        ((RETURNED, *OPEN[1:]), "archive", ARCHIVED, {COORDINATOR}, "disposition_archived"),
        ((AWAITING_VERIFICATION, *HELD), "correct", None, {COORDINATOR, AGENCY},
         "disposition_corrected"),
        ((*HELD,), "escalate", None, {SYSTEM}, "report_escalated"),
        # the agency answers, the reporter says whether it helped
        ((DISPATCHED, IN_PROGRESS), "follow_up", IN_PROGRESS, {AGENCY}, "followup_posted"),
        ((DISPATCHED, IN_PROGRESS), "final_follow_up", AWAITING_FEEDBACK, {AGENCY},
         "followup_posted"),
        ((AWAITING_FEEDBACK,), "satisfied", COMPLETED, {REPORTER}, "report_status_changed"),
        ((AWAITING_FEEDBACK,), "not_satisfied", IN_PROGRESS, {REPORTER}, "report_status_changed"),
        ((AWAITING_FEEDBACK,), "feedback_timeout", COMPLETED, {SYSTEM}, "report_status_changed"),
    ]  # fmt: skip


def _table() -> dict[tuple[str | None, str], Transition]:
    table = {}
    for sources, action, to, by, emits in _rows():
        for source in sources:
            table[(source, action)] = Transition(to or source, frozenset(by), emits)
    return table


TRANSITIONS = _table()
ACTIONS = frozenset(action for _, action in TRANSITIONS)


class NotAllowed(Exception):
    """The action is not possible in this status, or not by this actor."""

    def __init__(self, status: str | None, action: str, actor: str | None = None):
        self.status, self.action, self.actor = status, action, actor
        who = f" by {actor}" if actor else ""
        super().__init__(f"{action}{who} is not possible when the report is {status}")


def allowed(status: str | None, action: str, actor: str | None = None) -> bool:
    step = TRANSITIONS.get((status, action))
    return step is not None and (actor is None or actor in step.by)


def step(status: str | None, action: str, actor: str | None = None) -> Transition:
    """The transition ``action`` (by ``actor``) makes from ``status``; NotAllowed otherwise."""
    found = TRANSITIONS.get((status, action))
    if found is None or (actor is not None and actor not in found.by):
        raise NotAllowed(status, action, actor)
    return found


def next_status(status: str | None, action: str, actor: str | None = None) -> str:
    return step(status, action, actor).to


def sources(action: str) -> tuple[str, ...]:
    """The statuses ``action`` may be taken in (for conditional updates), in life order."""
    return tuple(s for s in STATUSES if (s, action) in TRANSITIONS)


def feedback_action(satisfied: bool) -> str:
    return "satisfied" if satisfied else "not_satisfied"


def escalates(rounds: int) -> bool:
    """After ``rounds`` unsatisfied rounds, is the report escalated (SPEC §4)?"""
    return rounds >= ESCALATE_AFTER_ROUNDS


def raises_privacy(before: str, after: str) -> bool:
    """True when ``after`` is at least as private as ``before`` (staff may only go up)."""
    return PRIVACY_ORDER.index(after) >= PRIVACY_ORDER.index(before)


def describe(name: str) -> dict:
    status = STATUSES[name]
    return {
        "code": status.name,
        "label": {"id": status.label_id, "en": status.label_en},
        "colour": status.colour,
    }
