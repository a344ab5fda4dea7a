"""The identity-read log, for those who watch the watchers (SPEC §3: every time a coordinator or
national admin sees a confidential reporter's identity, it is recorded in ``identity_reads``).

    GET /identity-reads?from=2026-11-01&to=2026-11-30&tracking_id=LPR-…&offset=0&limit=50
    Authorization: Bearer <staff token>

- ``national_admin``: every line;
- ``oversight_viewer``: the lines of reads made by staff of agencies in its scope (an
  Inspektorat its government, Ombudsman RI and KSP the nation), the scope's subtree asked of the
  agency registry over RPC (with a timeout, kept a minute);
- every other role: 403; no token: 401; a bad token: 401.

A line says who read (staff id, username, role, agency), which report, and when: never the
identity that was read.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import func, select

from services.intake.models import identity_reads
from shared.auth import Forbidden, StaffTokens, Unauthenticated
from shared.paging import paging
from shared.problems import InvalidInput, TryAgainShortly
from shared.rpc import RpcCaller
from shared.tracking import normalise
from shared.web import http

log = logging.getLogger(__name__)

READERS = frozenset({"national_admin", "oversight_viewer"})
MAX_LIMIT = 200
SCOPE_SECONDS = 60
PAGE = 5000


class RegistryUnavailable(Exception):
    """The agency registry did not answer in time: an oversight scope cannot be settled now."""


class AuditorTokens(StaffTokens):
    """Staff tokens checked with the registry's public key; without a key file (intake started
    before the registry ever ran) every token is refused with a 401, the rest of intake runs."""

    def setup(self):
        try:
            super().setup()
        except (OSError, ValueError):
            self.verifier = None

    def require(self, request):
        if self.verifier is None:
            raise Unauthenticated("Token tidak dapat diperiksa / Tokens cannot be checked here")
        return super().require(request)


class AgencyScopes(RpcCaller):
    """``self.agency_scopes.codes("KAB-73-11")`` → the codes of every agency in that subtree,
    or None when it is the whole tree; ``RegistryUnavailable`` if the registry does not answer."""

    def __init__(self):
        super().__init__("agency_registry")
        self._cache: dict[str, tuple[float, frozenset[str] | None]] = {}

    def codes(self, scope_code: str) -> frozenset[str] | None:
        cached = self._cache.get(scope_code)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            found = self._ask(scope_code)
        except Exception as exc:  # timeout, registry not running, broker away
            raise RegistryUnavailable(type(exc).__name__) from None
        self._cache[scope_code] = (time.monotonic() + SCOPE_SECONDS, found)
        return found

    def _ask(self, scope_code: str) -> frozenset[str] | None:
        codes: set[str] = set()
        after = None
        registry = self.methods()
        while True:
            page = registry.subtree(scope_code, after, PAGE)
            if page is None:  # no such agency: nothing is in its scope
                return frozenset()
            items = page["items"]
            if after is None and items and items[0]["parent_code"] is None:
                return None  # the root: the whole tree
            codes.update(item["code"] for item in items)
            after = page.get("next")
            if not after:
                return frozenset(codes)

    def get_dependency(self, worker_ctx):
        return self


class AuditDoor:
    """Mixed into the Intake service class, which provides ``db``."""

    auditor_tokens = AuditorTokens()
    agency_scopes = AgencyScopes()

    @http("GET", "/identity-reads")
    def identity_reads(self, request):
        """GET /identity-reads?from=2026-11-01&to=2026-11-30 (Bearer <national admin's or
        oversight's token>) → {"total": 1, "offset": 0, "limit": 50, "items": [{"id": 3,
        "tracking_id": "LPR-…", "staff_id": "7", "username": "kominfo.barru", "role":
        "coordinator_admin", "agency_code": "KAB-73-11-DISKOMINFO", "at": "…"}]}"""
        staff = self.auditor_tokens.require(request)
        if staff.role not in READERS:
            raise Forbidden(
                "Hanya admin nasional dan pengawas / Only national admins and oversight"
            )
        conditions = _filters(request.args)
        offset, limit = paging(request.args, 50, MAX_LIMIT)
        if staff.role == "oversight_viewer":
            try:
                scope = self.agency_scopes.codes(staff.scope_code)
            except RegistryUnavailable as exc:
                log.warning("the agency registry did not answer for an oversight scope (%s)", exc)
                raise TryAgainShortly() from None
            if scope is not None:
                conditions.append(identity_reads.c.agency_code.in_(sorted(scope)))
        with self.db.read() as session:
            total = session.execute(
                select(func.count()).select_from(identity_reads).where(*conditions)
            ).scalar_one()
            rows = session.execute(
                select(identity_reads)
                .where(*conditions)
                .order_by(identity_reads.c.at.desc(), identity_reads.c.id.desc())
                .offset(offset)
                .limit(limit)
            ).all()
        return {
            "total": total,
            "offset": offset,
            "limit": limit,
            "items": [
                {
                    "id": row.id,
                    "tracking_id": row.tracking_id,
                    "staff_id": row.staff_id,
                    "username": row.username,
                    "role": row.role,
                    "agency_code": row.agency_code,
                    "at": row.at,
                }
                for row in rows
            ],
        }


def _filters(args) -> list:
    """SQL conditions from ``from``, ``to`` (a date, both days included, or an ISO moment) and
    ``tracking_id``; 422 naming each bad field."""
    errors, conditions = [], []
    moments = {}
    for field, end_of_day in (("from", False), ("to", True)):
        text = args.get(field)
        if text:
            moments[field] = _moment(text, end_of_day)
            if moments[field] is None:
                errors.append(
                    {"field": field, "message": "tanggal YYYY-MM-DD / a date, YYYY-MM-DD"}
                )
    if moments.get("from") and moments.get("to") and moments["from"] > moments["to"]:
        errors.append({"field": "to", "message": "sebelum 'from' / before 'from'"})
    tracking_id = args.get("tracking_id")
    if tracking_id and normalise(tracking_id) is None:
        errors.append(
            {"field": "tracking_id", "message": "bukan nomor pelacakan / not a tracking id"}
        )
    if errors:
        raise InvalidInput(errors=errors)
    if moments.get("from"):
        conditions.append(identity_reads.c.at >= moments["from"])
    if moments.get("to"):
        conditions.append(identity_reads.c.at < moments["to"])
    if tracking_id:
        conditions.append(identity_reads.c.tracking_id == normalise(tracking_id))
    return conditions


def _moment(text: str, end_of_day: bool) -> datetime | None:
    """The start of the day (or of the next day, for an inclusive end), or the moment given."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    start = datetime.combine(day, clock.min, tzinfo=UTC)
    return start + timedelta(days=1) if end_of_day else start
