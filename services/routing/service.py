"""Routing: every complete report goes to exactly one responsible agency (SPEC §7), which
answers it at the agencies' desk (desk.py) under the clocks of SPEC §5."""

from __future__ import annotations

import logging

from services.routing import openapi
from services.routing.desk.desk import DeskHttp, not_routed, tracking_id_of
from services.routing.desk.report_text import IntakeReports
from services.routing.lifecycle import first_decision, followups, sweep
from services.routing.models import followup_files, metadata
from services.routing.replica import AgencyReplica
from services.routing.rules import hierarchy
from services.routing.rules.deadlines import Deadlines
from services.routing.state import clocks, holding, views
from services.routing.state.holding import Context
from shared import blob_sweep, privacy
from shared.auth import StaffTokens
from shared.blobs import BlobStore
from shared.clock import Clock
from shared.db import Database
from shared.messaging import handles
from shared.ops import Operations
from shared.timers import configured_timer
from shared.web import http

log = logging.getLogger(__name__)


class Routing(DeskHttp, Operations):
    name = "routing"
    api_doc = openapi.API

    db = Database(metadata)
    agencies = AgencyReplica()
    clock = Clock()
    staff_tokens = StaffTokens()
    report_text = IntakeReports()
    blobs = BlobStore()  # the files agencies attach to follow-ups

    def work(self, tx, now=None) -> Context:
        """Everything one unit of routing work needs, inside transaction ``tx``."""
        return Context(
            tx=tx,
            directory=self.agencies.directory(),
            now=now or self.clock.now(),
            calendar=self.clock.calendar,
            deadlines=Deadlines.from_config(self.config),
            oversight=hierarchy.oversight_of(self.config),
            max_declines=int(self.config.get("MAX_DECLINES") or 3),
        )

    @handles("report_submitted")
    def on_report_submitted(self, tx, event):
        """{"tracking_id": "LPR-…", "category_id": "pendidikan.sma", "region_code": "73.11", …}"""
        first_decision.route_new(self.work(tx), event.body)

    @handles("feedback_given")
    def on_feedback_given(self, tx, event):
        """{"tracking_id": "LPR-…", "satisfied": false, "round": 2, "escalate": true}"""
        followups.feedback(self.work(tx), event.body)

    @handles("report_withdrawn")
    def on_report_withdrawn(self, tx, event):
        """{"tracking_id": "LPR-…", "previous_status": "dispatched"} → archived, clocks stop"""
        followups.close(self.work(tx), event.body["tracking_id"], "withdrawn")

    @handles("report_archived")
    def on_report_archived(self, tx, event):
        """{"tracking_id": "LPR-…", "reason": "duplicate"} → archived, clocks stop"""
        followups.close(self.work(tx), event.body["tracking_id"], "archived")

    @configured_timer(interval=60, config_key="CLOCK_INTERVAL")
    def check_clocks(self):
        """Every CLOCK_INTERVAL seconds: reminders one working day ahead, then breaches; each
        in its own transaction, claimed so that one process acts on it."""
        now = self.clock.now()
        batch = int(self.config.get("CLOCK_BATCH") or 200)
        done = {"reminders": 0, "breaches": 0}
        for what, find, act in (
            ("reminders", clocks.due_reminders, sweep.remind),
            ("breaches", clocks.due_breaches, sweep.breach),
        ):
            with self.db.read() as session:
                due = find(session, now, batch)
            for clock_id in due:
                try:
                    with self.db.transaction() as tx:
                        done[what] += act(self.work(tx, now), clock_id)
                except Exception as exc:  # the next sweep tries again; keep going
                    log.warning(
                        "clock %s: %s not acted on (%s)", clock_id, what, type(exc).__name__
                    )
        return done

    @configured_timer(interval=3600, config_key="BLOB_SWEEP_SECONDS")
    def sweep_files(self):
        """Every hour: the files no follow-up names (a refused follow-up's, a crash's) are
        removed a day after they were stored (shared.blob_sweep)."""
        named = followup_files.c.sha256
        return blob_sweep.sweep(self.blobs, self.db, named, self.clock.now())

    @configured_timer(interval=30, config_key="REPLICA_REFRESH_SECONDS")
    def refresh_replica(self):
        self.agencies.refresh()

    @http("GET", "/dispositions/<string:tracking_id>")
    def disposition(self, request, tracking_id):
        """GET /dispositions/LPR-… → {"agency_code": "PROV-73-DISDIK", "rule": "most_local",
        "why": "…", "status": …, "history": [{"kind", "agency_code", "rule", "why", "at"}],
        "declines": [{"agency_code", "at"}]} ("why did my report go here?"). Public: whoever
        has the tracking id; no staff, notes, traces or decline reasons. A confidential report
        is not there for the public (SPEC §3): the same 404 as an unknown id."""
        tid = tracking_id_of(tracking_id)
        with self.db.read() as session:
            held = holding.load(session, tid)
            if held is None or held.privacy == privacy.CONFIDENTIAL:
                raise not_routed(tid)
            return views.public_view(session, held)
