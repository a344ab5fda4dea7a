"""/ and /laporan: what the service is, the public reports, and counts per colour."""

from __future__ import annotations

from services.portal.handler import page
from services.portal.pages import base
from services.portal.rendering import render

PAGE_SIZE = 10
STATUSES = ("dispatched", "in_progress", "awaiting_feedback", "completed")


class PublicPages:
    @page("GET", "/")
    def home(self, request):
        place = {level: request.args.get(level, "") for level in ("province", "regency")}
        choices = base.region_choices(self.api, place)
        code = place["regency"] if place["regency"].startswith(place["province"] + ".") else ""
        code = code or place["province"]
        if "." in code:
            path = f"/statistics/governments/{code}"
        else:
            path = f"/statistics/provinces/{code}" if code else "/statistics/nation"
        stats, recent = self.api.together(
            lambda: self.api.get("reporting", path),
            lambda: self.api.get("intake", "/public/reports", params={"limit": 5}),
        )
        return render(
            request,
            "home.html",
            place=place,
            regions=choices,
            by_colour=(stats.body.get("by_colour") or {}) if stats.ok else {},
            place_names=base.region_label(choices, place),
            recent=recent.body.get("items", []) if recent.ok else [],
        )

    @page("GET", "/laporan")
    def listing(self, request):
        args = request.args
        cursor = args.get("cursor", "")
        filters = {k: args.get(k, "") for k in ("category", "province", "regency", "status")}
        if filters["status"] not in STATUSES:
            filters["status"] = ""
        choices = base.region_choices(self.api, filters)
        region = (
            filters["regency"] if filters["regency"].startswith(filters["province"] + ".") else ""
        )
        params = {
            "category": filters["category"],
            "region": region or filters["province"],
            "status": filters["status"],
            "cursor": cursor,
            "limit": PAGE_SIZE,
        }
        reply = self.api.get(
            "intake", "/public/reports", params={k: v for k, v in params.items() if v != ""}
        )
        return render(
            request,
            "listing.html",
            filters=filters,
            statuses=STATUSES,
            regions=choices,
            categories=base.categories(self.api),
            listing=reply.body if reply.ok else {"items": [], "next": None},
            cursor=cursor,
        )
