"""The queue's filters: what the officer chose on the form, and the same as routing's
GET /desk/dispositions parameters (routing judges them; a bad date comes back as a field
error on its field). The coordinators' manual queue and the proposals to verify in review
mode are two views of the same queue (``queue=manual``, ``queue=proposals``)."""

from __future__ import annotations

STATUSES = (
    "awaiting_verification",
    "dispatched",
    "in_progress",
    "awaiting_feedback",
    "completed",
    "returned",
    "archived",
)
VIEWS = ("proposals", "manual")
ACCESS = ("held", "watching", "escalated")
SORTS = ("due", "-received", "received", "-updated")
FIELDS = ("status", "category", "from", "to", "q", "queue", "access", "overdue", "sort")
# routing's field names → the form's ids
API_TO_FORM = {"from": "date_from", "to": "date_to", "date_from": "date_from", "date_to": "date_to"}


def chosen(args) -> dict:
    """The form's values, each one of its options (or empty)."""
    values = {name: (args.get(name) or "").strip() for name in FIELDS}
    for name, options in (
        ("status", STATUSES),
        ("queue", VIEWS),
        ("access", ACCESS),
        ("sort", SORTS),
    ):
        if values[name] not in options:
            values[name] = ""
    values["overdue"] = "ya" if values["overdue"] == "ya" else ""
    values["sort"] = values["sort"] or "due"
    return values


def params(values: dict, cursor: str, limit: int) -> dict:
    """The query for routing: the chosen filters, the page (after ``cursor``, routing's
    ``next`` of the page before; the first page without one), nearest deadline first."""
    query = {
        name: values[name]
        for name in ("status", "category", "from", "to", "q", "queue", "access", "sort")
        if values.get(name)
    }
    if values.get("overdue"):
        query["overdue"] = "true"
    if cursor:
        query["cursor"] = cursor
    return {**query, "limit": limit}


def link(values: dict) -> dict:
    """The chosen filters for a link (pages, CSV): what is left at its default is left out."""
    return {k: v for k, v in values.items() if v and not (k == "sort" and v == "due")}
