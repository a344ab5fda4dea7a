"""Removing the files no row names (SPEC §3: what a reporter or an agency attached is kept
only as long as a report holds it): a reporter's upload never attached to a report, a refused
follow-up's files, bytes left by a crash between storing them and the row that names them.

Each service that keeps files runs ``sweep`` on a timer: every file of its blob store last
stored more than ``GRACE`` ago that none of its rows names (``named``: the column holding the
digests its rows name, indexed) is removed. Several copies of a service may sweep the same store at once:
removing is idempotent, and a file stored again since (shared.blobs touches it) is kept.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import Column, select

log = logging.getLogger(__name__)

GRACE = timedelta(days=1)  # an upload may wait this long for the report that names it
_CHUNK = 500  # digests per lookup (well under SQLite's bound on parameters)


def sweep(blobs, db, named: Column, now: datetime) -> dict:
    """Remove the files stored before ``now - GRACE`` that no row names in the column ``named``,
    asked in a short read of ``db`` per chunk (none held for the walk); counts."""
    before = (now - GRACE).timestamp()
    done = {"removed": 0, "kept": 0}
    old = blobs.stored_before(before)
    while chunk := list(islice(old, _CHUNK)):
        with db.read() as session:
            known = set(session.execute(select(named).where(named.in_(chunk))).scalars())
        for digest in chunk:
            if digest in known:
                done["kept"] += 1
            elif blobs.remove_if_stored_before(digest, before):
                done["removed"] += 1
    if done["removed"]:
        log.info("blobs: %d files no row names removed (%d kept)", done["removed"], done["kept"])
    return done
