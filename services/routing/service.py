"""Routing: every complete report goes to exactly one responsible agency (SPEC §7)."""

from __future__ import annotations

from nameko.timer import timer
from sqlalchemy import insert, select

from services.routing import policy, regional
from services.routing.models import dispositions, metadata, routing_history
from services.routing.replica import AgencyReplica
from shared.db import Database, utcnow
from shared.messaging import handles
from shared.ops import Operations
from shared.web import NotFound, http

REPLICA_REFRESH_SECONDS = 30


class Routing(Operations):
    name = "routing"

    db = Database(metadata)
    agencies = AgencyReplica()

    @handles("report_submitted")
    def on_report_submitted(self, tx, event):
        """{"tracking_id": "LPR-…", "category_id": "pendidikan.sma", "region_code": "73.11", …}"""
        report = event.body
        held = tx.session.execute(
            select(dispositions.c.agency_code).where(
                dispositions.c.tracking_id == report["tracking_id"]
            )
        ).first()
        if held:  # the same report submitted twice under two event ids: it has an owner already
            return
        directory = self.agencies.directory()
        decision = policy.decide(
            directory,
            report["category_id"],
            report["region_code"],
            report.get("target_agency_code"),
        )
        agency = directory.get(decision.agency_code)
        now = utcnow()
        tx.session.execute(
            insert(dispositions).values(
                tracking_id=report["tracking_id"],
                agency_code=agency.code,
                category_id=report["category_id"],
                region_code=report["region_code"],
                privacy=report["privacy"],
                rule=decision.rule,
                status="dispatched",
                routed_at=now,
            )
        )
        tx.session.execute(
            insert(routing_history).values(
                tracking_id=report["tracking_id"],
                agency_code=agency.code,
                rule=decision.rule,
                trace=list(decision.trace),
                at=now,
            )
        )
        tx.emit(
            "report_routed",
            report["tracking_id"],
            {
                "tracking_id": report["tracking_id"],
                "agency_code": agency.code,
                "agency_name": agency.name,
                "rule": decision.rule,
                "trace": list(decision.trace),
                "category_id": report["category_id"],
                "region_code": report["region_code"],
                "privacy": report["privacy"],
                "channel": report["channel"],
                "language": report["language"],
                "routed_at": now,
            },
        )
        aggregate_id, public = regional.public_decision(
            "dispatched", report, agency, decision.rule, now
        )
        tx.emit(
            "regional_decision",
            aggregate_id,
            public,
            routing_key=regional.routing_key(report["region_code"], agency.code),
        )

    @timer(interval=REPLICA_REFRESH_SECONDS)
    def refresh_replica(self):
        self.agencies.refresh()

    @http("GET", "/dispositions/<string:tracking_id>")
    def disposition(self, request, tracking_id):
        """GET /dispositions/LPR-… → the agency holding it, the rule, and every hop with its trace."""
        with self.db.read() as session:
            held = session.execute(
                select(dispositions).where(dispositions.c.tracking_id == tracking_id)
            ).first()
            if held is None:
                raise NotFound(f"Laporan {tracking_id} belum didisposisikan / not routed")
            hops = session.execute(
                select(routing_history)
                .where(routing_history.c.tracking_id == tracking_id)
                .order_by(routing_history.c.id)
            ).all()
        return {
            "tracking_id": tracking_id,
            "agency_code": held.agency_code,
            "rule": held.rule,
            "status": held.status,
            "routed_at": held.routed_at,
            "history": [
                {"agency_code": hop.agency_code, "rule": hop.rule, "trace": hop.trace, "at": hop.at}
                for hop in hops
            ],
        }
