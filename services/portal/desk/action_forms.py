"""Between a desk action's form and routing's JSON body. Each form's fields are named
``<action>_<the API's field>`` (several forms share one page), so the API's field errors go
back next to the right field. No rule here: routing judges what was sent."""

from __future__ import annotations

from services.portal import forms

PATHS = {
    "followup": "followups",
    "decline": "decline",
    "confirm": "confirm",
    "dispatch": "dispatch",
    "postpone": "postpone",
    "archive": "archive",
    "correct": "correct",
}
TEXT = {
    "followup": ("text",),
    "decline": ("reason", "suggested_agency_code", "corrected_category_id"),
    "confirm": ("note",),
    "dispatch": ("agency_code", "note"),
    "postpone": ("note",),
    "archive": ("reason", "duplicate_of", "note"),
    "correct": ("category_id", "region_code"),
}
FLAGS = {"followup": ("final", "field_inspection")}
FILES = {"followup": "files"}  # the form's file input; routing's parts are named "file"
MOST_FILES = 5  # routing takes up to five files with a follow-up
REQUIRED = {"followup": "text", "decline": "reason", "postpone": "note", "dispatch": "agency_code"}


def values(action: str, form) -> dict:
    """What the officer typed, by the form's field names (kept when the page comes back)."""
    names = [f"{action}_{name}" for name in TEXT[action] + FLAGS.get(action, ())]
    return forms.values_of(form, names)


def body(action: str, typed: dict) -> dict:
    """The API's body: texts (left out when empty, except the one the API requires), flags."""
    sent = {}
    for name in TEXT[action]:
        value = typed.get(f"{action}_{name}", "").replace("\r\n", "\n")
        if value or REQUIRED.get(action) == name:
            sent[name] = value
    for name in FLAGS.get(action, ()):
        sent[name] = typed.get(f"{action}_{name}") == "ya"
    if action == "archive" and sent.get("reason") != "duplicate":
        sent.pop("duplicate_of", None)  # a candidate picked before the reason was changed
    return sent


def multipart(action: str, typed: dict, uploads) -> list[tuple]:
    """The body as form fields with the chosen files, for routing's multipart form."""
    fields = [
        (name, "true" if value is True else "false" if value is False else value)
        for name, value in body(action, typed).items()
    ]
    return fields + [("file", (u.filename, u.stream, u.mimetype)) for u in uploads]


def errors(action: str, problems: list[dict], lang: str) -> list[dict]:
    """The API's field errors on this form's fields (a whole-body error on its first field)."""
    first = f"{action}_{TEXT[action][0]}"
    placed = forms.errors_for_form(problems, lang, first)
    names = TEXT[action] + FLAGS.get(action, ()) + ((FILES[action],) if action in FILES else ())
    known = {f"{action}_{name}" for name in names}

    def place(error: dict) -> dict:
        name = f"{action}_{error['field']}"
        if name in known:
            return error | {"field": name}
        return error if error["field"] in known else error | {"field": first}

    return [place(error) for error in placed]
