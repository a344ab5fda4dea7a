"""Words and dates for people: the message catalogues (messages/<lang>.yml, Indonesian first),
the Indonesian/English halves of an API message, and moments in the report's local time."""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_date, format_datetime

from shared.calendar import zone_of

LANGUAGES = ("id", "en")
DEFAULT = "id"
FOLDER = Path(__file__).parent / "messages"
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # WIB, WITA, WIT


@functools.cache
def catalogue(lang: str) -> dict:
    """messages/<lang>.yml, then each part's own file (messages/desk.<lang>.yml, …)."""
    flat = {}
    for path in [FOLDER / f"{lang}.yml", *sorted(FOLDER.glob(f"*.{lang}.yml"))]:
        with open(path, encoding="utf-8") as handle:
            flat.update(_flatten(yaml.safe_load(handle) or {}))
    return flat


def _flatten(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT


def translate(lang: str, key: str, **values) -> str:
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def pick(lang: str, text) -> str:
    """One language of what a service said: {"id": …, "en": …}, or "Indonesian / English"."""
    if isinstance(text, dict):
        return text.get(lang) or text.get(DEFAULT) or ""
    text = str(text or "")
    known = catalogue(lang).get("api." + text)
    if known:  # marshmallow's own English words
        return known
    for pattern, key in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return translate(lang, key, **match.groupdict())
    if " / " in text:
        first, _, second = text.partition(" / ")
        return first if lang == "id" else second
    return text


_PATTERNS = [
    (re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\."), "api.length_between"),
    (re.compile(r"Shorter than minimum length (?P<min>\d+)\."), "api.length_min"),
    (re.compile(r"Longer than maximum length (?P<max>\d+)\."), "api.length_max"),
]


def moment(lang: str, value, region_code: str | None = None) -> str:
    """'20 November 2026 14.05 WITA': an ISO moment in the local time of the report's region."""
    return moment_in(lang, value, _zone(region_code))


def moment_in(lang: str, value, zone: str | None) -> str:
    """The same, in a named zone ("Asia/Makassar"); WIB when none is given."""
    if not value:
        return ""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if at.tzinfo is None:  # services store UTC
        at = at.replace(tzinfo=UTC)
    zone = zone if zone in ZONES else ZONES[0]
    local = at.astimezone(ZoneInfo(zone))
    text = format_datetime(local, translate(lang, "format.datetime"), locale=lang)
    return f"{text} {translate(lang, 'zone.' + zone)}"


@functools.lru_cache(maxsize=4096)
def _zone(region_code: str | None) -> str:
    return zone_of(region_code)  # the region index's lookup, once per region and process


def day(lang: str, value) -> str:
    if not value:
        return ""
    try:
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:  # what was typed, shown as typed; intake will say what is wrong
        return str(value)
    return format_date(when, translate(lang, "format.date"), locale=lang)
