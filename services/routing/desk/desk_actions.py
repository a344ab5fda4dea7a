"""The coordinators' everyday verdicts at the desk (SPEC §4): archive, postpone, correct.

Same rules as the rest of the desk (desk.py): a staff token, ``If-Match`` against the detail's
ETag, problem+json naming the field on bad input, 403 outside the person's reach, and nothing
changed on a refusal. A coordinator reaches every report held in its subtree and every report
about a place in its government, wherever it is held.
"""

from __future__ import annotations

from services.routing.desk.schemas import ArchiveIn, CorrectIn, PostponeIn
from services.routing.lifecycle import closing, correcting
from services.routing.rules import access
from shared.regions import load_regions
from shared.tracking import normalise
from shared.web import http, load, read_json


class DeskActionsHttp:
    """Mixed into Routing beside DeskHttp; needs db, staff_tokens and work()."""

    @http("POST", "/desk/dispositions/<string:tracking_id>/archive")
    def desk_archive(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/archive {"reason": "duplicate", "duplicate_of":
        "LPR-7K3M-9Q2X-H4TB", "note": "Sudah dilaporkan tetangga"} → {"status": "archived",
        "archived_reason": "duplicate", "duplicate_of": "LPR-…", …}. Reasons: duplicate, spam,
        not_public_service, withdrawn."""
        staff = self.staff_tokens.require(request)
        data = load(ArchiveIn(), read_json(request))
        original = data["duplicate_of"]
        if original:
            original = normalise(original) or original
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _desk()._for_change(ctx, tracking_id, request)
            access.check_coordinator(ctx.directory, staff, held.agency_code, report=held)
            return closing.archive(
                ctx, held, _desk().actor_of(staff), data["reason"], original, _text(data["note"])
            )

    @http("POST", "/desk/dispositions/<string:tracking_id>/postpone")
    def desk_postpone(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/postpone {"note": "Sebutkan nama sekolah dan
        tanggal kejadian"} → {"status": "returned", …}: the reporter is told what to complete
        and has 10 working days; their supplement brings it back to verification."""
        staff = self.staff_tokens.require(request)
        data = load(PostponeIn(), read_json(request))
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _desk()._for_change(ctx, tracking_id, request)
            access.check_coordinator(ctx.directory, staff, held.agency_code, report=held)
            return closing.postpone(ctx, held, _desk().actor_of(staff), data["note"].strip())

    @http("POST", "/desk/dispositions/<string:tracking_id>/correct")
    def desk_correct(self, request, tracking_id):
        """POST /desk/dispositions/LPR-…/correct {"category_id": "infrastruktur.jalan_provinsi",
        "region_code": "73.11", "classification": "complaint", "privacy": "confidential"}
        (any of them) → {"before": {…}, "after": {…}, "rerouted": true, "agency_code": …}.
        Privacy only upwards; a change of who is competent re-routes the report."""
        staff = self.staff_tokens.require(request)
        data = load(CorrectIn(), _desk()._body_or_empty(request))
        regions = load_regions() if data.get("region_code") else None
        with self.db.transaction() as tx:
            ctx = self.work(tx)
            held = _desk()._for_change(ctx, tracking_id, request)
            access.check_coordinator(ctx.directory, staff, held.agency_code, report=held)
            return correcting.correct(ctx, held, _desk().actor_of(staff), data, regions)


def _desk():
    """desk.py, which mixes this class into DeskHttp (imported when called, not at import)."""
    from services.routing.desk import desk

    return desk


def _text(note: str | None) -> str | None:
    note = (note or "").strip()
    return note or None
