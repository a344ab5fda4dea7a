"""The agencies' desk over HTTP (SPEC §1, §4, §7): staff list the reports their agency holds,
watches or had escalated to it, read one as SPEC §3 lets them, post follow-ups, decline as
"not our authority"; coordinators confirm proposals and dispatch by hand.

Every request needs a staff token from the agency registry (``Authorization: Bearer …``),
verified here with the registry's public key. Writes accept ``Idempotency-Key`` (a repeat is
409 duplicate-submission, nothing changes) and ``If-Match: "<version>"`` (the ETag of the
detail view; 412 if the report changed since).
"""

from __future__ import annotations

from services.routing.desk import listing
from services.routing.desk.desk_actions import DeskActionsHttp
from services.routing.desk.desk_duplicates import DeskDuplicatesHttp
from services.routing.desk.desk_export import DeskExportHttp
from services.routing.desk.desk_followups import DeskFollowupsHttp
from services.routing.desk.report_text import ReportUnavailable
from services.routing.desk.schemas import ConfirmIn, DeclineIn, DispatchIn, ListingQuery
from services.routing.errors import NotRouted, OutOfSubtree, WrongState
from services.routing.lifecycle import correcting, declining, dispatching
from services.routing.replica import RegistryUnavailable
from services.routing.rules import access, hierarchy
from services.routing.rules.trace import names_in, step
from services.routing.state import clocks, holding, views
from shared.auth import bearer
from shared.problems import InvalidInput, Problem, Unavailable
from shared.tracking import normalise
from shared.web import http, load, read_json

MAX_KEY = 128
SEARCH_LIMIT = 5000  # matches intake returns, newest first, before the access filter
CLOSED = ("completed", "archived")


class PreconditionFailed(Problem):
    status = 412
    slug = "precondition-failed"
    title = "Laporan sudah berubah / The report changed since you read it"


def actor_of(staff) -> holding.Actor:
    return holding.Actor(staff.username, staff.agency_code, staff.staff_id)


class DeskHttp(DeskActionsHttp, DeskExportHttp, DeskDuplicatesHttp, DeskFollowupsHttp):
    """Mixed into Routing; needs db, agencies, staff_tokens, clock, report_text, blobs and
    work(). The coordinators' verdicts (desk_actions), the CSV export (desk_export), duplicate
    candidates (desk_duplicates) and follow-ups with their files (desk_followups) come with it."""

    def directory(self):
        try:
            return self.agencies.directory()
        except RegistryUnavailable:
            raise Unavailable(
                "Direktori instansi belum tersedia / Agency directory not loaded"
            ) from None

    @http("GET", "/desk/dispositions")
    def desk_list(self, request):
        """GET /desk/dispositions?status=dispatched&overdue=true&category=kesehatan
        &from=2026-01-01&to=2026-01-31&access=held&sort=due → {"items": [{"tracking_id": …,
        "status": {...}, "agency_code": …, "overdue": false, "first_followup_due_at": …}],
        "total": 12, "by_status": {"dispatched": 9, "in_progress": 3}, "capped": false,
        "next": "<cursor>" or null, "limit": 50}. sort: -received (default, newest first),
        received, due (earliest deadline), -updated, updated. The next page: the same query with
        cursor=<next> (a cursor of another sort, or forged, is a 422 on "cursor"). The totals
        count at most 1,000 rows: past them "capped": true, "total": 1000, "by_status": null.
        q=pungutan sekolah: words in the title and body (searched by intake)."""
        query, items, totals, following = self.listed(request)
        return {"items": items, **totals, "next": following, "limit": query["limit"]}

    def listed(self, request, limit: int | None = None):
        """The query, the page of desk items, the totals and the next page's cursor."""
        staff = self.staff_tokens.require(request)
        query = load(ListingQuery(), request.args.to_dict())
        if limit is not None:
            query["cursor"], query["limit"] = None, limit
        if query["q"]:
            query["ids"] = self._matching(query["q"])
        directory = self.directory()
        codes = self._codes(directory, staff, query["agency"])
        places = None if query["agency"] else access.places_of(directory, staff)
        now = self.clock.now()
        with self.db.read() as session:
            rows, following = listing.dispositions_for(session, codes, query, now, places)
            totals = listing.totals_for(session, codes, query, now, places)
            ids = [row.tracking_id for row in rows]
            report_clocks = clocks.of_reports(session, ids)
            readers = holding.readers_of_many(session, ids)
        items = [
            views.desk_item(
                row,
                report_clocks.get(row.tracking_id, {}),
                now,
                access.relation(
                    directory, staff, row.agency_code, readers[row.tracking_id], row.region_code
                ),
            )
            for row in rows
        ]
        return query, items, totals, following

    @http("GET", "/desk/dispositions/<string:tracking_id>")
    def desk_detail(self, request, tracking_id):
        """GET /desk/dispositions/LPR-… → the report as routing holds it, its history with
        every trace, follow-ups, declines, clocks, readers, and "report": its content from
        intake as SPEC §3 lets this person see it (null with "report_available": false when
        intake does not answer), "duplicate_candidates": [{"tracking_id", "score",
        "submitted_at"}] the person may see (null when intake does not answer). ETag: the
        version to send back as If-Match."""
        staff = self.staff_tokens.require(request)
        directory = self.directory()
        tid = tracking_id_of(tracking_id)
        now = self.clock.now()
        with self.db.read() as session:
            held = load_disposition(session, tid)
            readers = holding.readers_of(session, tid)
            relation = access.relation(
                directory, staff, held.agency_code, readers, held.region_code
            )
            if relation is None:
                raise access.unreachable(tid, staff)
            report_clocks = clocks.of_reports(session, [tid]).get(tid, {})
            detail = views.desk_detail(
                session, held, report_clocks, now, relation, names=names_in(directory)
            )
            detail["corrections"] = correcting.audit_of(session, tid)
            detail["archived_reason"] = held.archived_reason
            detail["duplicate_of"] = held.duplicate_of
        try:
            detail["report"] = self.report_text.fetch(tid, held.agency_code, bearer(request))
            detail["report_available"] = True
        except ReportUnavailable:
            detail["report"], detail["report_available"] = None, False
        try:
            detail["duplicate_candidates"] = self.duplicate_candidates(directory, staff, tid)
        except ReportUnavailable:
            detail["duplicate_candidates"] = None
        return 200, {"ETag": f'"{held.version}"'}, detail

    @http("POST", "/desk/dispositions/<string:tracking_id>/decline")
    def desk_decline(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/decline {"reason": "Jalan provinsi, bukan nasional",
        "suggested_agency_code": "PROV-73-DPU", "corrected_category_id":
        "infrastruktur.jalan_provinsi"} → {"agency_code": <the new holder>, …}; the suggestion
        is judged against the corrected category when one is given."""
        staff = self.staff_tokens.require(request)
        data = load(DeclineIn(), read_json(request))
        key = _idempotency_key(request)
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _for_change(ctx, tracking_id, request)
            access.check_holder(ctx.directory, staff, held.agency_code)
            suggested = data["suggested_agency_code"]
            if suggested:
                access.check_agency(ctx.directory, suggested, "suggested_agency_code")
            result = declining.decline(
                ctx,
                held,
                actor_of(staff),
                data["reason"].strip(),
                suggested,
                key,
                data["corrected_category_id"],
            )
        return {**result, "tracking_id": held.tracking_id, "status": held.status}

    @http("POST", "/desk/dispositions/<string:tracking_id>/confirm")
    def desk_confirm(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/confirm {} → the proposal is dispatched (review mode)"""
        staff = self.staff_tokens.require(request)
        data = load(ConfirmIn(), _body_or_empty(request))
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _for_change(ctx, tracking_id, request)
            if held.status != dispatching.AWAITING or not held.proposed_agency_code:
                raise WrongState(
                    f"{held.tracking_id} tidak punya usulan yang menunggu ({held.status}) / "
                    f"{held.tracking_id} has no proposal waiting (it is {held.status})"
                )
            proposed = held.proposed_agency_code
            access.check_coordinator(ctx.directory, staff, held.agency_code, proposed, held)
            line = step("review_confirmed", agency=staff.agency_code, username=staff.username)
            trace = [*(held.proposed_trace or []), line]
            dispatching.dispatch(
                ctx, held, proposed, held.proposed_rule, trace, actor_of(staff), data["note"]
            )
        return _moved(held)

    @http("POST", "/desk/dispositions/<string:tracking_id>/dispatch")
    def desk_dispatch(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/dispatch {"agency_code": "KAB-73-11-DINKES",
        "note": "…"} → dispatched by hand: a proposal changed, a manual queue served, or a
        re-dispatch at any time — within the coordinator's subtree only"""
        staff = self.staff_tokens.require(request)
        data = load(DispatchIn(), read_json(request))
        target = data["agency_code"]
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _for_change(ctx, tracking_id, request)
            access.check_coordinator(ctx.directory, staff, held.agency_code, target, held)
            if held.status in CLOSED:
                raise WrongState(
                    f"{held.tracking_id} berstatus {held.status} / {held.tracking_id} is {held.status}"
                )
            if target == held.agency_code and held.status != dispatching.AWAITING:
                raise WrongState(
                    f"{target} sudah memegang {held.tracking_id} / {target} holds {held.tracking_id} already"
                )
            line = step("manual", agency=staff.agency_code, username=staff.username, target=target)
            if held.proposed_agency_code and held.proposed_agency_code != target:
                line = {**line, "step": "manual_instead", "proposed": held.proposed_agency_code}
            dispatching.dispatch(ctx, held, target, "manual", [line], actor_of(staff), data["note"])
        return _moved(held)

    def _matching(self, text: str) -> list[str]:
        """Tracking ids whose words match, from intake (routing holds no text)."""
        try:
            return self.report_text.search(text, SEARCH_LIMIT)
        except ReportUnavailable:
            raise Unavailable(
                "Pencarian teks belum tersedia / Text search is unavailable"
            ) from None

    def _codes(self, directory, staff, agency: str | None) -> set[str] | None:
        """The agencies whose reports the person lists (None: all of them)."""
        root = staff.scope_code
        if agency:
            access.check_agency(directory, agency, "agency")
            if not access.in_scope(directory, staff, agency):
                raise OutOfSubtree(
                    f"{agency} di luar wilayah {staff.scope_code} / "
                    f"{agency} is outside {staff.scope_code}'s subtree"
                )
            root = agency
        if hierarchy.is_root(directory, root):
            return None
        return hierarchy.subtree(directory, root)


def tracking_id_of(text: str) -> str:
    """The canonical form of a typed tracking id (lower case, missing dashes are forgiven);
    the text as given if it is not one (it will simply not be found)."""
    return normalise(text) or text[:24]


def not_routed(tid: str) -> NotRouted:
    return NotRouted(f"Laporan {tid} belum didisposisikan / not routed")


def load_disposition(session, tid: str):
    held = holding.load(session, tid)
    if held is None:
        raise not_routed(tid)
    return held


def _for_change(ctx, tracking_id: str, request):
    held = load_disposition(ctx.session, tracking_id_of(tracking_id))
    expected = request.headers.get("If-Match")
    if expected and expected.strip().strip('"') != str(held.version):
        raise PreconditionFailed(version=held.version)
    return held


def _idempotency_key(request) -> str | None:
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(key) > MAX_KEY:
        raise InvalidInput(
            errors=[{"field": "Idempotency-Key", "message": "Paling banyak 128 / At most 128"}]
        )
    return key or None


def _body_or_empty(request) -> dict:
    return read_json(request) if request.get_data(cache=True) else {}


def _moved(held) -> dict:
    return {
        "tracking_id": held.tracking_id,
        "agency_code": held.agency_code,
        "status": held.status,
        "rule": held.rule,
        "version": held.version,
    }
