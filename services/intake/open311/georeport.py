"""Open311 GeoReport v2: services are categories, requests are reports (public view only).

Location: ``address_id`` is a Kemendagri region code ('73.11'); without one, the regency or city
that ``address_string`` names ('Jl. Jend. Sudirman, Makassar' → 73.71, shared.region_names, the
matcher SMS ``LOK`` uses); without either, the regency of the nearest GeoNames place to
``lat``/``long`` within 25 km (shared.region_points: a guess, right about four times in five).
The report's other fields come as attributes (``attribute[event_date]``,
``attribute[classification]``, ``attribute[privacy]``, ``attribute[parties]``). Status: ``open`` until the report is completed or archived, then
``closed``. Errors: ``[{"code": 400, "description": "…"}]`` (or ``<errors>`` in XML).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from xml.etree import ElementTree as ET

from shared import categories
from shared.region_names import find_region_in_address
from shared.region_points import regency_at
from shared.regions import load_regions

CLOSED = ("completed", "archived")
PUBLIC_STATUSES = ("dispatched", "in_progress", "awaiting_feedback", "completed")
MAX_RESULTS = 1000  # the most one GET requests answers: the default and largest page_size
DEFAULT_DAYS = 90
# The one jurisdiction this endpoint serves; a client may send it, or no jurisdiction_id at all.
JURISDICTION_ID = "satupintu"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"  # when this endpoint's behaviour last changed
FORMATS = ["application/json", "text/xml"]

ATTRIBUTES = [
    {
        "variable": True,
        "code": "classification",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "complaint (default), aspiration or information_request",
        "order": 1,
        "description": "Jenis laporan / Kind of report",
        "values": [
            {"key": "complaint", "name": "Pengaduan / Complaint"},
            {"key": "aspiration", "name": "Aspirasi / Aspiration"},
            {"key": "information_request", "name": "Permintaan informasi / Information request"},
        ],
    },
    {
        "variable": True,
        "code": "event_date",
        "datatype": "datetime",
        "required": True,
        "datatype_description": "YYYY-MM-DD, not in the future",
        "order": 2,
        "description": "Tanggal kejadian / When it happened",
    },
    {
        "variable": True,
        "code": "privacy",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "public (default), anonymous or confidential",
        "order": 3,
        "description": "Kerahasiaan pelapor / Reporter's privacy",
        "values": [
            {"key": "public", "name": "Umum / Public"},
            {"key": "anonymous", "name": "Anonim / Anonymous"},
            {"key": "confidential", "name": "Rahasia / Confidential"},
        ],
    },
    {
        "variable": True,
        "code": "parties",
        "datatype": "text",
        "required": False,
        "datatype_description": "names or positions, separated by ';'",
        "order": 4,
        "description": "Pihak yang terlibat / Who is involved",
    },
]


def services() -> list[dict]:
    found = []
    for category in categories.CATEGORIES.values():
        root = categories.ancestors(category.id)[-1]
        found.append(
            {
                "service_code": category.id,
                "service_name": category.name_id,
                "description": f"{category.name_id} / {category.name_en}",
                "metadata": True,
                "type": "realtime",
                "keywords": ", ".join(category.id.split(".")),
                "group": categories.get(root).name_id,
            }
        )
    return found


def definition(service_code: str) -> dict | None:
    if not categories.exists(service_code):
        return None
    attributes = [dict(item) for item in ATTRIBUTES]
    if categories.is_supervision(service_code):
        for item in attributes:
            if item["code"] == "parties":
                item["required"] = True
    return {"service_code": service_code, "attributes": attributes}


def discovery(endpoint_url: str) -> dict:
    """The service discovery document (GET /open311/discovery.json) for ``endpoint_url``."""
    return {
        "changeset": CHANGESET,
        "contact": "Pengelola SatuPintu di instansi Anda / The SatuPintu operator of your agency",
        "key_service": "API key dari pengelola (satupintu open311-key) / "
        "an API key from the operator",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS),
            }
        ],
    }


def where(region_code: str) -> str:
    """'Lokasi / Location: Kota Makassar, Sulawesi Selatan (73.71)': where a request was filed
    (a guess from lat/long can be wrong; see shared.region_points)."""
    names = [region.display_name for region in load_regions().chain(region_code)]
    return f"Lokasi / Location: {', '.join(reversed(names))} ({region_code})"


def status_of(report_status: str) -> str:
    return "closed" if report_status in CLOSED else "open"


def request_view(shown: dict) -> dict:
    """A public-filtered report record (shared.privacy, OPEN311) as an Open311 request."""
    category = shown.get("category_name") or {}
    title, body = shown.get("title") or "", shown.get("body") or ""
    description = body if body.startswith(title.rstrip(".")) else f"{title}\n\n{body}"
    return {
        "service_request_id": shown["tracking_id"],
        "status": status_of(shown["status"]),
        "status_notes": (shown.get("status_label") or {}).get("id"),
        "service_name": category.get("id"),
        "service_code": shown.get("category_id"),
        "description": description,
        "agency_responsible": shown.get("agency_name"),
        "service_notice": None,
        "requested_datetime": shown.get("submitted_at"),
        "updated_datetime": shown.get("updated_at"),
        "expected_datetime": None,
        "address": shown.get("address"),
        "address_id": shown.get("region_code"),
        "zipcode": None,
        "lat": shown.get("latitude"),
        "long": shown.get("longitude"),
        # Attachments are the reporter's alone (only the reporter may download them) and none
        # is ever made public, so there is no URL the public may follow.
        "media_url": None,
    }


def payload_of(form) -> dict:
    """The form as its idempotency digest sees it: every field but the api key."""
    return {key: form.getlist(key) for key in sorted(form) if key != "api_key"}


def draft_from_form(form) -> dict:
    """A POSTed Open311 form as the raw report draft schemas.ReportDraft loads."""
    attribute = {
        key[10:-1]: value
        for key, value in form.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    address = form.get("address_string") or None
    latitude, longitude = form.get("lat") or None, form.get("long") or None
    region_code = (
        form.get("address_id")
        or (address and find_region_in_address(address))
        or _regency_at(latitude, longitude)
    )
    name = " ".join(filter(None, [form.get("first_name"), form.get("last_name")])) or None
    event_date = attribute.get("event_date") or None
    parties = [
        {"name": p.strip()} for p in (attribute.get("parties") or "").split(";") if p.strip()
    ]
    raw = {
        "classification": attribute.get("classification") or "complaint",
        "category_id": form.get("service_code"),
        "body": form.get("description") or "",
        "event_date": event_date[:10] if event_date else None,
        "location": {
            "region_code": region_code or None,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
        },
        "parties": parties,
        "privacy": attribute.get("privacy") or "public",
        "channel": "open311",
        "language": "id",
        "reporter": {
            "name": name,
            "phone": form.get("phone") or None,
            "email": form.get("email") or None,
        },
    }
    if not raw["body"]:
        raw.pop("body")
    return raw


def _regency_at(latitude: str | None, longitude: str | None) -> str | None:
    """The guessed regency of a point sent as text; None if either is not a finite number
    (the draft's schema then says which)."""
    try:
        point = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    return regency_at(*point) if all(math.isfinite(x) for x in point) else None


def error(code: int, description: str) -> list[dict]:
    return [{"code": code, "description": description}]


def to_xml(root: str, item: str, rows, nested: dict | None = None) -> bytes:
    """``rows`` (a list) as <root><item>…</item>…</root>, or one dict (``item`` empty) as
    <root>…</root>; lists nest under their key, each entry named by ``nested[key]``."""
    top = ET.Element(root)
    for row in [rows] if isinstance(rows, dict) else rows:
        _fill(ET.SubElement(top, item) if item else top, row, nested or {})
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")


def _fill(element, row: dict, nested: dict) -> None:
    for key, value in row.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                sub = ET.SubElement(child, nested.get(key, "item"))
                if isinstance(entry, dict):
                    _fill(sub, entry, nested)
                else:
                    sub.text = _text(entry)
        else:
            child.text = _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
