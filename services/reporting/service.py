"""Reporting: every event into a journal; figures per agency, government, province and nation
built from it; rankings by response speed; JSON and CSV (SPEC §10)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.reporting import counters, openapi, projection, queries
from services.reporting.access import StaffView
from services.reporting.export import render
from services.reporting.models import metadata
from services.reporting.places import DEFAULT_ROOT, scope_code
from services.reporting.rankings import MIN_SETTLED
from services.reporting.windows import BadWindow, parse
from shared.db import Database
from shared.messaging import handles
from shared.ops import Operations
from shared.problems import InvalidInput
from shared.web import http, json_response


def journalled(event_type: str):
    """A handler whose first write, the journal's row of the event (projection.apply), is what
    makes a redelivery change nothing: no inbox claim besides it."""
    return handles(event_type, claim=False)


class Reporting(Operations):
    name = "reporting"
    api_doc = openapi.API

    db = Database(metadata)
    staff = StaffView()

    def _apply(self, tx, event) -> None:
        change = projection.apply(tx.session, event)
        counters.count_after_commit(tx.session, event, change)

    # --- events: every one the system has (the regional copy of routing's is left out) -----

    @journalled("report_submitted")
    def on_report_submitted(self, tx, event):
        """{"tracking_id": "LPR-…", "classification": "complaint", "privacy": "public", …}"""
        self._apply(tx, event)

    @journalled("report_returned")
    def on_report_returned(self, tx, event):
        """{"tracking_id": "LPR-…", "missing": ["region"], "returned_at": "…", …}"""
        self._apply(tx, event)

    @journalled("report_supplemented")
    def on_report_supplemented(self, tx, event):
        """{"tracking_id": "LPR-…", "complete": true, "supplemented_at": "…", …}"""
        self._apply(tx, event)

    @journalled("report_routed")
    def on_report_routed(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "PROV-73-DISDIK", "routed_at": "…", …}"""
        self._apply(tx, event)

    @journalled("report_commented")
    def on_report_commented(self, tx, event):
        """{"tracking_id": "LPR-…", "comment_id": 1, "commented_at": "…", …}"""
        self._apply(tx, event)

    @journalled("feedback_given")
    def on_feedback_given(self, tx, event):
        """{"tracking_id": "LPR-…", "satisfied": false, "round": 1, "given_at": "…", …}"""
        self._apply(tx, event)

    @journalled("report_withdrawn")
    def on_report_withdrawn(self, tx, event):
        """{"tracking_id": "LPR-…", "previous_status": "dispatched", "withdrawn_at": "…"}"""
        self._apply(tx, event)

    @journalled("report_archived")
    def on_report_archived(self, tx, event):
        """{"tracking_id": "LPR-…", "reason": "incomplete", "archived_at": "…", …}"""
        self._apply(tx, event)

    @journalled("disposition_proposed")
    def on_disposition_proposed(self, tx, event):
        """{"tracking_id": "LPR-…", "coordinator_code": "KAB-73-11-DISKOMINFO", …}"""
        self._apply(tx, event)

    @journalled("disposition_declined")
    def on_disposition_declined(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "KAB-73-11-DISDIK", "declines": 1, …}"""
        self._apply(tx, event)

    @journalled("manual_dispatch_queued")
    def on_manual_dispatch_queued(self, tx, event):
        """{"tracking_id": "LPR-…", "coordinator_code": "…", "reason": "three_declines", …}"""
        self._apply(tx, event)

    @journalled("followup_posted")
    def on_followup_posted(self, tx, event):
        """{"tracking_id": "LPR-…", "agency_code": "…", "final": false, "posted_at": "…", …}"""
        self._apply(tx, event)

    @journalled("report_status_changed")
    def on_report_status_changed(self, tx, event):
        """{"tracking_id": "LPR-…", "status": "completed", "reason": "feedback_timeout", …}"""
        self._apply(tx, event)

    @journalled("deadline_approaching")
    def on_deadline_approaching(self, tx, event):
        """{"tracking_id": "LPR-…", "clock": "first_followup", "due_at": "…", …}"""
        self._apply(tx, event)

    @journalled("deadline_breached")
    def on_deadline_breached(self, tx, event):
        """{"tracking_id": "LPR-…", "clock": "first_followup", "action": "marked_overdue", …}"""
        self._apply(tx, event)

    @journalled("report_escalated")
    def on_report_escalated(self, tx, event):
        """{"tracking_id": "LPR-…", "escalated_to": ["…"], "reason": "…", …}"""
        self._apply(tx, event)

    @journalled("disposition_archived")
    def on_disposition_archived(self, tx, event):
        """{"tracking_id": "LPR-…", "reason": "duplicate", "duplicate_of": "LPR-…", …}"""
        self._apply(tx, event)

    @journalled("disposition_postponed")
    def on_disposition_postponed(self, tx, event):
        """{"tracking_id": "LPR-…", "note": "…", "postponed_at": "…", …} → returned"""
        self._apply(tx, event)

    @journalled("disposition_corrected")
    def on_disposition_corrected(self, tx, event):
        """{"tracking_id": "LPR-…", "after": {"category_id": "…"}, "corrected_at": "…", …}"""
        self._apply(tx, event)

    @journalled("agency_registered")
    def on_agency_registered(self, tx, event):
        """{"code": "…", "version": 1, "agency": {"path": ["KEMENPANRB", …], …}}"""
        self._apply(tx, event)

    @journalled("agency_updated")
    def on_agency_updated(self, tx, event):
        """{"code": "…", "version": 2, "changed": ["path"], "agency": {…}}"""
        self._apply(tx, event)

    @journalled("agency_status_changed")
    def on_agency_status_changed(self, tx, event):
        """{"code": "…", "version": 3, "status": "suspended", "agency": {…}}"""
        self._apply(tx, event)

    # --- HTTP -------------------------------------------------------------------------------

    def _viewer(self, request) -> queries.Viewer:
        return queries.Viewer(
            self.staff.claims(request),
            self.config.get("NATIONAL_ROOT_CODE", DEFAULT_ROOT),
            int(self.config.get("STATS_MIN_CELL", 5)),
        )

    def _min_settled(self) -> int:
        return int(self.config.get("RANKING_MIN_SETTLED", MIN_SETTLED))

    def _freshness(self, request) -> dict:
        """The public's figures may be kept for PUBLIC_MAX_AGE seconds by whoever shows them
        (the portal's front page asks for them on every visit); a staff view is its own."""
        if request.headers.get("Authorization"):
            return {"Cache-Control": "private, no-store", "Vary": "Authorization"}
        age = int(self.config.get("PUBLIC_MAX_AGE", 30))
        return {"Cache-Control": f"public, max-age={age}", "Vary": "Authorization"}

    def _answer(self, request, answer, rows, filename: str):
        """JSON, or CSV for ?format=csv (or Accept: text/csv)."""
        wanted = request.args.get("format") or (
            "csv" if "text/csv" in request.headers.get("Accept", "") else "json"
        )
        if wanted != "csv":
            return json_response(answer, headers=self._freshness(request))
        lines = rows(answer)
        body = render([row for row, _ in lines], [set(hidden) for _, hidden in lines])
        return Response(
            body,
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}.csv"',
                **self._freshness(request),
            },
        )

    def _card(self, request, kind: str, code: str):
        window = _window(request)
        code = scope_code(kind, code)
        with self.db.read() as session:
            card = queries.card(session, kind, code, window, self._viewer(request))
        return self._answer(request, card, _card_rows, f"{kind}-{code}")

    @http("GET", "/statistics/nation")
    def nation(self, request):
        """GET /statistics/nation?from=2026-01-01&to=2026-03-31 → the national card:
        {"reports": 1520, "by_status": {…}, "by_colour": {"red": …}, "overdue": {…},
        "times": {"first_followup": {"median_hours": 30.5, "p90_hours": …}}, …}"""
        return self._card(request, "nation", "ID")

    @http("GET", "/statistics/provinces/<code>")
    def province(self, request, code):
        """GET /statistics/provinces/PROV-73 (or /73) → the card of every agency in the province"""
        return self._card(request, "province", code)

    @http("GET", "/statistics/governments/<code>")
    def government(self, request, code):
        """GET /statistics/governments/KAB-73-11 (or /73.11) → the card of a government"""
        return self._card(request, "government", code)

    @http("GET", "/statistics/agencies/<code>")
    def agency(self, request, code):
        """GET /statistics/agencies/PROV-73-DISDIK?from=…&to=…[&format=csv] → its card"""
        return self._card(request, "agency", code)

    @http("GET", "/statistics/governments/<code>/agencies")
    def government_agencies(self, request, code):
        """GET /statistics/governments/KAB-73-11/agencies → {"agencies": [card, …]}"""
        window = _window(request)
        code = scope_code("government", code)
        with self.db.read() as session:
            answer = queries.agencies_of(session, code, window, self._viewer(request))
        return self._answer(
            request,
            answer,
            lambda a: [_card_row(card) for card in a["agencies"]],
            f"agencies-{code}",
        )

    @http("GET", "/rankings/provinces/<code>")
    def governments_ranking(self, request, code):
        """GET /rankings/provinces/PROV-73?from=2022-01-01&to=2022-12-31 →
        {"governments": [{"rank": 1, "code": "KAB-73-11", "score": 96.4, …}, …]}"""
        window = _window(request)
        code = scope_code("province", code)
        with self.db.read() as session:
            answer = queries.governments_ranking(
                session, code, window, self._viewer(request), self._min_settled()
            )
        return self._answer(
            request, answer, lambda a: _ranking_rows(a["governments"]), f"ranking-{code}"
        )

    @http("GET", "/rankings/provinces")
    def provinces_ranking(self, request):
        """GET /rankings/provinces?from=…&to=… → {"provinces": [{"rank": 1, …}, …]}"""
        window = _window(request)
        with self.db.read() as session:
            answer = queries.provinces_ranking(
                session, window, self._viewer(request), self._min_settled()
            )
        return self._answer(
            request, answer, lambda a: _ranking_rows(a["provinces"]), "ranking-provinces"
        )

    @http("GET", "/stats")
    def stats(self, request):
        """GET /stats[?agency=PROV-73-DISDIK] → {"total": 3, "by_status": {...}, "agencies": [...]}"""
        with self.db.read() as session:
            return queries.status_counts(
                session, request.args.get("agency") or None, self._viewer(request)
            )

    @http("GET", "/metrics")
    def prometheus(self, request):
        """Prometheus text: Operations' metrics, with the overdue gauge read from the figures."""
        with self.db.read() as session:
            counters.set_overdue(session)
        return Operations.prometheus(self, request)


def _window(request):
    try:
        return parse(request.args)
    except BadWindow as exc:
        raise InvalidInput(errors=[{"field": exc.field, "message": exc.message}]) from None


def _card_row(card: dict) -> tuple[dict, list[str]]:
    row = {key: value for key, value in card.items() if key not in ("suppressed", "view")}
    return row, card["suppressed"]


def _card_rows(card: dict) -> list[tuple[dict, list[str]]]:
    return [_card_row(card)]


def _ranking_rows(rows: list[dict]) -> list[tuple[dict, list[str]]]:
    return [
        ({k: v for k, v in row.items() if k != "suppressed"}, row["suppressed"]) for row in rows
    ]
