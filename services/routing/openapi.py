"""What each of routing's HTTP entrypoints answers, for its OpenAPI document (shared.openapi):
the public "why did my report go here?" page and the agencies' desk."""

from __future__ import annotations

from services.routing.desk import schemas
from shared.attachments import MEDIA_TYPES
from shared.openapi import TRACKING_ID, ApiDoc, header, op

STAFF = [("staff",)]
ONE = {"tracking_id": TRACKING_ID}
IF_MATCH = header("If-Match")
IDEMPOTENCY_KEY = header("Idempotency-Key", {"type": "string", "maxLength": 128})
WRITE = (401, 403, 404, 409, 412, 422)
REPORTER = [("reporter",), ("report_key",), ("open311_token",)]
A_FILE = {**ONE, "file_id": {"type": "string", "maxLength": 64}}
# a follow-up with its files (JPEG, PNG, WebP, PDF; up to 5 parts named "file")
FOLLOWUP_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string"},
                    "final": {"type": "boolean"},
                    "field_inspection": {"type": "boolean"},
                    "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
}


def change(*codes, body, **kwargs):
    """A desk action on one report: staff only, If-Match and the report's path."""
    params = [IF_MATCH, *kwargs.pop("params", ())]
    return op(*codes, *WRITE, body=body, path=ONE, security=STAFF, params=params, **kwargs)


API = ApiDoc(
    title="satupintu routing",
    description=(
        "Where each report goes and why (SPEC §4), and the agencies' desk: staff list and read"
        " the reports they hold or watch, post follow-ups, decline; coordinators confirm,"
        " dispatch, archive, postpone and correct (SPEC §1, §7)."
    ),
    operations={
        "disposition": op(200, 404, path=ONE),
        "desk_list": op(200, 401, 403, 422, query=schemas.ListingQuery, security=STAFF),
        "desk_export": op(
            200, 401, 403, 422, query=schemas.ListingQuery, security=STAFF, content="text/csv"
        ),
        "desk_detail": op(200, 401, 403, 404, path=ONE, security=STAFF),
        "desk_duplicates": op(200, 401, 403, 404, path=ONE, security=STAFF),
        "desk_followup": change(
            201,
            413,
            415,
            body=schemas.FollowupIn,
            request=FOLLOWUP_FORM,
            params=[IDEMPOTENCY_KEY],
        ),
        "desk_followup_file": op(
            200, 401, 403, 404, path=A_FILE, security=STAFF, content=MEDIA_TYPES
        ),
        "reporter_followup_file": op(200, 404, path=A_FILE, security=REPORTER, content=MEDIA_TYPES),
        "desk_decline": change(200, body=schemas.DeclineIn, params=[IDEMPOTENCY_KEY]),
        "desk_confirm": change(200, body=schemas.ConfirmIn),
        "desk_dispatch": change(200, body=schemas.DispatchIn),
        "desk_archive": change(200, body=schemas.ArchiveIn),
        "desk_postpone": change(200, body=schemas.PostponeIn),
        "desk_correct": change(200, body=schemas.CorrectIn),
    },
)
