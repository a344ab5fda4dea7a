"""The public report page in HTML. It receives a record already filtered for the public on
the HTML output (shared.privacy), so every string in it is escaped before it gets here."""

from __future__ import annotations

from shared import dates

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}.status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;"
    "background:#eee}.red{background:#f8d0d0}.yellow{background:#fbeeb8}.green{background:#cdeccd}"
    "dt{font-weight:600;margin-top:.6rem}p.body{white-space:pre-wrap}"
)


def _when(value, region_code: str | None) -> str:
    """'15 Desember 2026, 14.00 WITA': a moment in the report's local time; a day as a day."""
    if value is None:
        return "-"
    if hasattr(value, "hour"):
        return dates.moment("id", value, region_code)
    return dates.day("id", value)


def report_page(shown: dict) -> str:
    """One public report; ``shown`` is privacy.view(record, THE_PUBLIC, HTML)."""
    label = (shown.get("status_label") or {}).get("id", shown["status"])
    region = shown.get("region_code")
    colour = shown.get("colour") or ""
    category = (shown.get("category_name") or {}).get("id", shown.get("category_id") or "-")
    rows = [
        ("Kategori / Category", category),
        ("Lokasi / Location", shown.get("region_name") or shown.get("region_code") or "-"),
        ("Alamat / Address", shown.get("address") or "-"),
        ("Tanggal kejadian / Event date", _when(shown.get("event_date"), None)),
        ("Instansi / Agency", shown.get("agency_name") or "-"),
        ("Pelapor / Reporter", shown.get("display_name") or "Anonim / Anonymous"),
        ("Dilaporkan / Filed", _when(shown.get("submitted_at"), region)),
    ]
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    lines = "".join(
        f"<li>{_when(line['at'], region)}: {line['text']['id']}</li>"
        for line in shown.get("timeline", [])
        if line.get("kind") == "status"
    )
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{shown['tracking_id']} - satupintu</title><style>{_STYLE}</style></head><body>"
        f'<p>{shown["tracking_id"]} <span class="status {colour}">{label}</span></p>'
        f"<h1>{shown.get('title') or ''}</h1>"
        f'<p class="body">{shown.get("body") or ""}</p>'
        f"<dl>{details}</dl><h2>Riwayat / Timeline</h2><ul>{lines}</ul></body></html>"
    )
