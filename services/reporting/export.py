"""CSV: the same figures as the JSON, one flat row per card or ranking line.

Nested keys become dotted column names (``times.first_followup.median_hours``). A withheld
count reads ``<5``; a withheld rate or duration is empty, as is one that cannot be computed.
Every cell passes shared.privacy.csv_cell, so no name can smuggle a spreadsheet formula.
Pure: no I/O beyond the string it returns.
"""

from __future__ import annotations

import csv
import io

from shared.privacy import csv_cell

WITHHELD = "<5"
_MEASURES = ("rate", "score", "hours")


def flatten(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif not isinstance(value, list):
            flat[name] = value
    return flat


def _cell(name: str, value, withheld: set[str]):
    if name in withheld:
        return "" if name.endswith(_MEASURES) else WITHHELD
    if value is None:
        return ""
    return csv_cell(value)


def render(rows: list[dict], withheld: list[set[str]] | None = None) -> str:
    """``rows`` (nested dicts, all of the same shape) as CSV text with a header line."""
    flat = [flatten(row) for row in rows]
    withheld = withheld or [set() for _ in rows]
    columns: list[str] = []
    for row in flat:
        columns += [name for name in row if name not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row, hidden in zip(flat, withheld, strict=True):
        writer.writerow([_cell(name, row.get(name), hidden) for name in columns])
    return out.getvalue()
