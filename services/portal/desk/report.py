"""/desk/dispositions/<id>: one report as routing's desk gives it to this officer (its text
through intake's privacy filter, timeline, routing history with each rule and why, clocks in
the holding agency's local time), and the actions they may take. Each action form carries the
version the officer read (the detail's ETag), sent back as If-Match: if another officer
changed the report meanwhile, routing refuses (412), nothing is overwritten, and the page comes
back with the report as it is now, what the officer typed, and a message saying so."""

from __future__ import annotations

import re
import secrets

from services.portal import forms
from services.portal.desk import action_forms, refusals
from services.portal.desk.actions import offered
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.downloads import downloaded
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect

ACTIONS = "any(followup,decline,confirm,dispatch,postpone,archive,correct)"
SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a tracking or file id, put into routing's paths


def checked(*segments: str) -> bool:
    return all(SEGMENT.fullmatch(segment) for segment in segments)


class ReportPages:
    @page("GET", "/desk/dispositions/<string:tracking_id>")
    @officer_page
    def desk_report(self, request, tracking_id):
        return self._desk_report(request, tracking_id)

    @page("GET", "/desk/dispositions/<string:tracking_id>/lampiran/<string:file_id>")
    @officer_page
    def desk_followup_file(self, request, tracking_id, file_id):
        """A follow-up's file, fetched from routing with the officer's token."""
        if not checked(tracking_id, file_id):
            return render_desk(request, "error.html", 404, reason="not_found")
        reply = request.officer.get(
            "routing", f"/desk/dispositions/{tracking_id}/attachments/{file_id}"
        )
        if not reply.ok:
            return render_desk(request, "error.html", 404, reason="not_found")
        return downloaded(reply)

    @page("POST", f"/desk/dispositions/<string:tracking_id>/<{ACTIONS}:action>")
    @officer_page
    def desk_act(self, request, tracking_id, action):
        if not checked(tracking_id):
            return render_desk(request, "error.html", 404, reason="not_found")
        typed = action_forms.values(action, request.form)
        version = (request.form.get("version") or "").strip()
        headers = {"If-Match": f'"{version}"'} if version.isdigit() else {}
        idem = (request.form.get("idempotency_key") or "")[:64]
        if idem:
            headers["Idempotency-Key"] = idem
        path = f"/desk/dispositions/{tracking_id}/{action_forms.PATHS[action]}"
        uploads = [u for u in request.files.getlist(f"{action}_files") if u and u.filename][
            : action_forms.MOST_FILES
        ]
        if uploads:
            fields = action_forms.multipart(action, typed, uploads)
            reply = request.officer.post("routing", path, files=fields, headers=headers)
        else:
            body = action_forms.body(action, typed)
            reply = request.officer.post("routing", path, json=body, headers=headers)
        duplicate = reply.status == 409 and "duplicate-submission" in str(reply.body.get("type"))
        if reply.ok or duplicate:
            request.session.notice(f"desk.done.{action}")
            return redirect(f"/desk/dispositions/{tracking_id}")
        if reply.status == 412:
            return self._desk_report(request, tracking_id, action, typed, [], conflict=True)
        errors = action_forms.errors(action, reply.field_errors(), request.lang)
        if not errors:
            first = f"{action}_{action_forms.TEXT[action][0]}"
            errors = [{"field": first, "message": refusals.in_one_line(request.lang, reply)}]
        return self._desk_report(request, tracking_id, action, typed, errors)

    def _desk_report(self, request, tracking_id, action=None, typed=None, errors=(), **flags):
        officer = request.officer
        if not checked(tracking_id):
            return render_desk(request, "error.html", 404, reason="not_found")
        reply = officer.get("routing", f"/desk/dispositions/{tracking_id}")
        if not reply.ok:
            reason = "not_found" if reply.status in (403, 404) else "internal"
            return render_desk(request, "error.html", 404, reason=reason)
        detail = reply.body
        holder = officer.get("agency_registry", f"/agencies/{detail['agency_code']}")
        province = (detail.get("region_code") or "").split(".")[0]
        errors = list(errors)
        status = 412 if flags.get("conflict") else (422 if errors else 200)
        return render_desk(
            request,
            "desk/report.html",
            status,
            detail=detail,
            report=detail.get("report") or {},
            version=str(reply.headers.get("ETag", "")).strip('"') or detail.get("version"),
            holder_zone=holder.body.get("timezone") if holder.ok else None,
            actions=offered(detail, officer.role),
            opened=action,
            categories=base.categories(self.api),
            provinces=base.regions(self.api, None),
            regencies=base.regions(self.api, province) if province else [],
            idempotency_key=secrets.token_urlsafe(18),
            values=typed or {},
            errors=errors,
            by_field=forms.error_map(errors),
            **flags,
        )
