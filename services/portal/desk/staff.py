"""/desk/staff: the accounts of the officer's subtree (the registry's GET /staff), a new
account (POST /staff, its temporary password shown once), deactivate or reactivate, and a
password reset (POST /staff/<id>/password-reset) after a confirmation. The registry decides
who may manage whom; its refusals are shown as they come."""

from __future__ import annotations

from services.portal import forms
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.desk.refusals import refused, slug
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect

LIST = "/desk/staff"
PAGE_SIZE = 50
FIELDS = ("full_name", "username", "email", "role", "agency_code")
ROLES = ("liaison", "agency_admin", "coordinator_admin", "oversight_viewer", "national_admin")
AGENCY_CHOICES = 500  # a subtree up to this many agencies is a list to choose from
# a refusal without a field (403) is put on the field it is about
REFUSAL_FIELD = {"out-of-subtree": "agency_code", "not-permitted": "role"}
DONE = {"deactivate": "desk.staff.deactivated", "reactivate": "desk.staff.reactivated"}


class StaffPages:
    @page("GET", "/desk/staff")
    @officer_page
    def desk_staff(self, request):
        offset = max(0, request.args.get("offset", 0, type=int))
        agency = (request.args.get("agency") or "").strip() or None
        params = {"agency": agency, "offset": offset, "limit": PAGE_SIZE}
        reply = request.officer.get("agency_registry", "/staff", params=params)
        if not reply.ok:
            return refused(request, reply, LIST if agency else "/desk/dispositions")
        return render_desk(
            request,
            "desk/staff.html",
            items=reply.body["items"],
            offset=offset,
            size=PAGE_SIZE,
            page_query={"agency": agency},
            values={"agency": agency or ""},
        )

    @page("GET", "/desk/staff/new")
    @officer_page
    def desk_staff_form(self, request):
        return self._staff_form(request, {"role": "liaison"}, [])

    @page("POST", "/desk/staff")
    @officer_page
    def desk_staff_create(self, request):
        values = forms.values_of(request.form, FIELDS)
        body = {name: value for name, value in values.items() if value}
        reply = request.officer.post("agency_registry", "/staff", json=body)
        if reply.ok:
            return render_desk(request, "desk/staff_password.html", account=reply.body, new=True)
        errors = forms.errors_for_form(reply.field_errors(), request.lang, "username")
        if not reply.field_errors():
            field = REFUSAL_FIELD.get(slug(reply), "username")
            errors = [{"field": field, "message": base.problem_text(request, reply)}]
        errors.sort(key=lambda e: FIELDS.index(e["field"]) if e["field"] in FIELDS else 99)
        return self._staff_form(request, values, errors, reply.status)

    @page("POST", "/desk/staff/<string:staff_id>/<any(deactivate,reactivate):action>")
    @officer_page
    def desk_staff_status(self, request, staff_id, action):
        reply = request.officer.post("agency_registry", f"/staff/{staff_id}/{action}")
        if not reply.ok:
            return refused(request, reply, LIST)
        request.session.notice(DONE[action])
        return redirect(LIST)

    @page("GET", "/desk/staff/<string:staff_id>/password-reset")
    @officer_page
    def desk_staff_reset_form(self, request, staff_id):
        reply = request.officer.get("agency_registry", f"/staff/{staff_id}")
        if not reply.ok:
            return refused(request, reply, LIST)
        return render_desk(request, "desk/staff_reset.html", account=reply.body)

    @page("POST", "/desk/staff/<string:staff_id>/password-reset")
    @officer_page
    def desk_staff_reset(self, request, staff_id):
        reply = request.officer.post("agency_registry", f"/staff/{staff_id}/password-reset")
        if not reply.ok:
            return refused(request, reply, LIST)
        account = {**reply.body["staff"], "temporary_password": reply.body["temporary_password"]}
        return render_desk(request, "desk/staff_password.html", account=account, new=False)

    def _staff_form(self, request, values, errors, status=200):
        officer = request.officer
        agencies = officer.get(
            "agency_registry",
            f"/agencies/{officer.scope}/subtree",
            params={"limit": AGENCY_CHOICES},
        )
        choices = None
        if agencies.ok and not agencies.body.get("next"):
            choices = [a for a in agencies.body["items"] if a.get("status") == "active"]
        return render_desk(
            request,
            "desk/staff_form.html",
            status if errors else 200,
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
            roles=ROLES,
            agencies=choices,
        )
