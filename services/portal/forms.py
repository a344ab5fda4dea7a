"""Between a browser's form and a service's JSON: what was typed, as the API's body, and the
API's per-field errors put back on the form's fields. No rule of a report lives here: intake
judges; this only moves words between two shapes."""

from __future__ import annotations

import json

from services.portal import i18n

REGION_LEVELS = ("province", "regency", "district", "village")
PARTY_ROWS = 2
REPORT_FIELDS = (
    "classification category_id title body event_date address target_agency_code privacy "
    "reporter_name reporter_phone reporter_email on_behalf on_behalf_name on_behalf_relation "
    "on_behalf_nik"
).split() + list(REGION_LEVELS)
PARTY_FIELDS = [f"party_{part}_{n}" for n in range(PARTY_ROWS) for part in ("name", "role")]

# the API's field path → the form's field id (the rest are the same name)
API_TO_FORM = {
    "location.region_code": "province",
    "location.address": "address",
    "location": "province",
    "reporter.name": "reporter_name",
    "reporter.phone": "reporter_phone",
    "reporter.email": "reporter_email",
    "on_behalf_of.name": "on_behalf_name",
    "on_behalf_of.nik": "on_behalf_nik",
    "on_behalf_of.relation": "on_behalf_relation",
    "attachments": "files",
    "file": "files",
    "parties": "party_name_0",
    "body_addition": "body_addition",
}
# completeness items (intake's "missing") → the field that supplies them
MISSING_TO_FORM = {
    "body": "body",
    "category": "category_id",
    "category_id": "category_id",
    "location": "province",
    "region_code": "province",
    "event_date": "event_date",
    "parties": "party_name_0",
    "target_agency": "target_agency_code",
}


def values_of(form, names) -> dict:
    return {name: (form.get(name) or "").strip() for name in names}


def report_values(form) -> dict:
    values = values_of(form, REPORT_FIELDS + PARTY_FIELDS)
    values["body"] = (form.get("body") or "").replace("\r\n", "\n").strip()
    values["attachments"] = attachments_of(form)
    return values


def attachments_of(form) -> list[dict]:
    """Files already sent to intake, carried between the form and the check page."""
    try:
        given = json.loads(form.get("attachments") or "[]")
    except ValueError:
        return []
    keep = ("id", "name", "media_type", "size")
    return [
        {key: item.get(key) for key in keep}
        for item in given
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ][:5]


def region_code(values: dict) -> str | None:
    """The deepest level chosen that lies inside the one above it."""
    chosen = None
    for level in REGION_LEVELS:
        code = values.get(level)
        if not code or (chosen and not code.startswith(chosen + ".")):
            break
        chosen = code
    return chosen


def draft(values: dict, lang: str, signed_in: bool) -> dict:
    """POST /reports's body from the form's values; what was left empty is left out."""
    body = {"classification": values["classification"] or None, "body": values["body"]}
    for name in ("category_id", "title", "event_date", "target_agency_code"):
        if values.get(name):
            body[name] = values[name]
    body["privacy"] = values.get("privacy") or "public"
    body["language"] = lang
    body["channel"] = "web"
    location = {"region_code": region_code(values), "address": values.get("address") or None}
    body["location"] = {k: v for k, v in location.items() if v}
    parties = []
    for n in range(PARTY_ROWS):
        name, role = values.get(f"party_name_{n}"), values.get(f"party_role_{n}")
        if name:
            parties.append({"name": name, **({"role": role} if role else {})})
    body["parties"] = parties
    body["attachments"] = [item["id"] for item in values.get("attachments") or []]
    if not signed_in:
        contact = {
            "name": values.get("reporter_name"),
            "phone": values.get("reporter_phone"),
            "email": values.get("reporter_email"),
        }
        body["reporter"] = {k: v for k, v in contact.items() if v}
    if values.get("on_behalf"):
        behalf = {
            "name": values.get("on_behalf_name"),
            "relation": values.get("on_behalf_relation"),
            "nik": values.get("on_behalf_nik"),
        }
        body["on_behalf_of"] = {k: v for k, v in behalf.items() if v}
    return body


def errors_for_form(errors: list[dict], lang: str, fallback: str) -> list[dict]:
    """[{"field": "title", "message": "…"}] in the visitor's language, on the form's ids;
    an error of the whole body lands on ``fallback``."""
    placed, seen = [], set()
    for error in errors:
        field = str(error.get("field") or "_body")
        if field.startswith("parties."):
            parts = field.split(".")
            field = f"party_{parts[2] if len(parts) > 2 else 'name'}_{parts[1]}"
        field = API_TO_FORM.get(field, field)
        if field in ("_body", "_schema"):
            field = fallback
        message = i18n.pick(lang, error.get("message"))
        if (field, message) not in seen:
            seen.add((field, message))
            placed.append({"field": field, "message": message})
    return placed


def error_map(errors: list[dict]) -> dict:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error["field"], []).append(error["message"])
    return by_field
