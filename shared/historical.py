"""Historical reports from an earlier system (``satupintu import``): the JSON-lines format, its
check, and each report's life as the events the live pipeline would have published for it.

One record per line (UTF-8 JSON; times ISO 8601, UTC when no offset is given)::

    {"tracking_id": "LPR-…",            # the report's id (≤ 24 characters, unique)
     "submitted_at": "2019-03-04T02:11:00Z",
     "classification": "complaint",      # shared.contracts.values
     "category_id": "pendidikan.sd",     # shared.categories
     "region_code": "73.11.01",          # shared.regions (province … village)
     "privacy": "public",                # public | anonymous | confidential (SPEC §3)
     "channel": "web", "language": "id",
     "title": "…", "body": "…",
     "event_date": "2019-03-01", "address": "…",            # optional
     "parties": [{"name": "…", "role": "…"}],              # optional; who is involved
     "reporter": {"name": "…", "phone": "…", "email": "…"},   # null: nobody known
     "dispositions": [                   # in order; every one but the last was declined
        {"agency_code": "KAB-73-11-DISDIK", "at": "…", "declined_at": "…", "reason": "…"},
        {"agency_code": "KAB-73-11-DPUPR", "at": "…"}],
     "followups": [{"at": "…", "text": "…", "final": false}],   # by the last holder
     "feedback": {"at": "…", "satisfied": true, "note": "…"},  # after the last final one
     "feedback_timeout": false,          # completed when the feedback clock ran out
     "withdrawn_at": null}               # withdrawn by the reporter: archived

What it ends as: withdrawn → archived; satisfied feedback or a feedback timeout → completed;
otherwise open (dispatched, in_progress, awaiting_feedback) with routing's clocks running. The
import's ``as_of`` is when the history ends (the export was taken): a deadline that passed
before it with nothing in the record to stop its clock passed in the old system too, so the
life has its breach (``life``) and the live sweep has nothing left to act on from before it.
Agencies are named by code and must be in the registry; a record with an unknown agency,
category or region, or a life the lifecycle does not allow, is refused by ``check`` — every
service's importer calls the same check, so all skip the same records.

``life`` gives the events in the order they happened, bodies as shared.contracts has them and
ids derived from the tracking id (a second import of a report gives the same ids). The
importers turn them into rows; nothing is published. Pure: no database, no service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from shared import categories, privacy
from shared.agencies import Place
from shared.calendar import WorkingCalendar
from shared.contracts.values import CHANNELS, CLASSIFICATIONS, LANGUAGES

ID_SALT = "satupintu-import/"  # an event id: 32 hex digits of md5(salt, tracking id, n)
FIRST_FOLLOWUP_DAYS, RESOLUTION_DAYS, RESOLUTION_LONG_DAYS, FEEDBACK_DAYS = 5, 14, 60, 10
RESOLUTION = "resolution"


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    timezone: str
    place: Place


@dataclass(frozen=True)
class Event:
    event_id: str
    event_type: str
    occurred_at: datetime
    body: dict


class Refused(ValueError):
    """A record that cannot be imported: ``reason`` is a short code, never the record's text."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def time_of(value) -> datetime:
    if not isinstance(value, str):
        raise Refused("bad_time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("bad_time") from None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def check(record, agencies: Mapping[str, Agency], region_exists: Callable[[str], bool]) -> dict:
    """The record with its times parsed, or Refused(reason)."""
    if not isinstance(record, dict):
        raise Refused("not_an_object")
    tid = record.get("tracking_id")
    if not isinstance(tid, str) or not 0 < len(tid) <= 24:
        raise Refused("bad_tracking_id")
    for name, allowed in (
        ("classification", CLASSIFICATIONS),
        ("privacy", privacy.LEVELS),
        ("channel", CHANNELS),
        ("language", LANGUAGES),
    ):
        if record.get(name) not in allowed:
            raise Refused(f"unknown_{name}")
    if not categories.exists(record.get("category_id") or ""):
        raise Refused("unknown_category")
    if not region_exists(record.get("region_code") or ""):
        raise Refused("unknown_region")
    if not isinstance(record.get("title"), str) or not isinstance(record.get("body"), str):
        raise Refused("no_text")
    parties = record.get("parties")
    if parties is not None and not (
        isinstance(parties, list) and all(isinstance(p, dict) and p.get("name") for p in parties)
    ):
        raise Refused("bad_parties")
    out = dict(record)
    if record.get("event_date") is not None:
        try:
            out["event_date"] = date.fromisoformat(record["event_date"])
        except (TypeError, ValueError):
            raise Refused("bad_event_date") from None
    out["submitted_at"] = last = time_of(record.get("submitted_at"))
    hops = []
    given = record.get("dispositions") or []
    if not isinstance(given, list) or not given:
        raise Refused("no_disposition")
    for index, hop in enumerate(given):
        if not isinstance(hop, dict) or hop.get("agency_code") not in agencies:
            raise Refused("unknown_agency")
        at = _after(last, hop.get("at"))
        declined = hop.get("declined_at")
        is_last = index == len(given) - 1
        if (declined is None) != is_last:
            raise Refused("bad_dispositions")  # all but the last declined
        last = at if declined is None else _after(at, declined)
        hops.append({**hop, "at": at, "declined_at": None if is_last else last})
    out["dispositions"] = hops
    followups, final_seen = [], False
    for followup in record.get("followups") or []:
        if not isinstance(followup, dict) or not isinstance(followup.get("text"), str):
            raise Refused("bad_followup")
        last = _after(last, followup.get("at"))
        final_seen = bool(followup.get("final"))
        followups.append({**followup, "at": last, "final": final_seen})
    out["followups"] = followups
    feedback = record.get("feedback")
    if feedback is not None:
        if not final_seen or not isinstance(feedback, dict):
            raise Refused("feedback_without_final")
        last = _after(last, feedback.get("at"))
        out["feedback"] = {**feedback, "at": last, "satisfied": bool(feedback.get("satisfied"))}
    timeout = out["feedback_timeout"] = bool(record.get("feedback_timeout"))
    if timeout and (feedback is not None or not final_seen):
        raise Refused("bad_feedback_timeout")
    withdrawn = record.get("withdrawn_at")
    if withdrawn is not None:
        if timeout or (feedback is not None and out["feedback"]["satisfied"]):
            raise Refused("withdrawn_after_completion")
        out["withdrawn_at"] = _after(last, withdrawn)
    return out


def _after(earlier: datetime, value) -> datetime:
    moment = time_of(value)
    if moment < earlier:
        raise Refused("time_goes_back")
    return moment


def nobody(agency_code: str, region_code: str) -> list[str]:
    return []


def life(
    record: dict,
    agencies: Mapping[str, Agency],
    calendar: WorkingCalendar,
    as_of: datetime | None = None,
    escalated_to: Callable[[str, str], list[str]] = nobody,
) -> list[Event]:
    """The events of a checked record's life, in order (see the module's docstring).

    ``as_of``: when the history ends (the export was taken). A clock that ran out with nothing
    in the record to stop it before its end (an answer, a final follow-up, feedback, a decline,
    a withdrawal, or ``as_of`` for a report still open) ran out in the old system too, and
    the life has what routing does then, at the deadline: a late first follow-up marked
    overdue, a resolution breach escalated to ``escalated_to(agency, region)``, a report
    awaiting feedback completed. None: the record's own end (clocks of an open report run on
    in the live sweep)."""
    tid, events = record["tracking_id"], []

    def emit(event_type: str, at: datetime, body: dict) -> None:
        events.append((at, len(events), event_type, {"tracking_id": tid, **body}))

    category = record["category_id"]
    supervision = categories.is_supervision(category)
    common = {"privacy": record["privacy"]}
    about = {
        **common,
        "classification": record["classification"],
        "category_id": category,
        "region_code": record["region_code"],
        "channel": record["channel"],
        "language": record["language"],
    }
    title = record["title"] if record["privacy"] != privacy.CONFIDENTIAL else None
    emit(
        "report_submitted",
        record["submitted_at"],
        {**about, "target_agency_code": None, "title": title,
         "submitted_at": record["submitted_at"], "supervision": supervision},
    )  # fmt: skip
    version, previous = 0, None
    days = RESOLUTION_LONG_DAYS if supervision else RESOLUTION_DAYS
    breach_of = partial(_breach, emit, common, record["region_code"], escalated_to)
    for index, hop in enumerate(record["dispositions"]):
        agency = agencies[hop["agency_code"]]
        version += 1
        at = hop["at"]
        first_due = calendar.add_working_days(at, FIRST_FOLLOWUP_DAYS, agency.timezone)
        resolution_due = calendar.add_working_days(at, days, agency.timezone)
        kind = "dispatched" if previous is None else "redispatched"
        emit("report_routed", at, {
            **about,
            "agency_code": agency.code, "agency_name": agency.name,
            "rule": hop.get("rule") or ("most_local" if previous is None else "coordinator"),
            "trace": [],
            "routed_at": at, "kind": kind,
            "previous_agency_code": previous.code if previous else None, "watchers": [],
            "first_followup_due_at": first_due,
            "resolution_due_at": resolution_due,
            "version": version,
            "agency_government_code": agency.place.government,
            "agency_province_code": agency.place.province,
        })  # fmt: skip
        if hop["declined_at"] is not None:  # its clocks ran until it declined
            if _ran_out(first_due, hop["declined_at"]):
                breach_of(agency.code, "first_followup", first_due)
            if _ran_out(resolution_due, hop["declined_at"]):
                breach_of(agency.code, RESOLUTION, resolution_due)
            version += 1
            emit("disposition_declined", hop["declined_at"], {
                **common, "agency_code": agency.code, "agency_name": agency.name,
                "reason": hop.get("reason") or "", "declines": index + 1,
                "declined_at": hop["declined_at"], "version": version,
            })  # fmt: skip
        previous = agency
    holder = previous
    followups, feedback = record["followups"], record.get("feedback")
    ended = record.get("withdrawn_at")
    open_until = None if ended or feedback and feedback["satisfied"] else as_of
    first_answer = followups[0]["at"] if followups else None
    first_final = next((followup["at"] for followup in followups if followup["final"]), None)
    breach = partial(breach_of, holder.code)
    if _ran_out(first_due, first_answer or ended or open_until):
        breach("first_followup", first_due)
    if _ran_out(resolution_due, first_final or ended or open_until):
        breach(RESOLUTION, resolution_due)
    at_holder = {**common, "agency_code": holder.code, "agency_name": holder.name}
    status = "dispatched"
    for number, followup in enumerate(followups, start=1):
        version += 1
        status = "awaiting_feedback" if followup["final"] else "in_progress"
        emit("followup_posted", followup["at"], {
            **at_holder, "followup_id": number, "text": followup["text"],
            "final": followup["final"], "field_inspection": False, "status": status,
            "posted_at": followup["at"], "version": version, "attachments": [],
        })  # fmt: skip
    feedback_due = None
    if status == "awaiting_feedback":
        feedback_due = calendar.add_working_days(followups[-1]["at"], FEEDBACK_DAYS,
                                                 holder.timezone)  # fmt: skip
    if feedback is not None:
        note = feedback.get("note") if record["privacy"] != privacy.CONFIDENTIAL else None
        emit("feedback_given", feedback["at"], {
            "satisfied": feedback["satisfied"], "note": note, "agency_code": holder.code,
            "language": record["language"], "given_at": feedback["at"],
        })  # fmt: skip
        version += 1
        reason = "satisfied" if feedback["satisfied"] else "not_satisfied"
        after = "completed" if feedback["satisfied"] else "in_progress"
        emit("report_status_changed", feedback["at"], {
            **common, "status": after, "previous_status": status,
            "agency_code": holder.code, "reason": reason, "changed_at": feedback["at"],
            "version": version,
        })  # fmt: skip
        status = after
        if not feedback["satisfied"]:  # the agency's resolution clock starts again
            again = calendar.add_working_days(feedback["at"], days, holder.timezone)
            if _ran_out(again, ended or open_until):
                breach(RESOLUTION, again)
    elif record.get("feedback_timeout") or (
        feedback_due is not None and _ran_out(feedback_due, open_until)
    ):
        breach("feedback", feedback_due)
        version += 1
        emit("report_status_changed", feedback_due, {
            **common, "status": "completed", "previous_status": status,
            "agency_code": holder.code, "reason": "feedback_timeout", "changed_at": feedback_due,
            "version": version,
        })  # fmt: skip
    if ended is not None:
        emit("report_withdrawn", ended, {
            "previous_status": status, "withdrawn_at": ended, "agency_code": holder.code,
            "language": record["language"],
        })  # fmt: skip
        version += 1  # routing closes it and says so
        emit("report_status_changed", ended, {
            **common, "status": "archived", "previous_status": status,
            "agency_code": holder.code, "reason": "withdrawn", "changed_at": ended,
            "version": version,
        })  # fmt: skip
    events.sort(key=lambda event: event[:2])  # a breach goes where its deadline falls
    return [
        Event(hashlib.md5(f"{ID_SALT}{tid}/{n}".encode()).hexdigest(), kind, at, body)
        for n, (at, _, kind, body) in enumerate(events)
    ]


# what routing does when each clock runs out (services/routing/rules/deadlines.BREACH_ACTION)
ACTIONS = {
    "first_followup": "marked_overdue",
    RESOLUTION: "escalated",
    "feedback": "auto_completed",
}


def _ran_out(due: datetime, stop: datetime | None) -> bool:
    """True if a clock due at ``due`` was still running then (``stop``: when it stopped)."""
    return stop is not None and stop > due


def _breach(emit, common, region, escalated_to, holder, clock, due) -> None:
    """A clock of ``holder`` that ran out at ``due``: what routing did then."""
    body = {**common, "clock": clock, "agency_code": holder, "due_at": due, "breached_at": due,
            "action": ACTIONS[clock]}  # fmt: skip
    if clock == RESOLUTION:
        targets = body["escalated_to"] = list(escalated_to(holder, region))
        emit("report_escalated", due, {
            **common, "agency_code": holder, "escalated_to": targets,
            "reason": "resolution_breached", "escalated_at": due,
        })  # fmt: skip
    emit("deadline_breached", due, body)
