"""HTTP entrypoints for staff accounts, logging in, and the audit log."""

from __future__ import annotations

from services.agency_registry import (
    audit,
    directory,
    logins,
    password_reset,
    powers,
    staff,
    staff_mail,
)
from services.agency_registry.agency_http import body_or_empty, page
from services.agency_registry.errors import (
    NotFound,
    PasswordChangeRequired,
    TemporaryPasswordExpired,
)
from services.agency_registry.schemas import (
    EmailTopics,
    Login,
    PasswordChange,
    PasswordReplace,
    StaffCreate,
    StaffEdit,
)
from shared.paging import MAX_ROW_ID
from shared.web import http, load, read_json

STAFF_ACTIONS = {"deactivate": "deactivated", "reactivate": "active"}


class StaffHttp:
    """Mixed into AgencyRegistry; needs ``db``, ``tokens``, ``login_limits`` and AgencyHttp's
    helpers."""

    def scoped_agency(self, session, actor: powers.Actor, request):
        """The agency named by ``?agency=`` (default: the root of the caller's subtree)."""
        code = request.args.get("agency", actor.scope_code)
        found = directory.row(session, code)
        if found is None:
            raise NotFound(f"Instansi {code} tidak ada / No agency {code}")
        return found

    @http("POST", "/auth/token")
    def login(self, request):
        """POST /auth/token {"username": "kominfo.barru", "password": "…"} →
        {"token": "eyJ…", "token_type": "Bearer", "expires_at": 1764000000, "staff": {...}};
        429 with Retry-After past the login limits (login_limits.py)"""
        data = load(Login(), read_json(request))
        self.login_limits.attempt(data["username"], request.remote_addr or "unknown")
        try:
            issued = logins.login(self.db, self.tokens.signer, data["username"], data["password"])
        except (PasswordChangeRequired, TemporaryPasswordExpired):  # the right password: no guess
            self.login_limits.succeeded(data["username"])
            raise
        self.login_limits.succeeded(data["username"])
        return issued

    @http("POST", "/auth/password")
    def replace_password(self, request):
        """POST /auth/password {"username": "dinkes.barru", "current_password": "<the temporary one>",
        "new_password": "…"} → what /auth/token gives, with the new password: how the holder
        of a temporary password (after a reset) opens their first session"""
        data = load(PasswordReplace(), read_json(request))
        self.login_limits.attempt(data["username"], request.remote_addr or "unknown")
        account = password_reset.replace_temporary(
            self.db, data["username"], data["current_password"], data["new_password"]
        )
        issued = logins.token_for(self.db, self.tokens.signer, account)  # no third hash
        self.login_limits.succeeded(data["username"])
        return issued

    @http("GET", "/staff/me")
    def me(self, request):
        """GET /staff/me → the caller's account, with "scope": the root of their subtree."""
        with self.db.read() as session:
            actor = staff.actor(session, self.tokens.claims(request))
            return {**staff.get(session, actor, actor.staff_id), "scope": actor.scope_code}

    @http("POST", "/staff/me/password")
    def change_password(self, request):
        """POST /staff/me/password {"current_password": "…", "new_password": "…"} → 204"""
        data = load(PasswordChange(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            staff.change_password(
                tx.session, log, actor, data["current_password"], data["new_password"]
            )
        return 204, ""

    @http("PUT", "/staff/me/email-notifications")
    def choose_email_topics(self, request):
        """PUT /staff/me/email-notifications {"topics": ["new_disposition", "deadlines",
        "reporter_replies"]} → {"topics": [...]}: what the caller wants by email besides the
        in-app inbox (staff_mail.py); [] for nothing. Each person chooses for themselves."""
        data = load(EmailTopics(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            chosen = staff_mail.choose(tx.session, log, actor.staff_id, data["topics"])
        return {"topics": chosen}

    @http("POST", "/staff")
    def create_staff(self, request):
        """POST /staff {"username": "dinkes.barru", "full_name": "…", "role": "liaison",
        "agency_code": "KAB-73-11-DINKES", "password": "…"} → 201, the account; without
        "password", the answer's "temporary_password" (shown this once) opens no session: its
        holder sets their own at POST /auth/password"""
        data = load(StaffCreate(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            created = staff.create(tx.session, log, actor, data)
        headers = {"Location": f"/staff/{created['id']}", "Cache-Control": "no-store"}
        return 201, headers, created

    @http("GET", "/staff")
    def list_staff(self, request):
        """GET /staff?agency=KAB-73-11&offset=0&limit=100 → accounts there and below"""
        offset, limit = page(request)
        with self.db.read() as session:
            actor = staff.actor(session, self.tokens.claims(request))
            found = self.scoped_agency(session, actor, request)
            powers.check_list_staff(actor, directory.node(found))
            items = staff.listing(session, found.path, offset, limit)
        return {"items": items, "offset": offset, "limit": limit}

    @http("GET", "/staff/<string:staff_id>")
    def get_staff(self, request, staff_id):
        """GET /staff/9f3c… → the account (admins of its subtree, or its owner)"""
        with self.db.read() as session:
            actor = staff.actor(session, self.tokens.claims(request))
            return staff.get(session, actor, staff_id)

    @http("PATCH", "/staff/<string:staff_id>")
    def edit_staff(self, request, staff_id):
        """PATCH /staff/9f3c… {"role": "agency_admin"} → the account"""
        data = load(StaffEdit(), read_json(request))
        with self.writing(request) as (tx, actor, log):
            return staff.edit(tx.session, log, tx.emit, actor, staff_id, data)

    @http("POST", "/staff/<string:staff_id>/<any(deactivate,reactivate):action>")
    def set_staff_status(self, request, staff_id, action):
        """POST /staff/9f3c…/deactivate → the account, "deactivated" (its tokens stop here at
        once, on every other service within seconds: staff_changed)"""
        body_or_empty(request)
        with self.writing(request) as (tx, actor, log):
            return staff.set_status(
                tx.session, log, tx.emit, actor, staff_id, STAFF_ACTIONS[action]
            )

    @http("POST", "/staff/<string:staff_id>/password-reset")
    def reset_password(self, request, staff_id):
        """POST /staff/9f3c…/password-reset → {"temporary_password": "<three groups of four>",
        "staff": the account}: shown to the admin this once, stored only hashed; the account's
        tokens stop at once everywhere, and the holder must set a new password to log in"""
        body_or_empty(request)
        with self.writing(request) as (tx, actor, log):
            account, temporary = password_reset.reset(tx.session, log, tx.emit, actor, staff_id)
        return (
            200,
            {"Cache-Control": "no-store"},
            {"temporary_password": temporary, "staff": account},
        )

    @http("GET", "/audit")
    def audit_log(self, request):
        """GET /audit?agency=KAB-73-11&limit=50&before_id=1200 → {"items": [...], "next_before_id"}
        newest first: who did what, when, with before and after"""
        _, limit = page(request, default=50)
        before_id = request.args.get("before_id", type=int)
        if before_id is not None:
            before_id = max(0, min(before_id, MAX_ROW_ID + 1))
        with self.db.read() as session:
            actor = staff.actor(session, self.tokens.claims(request))
            found = self.scoped_agency(session, actor, request)
            powers.check_read_audit(actor, directory.node(found))
            return audit.entries(session, found.path, before_id, limit)
