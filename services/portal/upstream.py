"""The other services' public HTTP APIs, as a DependencyProvider with timeouts.

    reply = self.api.get("intake", "/reports/LPR-…", key=report_key)
    reply.status, reply.body                  # 4xx answers are replies; the page decides
    raise UpstreamDown                        # refused, timed out, or a 5xx: a friendly 503
    stats, recent = self.api.together(lambda: self.api.get(…), lambda: self.api.get(…))

One pooled session per process (kept-alive connections to each service, no proxy look-up per
call); calls a page makes that do not depend on each other go out at the same time.

The portal owns no report data: every page is built from these replies.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from eventlet.greenpool import GreenPool
from nameko.extensions import DependencyProvider

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

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def field_errors(self) -> list[dict]:
        """problem+json ``errors``: [{"field": "location.region_code", "message": "…"}]."""
        return list(self.body.get("errors") or []) if isinstance(self.body, dict) else []


class Api:
    """What a worker gets: calls to one service at a time, with the caller's credentials."""

    def __init__(self, http, urls: dict, timeout: tuple, forwarded: dict, pool: GreenPool):
        self._http, self._urls, self._timeout, self._forwarded = http, urls, timeout, forwarded
        self._pool = pool

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
        try:
            response = self._http.request(
                method,
                self._urls[service] + path,
                headers=sent,
                timeout=self._timeout,
                **kwargs,
            )
        except requests.RequestException:
            raise UpstreamDown(service) from None
        if response.status_code >= 500:
            raise UpstreamDown(service)
        try:
            body = response.json()
        except ValueError:
            body = {}
        return Reply(response.status_code, body)

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
            response = self._http.get(self._urls[service] + "/health", timeout=(1, 2))
        except requests.RequestException:
            return False
        return response.status_code == 200


def _outcome(call):
    try:
        return False, call()
    except Exception as exc:  # handed back to the page's worker, raised there
        return True, exc


class Upstreams(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.urls = {name: str(config[key]).rstrip("/") for name, key in SERVICES.items()}
        self.timeout = (
            float(config.get("UPSTREAM_CONNECT_TIMEOUT", 2)),
            float(config.get("UPSTREAM_READ_TIMEOUT", 8)),
        )
        self.http = requests.Session()
        self.http.trust_env = False  # no proxy or netrc look-up in the environment per call
        self.pool = GreenPool(int(config.get("UPSTREAM_CONCURRENCY", 200)))
        adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=64)
        self.http.mount("http://", adapter)
        self.http.mount("https://", adapter)

    def get_dependency(self, worker_ctx):
        data = worker_ctx.data or {}
        forwarded = {}
        if data.get("correlation_id"):
            forwarded["X-Correlation-Id"] = data["correlation_id"]
        if data.get("client_address"):
            forwarded["X-Forwarded-For"] = data["client_address"]
        return Api(self.http, self.urls, self.timeout, forwarded, self.pool)

    def stop(self):
        self.http.close()

    def kill(self):
        self.http.close()
