"""The HTTP JSON door for the web and the mobile app: file, follow and act on a report."""

from __future__ import annotations

import logging

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from services.intake import filing, idempotency, records, report_keys, reporter_actions, schemas
from services.intake.door import Door, proves_reporter
from services.intake.models import attachments
from services.intake.problems import IdempotencyKeyReused
from shared import attachments as files
from shared import categories, lifecycle, privacy
from shared.problems import InvalidInput, NotFound
from shared.web import http, read_json

log = logging.getLogger(__name__)

# one instance of each: marshmallow schemas are reusable, and building one costs more than a load
_DRAFT = schemas.HttpReportDraft()
_SUPPLEMENT = schemas.Supplement()
_COMMENT = schemas.Comment()
_FEEDBACK = schemas.Feedback()
_WITHDRAWAL = schemas.Withdrawal()


def attachment_request_bytes(config: dict) -> int:
    """The upload's allowance past MAX_REQUEST_BYTES: one attachment and its multipart frame."""
    return files.max_bytes(config) + files.MULTIPART_OVERHEAD


class ReportsDoor(Door):
    @http("POST", "/reports")
    def submit(self, request):
        """POST /reports {"classification": "complaint", "category_id": "pendidikan.sma",
        "title": "…", "body": "…", "event_date": "2026-11-20", "location": {"region_code": "73.11"},
        "privacy": "public"} → 201 {"tracking_id": "LPR-…", "status": {...}, "missing": [...]}.
        Signed in (Bearer token): the report is the account's; without an account the answer
        carries a ``report_key`` (send it as X-Report-Key). Idempotency-Key: the same key from
        the same client (the account, else the client address) with the same body → 200 and
        the first report; with another body → 422; another client's key is another key."""
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 1 <= len(key) <= 128:
            raise InvalidInput(
                errors=[
                    {"field": "Idempotency-Key", "message": "1–128 karakter / 1–128 characters"}
                ]
            )
        reporter_id = self.signed_in(request)
        client = f"reporter:{reporter_id}" if reporter_id else f"address:{self.client(request)}"
        self.throttle("http", reporter_id or self.client(request), self.settings.http_limit)
        draft = self.body(request, _DRAFT)
        stored_key = idempotency.scoped("http", client, key) if key else None
        digest = idempotency.payload_digest(read_json(request)) if key else None
        if stored_key and (first := self._by_key(stored_key, digest)):
            return 200, first
        contact = draft["reporter"]
        identity = {"reporter_id": reporter_id}
        if not reporter_id:
            identity.update(
                reporter_name=contact.get("name"),
                reporter_phone=contact.get("phone"),
                reporter_email=contact.get("email"),
            )
        try:
            with self.db.transaction() as tx:
                filed = filing.file_report(
                    tx,
                    draft,
                    identity,
                    self.settings.filing,
                    self.clock.now(),
                    idempotency_key=stored_key,
                    request_digest=digest,
                    report_key_secret=None if reporter_id else self.settings.token_secret,
                )
        except IntegrityError:  # a retry with the same key raced us
            first = self._by_key(stored_key, digest) if stored_key else None
            if first is None:
                raise
            return 200, first
        written = records.record(filed.row)  # what this transaction wrote: nothing read back
        body = self._answer(written)
        log.info("filed %s", privacy.for_log(written))
        if filed.report_key:
            body["report_key"] = filed.report_key
        return 201, {"Location": f"/reports/{filed.tracking_id}"}, body

    def _by_key(self, stored_key: str, digest: str) -> dict | None:
        with self.db.read() as session:
            try:
                tracking_id = idempotency.first_report(session, stored_key, digest)
            except idempotency.KeyReused:
                raise IdempotencyKeyReused(
                    errors=[
                        {
                            "field": "Idempotency-Key",
                            "message": "Kunci ini sudah dipakai dengan isi lain; pakai kunci "
                            "baru / This key was sent with another body; use a new key",
                        }
                    ]
                ) from None
        if tracking_id is None:
            return None
        answer = self._answer(self.record_of(tracking_id))
        # the first answer's report key again: this is the same client with the same body
        report_key = report_keys.report_key_for(self.settings.token_secret, tracking_id)
        with self.db.read() as session:
            row = self.report_row(session, tracking_id)
        if proves_reporter(row, report_key=report_key):
            answer["report_key"] = report_key
        return answer

    def _answer(self, record: dict) -> dict:
        """What the reporter is told after filing or supplementing (they filed it, or proved
        it is theirs)."""
        shown = privacy.view(record, privacy.REPORTER, privacy.JSON)
        return {
            "tracking_id": record["tracking_id"],
            "status": lifecycle.describe(shown["status"]),
            "missing": shown["missing"],
            "deadline_at": shown["deadline_at"],
        }

    @http("GET", "/reports/<string:tracking_id>")
    def track(self, request, tracking_id):
        """GET /reports/LPR-7K3M-9Q2X-H4TB → status, colour, agency, timeline. The reporter
        (Bearer token, or X-Report-Key: the key given at filing) sees everything: content,
        identity, comments, attachments, missing items. Anyone else sees what the public may
        (SPEC §3): 404 as for an unknown id for a confidential or not yet dispatched report."""
        with self.db.read() as session:
            row = self.report_row(session, tracking_id)
            rec = records.load(session, row.tracking_id)
        if self.proves(request, row):
            return present(privacy.view(rec, privacy.REPORTER, privacy.JSON))
        return present(self.public_view(rec))

    @http("POST", "/reports/<string:tracking_id>/supplement")
    def supplement(self, request, tracking_id):
        """POST /reports/LPR-…/supplement {"event_date": "2026-11-20", "location":
        {"region_code": "73.11"}, "body_addition": "…"} → the re-checked status and what is
        still missing. Only the reporter (token or X-Report-Key), only while returned."""
        row = self.owner_row(request, tracking_id)
        changes = self.body(request, _SUPPLEMENT)
        with self.db.transaction() as tx:
            filed = filing.supplement(tx, row, changes, self.settings.filing, self.clock.now())
        return self._answer(self.record_of(filed.tracking_id))

    @http("POST", "/reports/<string:tracking_id>/comments")
    def comment(self, request, tracking_id):
        """POST /reports/LPR-…/comments {"text": "Sudah dua minggu belum ada kabar."} → 201."""
        row = self.owner_row(request, tracking_id)
        data = self.body(request, _COMMENT)
        with self.db.transaction() as tx:
            comment_id = reporter_actions.comment(tx, row, data["text"], self.clock.now())
        return 201, {"tracking_id": row.tracking_id, "comment_id": comment_id}

    @http("POST", "/reports/<string:tracking_id>/feedback")
    def feedback(self, request, tracking_id):
        """POST /reports/LPR-…/feedback {"satisfied": false, "note": "Jalan belum diperbaiki"}
        → {"status": {"code": "in_progress", ...}}; only while awaiting_feedback."""
        row = self.owner_row(request, tracking_id)
        data = self.body(request, _FEEDBACK)
        with self.db.transaction() as tx:
            status = reporter_actions.feedback(
                tx, row, data["satisfied"], data["note"], self.clock.now()
            )
        return {"tracking_id": row.tracking_id, "status": lifecycle.describe(status)}

    @http("POST", "/reports/<string:tracking_id>/withdraw")
    def withdraw(self, request, tracking_id):
        """POST /reports/LPR-…/withdraw {"reason": "Sudah selesai sendiri"} → archived (withdrawn)."""
        row = self.owner_row(request, tracking_id)
        data = self.body(request, _WITHDRAWAL)
        with self.db.transaction() as tx:
            reporter_actions.withdraw(tx, row, data["reason"], self.clock.now())
        return {"tracking_id": row.tracking_id, "status": lifecycle.describe("archived")}

    @http("POST", "/attachments", max_request_bytes=attachment_request_bytes)
    def upload(self, request):
        """POST /attachments (multipart/form-data, field ``file``: a JPEG, PNG, WebP or PDF)
        → 201 {"id": "…", "name": "foto.jpg", "media_type": "image/jpeg", "size": 1234,
        "sha256": "…"}; then name the id in a report's ``attachments``."""
        self.throttle(
            "http", self.signed_in(request) or self.client(request), self.settings.http_limit
        )
        uploads = files.read_files(request, "file", self.settings.max_attachment_bytes, 1)
        if not uploads:
            raise InvalidInput(errors=[{"field": "file", "message": "Wajib diisi / Required"}])
        upload, data = uploads[0], uploads[0].data
        digest = self.blobs.put(data)
        meta = {
            "id": filing.new_attachment_id(),
            "name": upload.name,
            "media_type": upload.media_type,
            "size": len(data),
            "sha256": digest,
        }
        with self.db.transaction() as tx:
            tx.session.execute(insert(attachments).values(**meta, uploaded_at=self.clock.now()))
        return 201, meta

    @http("GET", "/reports/<string:tracking_id>/attachments/<string:attachment_id>")
    def attachment(self, request, tracking_id, attachment_id):
        """GET /reports/LPR-…/attachments/<id> → the file, for its reporter only (Bearer token
        or X-Report-Key): what they attached can show who they are."""
        row = self.owner_row(request, tracking_id)
        with self.db.read() as session:
            meta = session.execute(
                select(attachments).where(
                    attachments.c.id == attachment_id,
                    attachments.c.tracking_id == row.tracking_id,
                )
            ).first()
        data = self.blobs.get(meta.sha256) if meta else None
        if data is None:
            raise NotFound("Lampiran tidak ditemukan / Attachment not found")
        return Response(
            data,
            content_type=meta.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{meta.name}"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    @http("GET", "/categories")
    def categories(self, request):
        """GET /categories → [{"id": "pendidikan", "name": {"id": "Pendidikan", "en":
        "Education"}, "supervision": false, "children": [...]}, ...]"""
        return {"categories": categories.as_tree()}


def present(shown: dict) -> dict:
    """A filtered record shaped for a JSON answer: status and agency grouped."""
    grouped = ("status_label", "colour", "agency_code", "agency_name")
    answer = {key: value for key, value in shown.items() if key not in grouped}
    answer["status"] = {
        "code": shown["status"],
        "label": shown.get("status_label"),
        "colour": shown.get("colour"),
    }
    answer["agency"] = (
        {"code": shown["agency_code"], "name": shown.get("agency_name")}
        if shown.get("agency_code")
        else None
    )
    return answer
