"""Rendering a desk page: the portal's renderer with the officer for the desk's base layout
(templates/desk/base.html: the officer's name, their agency's name, the inbox's unread count,
the desk's menu and sign-out), and ``local(moment, zone=None)``: a moment in the officer's
agency's time zone (or ``zone``, e.g. the holding agency's), WIB, WITA or WIT."""

from __future__ import annotations

from services.portal import i18n
from services.portal.rendering import render


def render_desk(request, template: str, status: int = 200, **context):
    officer = getattr(request, "officer", None)
    own_zone = getattr(officer, "timezone", None)
    lang = request.lang
    return render(
        request,
        template,
        status,
        officer=officer,
        local=lambda value, zone=None: i18n.moment_in(lang, value, zone or own_zone),
        **context,
    )
