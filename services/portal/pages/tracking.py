"""/lacak: a report by its tracking id. Whoever has only the id sees the public view; the
reporter (the key in their session, or signed in) sees their timeline, the agency's answers,
their inbox, and may supplement, comment, give feedback or withdraw."""

from __future__ import annotations

from services.portal import forms
from services.portal.downloads import downloaded
from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import redirect, render

SUPPLEMENT_FIELDS = ["body_addition", "category_id", "event_date"] + list(forms.REGION_LEVELS)
ACTIONS = {
    "komentar": ("comments", "comment_text", "notice.commented"),
    "tanggapan": ("feedback", "feedback_note", "notice.feedback"),
    "batalkan": ("withdraw", "withdraw_reason", "notice.withdrawn"),
}


class TrackingPages:
    @page("GET", "/lacak")
    def track_form(self, request):
        tracking_id = (request.args.get("id") or "").strip().upper()
        if not tracking_id:
            return render(request, "track_form.html", values={})
        reply = self.api.get(
            "intake", f"/reports/{tracking_id}", **self._creds(request, tracking_id)
        )
        if not reply.ok:
            errors = [{"field": "id", "message": self._t(request, "track.not_found")}]
            return render(
                request, "track_form.html", 404, values={"id": tracking_id}, errors=errors
            )
        return redirect(f"/lacak/{reply.body['tracking_id']}")

    @page("GET", "/lacak/<string:tracking_id>")
    def track(self, request, tracking_id):
        return self._report(request, tracking_id, {}, [])

    @page("POST", "/lacak/<string:tracking_id>/lengkapi")
    def supplement(self, request, tracking_id):
        values = forms.values_of(request.form, SUPPLEMENT_FIELDS + forms.PARTY_FIELDS)
        if request.form.get("action") != "kirim":
            return self._report(request, tracking_id, values, [])
        changes = {
            k: values[k] for k in ("body_addition", "category_id", "event_date") if values[k]
        }
        code = forms.region_code(values)
        if code:
            changes["location"] = {"region_code": code}
        parties = forms.draft(values | {"classification": "", "body": ""}, request.lang, True)
        if parties["parties"]:
            changes["parties"] = parties["parties"]
        reply = self.api.post(
            "intake",
            f"/reports/{tracking_id}/supplement",
            json=changes,
            **self._creds(request, tracking_id),
        )
        return self._after(
            request, tracking_id, reply, values, "body_addition", "notice.supplemented"
        )

    @page("POST", "/lacak/<string:tracking_id>/<any(komentar,tanggapan,batalkan):action>")
    def act(self, request, tracking_id, action):
        path, field, notice = ACTIONS[action]
        text = (request.form.get(field) or "").strip()
        if action == "komentar":
            body = {"text": text}
        elif action == "tanggapan":
            body = {"satisfied": request.form.get("satisfied") == "ya", "note": text or None}
        else:
            body = {"reason": text or None}
        reply = self.api.post(
            "intake",
            f"/reports/{tracking_id}/{path}",
            json=body,
            **self._creds(request, tracking_id),
        )
        return self._after(request, tracking_id, reply, {field: text}, field, notice)

    @page("GET", "/lacak/<string:tracking_id>/lampiran/<string:file_id>")
    def followup_file(self, request, tracking_id, file_id):
        """An agency's file on a follow-up, for the reporter (routing judges their proof)."""
        tid = tracking_id.upper()
        reply = self.api.get(
            "routing", f"/dispositions/{tid}/attachments/{file_id}", **self._creds(request, tid)
        )
        if not reply.ok:
            return render(request, "error.html", 404, reason="not_found")
        return downloaded(reply)

    def _after(self, request, tracking_id, reply, values, fallback, notice):
        if reply.ok:
            request.session.notice(notice)
            return redirect(f"/lacak/{tracking_id}")
        errors = forms.errors_for_form(reply.field_errors(), request.lang, fallback)
        if not errors:
            errors = [{"field": fallback, "message": base.problem_text(request, reply)}]
        if fallback == "comment_text":
            errors = [e | {"field": "comment_text"} if e["field"] == "text" else e for e in errors]
        return self._report(request, tracking_id, values, errors, 422)

    def _report(self, request, tracking_id, values, errors, status=200):
        creds = self._creds(request, tracking_id)
        calls = [lambda: self.api.get("intake", f"/reports/{tracking_id}", **creds)]
        if creds["key"] or creds["token"]:  # perhaps the reporter: their inbox at once
            inbox_path = f"/inbox/{tracking_id.upper()}"
            calls.append(lambda: self.api.get("notification", inbox_path, **creds))
        reply, *answer = self.api.together(*calls)
        if not reply.ok:
            errors = [{"field": "id", "message": self._t(request, "track.not_found")}]
            return render(
                request, "track_form.html", 404, values={"id": tracking_id}, errors=errors
            )
        report = reply.body
        own = bool(creds["key"]) or "reporter_name" in report or "reporter_id" in report
        inbox = None
        if own and answer:
            inbox = answer[0].body.get("items", []) if answer[0].ok else None
        missing = forms.errors_for_form(
            [
                {"field": m.get("field"), "message": m.get("message")}
                for m in report.get("missing") or []
            ],
            request.lang,
            "body_addition",
        )
        missing = [m | {"field": "body_addition"} if m["field"] == "body" else m for m in missing]
        return render(
            request,
            "track.html",
            status,
            report=report,
            own=own,
            inbox=inbox,
            missing=missing,
            missing_fields={m["field"] for m in missing},
            values=values,
            errors=errors,
            by_field=forms.error_map(errors),
            categories=base.categories(self.api) if own else [],
            regions=base.region_choices(self.api, values) if own else {},
        )

    def _creds(self, request, tracking_id):
        return base.credentials(request.session, tracking_id.upper())

    def _t(self, request, key):
        from services.portal import i18n

        return i18n.translate(request.lang, key)
