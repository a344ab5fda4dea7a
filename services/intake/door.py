"""What every door of intake needs: bounded JSON bodies, rate limits, who is asking, and the
report being asked about.

A tracking id names a report; it is not a key (SPEC §2). Who holds only the id is the public:
a report the public may not know of (confidential, or not yet dispatched) answers exactly as an
unknown id. The reporter proves it is theirs with the account's Bearer token, or with the key
given at filing in the ``X-Report-Key`` header; an Open311 client sends the token it was given
in ``X-Open311-Token`` (or in ``X-Report-Key``), as notification's inbox also reads it. A
key is never read from a query string: URLs end up in logs, histories and referrers.
"""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from services.intake import records, report_keys, tokens
from services.intake.models import reports
from services.intake.problems import Forbidden, PayloadTooLarge, TooManyRequests, Unauthorized
from shared import constant_time, privacy
from shared.forwarded import client_address
from shared.problems import NotFound
from shared.tracking import normalise
from shared.web import load, read_json

NOT_FOUND = "Nomor pelacakan tidak ditemukan / Tracking id not found"


class Door:
    """Mixin helpers; the service class provides ``db`` and ``settings``."""

    def body(self, request, schema) -> dict:
        """The JSON body loaded by ``schema``: 413 past MAX_JSON_BYTES, 400 if not JSON, 422
        with per-field errors if invalid."""
        limit = self.settings.max_json_bytes
        if (request.content_length or 0) > limit:
            raise PayloadTooLarge(f"Maksimal / At most {limit} bytes")
        request.max_content_length = limit
        try:
            data = read_json(request)
        except RequestEntityTooLarge:
            raise PayloadTooLarge(f"Maksimal / At most {limit} bytes") from None
        return load(schema, data)

    def throttle(self, door: str, sender: str, limit) -> None:
        allowed, retry = self.settings.limiter.allow(door, sender, limit)
        if not allowed:
            raise TooManyRequests("Coba lagi nanti / Try again later", retry_after=retry)

    def client(self, request) -> str:
        """The caller's address; behind the portal (a TRUSTED_PROXIES peer), the visitor's."""
        return client_address(
            request.remote_addr,
            request.headers.get("X-Forwarded-For"),
            self.settings.trusted_proxies,
        )

    def signed_in(self, request, required: bool = False) -> str | None:
        """The reporter id of a valid bearer token; None (or 401 if ``required``) without one."""
        header = request.headers.get("Authorization", "")
        if not header:
            if required:
                raise Unauthorized("Kirim token / Send a token: Authorization: Bearer <token>")
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            raise Unauthorized("Gunakan / Use: Authorization: Bearer <token>")
        try:
            return tokens.verify(self.settings.token_secret, token.strip(), self.clock.now())
        except tokens.InvalidToken:
            raise Unauthorized(
                "Token tidak valid atau kedaluwarsa / Invalid or expired token"
            ) from None

    def proves(self, request, row) -> bool:
        """Whether the caller proves to be ``row``'s reporter (token, X-Report-Key or
        X-Open311-Token)."""
        key = request.headers.get("X-Report-Key") or None
        open311_token = request.headers.get("X-Open311-Token") or key
        return proves_reporter(
            row, reporter_id=self.signed_in(request), report_key=key, open311_token=open311_token
        )

    def public_view(self, rec: dict | None, output: str = privacy.JSON) -> dict:
        """The report as the public may see it on ``output``; a 404 exactly as for an unknown
        id when the public may not know of it."""
        shown = (
            rec
            and records.public(rec["status"], rec["privacy"])
            and privacy.view(rec, privacy.THE_PUBLIC, output)
        )
        if not shown:
            raise NotFound(NOT_FOUND)
        return shown

    def report_row(self, session, tracking_id: str):
        canonical = normalise(tracking_id)
        row = (
            canonical
            and session.execute(select(reports).where(reports.c.tracking_id == canonical)).first()
        )
        if not row:
            raise NotFound(NOT_FOUND)
        return row

    def owner_row(self, request, tracking_id: str):
        """The report, if the caller is its reporter: the account's token, or the report key
        given to a reporter who filed without an account. Without that proof: 404 for an
        unknown id and for a report the public may not know of (the same answer), 401/403 for
        a public one."""
        with self.db.read() as session:
            row = self.report_row(session, tracking_id)
        if self.proves(request, row):
            return row
        if not records.public(row.status, row.privacy):
            raise NotFound(NOT_FOUND)
        if row.reporter_id and self.signed_in(request) is None:
            raise Unauthorized("Masuk sebagai pelapor / Sign in as the reporter")
        raise Forbidden("Hanya pelapor yang dapat melakukan ini / Only the reporter can do this")

    def record_of(self, tracking_id: str) -> dict | None:
        with self.db.read() as session:
            return records.load(session, tracking_id)


def proves_reporter(row, reporter_id=None, report_key=None, open311_token=None) -> bool:
    """Whether the caller is the report's reporter: their account (a verified token's reporter
    id), the report key given at filing to a reporter without an account, or the Open311
    token the filing client was given."""
    if row.reporter_id:
        return bool(reporter_id) and constant_time.equal(str(reporter_id), str(row.reporter_id))
    if report_key and row.report_key_hash:
        return constant_time.equal(row.report_key_hash, report_keys.key_digest(report_key))
    if open311_token and row.open311_token:
        return constant_time.equal(row.open311_token, open311_token)
    return False
