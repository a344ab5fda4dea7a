"""What each of notification's HTTP entrypoints answers, for its OpenAPI document
(shared.openapi): the reporter's and the agencies' inboxes, deliveries for the national
admins, and the door for the SMS gateway's delivery reports."""

from __future__ import annotations

from shared.openapi import TRACKING_ID, ApiDoc, op, query

INT = {"type": "integer"}
PAGE = (query("offset", INT), query("limit", INT))
REPORTER = [("report_key",), ("reporter",), ("open311_token",)]
STAFF = [("staff",)]
ONE = {"tracking_id": TRACKING_ID}
DIGITS = {"type": "string", "pattern": "^[0-9]+$"}


def ids_body(required: bool) -> dict:
    ids = {"type": "array", "items": {"type": "integer"}}
    schema = {"type": "object", "properties": {"ids": ids}}
    if required:
        schema["required"] = ["ids"]
    return {"required": True, "content": {"application/json": {"schema": schema}}}


API = ApiDoc(
    title="satupintu notification",
    description=(
        "Tells reporters and agencies what happened (SPEC §6): in-app inboxes, then SMS,"
        " email, Twitter DM and webhooks; deliveries and their replay for operations."
    ),
    operations={
        "inbox": op(200, 401, 404, path=ONE, params=PAGE, security=REPORTER),
        "mark_read": op(
            200, 401, 404, 422, path=ONE, request=ids_body(False), security=REPORTER
        ),
        "staff_inbox": op(200, 401, params=PAGE, security=STAFF),
        "staff_mark_read": op(200, 401, 422, request=ids_body(False), security=STAFF),
        "deliveries": op(200, 401, 403, 422, params=[query("status"), *PAGE], security=STAFF),
        "replay": op(200, 401, 403, 422, request=ids_body(True), security=STAFF),
        "sms_delivery_report": op(
            200, 404, 422,
            params=[query(name, DIGITS, required=True) for name in ("d", "a", "p", "type")],
            security=[("dlr_signature",)],
        ),
    },
)  # fmt: skip
