"""Portal: the citizen's web door, HTML rendered on the server. It owns no report data and no
database: every page is made from the public HTTP APIs of intake, routing, the agency
registry, notification and reporting (services.portal.upstream). State between requests lives
in an encrypted, signed cookie (services.portal.session), so any number of copies can serve.

- pages.public    /  and /laporan (public reports)
- pages.filing    /lapor → periksa kembali → kirim → the tracking id
- pages.tracking  /lacak: public view, or the reporter's own with its actions and inbox
- pages.accounts  /daftar, /masuk, /keluar, /laporan-saya
- desk            /desk/…: the officers' desk (its own package, services.portal.desk)
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.wrappers import Response

from services.portal import i18n
from services.portal.desk import DeskPages
from services.portal.desk.settings import DeskSettings
from services.portal.handler import LANG_COOKIE, page
from services.portal.pages.accounts import AccountPages
from services.portal.pages.filing import FilingPages
from services.portal.pages.public import PublicPages
from services.portal.pages.tracking import TrackingPages
from services.portal.rendering import render
from services.portal.upstream import SERVICES, Upstreams
from shared import metrics
from shared.web import json_response

STATIC = Path(__file__).parent / "static"
ASSETS = {path.name: path.read_bytes() for path in STATIC.iterdir() if path.is_file()}


class Portal(PublicPages, FilingPages, TrackingPages, AccountPages, DeskPages):
    name = "portal"

    api = Upstreams()
    desk_settings = DeskSettings()
    metrics = metrics.Metrics()

    @page("GET", "/bahasa/<any(id,en):lang>")
    def switch_language(self, request, lang):
        """GET /bahasa/en?kembali=/lapor → back where the visitor was, in English from now on."""
        back = request.args.get("kembali") or "/"
        target = urlsplit(back)
        if target.scheme or target.netloc or not back.startswith("/") or back.startswith("//"):
            back = "/"
        response = Response("", status=303, headers={"Location": back})
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, samesite="Lax", httponly=True, path="/"
        )
        return response

    @page("GET", "/static/<string:name>")
    def static(self, request, name):
        if name not in ASSETS:
            return render(request, "error.html", 404, reason="not_found")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(
            ASSETS[name],
            content_type=kind + ("; charset=utf-8" if kind.startswith("text/") else ""),
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @page("GET", "/health")
    def health(self, request):
        """200 {"status": "ok", "checks": {"intake": "ok", …}}; 503 when intake, which every
        task needs, does not answer. The portal has no database of its own."""
        checks = {
            service: "ok" if self.api.healthy(service) else "unreachable" for service in SERVICES
        }
        ok = checks["intake"] == "ok"
        degraded = any(value != "ok" for value in checks.values())
        return json_response(
            {
                "service": self.name,
                "status": "degraded" if degraded else "ok",
                "checks": checks,
            },
            200 if ok else 503,
        )

    @page("GET", "/metrics")
    def prometheus(self, request):
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    @page("GET", "/<path:unknown>")
    def not_found(self, request, unknown):
        return render(request, "error.html", 404, reason="not_found")


__all__ = ["Portal", "i18n"]
