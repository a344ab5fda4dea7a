"""Duplicate candidates for the coordinators' desk (SPEC §4: archive as duplicate, linking the
original). Intake alone keeps what the reporter wrote, so the similarity is computed here;
routing asks over RPC and shows only the candidates the person may see. Nothing is archived
here: a coordinator decides (routing's archive action).

Two reports are candidates of each other when all hold:

- the same regency (the first two segments of the region code, ``73.11``; a report placed
  only at a province has no candidates) and the same category family (the top-level category,
  ``pendidikan`` for ``pendidikan.sd``);
- submitted (to routing) within WINDOW (30 days) of each other, either way;
- their words are similar: the score, the mean of rapidfuzz ``token_set_ratio`` (0–100) and
  of the words' Jaccard index (×100) of the normalised words of title and body, is at least
  THRESHOLD (70), and they share at least MIN_SHARED (3) words.

Normalised words: lower case, accents folded, anything but letters and digits a space, words
of one character and Indonesian stop words (``yang``, ``di``, ``dan``…) dropped, the distinct
rest sorted (token_set_ratio ignores order and repetition anyway). Precomputed once at
submission into ``duplicate_keys``, indexed by (regency, family, submitted_at), so a lookup
reads one place's window, never the whole table, and at most MAX_SCAN rows of it: the nearest
in time, half before and half after. In a viral burst (thousands of reports on one matter in
one regency in a week) a report is thus compared with the 600 told nearest to it, which are
the likeliest repeats; it keeps a lookup within its time budget (bench/duplicates.py).

Why the blend and 70: token_set_ratio alone forgives a short text inside a long one (a subset
scores 100) but also scores 75–86 for two fees at *different* schools of one regency ("uang
seragam siswa baru" at SDN 12 Mangkoso and at SDN 3 Pekkae), since the shared subject words
dominate; the Jaccard index counts the distinguishing words (the school's name and number)
but punishes a short account of a long one. Measured on such Barru texts: the same fee at the
same school, told twice in other words, scores 78; the same fee at another school 60–67,
another fee at another school 45–60, a teacher's absence 0. MIN_SHARED keeps two texts from
being candidates on one or two words. The threshold is a constant here; coordinators judge
every candidate.
The words are never logged.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy import DateTime, bindparam, delete, select, text, update

from services.intake.models import duplicate_keys

# insert, or replace the key a report already has: one statement, the same text on SQLite and
# PostgreSQL (a session's or a connection's)
_REMEMBER = text(
    "INSERT INTO duplicate_keys (tracking_id, regency, family, submitted_at, words) "
    "VALUES (:tracking_id, :regency, :family, :submitted_at, :words) "
    "ON CONFLICT (tracking_id) DO UPDATE SET regency = excluded.regency, "
    "family = excluded.family, submitted_at = excluded.submitted_at, words = excluded.words"
).bindparams(bindparam("submitted_at", type_=DateTime(timezone=True)))

WINDOW = timedelta(days=30)
THRESHOLD = 70
MIN_SHARED = 3
MAX_SCAN = 600  # rows read per lookup: the nearest in time, half before and half after
MAX_WORDS_CHARS = 4000
MAX_CANDIDATES = 50

STOP_WORDS = frozenset(
    """
    yang di ke dari dan atau untuk dengan ini itu pada dalam oleh akan sudah telah belum tidak
    tak bukan ada adalah juga saja hanya lagi pun karena agar supaya sejak sampai hingga bahwa
    saya kami kita mereka dia ia anda bapak ibu pak bu tolong mohon kepada bagi tentang seperti
    sangat lebih masih bisa dapat harus mau ingin sering kali para serta namun tetapi tapi jika
    kalau maka setelah sebelum ketika saat waktu hari ini kemarin tersebut sebagai per nya
    """.split()
)
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def regency_of(region_code: str | None) -> str | None:
    """``73.11.01.2001`` → ``73.11``; None for a province, the country or nothing."""
    parts = (region_code or "").split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 and all(parts[:2]) else None


def family_of(category_id: str | None) -> str | None:
    """``pendidikan.sd`` → ``pendidikan`` (the top-level category, shared.categories)."""
    return category_id.split(".", 1)[0] if category_id else None


def normalised(title: str | None, body: str | None) -> str:
    """The distinct words of title and body that say something, sorted, space-separated."""
    text = unicodedata.normalize("NFKD", f"{title or ''} {body or ''}".lower())
    text = text.encode("ascii", "ignore").decode()
    words = {w for w in _NOT_WORD.sub(" ", text).split() if len(w) > 1 and w not in STOP_WORDS}
    return " ".join(sorted(words))[:MAX_WORDS_CHARS]


def score(words_a: str, words_b: str) -> int:
    """0–100: how alike two normalised texts are; 0 when they share fewer than MIN_SHARED."""
    return _score(words_a, frozenset(words_a.split()), words_b)


def _score(words_a: str, set_a: frozenset, words_b: str) -> int:
    set_b = set(words_b.split())
    shared = len(set_a & set_b)
    if shared < MIN_SHARED:
        return 0
    jaccard = 100 * shared / (len(set_a) + len(set_b) - shared)
    return round((fuzz.token_set_ratio(words_a, words_b, processor=None) + jaccard) / 2)


def remember(session, tracking_id: str, title, body, region_code, category_id, at) -> bool:
    """Store a submitted report's key (again, replacing an older one); False when it has no
    regency or category, and so no candidates."""
    regency, family = regency_of(region_code), family_of(category_id)
    if regency is None or family is None:
        forget(session, tracking_id)
        return False
    key = {
        "tracking_id": tracking_id,
        "regency": regency,
        "family": family,
        "submitted_at": at,
        "words": normalised(title, body),
    }
    session.execute(_REMEMBER, key)
    return True


def forget(session, tracking_id: str) -> None:
    """An archived report is nobody's candidate any more."""
    session.execute(delete(duplicate_keys).where(duplicate_keys.c.tracking_id == tracking_id))


def candidates(session, tracking_id: str, limit: int = 20) -> tuple[list[dict], int]:
    """The candidates of one report, most alike first (among equals the oldest, the likeliest
    original), and the number of rows read:
    ([{"tracking_id", "score", "submitted_at"}], scanned). ([], 0) for a report without a key."""
    own = session.execute(
        select(duplicate_keys).where(duplicate_keys.c.tracking_id == tracking_id)
    ).first()
    if own is None:
        return [], 0
    place = (
        duplicate_keys.c.regency == own.regency,
        duplicate_keys.c.family == own.family,
        duplicate_keys.c.tracking_id != tracking_id,
    )
    columns = (duplicate_keys.c.tracking_id, duplicate_keys.c.submitted_at, duplicate_keys.c.words)
    at = duplicate_keys.c.submitted_at
    earlier = session.execute(
        select(*columns)
        .where(*place, at <= own.submitted_at, at >= own.submitted_at - WINDOW)
        .order_by(at.desc())
        .limit(MAX_SCAN // 2)
    ).all()
    later = session.execute(
        select(*columns)
        .where(*place, at > own.submitted_at, at <= own.submitted_at + WINDOW)
        .order_by(at)
        .limit(MAX_SCAN // 2)
    ).all()
    rows = earlier + later
    own_set = frozenset(own.words.split())
    found = []
    for row in rows:
        similarity = _score(own.words, own_set, row.words)
        if similarity >= THRESHOLD:
            found.append(
                {
                    "tracking_id": row.tracking_id,
                    "score": similarity,
                    "submitted_at": _iso(row.submitted_at),
                }
            )
    found.sort(key=lambda c: (-c["score"], c["submitted_at"]))
    return found[: max(1, min(int(limit), MAX_CANDIDATES))], len(rows)


def _iso(at: datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def moved(session, tracking_id: str, after: dict) -> None:
    """Routing corrected the report's category or region: its key follows."""
    values = {}
    if "region_code" in after:
        values["regency"] = regency_of(after["region_code"])
    if "category_id" in after:
        values["family"] = family_of(after["category_id"])
    if None in values.values():
        forget(session, tracking_id)
    elif values:
        session.execute(
            update(duplicate_keys)
            .where(duplicate_keys.c.tracking_id == tracking_id)
            .values(**values)
        )
