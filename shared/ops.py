"""``/health`` and ``/metrics``, mixed into every service class."""

from __future__ import annotations

from kombu import Connection
from nameko.dependency_providers import Config
from werkzeug.wrappers import Response

from shared import metrics, openapi
from shared.deadletters import dead_letter_depth
from shared.web import http, json_response


class Operations:
    """Needs ``db = Database(...)`` and ``api_doc`` (a ``shared.openapi.ApiDoc``) on the
    service; adds the config and metrics providers."""

    config = Config()
    metrics = metrics.Metrics()

    @http("GET", "/health")
    def health(self, request):
        """200 {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}, or 503."""
        checks = {"database": "ok", "broker": "ok"}
        try:
            self.db.ping()
        except Exception:
            checks["database"] = "unreachable"
        try:
            with Connection(self.config["AMQP_URI"], connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1)
        except Exception:
            checks["broker"] = "unreachable"
        ok = all(value == "ok" for value in checks.values())
        return json_response(
            {"service": self.name, "status": "ok" if ok else "degraded", "checks": checks},
            200 if ok else 503,
        )

    @http("GET", "/metrics")
    def prometheus(self, request):
        count, age = self.db.outbox_backlog()
        metrics.OUTBOX_BACKLOG.labels(self.name).set(count)
        metrics.OUTBOX_AGE.labels(self.name).set(age)
        try:
            metrics.DEAD_LETTERS.set(dead_letter_depth(self.config["AMQP_URI"]))
        except Exception:  # the broker is away: /health says so; keep serving the rest
            pass
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    @http("GET", "/openapi.json")
    def openapi(self, request):
        """GET /openapi.json → the OpenAPI 3 document of every HTTP endpoint of this service."""
        return openapi.document(type(self))
