"""HTTP entrypoints for agencies: lookups (public) and the registration workflow (staff).

Active and suspended agencies are public, as LAPOR! lists its connected agencies; pending and
rejected registrations are visible only to staff whose subtree holds them. Writes need a staff
token (``Authorization: Bearer …`` from ``POST /auth/token``).
"""

from __future__ import annotations

from contextlib import contextmanager

from services.agency_registry import competence, directory, powers, staff, workflow
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.changes import AgencyChanges
from services.agency_registry.errors import NotFound
from services.agency_registry.schemas import (
    AgencyEdit,
    AgencyRegistration,
    Decision,
    ReasonRequired,
)
from shared.auth import bearer
from shared.paging import paging
from shared.regions import load_regions
from shared.web import http, load, read_json

MAX_LIMIT = 500
REASON_REQUIRED = ("reject", "suspend")


def page(request, default: int = 100) -> tuple[int, int]:
    return paging(request.args, default, MAX_LIMIT)


def body_or_empty(request) -> dict:
    """The JSON object sent, or {} for no body at all (approve needs nothing)."""
    return read_json(request) if request.get_data(cache=True) else {}


def _missing(code: str) -> NotFound:
    return NotFound(f"Instansi {code} tidak ada / No agency {code}")


class AgencyHttp:
    """Mixed into AgencyRegistry; needs ``db``, ``tokens`` and ``lookups``."""

    def viewer(self, session, request) -> powers.Actor | None:
        """The staff member calling, or None for the public."""
        if bearer(request) is None:
            return None
        return staff.actor(session, self.tokens.claims(request))

    def visible(self, session, request, code: str):
        """The agency's row and the caller, or 404 if the caller may not see it."""
        viewer = self.viewer(session, request)
        found = directory.row(session, code)
        if found is None or not powers.can_see(viewer, directory.node(found)):
            raise _missing(code)
        return found, viewer

    @contextmanager
    def writing(self, request):
        """(unit of work, actor, audit log) for a staff member's change."""
        with self.db.transaction() as tx:
            actor = staff.actor(tx.session, self.tokens.claims(request))
            who = Who(actor.staff_id, actor.username, actor.role)
            yield tx, actor, AuditLog(tx.session, who, tx.correlation_id)

    @http("GET", "/agencies")
    def search_agencies(self, request):
        """GET /agencies?q=disdik+barru&limit=10 → {"items": [{"code", "name", "kind"}]}: active
        agencies by words of their name or code (a reporter's type-ahead)."""
        limit = min(20, max(1, request.args.get("limit", 10, type=int)))
        text = (request.args.get("q") or "")[:100]
        with self.db.read() as session:
            return {"items": directory.search(session, text, limit)}

    @http("GET", "/agencies/<string:code>")
    def agency(self, request, code):
        """GET /agencies/KAB-73-11 → the agency with its path, jurisdictions, competencies."""
        with self.db.read() as session:
            found, _ = self.visible(session, request, code)
            return directory.views(session, [found])[0]

    @http("GET", "/agencies/<string:code>/ancestors")
    def agency_ancestors(self, request, code):
        """GET /agencies/KAB-73-11-DISDIK/ancestors → {"items": [KEMENPANRB, PROV-73, KAB-73-11]}"""
        with self.db.read() as session:
            self.visible(session, request, code)
            return {"items": directory.ancestors(session, code)}

    @http("GET", "/agencies/<string:code>/children")
    def agency_children(self, request, code):
        """GET /agencies/PROV-73/children?offset=0&limit=100 → {"items": [...]}"""
        offset, limit = page(request)
        with self.db.read() as session:
            _, viewer = self.visible(session, request, code)
            scope = viewer.scope_path if viewer else None
            items = directory.children(session, code, offset, limit, scope)
        return {"items": items, "offset": offset, "limit": limit}

    @http("GET", "/agencies/<string:code>/subtree")
    def agency_subtree(self, request, code):
        """GET /agencies/PROV-73/subtree?limit=100&after=KAB-73-01-DLH → {"items", "next"}:
        the agency and everything below it in tree order; pass ``next`` as ``after``."""
        _, limit = page(request)
        with self.db.read() as session:
            found, viewer = self.visible(session, request, code)
            scope = viewer.scope_path if viewer else None
            result = directory.subtree(session, found.path, request.args.get("after"), limit, scope)
        return {**result, "limit": limit}

    @http("GET", "/competent-agencies")
    def competent_agencies_http(self, request):
        """GET /competent-agencies?category_id=pendidikan.sma&region_code=73.11 →
        {"items": [{"code": "PROV-73-DISDIK", "level": "province", "match": "exact"}, ...]}"""
        category_id = request.args.get("category_id", "")
        region_code = request.args.get("region_code", "")
        competence.check_query(load_regions(), category_id, region_code)
        with self.db.read() as session:
            return {"items": self.lookups.index(session).competent(category_id, region_code)}

    @http("GET", "/regions/<string:region_code>/coordinator")
    def region_coordinator(self, request, region_code):
        """GET /regions/73.11.01/coordinator → {"code": "KAB-73-11-DISKOMINFO", "level": ...}"""
        competence.check_query(load_regions(), None, region_code)
        with self.db.read() as session:
            found = self.lookups.index(session).coordinator(region_code)
        if found is None:
            raise NotFound(f"Tidak ada koordinator untuk {region_code} / No coordinator")
        return found

    @http("GET", "/registrations")
    def registrations(self, request):
        """GET /registrations?agency=KAB-73-11&status=pending → {"items": [...]} (staff)"""
        offset, limit = page(request)
        status = request.args.get("status", "pending")
        with self.db.read() as session:
            actor = staff.actor(session, self.tokens.claims(request))
            code = request.args.get("agency", actor.scope_code)
            found = directory.row(session, code)
            if found is None:
                raise _missing(code)
            powers.check_read_registrations(actor, directory.node(found))
            items = directory.registrations(session, found.path, status, offset, limit)
        return {"items": items, "offset": offset, "limit": limit}

    @http("POST", "/agencies")
    def register_agency(self, request):
        """POST /agencies {"code": "KAB-73-11-DINKES-PKM-TANETE", "name": "UPT Puskesmas …",
        "kind": "unit", "parent_code": "KAB-73-11-DINKES", "jurisdictions": ["73.11.01"],
        "competencies": ["kesehatan.puskesmas"]} → 201, the agency, status "pending"."""
        data = load(AgencyRegistration(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            created = workflow.register(
                AgencyChanges(tx.session, tx.emit, log), actor, load_regions(), data
            )
        return 201, {"Location": f"/agencies/{created['code']}"}, created

    @http("PATCH", "/agencies/<string:code>")
    def edit_agency(self, request, code):
        """PATCH /agencies/KAB-73-11-DINKES {"competencies": [...], "parent_code": ...} → the agency"""
        data = load(AgencyEdit(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            return workflow.edit(
                AgencyChanges(tx.session, tx.emit, log), actor, load_regions(), code, data
            )

    @http("POST", "/agencies/<string:code>/<any(approve,reject,suspend,reactivate):action>")
    def change_agency_status(self, request, code, action):
        """POST /agencies/KAB-73-11-DINKES-PKM-TANETE/approve {} → the agency, "active";
        reject and suspend need {"reason": "…"}."""
        schema = ReasonRequired() if action in REASON_REQUIRED else Decision()
        reason = load(schema, body_or_empty(request))["reason"]
        with self.writing(request) as (tx, actor, log):
            changes = AgencyChanges(tx.session, tx.emit, log)
            if action in ("approve", "reject"):
                return workflow.decide(changes, actor, code, action, reason)
            return workflow.set_status(changes, actor, code, action, reason)
