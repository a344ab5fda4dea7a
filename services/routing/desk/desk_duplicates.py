"""Duplicate candidates on the desk (SPEC §4: a coordinator archives a report as a duplicate,
linking the original). Intake, which alone keeps the text, scores the candidates (same
regency and category family, within 30 days, alike words: services.intake.duplicates);
routing shows only those the person may see, by the same rule as the desk list
(access.relation: held or read in their subtree, or about a place their government covers).
A candidate is a suggestion: nothing is archived until a coordinator posts
``/desk/dispositions/<id>/archive {"reason": "duplicate", "duplicate_of": …}``.
"""

from __future__ import annotations

from sqlalchemy import select

from services.routing.desk.report_text import ReportUnavailable
from services.routing.models import dispositions
from services.routing.rules import access
from services.routing.state import holding
from shared.problems import Unavailable
from shared.web import http

MAX_CANDIDATES = 20


class DeskDuplicatesHttp:
    """Mixed into DeskHttp; needs db, staff_tokens, report_text and directory()."""

    @http("GET", "/desk/dispositions/<string:tracking_id>/duplicates")
    def desk_duplicates(self, request, tracking_id):
        """GET /desk/dispositions/LPR-…/duplicates → {"items": [{"tracking_id": "LPR-…",
        "score": 78, "submitted_at": "2026-…"}]}, most alike first; 503 when intake does not
        answer."""
        from services.routing.desk.desk import load_disposition, tracking_id_of

        staff = self.staff_tokens.require(request)
        directory = self.directory()
        tid = tracking_id_of(tracking_id)
        with self.db.read() as session:
            held = load_disposition(session, tid)
            readers = holding.readers_of(session, tid)
        if access.relation(directory, staff, held.agency_code, readers, held.region_code) is None:
            raise access.unreachable(tid, staff)
        try:
            return {"items": self.duplicate_candidates(directory, staff, tid)}
        except ReportUnavailable:
            raise Unavailable(
                "Calon duplikat belum tersedia / Duplicate candidates are unavailable"
            ) from None

    def duplicate_candidates(self, directory, staff, tracking_id: str) -> list[dict]:
        """Intake's candidates of a report the person may read, less those they may not."""
        found = self.report_text.duplicates(tracking_id, MAX_CANDIDATES)
        ids = [c["tracking_id"] for c in found]
        if not ids:
            return []
        with self.db.read() as session:
            places = {
                row.tracking_id: row
                for row in session.execute(
                    select(
                        dispositions.c.tracking_id,
                        dispositions.c.agency_code,
                        dispositions.c.region_code,
                    ).where(dispositions.c.tracking_id.in_(ids))
                )
            }
            readers = holding.readers_of_many(session, list(places))
        return [
            {k: c[k] for k in ("tracking_id", "score", "submitted_at")}
            for c in found
            if c["tracking_id"] in places
            and access.relation(
                directory,
                staff,
                places[c["tracking_id"]].agency_code,
                readers[c["tracking_id"]],
                places[c["tracking_id"]].region_code,
            )
            is not None
        ]
