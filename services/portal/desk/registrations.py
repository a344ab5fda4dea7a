"""/desk/registrations: new agencies waiting below the officer's scope (the registry's
GET /registrations), each with its details, and for a coordinator approve, or reject with a
reason (POST /agencies/<code>/approve|reject). Who may decide is the registry's to say: an
officer who may not is shown no button, and a POST sent anyway gets the registry's refusal."""

from __future__ import annotations

from services.portal import forms
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.desk.refusals import refused
from services.portal.handler import page
from services.portal.rendering import redirect

LIST = "/desk/registrations"
PAGE_SIZE = 50
DONE = {"approve": "desk.registrations.approved", "reject": "desk.registrations.rejected"}


class RegistrationPages:
    @page("GET", "/desk/registrations")
    @officer_page
    def desk_registrations(self, request):
        offset = max(0, request.args.get("offset", 0, type=int))
        reply = request.officer.get(
            "agency_registry", "/registrations", params={"offset": offset, "limit": PAGE_SIZE}
        )
        if not reply.ok:
            return refused(request, reply, "/desk/dispositions")
        return render_desk(
            request,
            "desk/registrations.html",
            items=reply.body["items"],
            offset=offset,
            size=PAGE_SIZE,
        )

    @page("GET", "/desk/registrations/<string:code>")
    @officer_page
    def desk_registration(self, request, code):
        return self._registration_page(request, code, {}, [])

    @page("POST", "/desk/registrations/<string:code>/<any(approve,reject):action>")
    @officer_page
    def desk_decide_registration(self, request, code, action):
        reason = (request.form.get("reason") or "").strip()
        body = {"reason": reason} if reason or action == "reject" else {}
        reply = request.officer.post("agency_registry", f"/agencies/{code}/{action}", json=body)
        if reply.ok:
            request.session.notice(DONE[action])
            return redirect(LIST)
        errors = forms.errors_for_form(reply.field_errors(), request.lang, "reason")
        if reply.status == 422 and errors:
            return self._registration_page(request, code, {"reason": reason}, errors, 422)
        return refused(request, reply, f"{LIST}/{code}")

    def _registration_page(self, request, code, values, errors, status=200):
        reply = request.officer.get("agency_registry", f"/agencies/{code}")
        if not reply.ok:
            return refused(request, reply, LIST)
        return render_desk(
            request,
            "desk/registration.html",
            status,
            agency=reply.body,
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
        )
