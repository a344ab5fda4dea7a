"""/lapor: the report form, "periksa kembali" (check your answers), then intake files it; and
what the form's type-ahead asks while a visitor types (the location picker for what is chosen
so far, the agencies whose name holds the words typed)."""

from __future__ import annotations

import json
import secrets

from services.portal import forms
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect, render, render_kept
from shared.web import json_response


class FilingPages:
    @page("GET", "/lapor")
    def report_form(self, request):
        """The empty form: the same for every visitor but for their CSRF token, kept."""
        categories = base.categories(self.api)
        regions = base.region_choices(self.api, {})
        return render_kept(
            request,
            "report_form.html",
            (categories, regions["province"]),
            values={"privacy": "public", "attachments": []},
            attachments_json="[]",
            categories=categories,
            regions=regions,
        )

    @page("GET", "/lapor/wilayah")
    def region_picker(self, request):
        """The location picker for ?province=73&regency=73.11: the next level's options, as
        the form's "next level" button gives them without script."""
        values = forms.values_of(request.args, list(forms.REGION_LEVELS))
        regions = base.region_choices(self.api, values)
        return render(request, "_regions.html", values=values, regions=regions)

    @page("GET", "/lapor/instansi")
    def agency_search(self, request):
        """?q=disdik barru → {"items": [{"code", "name", "kind"}]}, from the registry."""
        text = " ".join((request.args.get("q") or "").lower().split())[:100]
        if len(text) < 2:
            return json_response({"items": []})
        reply = self.api.get("agency_registry", "/agencies", params={"q": text, "limit": 10})
        found = reply.body.get("items", []) if reply.ok else []
        return json_response({"items": found}, headers={"Cache-Control": "private, max-age=300"})

    @page("POST", "/lapor")
    def report_step(self, request):
        """action=wilayah: show the next level of the location; action=periksa: the check
        page (attachments sent to intake first); action=ubah: back to the form."""
        values = forms.report_values(request.form)
        if request.form.get("action") != "periksa":
            return self._form(request, values)
        errors = self._upload(request, values)
        if errors:
            return self._form(request, values, errors, 422)
        tree = base.categories(self.api)
        choices = base.region_choices(self.api, values)
        return render(
            request,
            "check.html",
            values=values,
            attachments_json=json.dumps(values["attachments"]),
            category=base.category_label(tree, values.get("category_id")),
            region=base.region_label(choices, values),
            idempotency_key=secrets.token_urlsafe(18),
        )

    @page("POST", "/lapor/kirim")
    def report_submit(self, request):
        values = forms.report_values(request.form)
        token = request.session.get("token")
        idem = (request.form.get("idempotency_key") or "")[:64]
        reply = self.api.post(
            "intake",
            "/reports",
            json=forms.draft(values, request.lang, bool(token)),
            token=token,
            headers={"Idempotency-Key": idem} if idem else None,
        )
        if not reply.ok:
            errors = forms.errors_for_form(reply.field_errors(), request.lang, "body")
            if not errors:
                errors = [{"field": "body", "message": base.problem_text(request, reply)}]
            return self._form(request, values, errors, 422)
        tracking_id = reply.body["tracking_id"]
        if reply.body.get("report_key"):
            request.session.keep_key(tracking_id, reply.body["report_key"])
        return redirect(f"/lapor/terkirim/{tracking_id}")

    @page("GET", "/lapor/terkirim/<string:tracking_id>")
    def report_filed(self, request, tracking_id):
        creds = base.credentials(request.session, tracking_id)
        reply = self.api.get("intake", f"/reports/{tracking_id}", **creds)
        if not reply.ok:
            return redirect(f"/lacak?id={tracking_id}")
        return render(request, "filed.html", report=reply.body)

    def _form(self, request, values, errors=(), status=200):
        errors = list(errors)
        return render(
            request,
            "report_form.html",
            status,
            values=values,
            attachments_json=json.dumps(values.get("attachments") or []),
            categories=base.categories(self.api),
            regions=base.region_choices(self.api, values),
            errors=errors,
            by_field=forms.error_map(errors),
        )

    def _upload(self, request, values) -> list[dict]:
        """Each chosen file to intake's POST /attachments; its answer joins the report."""
        errors = []
        for upload in request.files.getlist("files"):
            if not upload or not upload.filename:
                continue
            if len(values["attachments"]) >= 5:
                break
            reply = self.api.post(
                "intake",
                "/attachments",
                files={"file": (upload.filename, upload.stream, upload.mimetype)},
                token=request.session.get("token"),
            )
            if reply.ok:
                values["attachments"].append(
                    {k: reply.body.get(k) for k in ("id", "name", "media_type", "size")}
                )
            else:
                found = forms.errors_for_form(reply.field_errors(), request.lang, "files")
                message = found[0]["message"] if found else base.problem_text(request, reply)
                errors.append({"field": "files", "message": f"{upload.filename}: {message}"})
        removed = set(request.form.getlist("remove_attachment"))
        values["attachments"] = [a for a in values["attachments"] if a["id"] not in removed]
        return errors
