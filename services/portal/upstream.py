"""The other services' public HTTP APIs, as a DependencyProvider with timeouts.

    reply = self.api.get("intake", "/reports/LPR-…", key=report_key)
    reply.status, reply.body                  # 4xx answers are replies; the page decides
    raise UpstreamDown                        # refused, timed out, or a 5xx: a friendly 503
    stats, recent = self.api.together(lambda: self.api.get(…), lambda: self.api.get(…))

Kept-alive connections to each service, one pool per process (services.portal.wire: a
page pays for every call it makes, so a call is made with as little work as HTTP needs);
calls a page makes that do not depend on each other go out at the same time. An answer its
service marks as the public's to share (``Cache-Control: public, max-age=N``) is kept that
long for calls made without credentials (services.portal.kept).

The portal owns no report data: every page is built from these replies.
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

import urllib3
from eventlet.greenpool import GreenPool
from nameko.extensions import DependencyProvider

from services.portal.kept import Kept
from services.portal.wire import Connections, WireError

SERVICES = {
    "intake": "INTAKE_URL",
    "routing": "ROUTING_URL",
    "agency_registry": "AGENCY_REGISTRY_URL",
    "notification": "NOTIFICATION_URL",
    "reporting": "REPORTING_URL",
}


class UpstreamDown(Exception):
    """A service the page needs did not answer in time, or answered with a server error."""

    def __init__(self, service: str):
        super().__init__(service)
        self.service = service


@dataclass
class Reply:
    status: int
    body: dict
    raw: bytes = b""  # the answer as sent (a CSV is not JSON)
    headers: dict = field(default_factory=dict)  # case-insensitive

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def field_errors(self) -> list[dict]:
        """problem+json ``errors``: [{"field": "location.region_code", "message": "…"}]."""
        return list(self.body.get("errors") or []) if isinstance(self.body, dict) else []


@dataclass
class Download:
    status: int
    data: bytes
    content_type: str
    disposition: str | None


class Api:
    """What a worker gets: calls to one service at a time, with the caller's credentials."""

    def __init__(self, wire, health, urls: dict, forwarded: dict, pool: GreenPool, kept: Kept):
        self._wire, self._health, self._urls = wire, health, urls
        self._forwarded, self._pool, self._kept = forwarded, pool, kept

    def get(self, service: str, path: str, params=None, key=None, token=None) -> Reply:
        return self._call("GET", service, path, params=params, key=key, token=token)

    def post(self, service, path, json=None, files=None, key=None, token=None, headers=None):
        return self._call(
            "POST", service, path, json=json, files=files, key=key, token=token, headers=headers
        )

    def _call(self, method, service, path, key=None, token=None, headers=None, **kwargs):
        sent = dict(self._forwarded)
        if key:
            sent["X-Report-Key"] = key
        if token:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        url, body = self._urls[service] + path, None
        params = {k: v for k, v in (kwargs.get("params") or {}).items() if v is not None}
        if params:
            url += "?" + urlencode(params, doseq=True)
        if method == "GET" and not (key or token or headers):  # the public's: kept, shared
            return self._kept.answer(url, lambda: self._send(service, method, url, sent, None))
        if kwargs.get("json") is not None:
            body = jsonlib.dumps(kwargs["json"]).encode()
            sent["Content-Type"] = "application/json"
        elif kwargs.get("files"):
            # {"file": (name, stream, type)}, or [(field, text or (name, stream, type)), …]
            given = kwargs["files"]
            fields = [
                (field, value if isinstance(value, str) else (value[0], value[1].read(), value[2]))
                for field, value in (given.items() if isinstance(given, dict) else given)
            ]
            body, sent["Content-Type"] = urllib3.encode_multipart_formdata(fields)
        return self._send(service, method, url, sent, body)

    def _send(self, service: str, method: str, url: str, sent: dict, body) -> Reply:
        try:
            status, headers, data = self._wire.request(method, url, sent, body)
        except WireError:
            raise UpstreamDown(service) from None
        if status >= 500:
            raise UpstreamDown(service)
        try:
            answer = jsonlib.loads(data) if data else {}
        except ValueError:
            answer = {}
        return Reply(status, answer, data, headers)

    def download(self, service: str, path: str, params=None, token=None) -> Download:
        """A file a service makes (a CSV), passed on as it is: its bytes and its headers."""
        reply = self.get(service, path, params=params, token=token)
        return Download(
            reply.status,
            reply.raw,
            reply.headers.get("Content-Type", "application/octet-stream"),
            reply.headers.get("Content-Disposition"),
        )

    def together(self, *calls):
        """Each call made at the same time, their results in order; a call's exception (an
        UpstreamDown) is raised once all have ended."""
        if len(calls) == 1:
            return [calls[0]()]
        outcomes = list(self._pool.imap(_outcome, calls))
        for failed, value in outcomes:
            if failed:
                raise value
        return [value for _, value in outcomes]

    def healthy(self, service: str) -> bool:
        try:
            status, _, _ = self._health.request("GET", self._urls[service] + "/health", {}, None)
        except WireError:
            return False
        return status == 200


def _outcome(call):
    try:
        return False, call()
    except Exception as exc:  # handed back to the page's worker, raised there
        return True, exc


class Upstreams(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.urls = {name: str(config[key]).rstrip("/") for name, key in SERVICES.items()}
        self.wire = Connections(
            timeout=(
                float(config.get("UPSTREAM_CONNECT_TIMEOUT", 2)),
                float(config.get("UPSTREAM_READ_TIMEOUT", 8)),
            )
        )
        self.health = Connections(timeout=(1, 2))
        self.pool = GreenPool(200)  # max_workers pages, each with a few calls at once
        self.kept = Kept(int(config.get("UPSTREAM_KEPT_ANSWERS", 1000)))

    def get_dependency(self, worker_ctx):
        data = worker_ctx.data or {}
        forwarded = {}
        if data.get("correlation_id"):
            forwarded["X-Correlation-Id"] = data["correlation_id"]
        if data.get("client_address"):
            forwarded["X-Forwarded-For"] = data["client_address"]
        return Api(self.wire, self.health, self.urls, forwarded, self.pool, self.kept)

    def stop(self):
        self.wire.clear()
        self.health.clear()

    def kill(self):
        self.stop()
