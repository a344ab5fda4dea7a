"""Rendering a desk page: the portal's renderer with the officer for the desk's base layout
(templates/desk/base.html: the officer's name, their agency's name, the inbox's unread count,
the desk's menu and sign-out)."""

from __future__ import annotations

from services.portal.rendering import render


def render_desk(request, template: str, status: int = 200, **context):
    return render(request, template, status, officer=getattr(request, "officer", None), **context)
