"""/daftar, /masuk, /keluar, /laporan-saya: a reporter's account, kept by intake; the portal
keeps only the sign-in token, in the session."""

from __future__ import annotations

from services.portal import forms
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect, render

REGISTRATION = (
    "nik full_name display_name gender birth_date occupation username phone email".split()
)
PAGE_SIZE = 20


class AccountPages:
    @page("GET", "/daftar")
    def register_form(self, request):
        return render(request, "register.html", values={}, by_field={})

    @page("POST", "/daftar")
    def register(self, request):
        values = forms.values_of(request.form, REGISTRATION)
        password = request.form.get("password") or ""
        body = {k: v for k, v in values.items() if v} | {
            "password": password,
            "language": request.lang,
        }
        reply = self.api.post("intake", "/reporters", json=body)
        if not reply.ok:
            errors = forms.errors_for_form(reply.field_errors(), request.lang, "nik")
            if not errors:
                errors = [{"field": "nik", "message": base.problem_text(request, reply)}]
            return render(
                request,
                "register.html",
                422,
                values=values,
                errors=errors,
                by_field=forms.error_map(errors),
            )
        signed = self.api.post(
            "intake", "/login", json={"login": values["username"], "password": password}
        )
        if signed.ok:
            request.session["token"] = signed.body["token"]
        request.session.notice("notice.registered")
        return redirect("/laporan-saya" if signed.ok else "/masuk")

    @page("GET", "/masuk")
    def login_form(self, request):
        return render(request, "login.html", values={}, by_field={})

    @page("POST", "/masuk")
    def login(self, request):
        login = (request.form.get("login") or "").strip()
        reply = self.api.post(
            "intake",
            "/login",
            json={"login": login, "password": request.form.get("password") or ""},
        )
        if not reply.ok:
            errors = [{"field": "login", "message": base.problem_text(request, reply)}]
            return render(
                request,
                "login.html",
                401 if reply.status == 401 else 422,
                values={"login": login},
                errors=errors,
                by_field=forms.error_map(errors),
            )
        request.session["token"] = reply.body["token"]
        request.session.notice("notice.signed_in")
        return redirect("/laporan-saya")

    @page("POST", "/keluar")
    def logout(self, request):
        request.session.sign_out()
        request.session.notice("notice.signed_out")
        return redirect("/")

    @page("GET", "/laporan-saya")
    def my_reports(self, request):
        token = request.session.get("token")
        if not token:
            return redirect("/masuk")
        offset = max(0, request.args.get("offset", 0, type=int))
        reply = self.api.get(
            "intake", "/me/reports", params={"offset": offset, "limit": PAGE_SIZE}, token=token
        )
        if reply.status == 401:
            request.session.pop("token")
            return redirect("/masuk")
        return render(request, "my_reports.html", listing=reply.body, offset=offset, size=PAGE_SIZE)
