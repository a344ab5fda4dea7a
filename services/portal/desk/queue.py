"""/desk/dispositions: the reports the officer's agency holds, watches or had escalated to it
(routing's GET /desk/dispositions), nearest deadline first, with filters, totals per status
(counted up to routing's cap), pages by routing's cursors and the same list as CSV (/desk/dispositions.csv, routing's export)."""

from __future__ import annotations

from services.portal import forms
from services.portal.desk import filters
from services.portal.desk.deadlines import nearest
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.downloads import downloaded
from services.portal.handler import page
from services.portal.pages import base

PAGE_SIZE = 25


class QueuePages:
    @page("GET", "/desk/dispositions")
    @officer_page
    def desk_queue(self, request):
        officer = request.officer
        values = filters.chosen(request.args)
        cursor = request.args.get("cursor", "")
        reply = officer.get(
            "routing", "/desk/dispositions", params=filters.params(values, cursor, PAGE_SIZE)
        )
        errors = []
        if not reply.ok:
            errors = forms.errors_for_form(reply.field_errors(), request.lang, "q")
            errors = [
                e | {"field": filters.API_TO_FORM.get(e["field"], e["field"])} for e in errors
            ]
            if not errors:
                errors = [{"field": "q", "message": base.problem_text(request, reply)}]
        listing = (
            reply.body if reply.ok else {"items": [], "total": 0, "by_status": {}, "next": None}
        )
        tree = base.categories(self.api)
        return render_desk(
            request,
            "desk/queue.html",
            200 if reply.ok else 422,
            listing=listing,
            nearest=nearest,
            category_of=lambda cid: base.category_label(tree, cid),
            categories=tree,
            values=values,
            extra=filters.link(values),
            statuses=filters.STATUSES,
            views=filters.VIEWS,
            accesses=filters.ACCESS,
            sorts=filters.SORTS,
            cursor=cursor,
            errors=errors,
            by_field=forms.error_map(errors),
        )

    @page("GET", "/desk/dispositions.csv")
    @officer_page
    def desk_queue_csv(self, request):
        values = filters.chosen(request.args)
        query = {
            k: v for k, v in filters.params(values, "", 1).items() if k not in ("cursor", "limit")
        }
        reply = request.officer.get("routing", "/desk/dispositions.csv", params=query)
        if not reply.ok:
            return render_desk(request, "error.html", reply.status, reason="not_found")
        return downloaded(reply, "antrean-laporan.csv")
