"""Routing's share of a history import (``satupintu import``, shared.importing): for each
report, the rows its live lifecycle would have left — the disposition (holder, status,
version, next deadlines), a hop per dispatch with the policy's own trace when the policy picks
that agency today, the declines, the follow-ups, the readers of a supervision report, the four
clocks with their starts, stops, reminders and breaches, the escalations of resolution breaches
(a hop and the readers they gave), and ``closed_reports`` for a withdrawn one. Times are the
record's.

Nothing goes to the outbox (consumers import their own share), and no regional decision is
published. The clocks of a report still open are left running, breached where the life says
they ran out before the import's ``as_of`` and reminded where the reminder fell before it: the
live sweep acts only on what comes due after the history ends, so an imported backlog is not
reminded, breached and escalated all at once by the first sweep.
Not reproduced from history: the coordinator's manual queue between a decline and the next
dispatch (the next dispatch is recorded straight after the decline).
"""

from __future__ import annotations

import json

from services.routing.lifecycle import escalation
from services.routing.models import (
    clocks,
    closed_reports,
    declines,
    dispositions,
    followups,
    import_checkpoints,
    metadata,
    readers,
    routing_history,
)
from services.routing.rules import deadlines, hierarchy
from services.routing.rules.deadlines import FEEDBACK, FIRST_FOLLOWUP, RESOLUTION, Deadlines
from services.routing.rules.policy import Directory, decide
from services.routing.rules.trace import step
from services.routing.state.held import FIELDS
from shared import bulk, privacy
from shared.calendar import from_config

CHECKPOINTS = import_checkpoints
METADATA = metadata
# a tracking id here is in the store: a later line with it is refused
STORED_TRACKING_IDS = dispositions.c.tracking_id
_HOP = ["tracking_id", "agency_code", "rule", "trace", "at", "kind", "from_agency_code", "actor"]
_DECLINE = ["tracking_id", "agency_code", "reason", "declined_at"]
_FOLLOWUP = ["tracking_id", "agency_code", "text", "final", "field_inspection", "posted_at"]
_READER = ["tracking_id", "agency_code", "kind", "since"]
_CLOCK = ["tracking_id", "clock", "agency_code", "zone", "days", "started_at", "remind_at",
          "due_at", "reminded_at", "breached_at", "stopped_at", "seq"]  # fmt: skip
_CLOSED = ["tracking_id", "reason", "closed_at"]
MAX_DECISIONS = 20000  # the policy's answers kept for (category, place, declined) seen again


class Writer:
    """``write(session, records, lives)`` for shared.importing.run; ``directory``: the
    agencies (routing's policy Directory) the policy and the hierarchy read; ``as_of``: when
    the history ends (a reminder due before it was sent then)."""

    def __init__(self, config: dict, directory: Directory, as_of=None):
        self.as_of = as_of
        self.calendar = from_config(config)
        self.deadlines = Deadlines.from_config(config)
        self.directory = directory
        self.oversight = hierarchy.oversight_of(config)
        self._decided: dict = {}
        self._coordinators: dict[str, str | None] = {}
        self._watchers: dict[tuple[str, str], list[str]] = {}

    def coordinator_of(self, code: str) -> str | None:
        if code not in self._coordinators:
            self._coordinators[code] = hierarchy.coordinator_of(self.directory, code)
        return self._coordinators[code]

    def watchers(self, code: str, region: str) -> list[str]:
        key = (code, region)
        if key not in self._watchers:
            if len(self._watchers) >= MAX_DECISIONS:
                self._watchers.clear()
            self._watchers[key] = hierarchy.watchers(self.directory, code, region, self.oversight)
        return self._watchers[key]

    def trace(self, record: dict, excluded: frozenset, agency: str) -> list:
        key = (record["category_id"], record["region_code"], excluded)
        decision = self._decided.get(key)
        if decision is None:
            if len(self._decided) >= MAX_DECISIONS:  # memory stays bounded over millions
                self._decided.clear()
            decision = self._decided[key] = decide(self.directory, *key[:2], excluded=excluded)
        if decision.agency_code == agency:
            return decision.trace
        return [step("imported", agency=agency)]

    def __call__(self, session, records: list[dict], lives: list) -> None:
        out = {name: [] for name in ("hops", "declines", "followups", "readers", "clocks",
                                     "closed", "dispositions")}  # fmt: skip
        for record, life in zip(records, lives, strict=True):
            self.one(record, life, out)
        bulk.insert(session, dispositions, list(FIELDS), out["dispositions"])
        bulk.insert(session, routing_history, _HOP, out["hops"])
        bulk.insert(session, declines, _DECLINE, out["declines"])
        bulk.insert(session, followups, _FOLLOWUP, out["followups"])
        bulk.insert(session, readers, _READER, out["readers"])
        bulk.insert(session, clocks, _CLOCK, out["clocks"])
        bulk.insert(session, closed_reports, _CLOSED, out["closed"])

    def one(self, record: dict, life, out: dict) -> None:
        tid = record["tracking_id"]
        supervision = life[0].body["supervision"]
        held = {"status": "new", "version": 0, "unsatisfied_rounds": 0}
        running: dict[str, dict] = {}
        stopped: list[dict] = []
        excluded: frozenset = frozenset()
        watching: set[str] = set()
        escalated: set[str] = set()

        def start(clock: str, days: int, at) -> None:
            old = running.pop(clock, None) or _pop(stopped, clock)
            zone = self.directory[held["agency_code"]].timezone
            due = deadlines.due(self.calendar, at, days, zone)
            running[clock] = {"clock": clock, "agency_code": held["agency_code"], "zone": zone,
                              "days": days, "started_at": at, "remind_at": due.remind_at,
                              "due_at": due.due_at, "reminded_at": None, "breached_at": None,
                              "stopped_at": None, "seq": old["seq"] + 1 if old else 1}  # fmt: skip

        def stop(at, *names: str) -> None:
            for clock in names or tuple(running):
                found = running.pop(clock, None)
                if found is not None:
                    found["stopped_at"] = at
                    if found["remind_at"] < at:
                        found["reminded_at"] = found["remind_at"]
                    stopped.append(found)

        for event in life:
            body, at, kind = event.body, event.occurred_at, event.event_type
            held["version"] = body.get("version", held["version"])
            if kind == "report_routed":
                code = body["agency_code"]
                out["hops"].append((tid, code, body["rule"],
                                    json.dumps(self.trace(record, excluded, code)), at,
                                    body["kind"], body["previous_agency_code"], "routing"))  # fmt: skip
                held.update(agency_code=code, agency_name=body["agency_name"], rule=body["rule"],
                            routed_at=at, status="dispatched")  # fmt: skip
                stop(at, deadlines.VERIFICATION, FEEDBACK)
                start(FIRST_FOLLOWUP, self.deadlines.days(FIRST_FOLLOWUP), at)
                start(RESOLUTION, self.deadlines.days(RESOLUTION, supervision), at)
                if supervision:
                    for reader in self.watchers(code, record["region_code"]):
                        if reader not in watching:
                            watching.add(reader)
                            out["readers"].append((tid, reader, "watcher", at))
            elif kind == "disposition_declined":
                out["declines"].append((tid, body["agency_code"], body["reason"], at))
                excluded |= {body["agency_code"]}
            elif kind == "deadline_breached":
                running[body["clock"]]["breached_at"] = at
            elif kind == "report_escalated":
                targets = body["escalated_to"]
                out["hops"].append((tid, held["agency_code"], held["rule"],
                                    json.dumps([escalation.line(body["reason"], targets)]), at,
                                    "escalated", None, "routing"))  # fmt: skip
                for reader in targets:
                    if reader not in escalated:
                        escalated.add(reader)
                        out["readers"].append((tid, reader, "escalated", at))
            elif kind == "followup_posted":
                out["followups"].append((tid, body["agency_code"], body["text"], body["final"],
                                         False, at))  # fmt: skip
                held["status"] = body["status"]
                stop(at, FIRST_FOLLOWUP)
                if body["final"]:
                    stop(at, RESOLUTION)
                    start(FEEDBACK, self.deadlines.days(FEEDBACK), at)
            elif kind == "report_status_changed":
                held["status"] = body["status"]
                if body["reason"] == "not_satisfied":
                    held["unsatisfied_rounds"] += 1
                    stop(at, FEEDBACK)
                    start(RESOLUTION, self.deadlines.days(RESOLUTION, supervision), at)
                else:
                    stop(at)
                if body["reason"] == "withdrawn":
                    out["closed"].append((tid, "withdrawn", at))
            held["updated_at"] = at
        for clock in running.values():  # reminded in the old system if it was due before
            if self.as_of is not None and clock["remind_at"] < self.as_of:
                clock["reminded_at"] = clock["remind_at"]
        for clock in (*stopped, *running.values()):
            out["clocks"].append((tid, *(clock[name] for name in _CLOCK[1:])))
        overdue = [c["due_at"] for c in running.values() if c["clock"] in deadlines.OVERDUE_CLOCKS]
        row = dict.fromkeys(FIELDS)
        row.update(
            tracking_id=tid,
            category_id=record["category_id"],
            region_code=record["region_code"],
            privacy=record["privacy"],
            classification=record["classification"],
            channel=record["channel"],
            language=record["language"],
            title=record["title"][:300] if record["privacy"] != privacy.CONFIDENTIAL else None,
            supervision=supervision,
            coordinator_code=self.coordinator_of(held["agency_code"]),
            received_at=record["submitted_at"],
            field_inspection=False,
            next_due_at=min((c["due_at"] for c in running.values()), default=None),
            overdue_at=min(overdue, default=None),
            **held,
        )
        if row["status"] == "archived":
            row["archived_reason"] = None  # withdrawn by the reporter, not archived at the desk
        out["dispositions"].append(tuple(row[name] for name in FIELDS))


class Escalations:
    """``(holder, region) -> [codes]``: who routing escalates a resolution breach to
    (historical.life's ``escalated_to``), over the agencies of ``directory``."""

    def __init__(self, config: dict, directory: Directory):
        self.directory = directory
        self.oversight = hierarchy.oversight_of(config)
        self._found: dict[tuple[str, str], list[str]] = {}

    def __call__(self, holder: str, region: str) -> list[str]:
        key = (holder, region)
        if key not in self._found:
            if len(self._found) >= MAX_DECISIONS:
                self._found.clear()
            self._found[key] = hierarchy.escalation_targets(self.directory, holder, region,
                                                            self.oversight)  # fmt: skip
        return self._found[key]


def _pop(stopped: list[dict], clock: str) -> dict | None:
    for index, found in enumerate(stopped):
        if found["clock"] == clock:
            return stopped.pop(index)
    return None
