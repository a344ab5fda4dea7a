"""The agency registry: the national hierarchy of agencies, answering lookups.

RPC (for other services) and HTTP (for people and tools) over the same tables.
"""

from __future__ import annotations

from nameko.rpc import rpc

from services.agency_registry import agencies
from services.agency_registry.models import metadata
from shared.db import Database
from shared.ops import Operations
from shared.web import NotFound, http


class AgencyRegistry(Operations):
    name = "agency_registry"

    db = Database(metadata)

    @rpc
    def snapshot(self) -> dict:
        """{"revision": "18234:2026-11-25T19:00:00", "agencies": [{"code": "PROV-73", ...}]}"""
        with self.db.read() as session:
            return agencies.snapshot(session)

    @rpc
    def revision(self) -> str:
        """ "18234:2026-11-25T19:00:00+00:00" — changes whenever an agency changes."""
        with self.db.read() as session:
            return agencies.revision(session)

    @rpc
    def get_agency(self, code: str) -> dict | None:
        """get_agency("PROV-73-DISDIK") -> {"code": ..., "name": ..., "jurisdictions": [...]}"""
        with self.db.read() as session:
            return agencies.get(session, code)

    @http("GET", "/agencies/<string:code>")
    def agency(self, request, code):
        """GET /agencies/KAB-73-11 → the agency with its path, jurisdictions, competencies."""
        with self.db.read() as session:
            found = agencies.get(session, code)
        if found is None:
            raise NotFound(f"Instansi {code} tidak ada / No agency {code}")
        return found

    @http("GET", "/agencies/<string:code>/children")
    def agency_children(self, request, code):
        """GET /agencies/PROV-73/children?offset=0&limit=100 → {"items": [...]}"""
        offset = max(0, request.args.get("offset", 0, type=int))
        limit = min(500, max(1, request.args.get("limit", 100, type=int)))
        with self.db.read() as session:
            if agencies.get(session, code) is None:
                raise NotFound(f"Instansi {code} tidak ada / No agency {code}")
            return {
                "items": agencies.children(session, code, offset, limit),
                "offset": offset,
                "limit": limit,
            }
