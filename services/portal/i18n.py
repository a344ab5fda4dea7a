"""Words and dates for people: the message catalogues (messages/<lang>.yml, Indonesian first),
the Indonesian/English halves of an API message, and moments in the report's local time."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from babel.dates import format_datetime

from shared import dates

LANGUAGES = ("id", "en")
DEFAULT = "id"
FOLDER = Path(__file__).parent / "messages"
NATIONAL = "Asia/Jakarta"  # WIB


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
    """'20 November 2026, 14.05 WITA': an ISO moment in the local time of the report's region
    (shared/dates.py, as intake's pages write it)."""
    return dates.moment(lang, value, region_code)


def moment_in(lang: str, value, zone: str | None) -> str:
    """The same in a named zone (an agency's "Asia/Makassar"); WIB when it is none of the
    three."""
    if not value:
        return ""
    lang = lang if lang in LANGUAGES else DEFAULT
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if at.tzinfo is None:  # services store UTC
        at = at.replace(tzinfo=UTC)
    zone = zone if zone in dates.ZONES else NATIONAL
    text = format_datetime(at.astimezone(ZoneInfo(zone)), dates.MOMENT[lang], locale=lang)
    return f"{text} {dates.ZONES[zone]}"


def day(lang: str, value) -> str:
    return dates.day(lang, value)
