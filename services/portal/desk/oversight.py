"""Read-only views for those who watch: /desk/identity-reads, who saw a confidential
reporter's identity, which report, when (intake's GET /identity-reads, for national admins and
oversight; never the identity itself), and /desk/audit, who changed which agency or account
(the registry's GET /audit, for admins and oversight). Each in the viewer's scope, as the
service decides; neither page has anything to send."""

from __future__ import annotations

from services.portal import forms
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.desk.refusals import refused
from services.portal.handler import page

PAGE_SIZE = 50
FILTERS = {"from": "dari", "to": "sampai", "tracking_id": "nomor"}  # intake's → the form's


class OversightPages:
    @page("GET", "/desk/identity-reads")
    @officer_page
    def desk_identity_reads(self, request):
        offset = max(0, request.args.get("offset", 0, type=int))
        values = {field: (request.args.get(field) or "").strip() for field in FILTERS.values()}
        params = {api: values[field] or None for api, field in FILTERS.items()}
        reply = request.officer.get(
            "intake", "/identity-reads", params={**params, "offset": offset, "limit": PAGE_SIZE}
        )
        errors = []
        if reply.status == 422:
            errors = [
                {**e, "field": FILTERS.get(e["field"], e["field"])}
                for e in forms.errors_for_form(reply.field_errors(), request.lang, "dari")
            ]
        elif not reply.ok:
            return refused(request, reply, "/desk/dispositions")
        return render_desk(
            request,
            "desk/identity_reads.html",
            422 if errors else 200,
            log=reply.body if reply.ok else {"items": [], "total": 0},
            items=reply.body.get("items", []) if reply.ok else [],
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
            offset=offset,
            size=PAGE_SIZE,
            page_query=values,
        )


class AuditPages:
    @page("GET", "/desk/audit")
    @officer_page
    def desk_audit(self, request):
        before = request.args.get("before_id", type=int)
        reply = request.officer.get(
            "agency_registry", "/audit", params={"before_id": before, "limit": PAGE_SIZE}
        )
        if not reply.ok:
            return refused(request, reply, "/desk/dispositions")
        return render_desk(
            request,
            "desk/audit.html",
            items=reply.body["items"],
            next_before_id=reply.body.get("next_before_id"),
        )
