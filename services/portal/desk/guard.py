"""Desk pages are for a signed-in officer only.

    @page("GET", "/desk/dispositions")
    @officer_page
    def queue(self, request):
        request.officer.get(...)         # see officer.py
        return render_desk(request, "desk/queue.html", …)

Without a desk sign-in, after PORTAL_DESK_IDLE_SECONDS without a desk page, once the
registry's token has expired, or when a service answers 401, the officer is sent to
/desk/login with a message, and comes back to the page they asked for once signed in.
"""

from __future__ import annotations

import functools
import time
from urllib.parse import quote, urlsplit

from services.portal.desk.officer import Officer, SignedOut
from services.portal.rendering import redirect

LOGIN = "/desk/login"
HOME = "/desk/dispositions"


def state(desk: dict | None, now: float, idle_seconds: int) -> str:
    """One of signed_in, absent, idle (no desk page for too long) or expired (the token)."""
    if not desk or not desk.get("token"):
        return "absent"
    if now - float(desk.get("seen") or 0) > idle_seconds:
        return "idle"
    if desk.get("expires_at") and now >= float(desk["expires_at"]):
        return "expired"
    return "signed_in"


def back_to(target: str | None) -> str:
    """Where to go after signing in: a desk page of this portal, never elsewhere."""
    if target and target.startswith("/desk/") and not target.startswith("//"):
        return target if target != LOGIN else HOME
    return HOME


def to_login(request, notice: str | None):
    request.session.pop("desk")
    if notice:
        request.session.notice(notice)
    if request.method == "GET":
        wanted = request.full_path.rstrip("?")
    else:  # a form sent after the session ended: back to the page it was sent from
        came_from = urlsplit(request.referrer or "")
        same = came_from.netloc == request.host
        wanted = (
            came_from.path + (f"?{came_from.query}" if came_from.query else "") if same else None
        )
    return redirect(f"{LOGIN}?kembali={quote(back_to(wanted))}")


def officer_page(method):
    """The page runs with ``request.officer``; otherwise the sign-in page."""

    @functools.wraps(method)
    def guarded(self, request, *args, **kwargs):
        desk = request.session.get("desk")
        now = time.time()
        found = state(desk, now, self.desk_settings.idle_seconds)
        if found != "signed_in":
            return to_login(request, None if found == "absent" else f"desk.notice.{found}")
        request.session["desk"] = {**desk, "seen": now}
        request.officer = Officer(self.api, desk)
        try:
            return method(self, request, *args, **kwargs)
        except SignedOut:
            return to_login(request, "desk.notice.expired")

    return guarded
