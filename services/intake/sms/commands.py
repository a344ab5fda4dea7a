"""What a short message from a phone or a social account asks for (SMS 1708 and Twitter).

    CEK LPR-7K3M-9Q2X-H4TB              the status of a report
    BALAS LPR-7K3M-9Q2X-H4TB <text>      a comment on one's own report
    BATAL LPR-7K3M-9Q2X-H4TB             withdraw one's own report
    BARU <text> (or baru: <text>)        a new report, whatever else is open
    PUAS LPR-7K3M-9Q2X-H4TB              satisfied with the agency's final follow-up
    TIDAK PUAS LPR-7K3M-9Q2X-H4TB <why>  not satisfied (the id may be left out when only one
                                         of one's reports awaits feedback)
    anything else                        a new report, a supplement to one's returned report,
                                         or a comment on one's only open report

Free text may carry the missing items as keywords, anywhere and in any case:
``KAT <category>``, ``LOK <regency/city or region code>``, ``TGL <dd-mm-yyyy>``,
``PIHAK <who is involved>``, and the word ``RAHASIA`` for a confidential report. A topic or a
place that matches nothing, or a place name two regencies share, is kept in ``asks`` so the
reply can name the nearest topics or the choices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from shared import category_names
from shared.region_names import find_region, region_choices
from shared.tracking import normalise

CHECK, COMMENT, WITHDRAW, FEEDBACK, TEXT = "check", "comment", "withdraw", "feedback", "text"

_COMMAND = re.compile(r"^\s*(CEK|BALAS|BATAL)\b[\s:]*(.*)$", re.IGNORECASE | re.DOTALL)
# "BARU" in capitals, or "baru:" in any case: "Baru kemarin jalan ambles…" is a sentence, not
# the command, and keeps its first word
_NEW = re.compile(r"^\s*(?:BARU\b|(?i:baru)\s*:)[\s:]*(.*)$", re.DOTALL)
_FEEDBACK = re.compile(
    r"^\s*((?:TIDAK|TDK|BELUM|BLM|GAK|GA|NGGAK)\s+)?PUAS\b[\s:,.!]*(.*)$", re.I | re.S
)
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
    satisfied: bool | None = None  # FEEDBACK: PUAS or TIDAK PUAS
    # what a keyword named but did not settle: {"category": [nearest topics]},
    # {"region": [the codes a shared name may mean]}
    asks: dict = field(default_factory=dict)
    new: bool = False  # BARU: a new report, never a comment on an open one


def parse(text: str) -> Message:
    text = (text or "").strip()
    command = _COMMAND.match(text)
    if command:
        kind = {"CEK": CHECK, "BALAS": COMMENT, "BATAL": WITHDRAW}[command.group(1).upper()]
        tracking_id, rest = _leading_tracking_id(command.group(2))
        return Message(kind, rest, tracking_id)
    feedback = _FEEDBACK.match(text)
    if feedback:
        tracking_id, rest = _leading_tracking_id(feedback.group(2))
        return Message(FEEDBACK, rest, tracking_id, satisfied=not feedback.group(1))
    new = _NEW.match(text)
    if new:
        message = parse_text(new.group(1))
        message.new = True
        return message
    return parse_text(text)


def parse_text(text: str) -> Message:
    """``text`` as a report or a reply: its keywords read, whatever word it starts with."""
    text = (text or "").strip()
    found: dict = {}
    asks: dict = {}
    for keyword, value in _KEYWORD.findall(text):
        key = keyword.upper()[:3]
        value = value.strip().rstrip(".,;")
        if key == "KAT":
            category_id = _first_words(value, category_names.find)
            if category_id:
                found["category_id"] = category_id
            else:
                asks["category"] = category_names.nearest(value)
        elif key == "LOK":
            region_code = _first_words(value, lambda words: find_region(words, typos=True))
            if region_code:
                found["region_code"] = region_code
            elif shared := _first_words(value, _shared_name):
                asks["region"] = shared
        elif key == "TGL" and (day := parse_date(value)):
            found["event_date"] = day
        elif key == "PIH" and value:
            found["parties"] = [{"name": value[:100]}]
    return Message(
        TEXT, text, fields=found, confidential=bool(_CONFIDENTIAL.search(text)), asks=asks
    )


def _shared_name(words: str) -> list[str] | None:
    choices = region_choices(words)
    return choices if len(choices) > 1 else None


def _first_words(value: str, match, most: int = 4):
    """What ``match`` finds for the longest run of ``value``'s first words ('jalan rusak
    depan pasar' → 'jalan rusak'): a keyword's value runs to the end of the line."""
    words = value.split()
    for n in range(min(most, len(words)), 0, -1):
        if found := match(" ".join(words[:n])):
            return found
    return None


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
