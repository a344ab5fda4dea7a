"""/desk/dispositions: the reports the officer's agency holds, watches or had escalated."""

from __future__ import annotations

from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.handler import page

PAGE_SIZE = 25


class QueuePages:
    @page("GET", "/desk/dispositions")
    @officer_page
    def desk_queue(self, request):
        offset = max(0, request.args.get("offset", 0, type=int))
        reply = request.officer.get(
            "routing",
            "/desk/dispositions",
            params={"sort": "due", "offset": offset, "limit": PAGE_SIZE},
        )
        return render_desk(
            request,
            "desk/queue.html",
            listing=reply.body if reply.ok else {"items": [], "total": 0},
            offset=offset,
            size=PAGE_SIZE,
        )
