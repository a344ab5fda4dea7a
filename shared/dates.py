"""Moments and days as people read them (SPEC §2, §5): Indonesian first, in the local time of
the report's region (WIB, WITA or WIT by province; services store UTC).

    moment("id", "2026-12-15T06:00:00+00:00", "73.11")  → "15 Desember 2026, 14.00 WITA"
    moment("en", …, "73.11")                            → "15 December 2026, 14:00 WITA"
    day("id", "2026-12-15")                             → "15 Desember 2026"

The portal's pages and intake's public report page both write dates this way.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime

from shared.calendar import zone_of

LANGUAGES = ("id", "en")
MOMENT = {"id": "d MMMM y, HH.mm", "en": "d MMMM y, HH:mm"}
DAY = "d MMMM y"
ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@functools.lru_cache(maxsize=2048)
def moment(lang: str, value, region_code: str | None = None) -> str:
    """An ISO moment (or a datetime; naive means UTC) in the local time of the region; the
    same deadline is written in several messages of one event: formatted once."""
    if not value:
        return ""
    lang = lang if lang in LANGUAGES else "id"
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    zone = _zone(region_code)
    text = format_datetime(at.astimezone(ZoneInfo(zone)), MOMENT[lang], locale=_locale(lang))
    return f"{text} {ZONES.get(zone, zone)}"


def day(lang: str, value) -> str:
    """A calendar day; what does not read as one is given back as it was typed."""
    if not value:
        return ""
    lang = lang if lang in LANGUAGES else "id"
    try:
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return format_date(when, DAY, locale=_locale(lang))


@functools.lru_cache(maxsize=4096)
def _zone(region_code: str | None) -> str:
    return zone_of(region_code)  # the region index's lookup, once per region and process


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)  # parsed once, not on every date of every page
