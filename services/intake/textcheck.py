"""Free text is stored exactly as given and escaped wherever it is shown; markup and SQL
injection attempts are refused at the door instead, naming the field.

A complaint has no use for HTML tags or SQL statements, and every consumer downstream (an
agency's system, an SMS, a spreadsheet) is safer for never receiving them. Ordinary text that
merely contains '<', quotes or words such as 'select' passes untouched.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9:-]*(\s[^<>]*)?/?\s*>")
_SCRIPT_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
_SQL = re.compile(
    r"(;\s*(drop|delete|truncate|alter|insert|update|create)\s+(table|from|into|database|\w+\s+set)\b)"
    r"|(\bunion\s+(all\s+)?select\b)"
    r"|('\s*or\s*'?\d+'?\s*=\s*'?\d+)"
    r"|('\s*;\s*--)",
    re.IGNORECASE,
)

MARKUP = "Teks tidak boleh berisi markup HTML / Text must not contain HTML markup"
SQL = "Teks tidak boleh berisi perintah SQL / Text must not contain SQL statements"


def problem(text: str) -> str | None:
    """Why ``text`` is refused, or None if it may be stored as given."""
    if _TAG.search(text) or _SCRIPT_URL.search(text):
        return MARKUP
    if _SQL.search(text):
        return SQL
    return None
