"""The agency registry: the national hierarchy of agencies, its staff and their powers.

RPC for the other services (lookups and the snapshot their replicas start from), HTTP for
people and tools (agency_http.py, staff_http.py). Every write goes through one transaction
with its events (outbox) and its audit line.
"""

from __future__ import annotations

from nameko.rpc import rpc

from services.agency_registry import competence, directory, openapi, staff_mail
from services.agency_registry.agency_http import AgencyHttp
from services.agency_registry.errors import UnknownCategory, UnknownRegion
from services.agency_registry.live_index import Lookups
from services.agency_registry.login_limits import LoginLimits
from services.agency_registry.models import metadata
from services.agency_registry.signing import TokenIssuer
from services.agency_registry.staff_changes import recent as recent_staff_changes
from services.agency_registry.staff_http import StaffHttp
from shared.auth import LEEWAY
from shared.db import Database
from shared.ops import Operations
from shared.regions import load_regions
from shared.rpc import rpc_for

MAX_PAGE = 5000


class AgencyRegistry(Operations, AgencyHttp, StaffHttp):
    name = "agency_registry"
    api_doc = openapi.API

    db = Database(metadata)
    lookups = Lookups()
    tokens = TokenIssuer()
    login_limits = LoginLimits()

    @rpc
    def snapshot_page(self, after: str | None = None, limit: int = MAX_PAGE) -> dict:
        """snapshot_page(None, 5000) -> {"revision": 18240, "agencies": [...], "next": "KAB-…"};
        pass ``next`` as ``after`` until it is None. The only snapshot there is: the whole
        registry in one message would be 44 MiB at 100,000 agencies."""
        with self.db.read() as session:
            return directory.snapshot(session, after, max(1, min(MAX_PAGE, limit)))

    @rpc
    def revision(self) -> int:
        """18240 — +1 for every committed change to any agency."""
        with self.db.read() as session:
            return directory.revision(session)

    @rpc
    def staff_changes(self) -> list[dict]:
        """[{"staff_id": "9f3c…", "version": 4}, ...]: the latest authority change of each account
        within a token's lifetime, for a process that starts (shared/staff_changes.py)."""
        with self.db.read() as session:
            return recent_staff_changes(session, self.tokens.signer.ttl + 2 * LEEWAY)

    @rpc
    def get_agency(self, code: str) -> dict | None:
        """get_agency("PROV-73-DISDIK") -> {"code": ..., "path": [...], "version": 1, ...}"""
        with self.db.read() as session:
            return directory.get(session, code)

    @rpc
    def ancestors(self, code: str) -> list[dict] | None:
        """ancestors("KAB-73-11-DISDIK") -> [KEMENPANRB, PROV-73, KAB-73-11] views, root first."""
        with self.db.read() as session:
            return directory.ancestors(session, code)

    @rpc
    def subtree(self, code: str, after: str | None = None, limit: int = 100) -> dict | None:
        """subtree("KAB-73-11", None, 100) -> {"items": [...], "next": "KAB-73-11-DPMD"}"""
        with self.db.read() as session:
            root = directory.row(session, code)
            if root is None:
                return None
            return directory.subtree(session, root.path, after, max(1, min(MAX_PAGE, limit)), "/")

    @rpc(expected_exceptions=(UnknownCategory, UnknownRegion))
    def competent_agencies(self, category_id: str, region_code: str) -> list[dict]:
        """competent_agencies("pendidikan.sma", "73.11") ->
        [{"code": "PROV-73-DISDIK", "level": "province", "match": "exact", ...}, ...]"""
        competence.check_query(load_regions(), category_id, region_code)
        with self.db.read() as session:
            return self.lookups.index(session).competent(category_id, region_code)

    @rpc(expected_exceptions=(UnknownRegion,))
    def coordinator_for(self, region_code: str) -> dict | None:
        """coordinator_for("73.11.01") -> {"code": "KAB-73-11-DISKOMINFO", "level": "regency"}"""
        competence.check_query(load_regions(), None, region_code)
        with self.db.read() as session:
            return self.lookups.index(session).coordinator(region_code)

    @rpc_for("notification")
    def staff_emails(self, agency_code: str, topic: str) -> list[str]:
        """staff_emails("KAB-73-11-DINKES", "deadlines") → ["budi@dinkes.barrukab.go.id"]: the
        agency's active staff who chose email on ``topic`` (staff_mail.py), asked by
        notification when it sends. Staff addresses only; never a reporter's."""
        with self.db.read() as session:
            return staff_mail.recipients(session, agency_code, topic)
