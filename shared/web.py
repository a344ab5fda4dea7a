"""HTTP for every service: JSON in and out, and every error as problem+json (RFC 9457).

Use ``from shared.web import http`` instead of nameko's. A handler returns a dict or list
(200), ``(status, body)`` or ``(status, headers, body)``, or a werkzeug Response; it raises a
``Problem`` (or a marshmallow ValidationError) for an error the client can fix. Anything else
becomes a bare 500: no stack trace, SQL or personal data leaves the process or reaches a log.
Access lines carry method, path, status and time, never the query string (it can hold a phone
number or message text).

Request bodies are bounded once, here, for every service: MAX_REQUEST_BYTES from the config
(default 64 KiB). A route that takes more names its allowance,
``@http("POST", "/attachments", max_request_bytes=lambda config: ...)`` (an int, or a function
of the service's config). A body announced larger is refused with 413 before a byte of it is
read; one that grows past the limit while streaming is cut there (werkzeug's
``max_content_length``), also 413.

A dependency that is away is said honestly, once, here: while the database cannot be reached
(SQLAlchemy's OperationalError and connection errors, ``shared.db_away.DatabaseUnavailable``, a
locked or read-only SQLite file) or the broker cannot be reached for a request that must
publish or call, every route answers 503 ``service-unavailable`` with ``Retry-After`` and the
name of what is down (``"dependency": "database"``), never a 500. A route whose caller reads
the body as something else names its own answer, ``@http(..., when_unavailable=lambda
dependency, retry_after: (503, {...}, "text"))`` (the SMS door: the reply SMS).
"""

from __future__ import annotations

import json
import logging
import socket
import time
import uuid
from datetime import date, datetime
from functools import partial

from eventlet import wsgi
from eventlet.event import Event
from marshmallow import ValidationError
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from shared.problems import (
    RETRY_AFTER_SECONDS,
    InvalidInput,
    MalformedBody,
    Problem,
    ServiceUnavailable,
    field_errors,
    http_problem,
    too_large,
    unavailable_dependency,
)

log = logging.getLogger("satupintu.http")

DEFAULT_MAX_REQUEST_BYTES = 64 * 1024


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def json_response(body, status: int = 200, headers=None, content_type="application/json"):
    return Response(
        json.dumps(body, default=_default, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type=content_type + "; charset=utf-8",
    )


def problem_response(problem: Problem, correlation_id: str | None = None) -> Response:
    body = problem.body()
    if correlation_id:
        body["correlation_id"] = correlation_id
    headers = dict(getattr(problem, "headers", None) or {})
    if "retry_after" in body:
        headers.setdefault("Retry-After", str(body["retry_after"]))
    if problem.status == 413:
        headers["Connection"] = "close"  # the rest of the body is not read, so not kept alive
    return json_response(
        body, problem.status, headers or None, content_type="application/problem+json"
    )


def read_json(request) -> dict:
    """The request body as a JSON object, or MalformedBody."""
    try:
        data = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError):
        raise MalformedBody() from None
    except RequestEntityTooLarge:
        raise too_large(request.max_content_length) from None
    if not isinstance(data, dict):
        raise MalformedBody("Isi harus objek JSON / The body must be a JSON object")
    return data


def load(schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise InvalidInput(errors=field_errors(exc.messages)) from None


class ProblemWsgiApp(WsgiApp):
    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request = Request(environ, shallow=True)
        request.correlation_id = request.headers.get("X-Correlation-Id") or uuid.uuid4().hex
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            limit = provider.max_request_bytes
            if (request.content_length or 0) > limit:
                response = problem_response(too_large(limit), request.correlation_id)
            else:
                request.max_content_length = limit  # a streamed body is cut there
                response = provider.handle_request(request)
        except HTTPException as exc:
            response = problem_response(http_problem(exc), request.correlation_id)
        response.headers["X-Correlation-Id"] = request.correlation_id
        log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response(environ, start_response)


class ProblemWebServer(WebServer):
    def process_request(self, sock, address):
        """Nagle's algorithm off on each connection: eventlet sends an answer's headers and
        body apart, and a body past its 16 KiB buffer then waited for the client's delayed
        ACK (40 ms on Linux) on a kept-alive connection (intake's /categories, a page)."""
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().process_request(sock, address)

    def get_wsgi_app(self):
        return ProblemWsgiApp(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=HttpOnlyProtocol, debug=False):
        return wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=False,
            log=logging.getLogger("satupintu.wsgi"),
            log_output=False,
        )

    def context_data_from_headers(self, request):
        return {"correlation_id": getattr(request, "correlation_id", None) or uuid.uuid4().hex}


class ApiHandler(HttpRequestHandler):
    server = ProblemWebServer()

    def __init__(self, method, url, max_request_bytes=None, when_unavailable=None, **kwargs):
        self.allowance = max_request_bytes
        self.when_unavailable = when_unavailable
        super().__init__(method, url, **kwargs)

    def setup(self):
        config = self.container.config
        allowance = self.allowance
        if callable(allowance):
            allowance = allowance(config)
        if allowance is None:
            allowance = config.get("MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
        self.max_request_bytes = int(allowance)
        super().setup()

    def handle_request(self, request):
        request.shallow = False
        try:
            context_data = self.server.context_data_from_headers(request)
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
            return self.response_from_result(done.wait())
        except Exception as exc:
            return self.response_from_exception(exc, getattr(request, "correlation_id", None))

    def response_from_result(self, result):
        if isinstance(result, Response):
            return result
        status, headers, body = 200, None, result
        if isinstance(result, tuple):
            status, headers, body = result if len(result) == 3 else (result[0], None, result[1])
        if isinstance(body, str):
            return Response(
                body, status=status, headers=headers, content_type="text/plain; charset=utf-8"
            )
        return json_response(body, status, headers)

    def response_from_exception(self, exc, correlation_id=None):
        if isinstance(exc, Problem):
            return problem_response(exc, correlation_id)
        if isinstance(exc, ValidationError):
            return problem_response(InvalidInput(errors=field_errors(exc.messages)), correlation_id)
        if isinstance(exc, RequestEntityTooLarge):  # a form or file read past the limit
            return problem_response(too_large(self.max_request_bytes), correlation_id)
        dependency = unavailable_dependency(exc)
        if dependency:
            log.warning(
                "%s unreachable in %s: %s (correlation %s)",
                dependency,
                self.method_name,
                type(exc).__name__,
                correlation_id,
            )
            if self.when_unavailable is not None:
                return self.response_from_result(
                    self.when_unavailable(dependency, RETRY_AFTER_SECONDS)
                )
            return problem_response(ServiceUnavailable(dependency), correlation_id)
        # the exception text may hold SQL or personal data: log its type only
        log.error(
            "unhandled %s in %s (correlation %s)",
            type(exc).__name__,
            self.method_name,
            correlation_id,
        )
        problem = Problem("Terjadi kesalahan di server / Something went wrong on our side")
        problem.status, problem.slug, problem.title = (
            500,
            "internal",
            "Kesalahan server / Server error",
        )
        return problem_response(problem, correlation_id)


http = ApiHandler.decorator
