"""How a disposition looks from outside: to whoever holds the tracking id ("why did my report
go here?") and to agency staff on the desk. Routing holds facts, not identity; the only content
it holds is the public title and the agencies' own words (follow-ups, decline reasons)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.routing.models import declines, followups
from services.routing.rules import deadlines
from services.routing.rules.trace import Names, worded
from services.routing.state import followup_files
from services.routing.state.holding import hops_of, readers_of
from shared import lifecycle
from shared.db import aware

# "why did my report go here?", Indonesian first, English second (SPEC §2): one line per rule
EXPLAIN = {
    "named_agency": "instansi yang Anda sebut aktif, berwenang, dan wilayahnya mencakup lokasi"
    " / the agency you named is active, competent and covers the location",
    "suggested_agency": "instansi yang menolak menyarankan instansi ini, yang berwenang"
    " / an agency that declined it suggested this one, which is competent",
    "most_local": "instansi aktif terdekat yang berwenang atas kategori ini mencakup lokasi"
    " / the most local active agency competent for the category covers the location",
    "national": "tidak ada instansi daerah yang berwenang; instansi pusat berwenang"
    " / no regional agency is competent; a national agency is",
    "coordinator": "tidak ada instansi yang berwenang: koordinator mendisposisikan secara manual"
    " / no agency is competent: the coordinator dispatches it by hand",
    "manual": "koordinator mendisposisikannya secara manual / a coordinator dispatched it by hand",
}


def status_of(held) -> dict:
    return lifecycle.describe(held.status) if held.status in lifecycle.STATUSES else {}


def hop_view(hop, staff: bool, names: Names | None = None) -> dict:
    """A hop as staff read it; each trace line worded in Indonesian and English (trace.worded),
    agencies by name where ``names`` knows them."""
    view = {
        "kind": hop.kind or "dispatched",
        "agency_code": hop.agency_code,
        "from_agency_code": hop.from_agency_code,
        "proposed_agency_code": hop.proposed_agency_code,
        "rule": hop.rule,
        "why": EXPLAIN.get(hop.rule),
        "trace": [worded(line, names) for line in hop.trace or []],
        "by": hop.actor_agency_code or "routing",
        "note": hop.note,
        "at": aware(hop.at),
    }
    if staff:
        view["actor"] = hop.actor or "routing"
    return view


def public_hop(hop) -> dict:
    """A hop as the public reads it: which agency, by which rule and why. Not the trace (it
    names staff and quotes the agencies), nor a coordinator's note, nor who acted."""
    return {
        "kind": hop.kind or "dispatched",
        "agency_code": hop.agency_code,
        "from_agency_code": hop.from_agency_code,
        "rule": hop.rule,
        "why": EXPLAIN.get(hop.rule),
        "at": aware(hop.at),
    }


def public_view(session, held) -> dict:
    """GET /dispositions/<id>: where the report is, which rule chose the agency and why, every
    hop and which agencies declined it (not their words). Never a confidential report: the
    caller checks ``held.privacy`` first."""
    return {
        "tracking_id": held.tracking_id,
        "agency_code": held.agency_code,
        "agency_name": held.agency_name,
        "rule": held.rule,
        "why": EXPLAIN.get(held.rule),
        "status": held.status,
        "status_label": status_of(held),
        "routed_at": aware(held.routed_at),
        "history": [public_hop(hop) for hop in hops_of(session, held.tracking_id)],
        "declines": [
            {"agency_code": d.agency_code, "at": aware(d.declined_at)}
            for d in _declines(session, held.tracking_id)
        ],
    }


def clock_view(row, now: datetime) -> dict:
    due_at = aware(row.due_at)
    return {
        "clock": row.clock,
        "agency_code": row.agency_code,
        "days": row.days,
        "started_at": aware(row.started_at),
        "remind_at": aware(row.remind_at),
        "due_at": due_at,
        "running": row.stopped_at is None,
        "breached": row.breached_at is not None or (row.stopped_at is None and due_at <= now),
        "stopped_at": aware(row.stopped_at),
    }


def is_overdue(report_clocks: dict, now: datetime) -> bool:
    return any(
        row.stopped_at is None and aware(row.due_at) <= now
        for name, row in report_clocks.items()
        if name in deadlines.OVERDUE_CLOCKS
    )


def desk_item(held, report_clocks: dict, now: datetime, relation: str | None) -> dict:
    """One line of the desk's list."""
    due = {
        f"{name}_due_at": aware(row.due_at)
        for name, row in report_clocks.items()
        if row.stopped_at is None
    }
    return {
        "tracking_id": held.tracking_id,
        "status": status_of(held),
        "agency_code": held.agency_code,
        "agency_name": held.agency_name,
        "proposed_agency_code": held.proposed_agency_code,
        "queue_reason": held.queue_reason,
        "category_id": held.category_id,
        "region_code": held.region_code,
        "classification": held.classification,
        "channel": held.channel,
        "privacy": held.privacy,
        "title": held.title,
        "rule": held.rule,
        "supervision": bool(held.supervision),
        "field_inspection": bool(held.field_inspection),
        "received_at": aware(held.received_at),
        "routed_at": aware(held.routed_at),
        "overdue": is_overdue(report_clocks, now),
        "access": relation,
        **due,
    }


def desk_detail(
    session, held, report_clocks: dict, now: datetime, relation: str | None, names=None
) -> dict:
    """The desk's page of one report: the list line plus its history, the follow-ups, the
    declines, its clocks and who else reads it."""
    files = followup_files.of_report(session, held.tracking_id)
    return {
        **desk_item(held, report_clocks, now, relation),
        "version": held.version,
        "coordinator_code": held.coordinator_code,
        "unsatisfied_rounds": held.unsatisfied_rounds or 0,
        "history": [
            hop_view(hop, staff=True, names=names) for hop in hops_of(session, held.tracking_id)
        ],
        "followups": [
            {
                "id": f.id,
                "agency_code": f.agency_code,
                "text": f.text,
                "final": f.final,
                "field_inspection": f.field_inspection,
                "by": f.staff_username,
                "posted_at": aware(f.posted_at),
                "attachments": [
                    {**file, "href": desk_file_path(held.tracking_id, file["id"])}
                    for file in files.get(f.id, [])
                ],
            }
            for f in session.execute(
                select(followups)
                .where(followups.c.tracking_id == held.tracking_id)
                .order_by(followups.c.id)
            )
        ],
        "declines": [
            {
                "id": d.id,
                "agency_code": d.agency_code,
                "reason": d.reason,
                "suggested_agency_code": d.suggested_agency_code,
                "by": d.staff_username,
                "declined_at": aware(d.declined_at),
            }
            for d in _declines(session, held.tracking_id)
        ],
        "clocks": [clock_view(row, now) for row in report_clocks.values()],
        "readers": readers_of(session, held.tracking_id),
    }


def _declines(session, tracking_id: str):
    return session.execute(
        select(declines).where(declines.c.tracking_id == tracking_id).order_by(declines.c.id)
    ).all()


def desk_file_path(tracking_id: str, file_id: str) -> str:
    """Where the desk downloads a follow-up's file (staff token)."""
    return f"/desk/dispositions/{tracking_id}/attachments/{file_id}"
