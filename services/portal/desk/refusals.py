"""What a desk page shows when a service refuses what the officer asked: the service's own
words (problem+json, in the officer's language) on a page of its own, with the way back. The
portal decides nothing: the service's answer is the answer."""

from __future__ import annotations

from services.portal import i18n
from services.portal.desk.layout import render_desk


def refused(request, reply, back: str):
    status = reply.status if 400 <= reply.status < 500 else 400
    title, detail = words(request.lang, reply)
    return render_desk(
        request,
        "desk/refused.html",
        status,
        status_code=status,
        message=title,
        detail=detail,
        back=back,
    )


def words(lang: str, reply) -> tuple[str, str | None]:
    """The problem's title in the officer's language, and its detail where it is said in
    that language too (a detail only in English is left out of an Indonesian page)."""
    body = reply.body if isinstance(reply.body, dict) else {}
    title = i18n.pick(lang, body.get("title") or "")
    detail = body.get("detail")
    if isinstance(detail, str) and (" / " in detail or lang == "en"):
        detail = i18n.pick(lang, detail)
    else:
        detail = i18n.pick(lang, detail) if isinstance(detail, dict) else None
    return title, detail if detail and detail != title else None


def in_one_line(lang: str, reply) -> str:
    """For a form's error line: the detail where it says more than the title (a wrong
    state), else the title."""
    title, detail = words(lang, reply)
    return detail or title


def slug(reply) -> str:
    """The problem's kind: "not-permitted" of "urn:satupintu:problem:not-permitted"."""
    kind = reply.body.get("type") if isinstance(reply.body, dict) else None
    return str(kind or "").rsplit(":", 1)[-1]
