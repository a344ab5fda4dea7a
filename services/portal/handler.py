"""The portal's HTTP entrypoint: shared.web's handler, plus what a browser page needs.

Before the worker runs: the session from its cookie, the language from its cookie, and for
every POST the CSRF token checked. After: the security headers, the cookie set again when the
session changed. A service that is down gives a friendly page and a 503; anything unexpected
a plain 500 page; never a stack trace.
"""

from __future__ import annotations

import inspect
import logging
from functools import cached_property, partial

from eventlet.event import Event
from nameko.exceptions import IncorrectSignature
from nameko.extensions import SharedExtension

from services.portal import i18n
from services.portal.rendering import HEADERS, render
from services.portal.session import COOKIE, SessionCookie
from services.portal.upstream import UpstreamDown
from shared import keyfiles
from shared.forwarded import client_address, trusted_proxies
from shared.web import ApiHandler

log = logging.getLogger("satupintu.portal")

LANG_COOKIE = "bahasa"
MAX_UPLOAD = 5 * 5 * 1024 * 1024 + 256 * 1024  # five attachments of 5 MB and the form


class Cookies(SharedExtension):
    """The session cookie's key, read (or made) once per process from shared/keyfiles, and
    the proxies in front of the portal whose X-Forwarded-For names the visitor."""

    def setup(self):
        config = self.container.config
        secret = keyfiles.secret(config, "PORTAL_SESSION_SECRET", "portal-session-secret")
        self.codec = SessionCookie(secret, int(config.get("PORTAL_SESSION_TTL", 86400)))
        self.secure = str(config.get("PORTAL_SECURE_COOKIES", "auto")).lower()
        self.trusted = trusted_proxies(config.get("TRUSTED_PROXIES", ""))


class PageHandler(ApiHandler):
    cookies = Cookies()

    def handle_request(self, request):
        request.shallow = False
        request.max_content_length = MAX_UPLOAD
        request.lang = i18n.language(request.cookies.get(LANG_COOKIE))
        request.session = self.cookies.codec.load(request.cookies.get(COOKIE))
        try:
            if request.method == "POST" and not request.session.csrf_ok(request.form.get("csrf")):
                response = render(request, "error.html", 403, reason="csrf")
            else:
                response = self._run(request)
        except UpstreamDown as down:
            log.warning("upstream %s unavailable for %s", down.service, request.path)
            response = render(request, "error.html", 503, reason="down")
        except Exception as exc:
            log.error("unhandled %s on %s", type(exc).__name__, request.path)
            response = render(request, "error.html", 500, reason="internal")
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.session.modified:
            response.set_cookie(
                COOKIE,
                self.cookies.codec.dump(request.session),
                httponly=True,
                samesite="Lax",
                secure=self._secure(request),
                path="/",
            )
        return response

    def _run(self, request):
        context_data = self.server.context_data_from_headers(request)
        context_data["client_address"] = client_address(  # intake's limits count visitors
            request.remote_addr, request.headers.get("X-Forwarded-For"), self.cookies.trusted
        )
        args, kwargs = self.get_entrypoint_parameters(request)
        self.check_signature(args, kwargs)
        done = Event()
        self.container.spawn_worker(
            self,
            args,
            kwargs,
            context_data=context_data,
            handle_result=partial(self.handle_result, done),
        )
        return done.wait()

    def check_signature(self, args, kwargs):
        """nameko's check, with the page method's signature read once rather than on every
        request (inspect.getcallargs was a twentieth of a small page's CPU)."""
        try:
            self._signature.bind(None, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc)) from None

    @cached_property
    def _signature(self):
        return inspect.signature(getattr(self.container.service_cls, self.method_name))

    def _secure(self, request) -> bool:
        if self.cookies.secure in ("1", "true", "yes"):
            return True
        if self.cookies.secure in ("0", "false", "no"):
            return False
        return request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"


page = PageHandler.decorator
