"""Reporter accounts over HTTP: register, sign in, and the reporter's own reports."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services.intake import accounts, records, schemas, tokens
from services.intake.door import Door
from services.intake.models import reporters, reports
from services.intake.problems import Unauthorized
from services.intake.ratelimit import Busy
from shared import passwords, privacy
from shared.paging import paging
from shared.problems import Conflict, NotFound, Unavailable
from shared.web import http

log = logging.getLogger(__name__)

USERNAME_TAKEN = "Nama pengguna sudah dipakai / Username taken"


class AccountsDoor(Door):
    @http("POST", "/reporters")
    def register(self, request):
        """POST /reporters {"nik": "7311015208900001", "full_name": "Andi Saputra", "gender":
        "female", "birth_date": "1990-08-12", "occupation": "Guru", "username": "andi",
        "phone": "0812-3456-7890", "email": "andi@example.id", "password": "…"} → 201 profile;
        sign in with the username and password (POST /login). 409 only for a taken username:
        a NIK, phone or e-mail already registered gets the same 201 and creates nothing, so the
        door does not tell a stranger whose they are."""
        self.throttle("http", self.client(request), self.settings.http_limit)
        data = self.body(request, schemas.Registration())
        with self.hashing_slot():
            password_hash = passwords.hash_password(data["password"])
        try:
            with self.db.transaction() as tx:
                account, created = accounts.register(
                    tx.session, data, password_hash, self.clock.now()
                )
        except accounts.Taken:
            raise Conflict(errors=[{"field": "username", "message": USERNAME_TAKEN}]) from None
        except IntegrityError:  # a registration with the same details raced us: as a duplicate
            created = False
        log.info("reporter registration answered (created=%s)", created)
        return 201, {"Location": "/me"}, accounts.profile(_Row(account))

    @http("POST", "/login")
    def login(self, request):
        """POST /login {"login": "andi", "password": "…"} (username, e-mail or phone) →
        {"token": "…", "token_type": "Bearer", "expires_at": "…"}."""
        data = self.body(request, schemas.Login())
        client = self.client(request)
        self.throttle("http", client, self.settings.http_limit)
        self.throttle("login-client", client, self.settings.login_client_limit)
        with self.hashing_slot():  # a burst is turned away before it costs anything more
            with self.db.read() as session:
                account = accounts.account_for(session, data["login"])
            # one counter per account, whichever of its names is typed; per name when none is
            who = (
                f"account:{account.id}" if account else f"name:{accounts.login_key(data['login'])}"
            )
            self.throttle("login", who, self.settings.login_limit)
            reporter_id = accounts.authenticate(account, data["password"])  # in the thread pool
        if reporter_id is None:
            raise Unauthorized("Nama pengguna atau kata sandi salah / Wrong login or password")
        token, expires = tokens.issue(
            self.settings.token_secret, reporter_id, self.settings.token_ttl, self.clock.now()
        )
        return {"token": token, "token_type": "Bearer", "expires_at": expires}

    @contextmanager
    def hashing_slot(self):
        """A slot to hash a password in; 503 (try again in a second) when all are taken."""
        try:
            with self.settings.hashing.slot():
                yield
        except Busy:
            raise Unavailable(
                "Sedang sibuk, coba lagi sebentar / Busy, try again in a moment", retry_after=1
            ) from None

    @http("GET", "/me")
    def me(self, request):
        """GET /me (Bearer token) → the reporter's own profile."""
        reporter_id = self.signed_in(request, required=True)
        with self.db.read() as session:
            row = session.execute(select(reporters).where(reporters.c.id == reporter_id)).first()
        if row is None:
            raise NotFound("Akun tidak ditemukan / Account not found")
        return accounts.profile(row)

    @http("GET", "/me/reports")
    def my_reports(self, request):
        """GET /me/reports?offset=0&limit=20 (Bearer token) → the reporter's reports, newest first."""
        reporter_id = self.signed_in(request, required=True)
        offset, limit = paging(request.args, 20, 100)
        mine = reports.c.reporter_id == reporter_id
        with self.db.read() as session:
            rows = session.execute(
                select(reports)
                .where(mine)
                .order_by(reports.c.submitted_at.desc(), reports.c.tracking_id)
                .offset(offset)
                .limit(limit)
            ).all()
            total = session.execute(select(func.count()).where(mine)).scalar_one()
            account = session.execute(
                select(reporters).where(reporters.c.id == reporter_id)
            ).first()
        items = [
            _summary(privacy.view(records.record(row, account=account), privacy.REPORTER))
            for row in rows
        ]
        return {"total": total, "offset": offset, "limit": limit, "items": items}


def _summary(shown: dict) -> dict:
    keep = (
        "tracking_id",
        "title",
        "classification",
        "category_id",
        "privacy",
        "channel",
        "submitted_at",
        "updated_at",
        "missing",
        "deadline_at",
        "agency_name",
    )
    summary = {key: shown.get(key) for key in keep}
    summary["status"] = {
        "code": shown["status"],
        "label": shown["status_label"],
        "colour": shown["colour"],
    }
    return summary


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)
