"""One Jinja2 environment for every page: autoescaped templates, the catalogue as ``t``,
dates as ``moment``/``day``, and the headers every page carries.

Templates are compiled once per process (no reload check on every render). A page that
depends only on the language, whether someone is signed in and lookups kept for minutes (the
empty report form) is rendered once per such inputs (``render_kept``): the visitor's own CSRF
token is put into the kept markup."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import ChainableUndefined, Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from services.portal import i18n, options

TEMPLATES = Path(__file__).parent / "templates"

# no inline script or style anywhere: the page's own files only
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    auto_reload=False,
    autoescape=select_autoescape(["html"]),
    undefined=ChainableUndefined,  # an absent field of an answer shows as nothing
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request, template: str, status: int = 200, **context) -> Response:
    html = _page(request, template, context)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _page(request, template: str, context: dict) -> str:
    lang = request.lang
    session = request.session
    page = dict(
        lang=lang,
        t=lambda key, **values: i18n.translate(lang, key, **values),
        pick=lambda text: i18n.pick(lang, text),
        moment=lambda value, region=None: i18n.moment(lang, value, region),
        day=lambda value: i18n.day(lang, value),
        region_options=options.regions,
        category_options=lambda tree, chosen: options.categories(lang, tree, chosen),
        status_badge=lambda status: options.status_tag(lang, status),
        query=lambda **values: urlencode({k: v for k, v in values.items() if v}),
        csrf=session.csrf_token(),
        signed_in=bool(session.get("token")),
        notice=session.take_notice(),
        path=request.path,
        errors=[],
        by_field={},
        values={},
    )
    page.update(context)
    return env.get_template(template).render(page)


CSRF_MARK = f"csrf-{secrets.token_hex(16)}"  # the token's place in a kept page
_kept: dict[tuple, tuple[tuple, str]] = {}


def render_kept(request, template: str, lookups: tuple, **context) -> Response:
    """``render``, kept per template, language, sign-in and ``lookups`` (by identity: the
    objects pages.base keeps). A page with a one-time notice is rendered afresh."""
    session = request.session
    if session.get("notice"):
        return render(request, template, **context)
    csrf = session.csrf_token()
    key = (template, request.lang, bool(session.get("token")), request.path)
    hit = _kept.get(key)
    if hit is None or not _same(hit[0], lookups):
        html = _page(request, template, dict(context, csrf=CSRF_MARK))
        if len(_kept) > 64:
            _kept.clear()
        hit = _kept[key] = (lookups, html)
    html = hit[1].replace(CSRF_MARK, csrf)
    return Response(html, status=200, content_type="text/html; charset=utf-8")


def _same(kept: tuple, now: tuple) -> bool:
    return len(kept) == len(now) and all(a is b for a, b in zip(kept, now, strict=True))


def redirect(location: str) -> Response:
    """303 See Other: after a POST the browser GETs the answer (no resubmission on reload)."""
    return Response("", status=303, headers={"Location": location})
