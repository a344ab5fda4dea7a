"""/desk/inbox: the agency's messages (notification's GET /staff/inbox), marked read one by
one or all at once (POST /staff/inbox/read)."""

from __future__ import annotations

from services.portal.desk.guard import officer_page
from services.portal.desk.layout import render_desk
from services.portal.handler import page
from services.portal.rendering import redirect

PAGE_SIZE = 20


class InboxPages:
    @page("GET", "/desk/inbox")
    @officer_page
    def desk_inbox(self, request):
        offset = max(0, request.args.get("offset", 0, type=int))
        reply = request.officer.get(
            "notification", "/staff/inbox", params={"offset": offset, "limit": PAGE_SIZE}
        )
        return render_desk(
            request,
            "desk/inbox.html",
            inbox=reply.body if reply.ok else None,
            offset=offset,
            size=PAGE_SIZE,
        )

    @page("POST", "/desk/inbox/read")
    @officer_page
    def desk_inbox_read(self, request):
        """ids=3&ids=4 marks those; none marks every message."""
        ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
        request.officer.post("notification", "/staff/inbox/read", json={"ids": ids} if ids else {})
        request.session.notice("desk.inbox.marked")
        offset = max(0, request.form.get("offset", 0, type=int))
        return redirect("/desk/inbox" + (f"?offset={offset}" if offset else ""))
