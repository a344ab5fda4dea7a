"""/desk/login, /desk/logout: an officer signs in with the registry's staff username and
password (POST /auth/token). The token is kept in the encrypted session cookie only, with the
officer's name and agency (read once, from /staff/me and /agencies/<code>)."""

from __future__ import annotations

import time

from services.portal import forms
from services.portal.desk.guard import HOME, back_to
from services.portal.desk.new_password import new_password_address
from services.portal.desk.refusals import slug
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect, render

REFUSED = {401: "desk.login.wrong", 403: "desk.login.inactive", 429: "desk.login.too_many"}
EXPIRED = "temporary-password-expired"


class SignInPages:
    @page("GET", "/desk")
    def desk_home(self, request):
        return redirect(HOME)

    @page("GET", "/desk/login")
    def desk_login_form(self, request):
        return self._login_page(request, {}, [])

    @page("POST", "/desk/login")
    def desk_login(self, request):
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        reply = self.api.post(
            "agency_registry", "/auth/token", json={"username": username, "password": password}
        )
        if reply.status == 403 and slug(reply) == "password-change-required":
            return redirect(new_password_address(username, request.form.get("kembali")))
        if not reply.ok:
            errors = forms.errors_for_form(reply.field_errors(), request.lang, "username")
            if reply.status in REFUSED or not errors:
                key = "desk.login.temporary_expired" if slug(reply) == EXPIRED else None
                key = key or REFUSED.get(reply.status)
                text = base.problem_text(request, reply) if key is None else None
                errors = [{"field": "username", "message": text or _t(request, key)}]
            status = reply.status if reply.status in (401, 403, 429) else 422
            return self._login_page(request, {"username": username}, errors, status)
        return self._open_session(request, reply, username)

    def _open_session(self, request, reply, username: str):
        """The desk session from a token answer (POST /auth/token or /auth/password)."""
        token = reply.body["token"]
        me = self.api.get("agency_registry", "/staff/me", token=token).body
        code = me.get("agency_code") or reply.body["staff"]["agency_code"]
        agency = self.api.get("agency_registry", f"/agencies/{code}", token=token)
        request.session.pop("csrf")  # a fresh CSRF token for the signed-in session
        request.session["desk"] = {
            "token": token,
            "expires_at": reply.body.get("expires_at"),
            "seen": time.time(),
            "username": me.get("username") or username,
            "full_name": me.get("full_name") or username,
            "role": me.get("role") or reply.body["staff"]["role"],
            "agency_code": code,
            "agency_name": agency.body.get("name") if agency.ok else code,
            "scope": me.get("scope"),
            "timezone": agency.body.get("timezone") if agency.ok else None,
        }
        request.session.notice("desk.notice.signed_in")
        return redirect(back_to(request.form.get("kembali")))

    @page("POST", "/desk/logout")
    def desk_logout(self, request):
        request.session.pop("desk")
        request.session.pop("csrf")
        request.session.notice("desk.notice.signed_out")
        return redirect("/desk/login")

    def _login_page(self, request, values, errors, status=200):
        return render(
            request,
            "desk/login.html",
            status,
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
            kembali=back_to(request.values.get("kembali")),
        )


def _t(request, key):
    from services.portal import i18n

    return i18n.translate(request.lang, key)
