"""What anyone may read: the public listing (JSON and CSV) and one report's public page."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from services.intake import listing, pages, records
from services.intake.door import Door
from services.intake.open311.georeport import PUBLIC_STATUSES
from shared import privacy
from shared.problems import InvalidInput
from shared.tracking import normalise
from shared.web import http

LISTED = (
    "tracking_id",
    "status",
    "status_label",
    "colour",
    "classification",
    "category_id",
    "category_name",
    "region_code",
    "region_name",
    "agency_name",
    "title",
    "body",
    "event_date",
    "display_name",
    "submitted_at",
    "updated_at",
)
CSV_COLUMNS = (
    "tracking_id",
    "status",
    "classification",
    "category_id",
    "region_code",
    "agency_name",
    "title",
    "body",
    "event_date",
    "display_name",
    "submitted_at",
)


class PublicDoor(Door):
    def _public_rows(self, request):
        args = request.args
        limit = min(100, max(1, args.get("limit", 20, type=int)))
        status = args.get("status")
        if status:
            if status not in PUBLIC_STATUSES:
                raise InvalidInput(
                    errors=[
                        {
                            "field": "status",
                            "message": "Salah satu dari / One of: " + ", ".join(PUBLIC_STATUSES),
                        }
                    ]
                )
        query = listing.filtered(args.get("category"), args.get("region"), status)
        with self.db.read() as session:
            rows, after = listing.page(session, query, args.get("cursor"), limit)
            found = records.rows_to_records(session, rows)
        return after, limit, found

    @http("GET", "/public/reports")
    def public_reports(self, request):
        """GET /public/reports?category=pendidikan&region=73&status=dispatched&limit=20
        &cursor=… → {"items": [the public view of each report], "next": "<cursor>" or null,
        "limit": 20}, newest first (no confidential report, no identity beyond a public
        reporter's display name). The next page: the same filters with ?cursor=<next>; a
        cursor this listing did not make is a 422 (field "cursor"). No total is counted."""
        after, limit, found = self._public_rows(request)
        items = []
        for rec in found:
            shown = privacy.view(rec, privacy.THE_PUBLIC, privacy.LISTING)
            if shown:
                items.append({key: shown.get(key) for key in LISTED})
        return {"items": items, "next": after, "limit": limit}

    @http("GET", "/public/reports.csv")
    def public_reports_csv(self, request):
        """GET /public/reports.csv?category=…&region=…&status=…&cursor=… → the same page as CSV
        (its next cursor in the Link header, rel="next")."""
        after, _, found = self._public_rows(request)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for rec in found:
            shown = privacy.view(rec, privacy.THE_PUBLIC, privacy.CSV)
            if shown:
                writer.writerow({key: _cell(shown.get(key)) for key in CSV_COLUMNS})
        headers = {"Link": f'<?{_next_query(request, after)}>; rel="next"'} if after else {}
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8", headers=headers)

    @http("GET", "/public/reports/<string:tracking_id>")
    def public_report(self, request, tracking_id):
        """GET /public/reports/LPR-… → the public view as JSON, or as an HTML page for a browser
        (Accept: text/html). 404 for a report the public may not see."""
        html = request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"
        with self.db.read() as session:
            rec = records.load(session, normalise(tracking_id))
        shown = self.public_view(rec, privacy.HTML if html else privacy.JSON)
        if html:
            return Response(
                pages.report_page(shown),
                content_type="text/html; charset=utf-8",
                headers={
                    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"
                },
            )
        shown["timeline"] = [
            {key: value for key, value in line.items() if key != "note"}
            for line in shown.get("timeline", [])
            if line["kind"] == "status"
        ]
        shown.pop("missing", None)
        shown.pop("missing_items", None)
        return shown


def _next_query(request, after: str) -> str:
    return urlencode(
        [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"] + [("cursor", after)]
    )


def _cell(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value
