"""The problems a service answers with, each rendered as application/problem+json (RFC 9457)
by shared.web: the client's to fix (400, 404, 409, 413, 422, 429), a dependency away (503, with
Retry-After), and werkzeug's own refusals, Indonesian first, English second. Marshmallow's
messages become per-field ``errors`` here (field_errors).

Services import these through shared.web, the one HTTP surface they use.
"""

from __future__ import annotations

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError as BrokerOperationalError
from werkzeug.exceptions import HTTPException

from shared import bilingual
from shared.db_away import DatabaseUnavailable, database_unreachable

PROBLEM_TYPE = "urn:satupintu:problem:"
RETRY_AFTER_SECONDS = 5  # a database restart or a broker failover takes seconds, not minutes


class Problem(Exception):
    """An error the client can act on; rendered as application/problem+json."""

    status = 400
    slug = "bad-request"
    title = "Permintaan tidak valid / Invalid request"

    def __init__(
        self,
        detail: str | None = None,
        errors: list[dict] | None = None,
        headers: dict | None = None,
        **extra,
    ):
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}  # e.g. {"Retry-After": "5"} on a 503
        self.extra = extra

    def body(self) -> dict:
        body = {"type": PROBLEM_TYPE + self.slug, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class InvalidInput(Problem):
    status = 422
    slug = "invalid-input"
    title = "Data tidak valid / Invalid data"


class MalformedBody(Problem):
    status = 400
    slug = "malformed-body"
    title = "Isi permintaan bukan JSON yang benar / Request body is not valid JSON"


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = "Tidak ditemukan / Not found"


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = "Bertentangan dengan keadaan saat ini / Conflicts with the current state"


class TooManyRequests(Problem):
    """``TooManyRequests(detail, retry_after=30)``: the body says it and so does Retry-After."""

    status = 429
    slug = "too-many-requests"
    title = "Terlalu banyak permintaan / Too many requests"


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Isi permintaan terlalu besar / Request body too large"


class Unavailable(Problem):
    status = 503
    slug = "unavailable"
    title = "Layanan sementara tidak tersedia / Service temporarily unavailable"


class ServiceUnavailable(Unavailable):
    """A dependency (``database``, ``broker``) is away: try again in ``retry_after`` seconds."""

    slug = "service-unavailable"
    title = (
        "Layanan sementara tidak tersedia, silakan coba lagi sebentar lagi"
        " / Service temporarily unavailable, please try again shortly"
    )

    def __init__(self, dependency: str, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(
            headers={"Retry-After": str(retry_after)},
            dependency=dependency,
            retry_after=retry_after,
        )
        self.dependency = dependency


class TryAgainShortly(Unavailable):
    """A service this one asks did not answer in time: 503 with Retry-After, to try again."""

    def __init__(self, retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(
            "Coba lagi sebentar lagi / Try again shortly",
            headers={"Retry-After": str(retry_after)},
        )


def unavailable_dependency(exc: BaseException) -> str | None:
    """``"database"`` or ``"broker"`` when ``exc`` says that dependency cannot be reached."""
    if isinstance(exc, DatabaseUnavailable) or database_unreachable(exc):
        return "database"
    if isinstance(exc, (BrokerOperationalError, AmqpConnectionError)):
        return "broker"
    return None


def field_errors(messages, prefix: str = "") -> list[dict]:
    """Flatten marshmallow's nested messages into [{"field": "a.b", "message": "..."}], each
    message Indonesian first, English second (marshmallow's own English gets its Indonesian
    half: shared/bilingual.py)."""
    if isinstance(messages, list):
        if all(isinstance(m, str) for m in messages):
            return [{"field": prefix or "_body", "message": bilingual.message(m)} for m in messages]
        return [e for m in messages for e in field_errors(m, prefix)]
    errors = []
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":
            path = prefix or "_body"
        errors.extend(field_errors(value, path))
    return errors


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Maksimal {limit} bait / At most {limit} bytes", max_bytes=limit)


# werkzeug's own refusals (no such route, another method) in Indonesian first
HTTP_TITLES = {
    400: "Permintaan tidak valid",
    404: "Alamat tidak ditemukan",
    405: "Metode tidak diizinkan untuk alamat ini",
    413: "Isi permintaan terlalu besar",
    415: "Jenis isi tidak didukung",
}


def http_problem(exc: HTTPException) -> Problem:
    """werkzeug's HTTPException as a problem, Indonesian first, English second."""
    indonesian = HTTP_TITLES.get(exc.code, "Permintaan tidak dapat dilayani")
    problem = Problem(f"{indonesian} / {exc.description}")
    problem.status, problem.slug = exc.code, exc.name.lower().replace(" ", "-")
    problem.title = f"{indonesian} / {exc.name}"
    return problem
