"""Intake's share of a history import (``satupintu import``, shared.importing): for each
report, the row filing would have written (what the reporter wrote, who they are, as the
record's privacy allows) with the status, holder and routing versions intake mirrors from
routing's events, its timeline in the words the live handlers use, and its duplicate key while
it is not archived. Times are the record's. Nothing goes to the outbox: routing, notification
and reporting get the history by their own import, not from events. An anonymous report keeps
no identity (SPEC §3); identity is never logged or printed.
"""

from __future__ import annotations

import json

from services.intake import duplicates, timeline_words
from services.intake.mirroring import STATUS_TEXTS
from services.intake.models import duplicate_keys, import_checkpoints, metadata, reports, timeline
from shared import bulk, privacy

CHECKPOINTS = import_checkpoints
METADATA = metadata
# a tracking id here is in the store: a later line with it is refused
STORED_TRACKING_IDS = reports.c.tracking_id
_REPORT_COLUMNS = [column.name for column in reports.columns]
_TIMELINE_COLUMNS = ["tracking_id", "at", "status", "text_id", "text_en", "kind", "actor", "note"]
_KEY_COLUMNS = ["tracking_id", "regency", "family", "submitted_at", "words"]


def timeline_of(life) -> tuple[list[tuple], dict]:
    """The timeline lines of a life and the report's state at its end (status, holder,
    versions, unsatisfied rounds, last change)."""
    lines, state = [], {"status": "awaiting_verification", "agency_code": None,
                        "agency_name": None, "routing_version": None, "fields_version": None,
                        "archived_reason": None, "unsatisfied_rounds": 0}  # fmt: skip

    def line(at, text_id, text_en, kind="status", actor="system", note=None):
        lines.append((at, state["status"], text_id[:500], text_en[:500], kind, actor, note))

    for event in life:
        body, at = event.body, event.occurred_at
        if state["status"] == "archived":
            continue  # closed: routing's closing event changes nothing here (mirroring)
        if "version" in body:
            state["routing_version"] = body["version"]
        kind = event.event_type
        if kind == "report_submitted":
            line(at, *timeline_words.RECEIVED)
        elif kind == "report_routed":
            name = body["agency_name"]
            state.update(status="dispatched", agency_code=body["agency_code"], agency_name=name,
                         fields_version=body["version"])  # fmt: skip
            line(at, *timeline_words.dispatched(name))
        elif kind == "disposition_declined":
            line(at, *timeline_words.declined(body["agency_name"], body["reason"]))
        elif kind == "report_escalated":  # a line, no change (mirroring.noted)
            line(at, *timeline_words.escalated(body["escalated_to"]))
            continue
        elif kind == "followup_posted":
            state["status"] = body["status"]
            texts = timeline_words.followed_up(body["agency_name"], body["final"])
            line(at, *texts, kind="followup", actor="agency", note=body["text"])
        elif kind == "feedback_given":
            texts = timeline_words.feedback(body["satisfied"])
            if not body["satisfied"]:
                state["unsatisfied_rounds"] += 1
            line(at, *texts, kind="feedback", actor="reporter", note=body["note"])
        elif kind == "report_status_changed":
            state["status"] = body["status"]
            line(at, *STATUS_TEXTS[body["reason"]])
        elif kind == "report_withdrawn":
            state.update(status="archived", archived_reason="withdrawn")
            line(at, *timeline_words.WITHDRAWN, actor="reporter")
        else:
            continue  # a breach: routing's, nothing of intake's
        state["updated_at"] = at
    return lines, state


class Writer:
    """``write(session, records, lives)`` for shared.importing.run."""

    def __call__(self, session, records: list[dict], lives: list) -> None:
        report_rows, timeline_rows, key_rows = [], [], []
        for record, life in zip(records, lives, strict=True):
            tid = record["tracking_id"]
            lines, state = timeline_of(life)
            who = record.get("reporter") or {}
            if record["privacy"] == privacy.ANONYMOUS:
                who = {}  # SPEC §3: nobody's identity is kept for an anonymous report
            values = {column: None for column in _REPORT_COLUMNS}
            values.update(
                {
                    key: record[key]
                    for key in (
                        "tracking_id",
                        "classification",
                        "category_id",
                        "title",
                        "body",
                        "region_code",
                        "privacy",
                        "channel",
                        "language",
                    )
                },  # fmt: skip
                reporter_name=_cut(who.get("name"), 100),
                reporter_phone=_cut(who.get("phone"), 20),
                reporter_email=_cut(who.get("email"), 254),
                event_date=record.get("event_date"),
                address=_cut(record.get("address"), 500),
                parties=json.dumps(record["parties"]) if record.get("parties") else None,
                submitted_at=record["submitted_at"],
                **state,
            )
            report_rows.append(tuple(values[column] for column in _REPORT_COLUMNS))
            timeline_rows += [(tid, *line) for line in lines]
            regency = duplicates.regency_of(record["region_code"])
            family = duplicates.family_of(record["category_id"])
            if state["status"] != "archived" and regency and family:
                words = duplicates.normalised(record["title"], record["body"])
                key_rows.append((tid, regency, family, record["submitted_at"], words))
        bulk.insert(session, reports, _REPORT_COLUMNS, report_rows)
        bulk.insert(session, timeline, _TIMELINE_COLUMNS, timeline_rows)
        bulk.insert(session, duplicate_keys, _KEY_COLUMNS, key_rows)


def _cut(value, size: int):
    return value[:size] if isinstance(value, str) else None
