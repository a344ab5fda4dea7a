"""What a short message from a phone or a social account asks for (SMS 1708 and Twitter).

    CEK LPR-7K3M-9Q2X-H4TB              the status of a report
    BALAS LPR-7K3M-9Q2X-H4TB <text>      a comment on one's own report
    BATAL LPR-7K3M-9Q2X-H4TB             withdraw one's own report
    anything else                        a new report, or a supplement to one's returned report

Free text may carry the missing items as keywords, anywhere and in any case:
``KAT <category>``, ``LOK <regency/city or region code>``, ``TGL <dd-mm-yyyy>``,
``PIHAK <who is involved>``, and the word ``RAHASIA`` for a confidential report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from shared import categories
from shared.region_names import find_region
from shared.tracking import normalise

CHECK, COMMENT, WITHDRAW, TEXT = "check", "comment", "withdraw", "text"

_COMMAND = re.compile(r"^\s*(CEK|BALAS|BATAL)\b[\s:]*(.*)$", re.IGNORECASE | re.DOTALL)
_KEYWORD = re.compile(
    r"\b(KAT|KATEGORI|LOK|LOKASI|TGL|TANGGAL|PIHAK)\b\s*[:=]?\s*(.+?)(?=\s*[.,;]?\s*\b(?:KAT|KATEGORI|LOK|LOKASI|TGL|TANGGAL|PIHAK|RAHASIA)\b|[.;,]?\s*$|\n)",
    re.IGNORECASE,
)
_CONFIDENTIAL = re.compile(r"\bRAHASIA\b", re.IGNORECASE)
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass
class Message:
    kind: str
    text: str = ""
    tracking_id: str | None = None  # None when the typed id is not a valid one
    fields: dict = field(default_factory=dict)  # category_id, region_code, event_date, parties
    confidential: bool = False


def parse(text: str) -> Message:
    text = (text or "").strip()
    command = _COMMAND.match(text)
    if command:
        kind = {"CEK": CHECK, "BALAS": COMMENT, "BATAL": WITHDRAW}[command.group(1).upper()]
        tracking_id, rest = _leading_tracking_id(command.group(2))
        return Message(kind, rest, tracking_id)
    found: dict = {}
    for keyword, value in _KEYWORD.findall(text):
        key = keyword.upper()[:3]
        value = value.strip().rstrip(".,;")
        if key == "KAT" and (category_id := categories.find(value)):
            found["category_id"] = category_id
        elif key == "LOK" and (region_code := find_region(value)):
            found["region_code"] = region_code
        elif key == "TGL" and (day := parse_date(value)):
            found["event_date"] = day
        elif key == "PIH" and value:
            found["parties"] = [{"name": value[:100]}]
    return Message(TEXT, text, fields=found, confidential=bool(_CONFIDENTIAL.search(text)))


def _leading_tracking_id(text: str) -> tuple[str | None, str]:
    """('LPR-…', the rest) when ``text`` starts with a tracking id, typed with or without
    dashes or spaces ('lpr 7k3m 9q2x h4tb'); (None, text) otherwise."""
    words = text.split(None, 5)
    for n in range(min(5, len(words)), 0, -1):
        tracking_id = normalise("".join(words[:n]))
        if tracking_id:
            rest = text.split(None, n)[n] if len(text.split(None, n)) > n else ""
            return tracking_id, rest.strip()
    return None, text.strip()


def parse_date(text: str) -> date | None:
    """'20-11-2026', '20/11/26' or '2026-11-20' → date; None if not a real date."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    if match.group(4):
        year, month, day = int(match.group(4)), int(match.group(5)), int(match.group(6))
    else:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year += 2000 if year < 100 else 0
    try:
        return date(year, month, day)
    except ValueError:
        return None
