"""What each of intake's HTTP entrypoints answers, for its OpenAPI document (shared.openapi)."""

from __future__ import annotations

from services.intake import schemas
from shared.openapi import TRACKING_ID, ApiDoc, header, op, query

INT = {"type": "integer"}
PAGE = (query("offset", INT), query("limit", INT))
CURSOR_PAGE = (query("cursor"), query("limit", INT))  # shared.keyset
LISTING = (query("category"), query("region"), query("status"))
IDEMPOTENCY_KEY = header("Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 128})
REPORTER = [("reporter",), ("report_key",), ("open311_token",)]
ANYONE_OR_REPORTER = [*REPORTER, ()]
OWN = {"tracking_id": TRACKING_ID}
OPEN311 = ("application/json", "text/xml")
OPEN311_QUERY = (query("jurisdiction_id"),)
SMS = (
    query("from"),
    query("to"),
    query("text"),
    query("id"),
    query("ts"),
)
UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}
TWEETS = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
OPEN311_FORM = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    name: {"type": "string"}
                    for name in (
                        "service_code",
                        "description",
                        "lat",
                        "long",
                        "address_string",
                        "email",
                        "first_name",
                        "last_name",
                        "phone",
                        "api_key",
                    )
                },
            }
        }
    },
}


OPEN311_ERRORS = {
    "type": "array",
    "items": {"type": "object", "required": ["code", "description"]},
}


def open311(*codes, **kwargs):
    """Open311 answers errors in its own format, JSON or XML as the path says; a jurisdiction_id
    other than ours is its 404."""
    params = OPEN311_QUERY + tuple(kwargs.pop("params", ()))
    return op(
        *codes,
        404,
        content=OPEN311,
        error_content=OPEN311,
        params=params,
        errors_result=OPEN311_ERRORS,
        **kwargs,
    )


API = ApiDoc(
    title="satupintu intake",
    description="The citizen's door: reports on every channel (SPEC §2, §8).",
    operations={
        "submit": op(
            201, 200, 401, 422, 429,
            body=schemas.HttpReportDraft, params=[IDEMPOTENCY_KEY],
            security=[("reporter",), ()],
        ),
        "track": op(200, 401, 404, path=OWN, security=ANYONE_OR_REPORTER),
        "supplement": op(
            200, 401, 403, 404, 409, 422, body=schemas.Supplement, path=OWN, security=REPORTER
        ),
        "comment": op(
            201, 401, 403, 404, 409, 422, body=schemas.Comment, path=OWN, security=REPORTER
        ),
        "feedback": op(
            200, 401, 403, 404, 409, 422, body=schemas.Feedback, path=OWN, security=REPORTER
        ),
        "withdraw": op(
            200, 401, 403, 404, 409, 422, body=schemas.Withdrawal, path=OWN, security=REPORTER
        ),
        "upload": op(
            201, 401, 413, 415, 422, 429, request=UPLOAD, security=[("reporter",), ()]
        ),
        "attachment": op(
            200, 401, 403, 404, path=OWN, security=REPORTER, content="application/octet-stream"
        ),
        "categories": op(200),
        "regions": op(200, 404, params=[query("parent")]),
        "register": op(201, 409, 422, 429, body=schemas.Registration),
        "login": op(200, 401, 422, 429, body=schemas.Login),
        "me": op(200, 401, 404, security=[("reporter",)]),
        "my_reports": op(200, 401, params=PAGE, security=[("reporter",)]),
        "public_reports": op(200, 422, params=[*LISTING, *CURSOR_PAGE]),
        "public_reports_csv": op(200, 422, params=[*LISTING, *CURSOR_PAGE], content="text/csv"),
        "public_report": op(200, 404, path=OWN),
        "identity_reads": op(
            200, 401, 403, 422,
            params=[query("from"), query("to"), query("tracking_id"), *PAGE],
            security=[("staff",)],
        ),
        "inbound_sms": op(
            200, 403, 422, params=SMS, security=[("gateway_key",)],
            content="text/plain", unavailable="text/plain",
        ),
        "twitter_crc": op(200, 422, params=[query("crc_token", required=True)]),
        "twitter_events": op(200, 401, request=TWEETS, security=[("twitter_signature",)]),
        "open311_discovery": open311(200),
        "open311_services": open311(200),
        "open311_service": open311(200),
        "open311_create": open311(
            200, 201, 400, 403, 409, 422, 429,
            request=OPEN311_FORM, params=[IDEMPOTENCY_KEY], security=[("open311_api_key",)],
        ),
        "open311_requests": open311(
            200, 400,
            params=[
                query("service_request_id"), query("service_code"), query("status"),
                query("start_date"), query("end_date"), query("page"), query("page_size"),
            ],
        ),
        "open311_request": open311(200, path={"request_id": TRACKING_ID}),
        "open311_token": open311(200),
    },
)  # fmt: skip
