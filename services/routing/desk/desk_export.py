"""A desk queue as CSV, for the coordinator's spreadsheet (SPEC §8 "queue"; SPEC §3 for what
it may hold): the same filters and sorting as ``GET /desk/dispositions``, up to 10,000 lines,
no identity ever (routing holds none) and no title of a confidential report (routing keeps
none). Every cell passes shared.privacy.csv_cell, so no text can smuggle a formula."""

from __future__ import annotations

import csv
import io

from werkzeug.wrappers import Response

from shared.privacy import csv_cell
from shared.web import http

MAX_LINES = 10_000
COLUMNS = (
    "tracking_id",
    "status",
    "agency_code",
    "agency_name",
    "category_id",
    "region_code",
    "classification",
    "channel",
    "privacy",
    "title",
    "received_at",
    "routed_at",
    "first_followup_due_at",
    "resolution_due_at",
    "feedback_due_at",
    "verification_due_at",
    "overdue",
    "queue_reason",
    "proposed_agency_code",
    "access",
)


def render(items: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        row = {**item, "status": item["status"].get("code") if item.get("status") else None}
        writer.writerow([_cell(row.get(column)) for column in COLUMNS])
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return csv_cell(value)


class DeskExportHttp:
    """Mixed into Routing beside DeskHttp (uses its ``listed``)."""

    @http("GET", "/desk/dispositions.csv")
    def desk_export(self, request):
        """GET /desk/dispositions.csv?queue=manual&sort=due → text/csv, one line a report"""
        _, items, totals, _ = self.listed(request, limit=MAX_LINES)
        headers = {"Content-Disposition": 'attachment; filename="desk.csv"'}
        if not totals["capped"]:  # past the totals' cap, nothing is counted
            headers["X-Total-Count"] = str(totals["total"])
        return Response(render(items), content_type="text/csv; charset=utf-8", headers=headers)
