"""What a desk page shows when a service refuses what the officer asked: the service's own
words (problem+json, in the officer's language) on a page of its own, with the way back. The
portal decides nothing: the service's answer is the answer."""

from __future__ import annotations

from services.portal.desk.layout import render_desk
from services.portal.pages import base


def refused(request, reply, back: str):
    status = reply.status if 400 <= reply.status < 500 else 400
    return render_desk(
        request,
        "desk/refused.html",
        status,
        status_code=status,
        message=base.problem_text(request, reply),
        back=back,
    )


def slug(reply) -> str:
    """The problem's kind: "not-permitted" of "urn:satupintu:problem:not-permitted"."""
    kind = reply.body.get("type") if isinstance(reply.body, dict) else None
    return str(kind or "").rsplit(":", 1)[-1]
