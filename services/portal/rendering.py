"""One Jinja2 environment for every page: autoescaped templates, the catalogue as ``t``,
dates as ``moment``/``day``, and the headers every page carries."""

from __future__ import annotations

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
    autoescape=select_autoescape(["html"]),
    undefined=ChainableUndefined,  # an absent field of an answer shows as nothing
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request, template: str, status: int = 200, **context) -> Response:
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
    html = env.get_template(template).render(page)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def redirect(location: str) -> Response:
    """303 See Other: after a POST the browser GETs the answer (no resubmission on reload)."""
    return Response("", status=303, headers={"Location": location})
