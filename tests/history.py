"""Historical records (shared.historical's format) for the import tests: a small sample that
covers every shape of life — declines, open and closed, feedback either way, a feedback timeout,
a withdrawal, confidential and anonymous reports — at agencies of the national template that
routing's policy picks for them (Barru, Sulawesi Selatan)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from shared.tracking import ALPHABET, _format, check_char

START = datetime(2019, 3, 4, 1, 0, tzinfo=UTC)
# (category, the agencies routing picks in turn: every one but the last declines)
ROUTES = [
    ("kesehatan.puskesmas", ["KAB-73-11-DINKES"]),
    ("kesehatan.rumah_sakit", ["KAB-73-11-RSUD", "PROV-73-RSUD"]),
    ("pendidikan.sd", ["KAB-73-11-DISDIK"]),
    ("pungutan_liar", ["KAB-73-11-INSPEKTORAT"]),  # a supervision category: watchers
]
ENDINGS = ("satisfied", "unsatisfied", "timeout", "awaiting", "in_progress", "open", "withdrawn")
PRIVACY = ("public", "confidential", "anonymous")
CHANNELS = ("web", "sms", "mobile", "twitter")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def tracking_id(number: int) -> str:
    payload = "".join(ALPHABET[(number >> (5 * i)) % 32] for i in range(11))
    return _format(payload + check_char(payload))


def sample(count: int = 28) -> list[dict]:
    """``count`` records, every route, ending and privacy level among them."""
    return [one(number) for number in range(count)]


def one(number: int) -> dict:
    category, route = ROUTES[number % len(ROUTES)]
    ending = ENDINGS[number % len(ENDINGS)]
    at = START + timedelta(days=3 * number, hours=number % 5)
    privacy = PRIVACY[number % len(PRIVACY)]
    rec = {
        "tracking_id": tracking_id(number + 1000),
        "submitted_at": iso(at),
        "classification": "complaint",
        "category_id": category,
        "region_code": "73.11.01",
        "privacy": privacy,
        "channel": CHANNELS[number % len(CHANNELS)],
        "language": "id",
        "title": f"Laporan nomor {number} tentang layanan",
        "body": f"Uraian laporan nomor {number}: layanan di Barru lambat sekali.",
        "reporter": None
        if privacy == "anonymous"
        else {"name": f"Warga {number}", "phone": f"+62812000{number:05d}", "email": None},
        "event_date": iso(at - timedelta(days=2))[:10],
        "parties": [{"name": "Oknum petugas", "role": "pegawai"}]
        if category == "pungutan_liar"
        else None,
        "dispositions": [],
        "followups": [],
        "feedback": None,
        "feedback_timeout": False,
        "withdrawn_at": None,
    }
    for index, code in enumerate(route):
        at += timedelta(hours=1)
        hop = {"agency_code": code, "at": iso(at)}
        if index < len(route) - 1:
            at += timedelta(days=1)
            hop.update(declined_at=iso(at), reason="Bukan kewenangan kami")
        rec["dispositions"].append(hop)
    if ending == "withdrawn":
        rec["withdrawn_at"] = iso(at + timedelta(days=2))
        return rec
    if ending == "open":
        return rec
    late = number % 3 == 0  # some answers after the first follow-up deadline
    at += timedelta(days=9 if late else 1)
    rec["followups"].append({"at": iso(at), "text": "Sedang kami tangani.", "final": False})
    if ending == "in_progress":
        return rec
    at += timedelta(days=2)
    rec["followups"].append({"at": iso(at), "text": "Sudah kami selesaikan.", "final": True})
    if ending in ("satisfied", "unsatisfied"):
        rec["feedback"] = {"at": iso(at + timedelta(days=1)), "satisfied": ending == "satisfied",
                           "note": "Catatan pelapor."}  # fmt: skip
    elif ending == "timeout":
        rec["feedback_timeout"] = True
    return rec


def write(path, records: list[dict], extra_lines: tuple[str, ...] = ()) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
        for line in extra_lines:
            out.write(line + "\n")
