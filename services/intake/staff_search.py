"""Words in a report's title and body, for routing's desk (SPEC §8 "queue"): intake alone
keeps what the reporter wrote, so the search is here; routing intersects the tracking ids with
what the person may see, so an answer never reveals a report outside their reach. The words are
never logged (they may be a person's name). Identity columns are never searched.

Every word must appear (case-insensitive, as typed: LIKE with escaping). A full scan on SQLite;
on PostgreSQL each word is answered by the pg_trgm GIN indexes on lower(title) and lower(body)
(services/intake/models.py), created with the schema, also on a database made before them.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from services.intake.models import reports

MAX_WORDS = 8
MAX_RESULTS = 5000


def words_of(text: str) -> list[str]:
    return [word.lower() for word in (text or "").split()[:MAX_WORDS] if word.strip()]


def matching(session, text: str, limit: int) -> list[str]:
    """Tracking ids of submitted reports (not returned ones) whose title or body holds every
    word of ``text``, newest first, at most ``limit`` (and MAX_RESULTS)."""
    words = words_of(text)
    if not words:
        return []
    return list(session.execute(statement(words, limit)).scalars())


def statement(words: list[str], limit: int):
    """The SELECT of tracking ids whose title or body holds every one of ``words``."""
    title, body = func.lower(reports.c.title), func.lower(reports.c.body)
    match = and_(
        *(
            or_(title.contains(word, autoescape=True), body.contains(word, autoescape=True))
            for word in words
        )
    )
    return (
        select(reports.c.tracking_id)
        .where(match, reports.c.status != "returned")
        .order_by(reports.c.submitted_at.desc())
        .limit(max(1, min(int(limit), MAX_RESULTS)))
    )
