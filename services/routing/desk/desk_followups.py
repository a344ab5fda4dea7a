"""Follow-ups at the desk and the files attached to them (services/routing/state/followup_files.py).

    POST /desk/dispositions/<id>/followups      the holder answers, with or without files
    GET  /desk/dispositions/<id>/attachments/<file id>   the file, for whoever reads the report
    GET  /dispositions/<id>/attachments/<file id>        the file, for the proven reporter

Same rules as the rest of the desk (desk.py): a staff token, ``If-Match``, ``Idempotency-Key``,
problem+json naming the field, 403 outside the person's reach, nothing changed on a refusal.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from services.routing.desk.report_text import ReportUnavailable
from services.routing.desk.schemas import FollowupIn
from services.routing.lifecycle import followups
from services.routing.rules import access
from services.routing.state import followup_files, holding
from shared import attachments
from shared.problems import NotFound, PayloadTooLarge, Unavailable
from shared.web import DEFAULT_MAX_REQUEST_BYTES, http, load, read_json

FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
NO_FILE = "Lampiran tidak ditemukan / Attachment not found"


def followup_request_bytes(config: dict) -> int:
    """A follow-up's allowance: MOST files of ATTACHMENT_MAX_BYTES and the form around them."""
    return followup_files.MOST * attachments.max_bytes(config) + attachments.MULTIPART_OVERHEAD


class DeskFollowupsHttp:
    """Mixed into Routing beside DeskHttp; needs db, staff_tokens, blobs, report_text, work()."""

    @http("POST", "/desk/dispositions/<string:tracking_id>/followups",
          max_request_bytes=followup_request_bytes)  # fmt: skip
    def desk_followup(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/followups {"text": "Petugas sudah ke lokasi.",
        "final": false, "field_inspection": true} → 201 the follow-up (status, due dates,
        "attachments": []). With files: multipart/form-data, the same fields as form fields
        (final=true) and up to 5 parts named ``file`` (JPEG, PNG, WebP or PDF, 5 MB each) →
        "attachments": [{"id", "name", "media_type", "size", "sha256"}]. A form without
        files (application/x-www-form-urlencoded) is taken too."""
        staff = self.staff_tokens.require(request)
        if request.mimetype in FORMS:
            limit = attachments.max_bytes(self.config)
            uploads = attachments.read_files(request, "file", limit, followup_files.MOST)
            data = load(FollowupIn(), request.form.to_dict())
        else:
            limit = int(self.config.get("MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES))
            if (request.content_length or 0) > limit:
                raise PayloadTooLarge(f"Maksimal {limit} bait / At most {limit} bytes")
            request.max_content_length = limit
            uploads, data = [], load(FollowupIn(), read_json(request))
        desk = _desk()
        key = desk._idempotency_key(request)
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = desk._for_change(ctx, tracking_id, request)
            access.check_holder(ctx.directory, staff, held.agency_code)
            posted = followups.post(
                ctx,
                held,
                desk.actor_of(staff),
                data["text"].strip(),
                data["final"],
                data["field_inspection"],
                key,
                followup_files.stored(self.blobs, uploads),
            )
        return 201, posted

    @http("GET", "/desk/dispositions/<string:tracking_id>/attachments/<string:file_id>")
    def desk_followup_file(self, request, tracking_id, file_id):
        """GET /desk/dispositions/LPR-…/attachments/<id> → a follow-up's file, for staff who
        may read the report (holder, watchers, coordinators of its place)."""
        staff = self.staff_tokens.require(request)
        directory = self.directory()
        desk = _desk()
        tid = desk.tracking_id_of(tracking_id)
        with self.db.read() as session:
            held = desk.load_disposition(session, tid)
            readers = holding.readers_of(session, tid)
            reach = access.relation(directory, staff, held.agency_code, readers, held.region_code)
            if reach is None:
                raise access.unreachable(tid, staff)
            row = followup_files.find(session, tid, file_id)
        return self._file(row)

    @http("GET", "/dispositions/<string:tracking_id>/attachments/<string:file_id>")
    def reporter_followup_file(self, request, tracking_id, file_id):
        """GET /dispositions/LPR-…/attachments/<id> with the reporter's proof, as intake takes
        it: ``X-Report-Key`` (the key given at filing), ``Authorization: Bearer <reporter
        token>`` or ``X-Open311-Token`` → the agency's file. Without proof: 404, as for an
        unknown file (the public never sees an agency's files); intake away: 503."""
        tid = _desk().tracking_id_of(tracking_id)
        with self.db.read() as session:
            row = followup_files.find(session, tid, file_id)
        credentials = _credentials(request)
        if row is None or not credentials:
            raise NotFound(NO_FILE)
        try:
            proven = self.report_text.proves_reporter(tid, credentials)
        except ReportUnavailable:
            raise Unavailable("Bukti pelapor belum dapat diperiksa / Cannot check the "
                              "reporter's proof now") from None  # fmt: skip
        if not proven:
            raise NotFound(NO_FILE)
        return self._file(row)

    def _file(self, row) -> Response:
        data = self.blobs.get(row.sha256) if row is not None else None
        if data is None:
            raise NotFound(NO_FILE)
        return Response(
            data,
            content_type=row.media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{row.name}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )


def _credentials(request) -> dict:
    """The reporter's proof as sent (never read from the query string: URLs are logged)."""
    key = request.headers.get("X-Report-Key") or None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    credentials = {
        "report_key": key,
        "open311_token": request.headers.get("X-Open311-Token") or key,
        "token": token.strip() if scheme.lower() == "bearer" else None,
    }
    return {name: value for name, value in credentials.items() if value}


def _desk():
    """desk.py, which mixes this class into DeskHttp (imported when called, not at import)."""
    from services.routing.desk import desk

    return desk
