"""How an SMS text goes over the air (pure): GSM 7-bit when every character is in the GSM 03.38
alphabet, UCS-2 only when one is not, and into how many segments a handset splits it.

    plan("LAPOR: laporan LPR-YX4H-70ES-2SDK diteruskan ke Dinas Kesehatan Kabupaten Barru.")
    → Plan(coding=0, parts=("LAPOR: laporan …",))          82 septets: one segment

GSM 7-bit: 160 septets in one SMS, 153 in each part of a concatenated one (the 6-octet UDH
takes 7 septets); a character of the extension table (€ [ ] { } ^ ~ | \\ and form feed) is an
escape plus a character, two septets, and the two never go to different parts.
UCS-2: 70 UTF-16 units in one SMS, 67 per part; a character outside the Basic Multilingual
Plane (an emoji) is two units, a surrogate pair, never split either.

A text longer than one segment is split on word boundaries (a word longer than a whole part is
split between characters), each part keeping the space that followed its last word, so the
parts joined are the text itself: nothing is cut.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_7BIT = 0  # Kannel's coding=0
UCS_2 = 2  # Kannel's coding=2

# GSM 03.38 basic character set, in table order (0x1B, the escape, is not a character)
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# the extension table: each is sent as ESC + a character, two septets
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {GSM_7BIT: 160, UCS_2: 70}
PART = {GSM_7BIT: 153, UCS_2: 67}
MAX_PARTS = 255  # the 8-bit concatenation header counts parts in one octet


@dataclass(frozen=True)
class Plan:
    coding: int
    parts: tuple[str, ...]

    @property
    def segments(self) -> int:
        return len(self.parts)


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def coding_of(text: str) -> int:
    return GSM_7BIT if is_gsm(text) else UCS_2


def units(text: str, coding: int | None = None) -> int:
    """Septets (GSM 7-bit) or UTF-16 units (UCS-2) the text takes."""
    coding = coding_of(text) if coding is None else coding
    return sum(_cost(ch, coding) for ch in text)


def segments(text: str) -> int:
    """How many SMS a handset sends this text as (it splits between characters)."""
    return len(_pack_characters(text, coding_of(text)))


def plan(text: str) -> Plan:
    """The coding and the parts to send: one part when the text fits one segment, else parts
    split on word boundaries, each within one segment of a concatenated SMS."""
    coding = coding_of(text)
    if units(text, coding) <= SINGLE[coding]:
        return Plan(coding, (text,))
    parts: list[str] = []
    current = ""
    for token in _tokens(text):
        if units(current + token, coding) <= PART[coding]:
            current += token
            continue
        if current:
            parts.append(current)
            current = ""
        if units(token, coding) <= PART[coding]:
            current = token
        else:  # a word longer than a part: split it between characters
            *whole, current = _pack_characters(token, coding)
            parts.extend(whole)
    if current:
        parts.append(current)
    if len(parts) > MAX_PARTS:
        raise ValueError(f"an SMS of {len(parts)} parts is more than {MAX_PARTS}")
    return Plan(coding, tuple(parts))


def _cost(ch: str, coding: int) -> int:
    if coding == GSM_7BIT:
        return 2 if ch in GSM_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1


def _pack_characters(text: str, coding: int) -> list[str]:
    """Characters into as few segments as they fill, none straddling two."""
    if units(text, coding) <= SINGLE[coding]:
        return [text]
    chunks, current, used = [], "", 0
    for ch in text:
        cost = _cost(ch, coding)
        if used + cost > PART[coding]:
            chunks.append(current)
            current, used = "", 0
        current += ch
        used += cost
    chunks.append(current)
    return chunks


def _tokens(text: str) -> list[str]:
    """Words, each with the whitespace that follows it ("a b " → ["a ", "b "])."""
    tokens, current = [], ""
    for ch in text:
        if current and not ch.isspace() and current[-1].isspace():
            tokens.append(current)
            current = ""
        current += ch
    if current:
        tokens.append(current)
    return tokens
