"""Is a report complete enough to act on (SPEC §2)? Checked on every submission and supplement.

- complaint: what happened (a body long enough to act on) and about what (a category — routing
  needs one), where (an existing region code, regency level or deeper), when (a date, not in
  the future); for supervision categories also who is involved;
- aspiration: body and category;
- information request: body, and a category or a target agency.

An incomplete report is not refused: it is returned to the reporter with exactly these items,
in the reporter's language.
"""

from __future__ import annotations

from datetime import date

from shared import categories
from shared.regions import code_depth

MIN_BODY_CHARS = 20
MIN_BODY_WORDS = 4
# an information request naming only an agency is about public information disclosure
INFORMATION_CATEGORY = "komunikasi_informatika.informasi_publik"

ITEMS: dict[str, dict[str, str]] = {
    "body": {
        "id": f"uraian kejadian (minimal {MIN_BODY_CHARS} karakter, {MIN_BODY_WORDS} kata)",
        "en": f"what happened (at least {MIN_BODY_CHARS} characters, {MIN_BODY_WORDS} words)",
    },
    "category": {"id": "kategori laporan", "en": "the report's category"},
    "region": {
        "id": "lokasi kejadian (kabupaten/kota atau lebih rinci)",
        "en": "where it happened (regency/city or more precise)",
    },
    "event_date": {
        "id": "tanggal kejadian (tidak di masa depan)",
        "en": "when it happened (a date, not in the future)",
    },
    "parties": {
        "id": "pihak yang terlibat (nama atau jabatan)",
        "en": "who is involved (name or position)",
    },
    "category_or_agency": {
        "id": "kategori atau instansi tujuan",
        "en": "a category or the agency you are asking",
    },
    # a coordinator postponed the report: what to add is in its note (on the timeline)
    "coordinator_note": {
        "id": "yang diminta verifikator (lihat catatan)",
        "en": "what the coordinator asked for (see the note)",
    },
}
# what each item is called in the report's fields, for per-field messages
FIELDS = {
    "body": "body",
    "category": "category_id",
    "region": "location.region_code",
    "event_date": "event_date",
    "parties": "parties",
    "category_or_agency": "category_id",
    "coordinator_note": "body_addition",
}


def body_is_actionable(body: str | None) -> bool:
    text = (body or "").strip()
    return len(text) >= MIN_BODY_CHARS and len(text.split()) >= MIN_BODY_WORDS


def missing(report: dict, today: date) -> list[str]:
    """The items ``report`` lacks, in a fixed order; [] when it is complete.

    ``report`` holds classification, category_id, body, region_code, event_date, parties,
    target_agency_code (any may be None).
    """
    lacking = []
    if not body_is_actionable(report.get("body")):
        lacking.append("body")
    category_id = report.get("category_id")
    known_category = bool(category_id) and categories.exists(category_id)
    classification = report.get("classification")
    if classification == "information_request":
        if not known_category and not report.get("target_agency_code"):
            lacking.append("category_or_agency")
        return lacking
    if not known_category:
        lacking.append("category")
    if classification == "aspiration":
        return lacking
    if code_depth(report.get("region_code") or "") < 2:
        lacking.append("region")
    event_date = report.get("event_date")
    if event_date is None or event_date > today:
        lacking.append("event_date")
    if known_category and categories.is_supervision(category_id) and not report.get("parties"):
        lacking.append("parties")
    return lacking


def describe(items: list[str], language: str) -> list[dict]:
    """[{"item": "event_date", "field": "event_date", "message": "tanggal kejadian …"}]."""
    lang = language if language in ("id", "en") else "id"
    return [{"item": item, "field": FIELDS[item], "message": ITEMS[item][lang]} for item in items]


def routing_category(report: dict) -> str:
    """The category routing gets: the report's, or public information for an agency-only
    information request."""
    return report.get("category_id") or INFORMATION_CATEGORY
