"""What each of the agency registry's HTTP entrypoints answers, for its OpenAPI document
(shared.openapi). Lookups are public (a staff token shows more); every write needs one."""

from __future__ import annotations

from services.agency_registry import schemas
from shared.openapi import AGENCY_CODE, REGION_CODE, ApiDoc, op, query

STAFF = [("staff",)]
PUBLIC_OR_STAFF = [("staff",), ()]
AGENCY = {"code": AGENCY_CODE}
INT = {"type": "integer"}
PAGE = (query("offset", INT), query("limit", INT))
STAFF_ID = {"staff_id": {"type": "string", "minLength": 1, "maxLength": 64}}
SCOPED = (query("agency"), *PAGE)

API = ApiDoc(
    title="satupintu agency_registry",
    description=(
        "The agencies of the national tree, who is competent for what and where (SPEC §4), the"
        " registration workflow, and staff accounts with their tokens (SPEC §7)."
    ),
    operations={
        "agency": op(200, 401, 404, path=AGENCY, security=PUBLIC_OR_STAFF),
        "agency_ancestors": op(200, 401, 404, path=AGENCY, security=PUBLIC_OR_STAFF),
        "agency_children": op(
            200, 401, 404, path=AGENCY, params=PAGE, security=PUBLIC_OR_STAFF
        ),
        "agency_subtree": op(
            200, 401, 404, path=AGENCY, params=[query("after"), *PAGE], security=PUBLIC_OR_STAFF
        ),
        "competent_agencies_http": op(
            200, 422, params=[query("category_id", required=True), query("region_code", required=True)]
        ),
        "region_coordinator": op(200, 404, 422, path={"region_code": REGION_CODE}),
        "registrations": op(
            200, 401, 403, 404, params=[query("status"), *SCOPED], security=STAFF
        ),
        "register_agency": op(
            201, 401, 403, 409, 422, body=schemas.AgencyRegistration, security=STAFF
        ),
        "edit_agency": op(
            200, 401, 403, 404, 409, 422, body=schemas.AgencyEdit, path=AGENCY, security=STAFF
        ),
        "change_agency_status": op(
            200, 401, 403, 404, 409, 422, body=schemas.ReasonRequired, path=AGENCY,
            security=STAFF,
        ),
        "search_agencies": op(200, params=[query("q"), query("limit", INT)]),
        "login": op(200, 401, 403, 422, 429, body=schemas.Login),
        "replace_password": op(200, 401, 403, 422, 429, body=schemas.PasswordReplace),
        "reset_password": op(200, 401, 403, 404, 409, 422, path=STAFF_ID, security=STAFF),
        "choose_email_topics": op(200, 401, 422, body=schemas.EmailTopics, security=STAFF),
        "me": op(200, 401, security=STAFF),
        "change_password": op(204, 401, 403, 422, body=schemas.PasswordChange, security=STAFF),
        "create_staff": op(201, 401, 403, 404, 409, 422, body=schemas.StaffCreate, security=STAFF),
        "list_staff": op(200, 401, 403, 404, params=SCOPED, security=STAFF),
        "get_staff": op(200, 401, 403, 404, path=STAFF_ID, security=STAFF),
        "edit_staff": op(
            200, 401, 403, 404, 409, 422, body=schemas.StaffEdit, path=STAFF_ID, security=STAFF
        ),
        "set_staff_status": op(200, 401, 403, 404, 409, path=STAFF_ID, security=STAFF),
        "audit_log": op(
            200, 401, 403, 404, params=[query("before_id", INT), *SCOPED], security=STAFF
        ),
    },
)  # fmt: skip
