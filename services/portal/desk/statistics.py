"""/desk/statistics and /desk/rankings: a government's card and its agencies' cards
(reporting's GET /statistics/governments/<code>[/agencies]), the ranking of a province's
governments by response speed (GET /rankings/provinces/<code>), over a window of days, and
each as CSV (reporting's own file, passed on). Reporting decides what the officer's token
lets them see: figures outside their scope come in the public view, small cells withheld."""

from __future__ import annotations

import re

from werkzeug.wrappers import Response

from services.portal import forms
from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.desk.refusals import refused
from services.portal.handler import page
from services.portal.pages import base

# the government an agency code lies in (the template's codes: KAB-73-11-DINKES, PROV-73-…)
GOVERNMENT = re.compile(r"(KAB-\d{2}-\d{2}|PROV-\d{2})(?:-|$)")
CODE = re.compile(r"(KAB-\d{2}-\d{2}|PROV-\d{2})")
WINDOW = {"from": "dari", "to": "sampai"}  # reporting's parameter → the form's field
CSV_PARTS = {
    "card": "/statistics/governments/{code}",
    "agencies": "/statistics/governments/{code}/agencies",
    "ranking": "/rankings/provinces/{code}",
}


def government_of(code: str | None) -> str | None:
    match = GOVERNMENT.match(code or "")
    return match[1] if match else None


def province_of(code: str | None) -> str | None:
    government = government_of(code)
    return "PROV-" + government.split("-")[1] if government else None


def chosen(request, name: str, default: str | None) -> str | None:
    value = (request.args.get(name) or "").strip().upper()
    return value if CODE.fullmatch(value) else default


def window(request) -> dict:
    return {api: (request.args.get(field) or "").strip() or None for api, field in WINDOW.items()}


def window_errors(request, reply) -> list[dict]:
    """reporting's 422 on ``from``/``to`` on the form's date fields."""
    errors = forms.errors_for_form(reply.field_errors(), request.lang, "dari")
    return [{**e, "field": WINDOW.get(e["field"], e["field"])} for e in errors]


class StatisticsPages:
    @page("GET", "/desk/statistics")
    @officer_page
    def desk_statistics(self, request):
        officer = request.officer
        code = chosen(request, "kode", government_of(officer.scope))
        context = self._context(request, "kode", code)
        if code is None:
            return render_desk(request, "desk/statistics.html", card=None, **context)
        params = window(request)
        card, agencies = officer.together(
            lambda: officer.get("reporting", CSV_PARTS["card"].format(code=code), params=params),
            lambda: officer.get(
                "reporting", CSV_PARTS["agencies"].format(code=code), params=params
            ),
        )
        if not card.ok:
            return self._refused(request, "desk/statistics.html", "card", card, context)
        return render_desk(
            request,
            "desk/statistics.html",
            card=card.body,
            agencies=agencies.body.get("agencies", []) if agencies.ok else [],
            province=province_of(code),
            **context,
        )

    @page("GET", "/desk/rankings")
    @officer_page
    def desk_rankings(self, request):
        officer = request.officer
        code = chosen(request, "provinsi", province_of(officer.scope))
        context = self._context(request, "provinsi", code)
        if code is None:
            return render_desk(request, "desk/rankings.html", ranking=None, **context)
        reply = officer.get(
            "reporting", CSV_PARTS["ranking"].format(code=code), params=window(request)
        )
        if not reply.ok:
            return self._refused(request, "desk/rankings.html", "ranking", reply, context)
        return render_desk(request, "desk/rankings.html", ranking=reply.body, **context)

    def _context(self, request, field: str, code: str | None) -> dict:
        """What both pages show around their figures: the form as typed, the provinces."""
        values = {field: code or "", **{f: request.args.get(f, "") for f in WINDOW.values()}}
        return dict(
            values=values,
            provinces=self._provinces(),
            code=code,
            officer_government=government_of(request.officer.scope),
        )

    def _refused(self, request, template: str, shown: str, reply, context: dict):
        """A wrong window (422) on the form's date fields; any other refusal on its own page."""
        if reply.status != 422:
            return refused(request, reply, "/" + template.removesuffix(".html"))
        errors = window_errors(request, reply)
        return render_desk(
            request,
            template,
            422,
            errors=errors,
            by_field=forms.error_map(errors),
            **{shown: None},
            **context,
        )

    @page("GET", "/desk/statistics/<any(card,agencies,ranking):part>.csv")
    @officer_page
    def desk_statistics_csv(self, request, part):
        code = chosen(request, "kode", None)
        if code is None:
            return Response("", status=404)
        found = request.officer.download(
            "reporting",
            CSV_PARTS[part].format(code=code),
            params={**window(request), "format": "csv"},
        )
        headers = {"Content-Disposition": found.disposition} if found.disposition else {}
        return Response(
            found.data, status=found.status, content_type=found.content_type, headers=headers
        )

    def _provinces(self) -> list[dict]:
        """[{"code": "PROV-73", "name": "Sulawesi Selatan"}, …] for the choice of a province."""
        return [
            {"code": f"PROV-{region['code']}", "name": region["name"]}
            for region in base.regions(self.api, None)
        ]
