"""/desk/new-password: an officer whose password an admin reset (or whose account was made
with a temporary one) sets their own, with the registry's POST /auth/password, and is then
signed in as at /desk/login. The temporary password opens no session before that."""

from __future__ import annotations

from urllib.parse import urlencode

from services.portal import forms
from services.portal.desk.guard import back_to
from services.portal.desk.layout import render_desk
from services.portal.handler import page
from services.portal.pages import base

FIELDS = ("username", "current_password", "new_password")


def new_password_address(username: str, kembali: str | None) -> str:
    return "/desk/new-password?" + urlencode({"username": username, "kembali": back_to(kembali)})


class NewPasswordPages:
    @page("GET", "/desk/new-password")
    def desk_new_password_form(self, request):
        values = {"username": (request.args.get("username") or "").strip()}
        return self._new_password_page(request, values, [])

    @page("POST", "/desk/new-password")
    def desk_new_password(self, request):
        values = {name: request.form.get(name) or "" for name in FIELDS}
        values["username"] = values["username"].strip()
        reply = self.api.post("agency_registry", "/auth/password", json=values)
        if reply.ok:
            return self._open_session(request, reply, values["username"])
        errors = forms.errors_for_form(reply.field_errors(), request.lang, "current_password")
        if not errors:
            errors = [{"field": "current_password", "message": base.problem_text(request, reply)}]
        status = reply.status if reply.status in (401, 429) else 422
        return self._new_password_page(request, {"username": values["username"]}, errors, status)

    def _new_password_page(self, request, values, errors, status=200):
        return render_desk(
            request,
            "desk/new_password.html",
            status,
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
            kembali=back_to(request.values.get("kembali")),
        )
