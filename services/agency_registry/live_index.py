"""The competence index of this registry process, kept level with the database.

Built from the snapshot once, page by page (no list of every agency is ever held), then
brought up to date before each lookup by reading only the
agencies whose revision is above the one it holds (one indexed single-row read when nothing
changed), so copies of the registry sharing one PostgreSQL database stay exact.
"""

from __future__ import annotations

import logging

from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from services.agency_registry import directory
from services.agency_registry.competence import CompetenceIndex, Entry
from shared.agencies import view_of
from shared.db import Database

log = logging.getLogger(__name__)
PAGE = 5000


def entry(agency: dict) -> Entry:
    return view_of(agency)  # as routing's replica reads the same snapshot


def build(session, page: int = PAGE) -> tuple[CompetenceIndex, int]:
    """The index of every agency, read a page at a time, and the revision it is at least at:
    the first page's, so ``changed_since`` from it brings in whatever changed during the read."""
    index, first, after = CompetenceIndex(), None, None
    while True:
        found = directory.snapshot(session, after, page)
        first = found["revision"] if first is None else first
        for agency in found["agencies"]:
            index.put(entry(agency))
        if (after := found["next"]) is None:
            return index, first


class LiveIndex:
    def __init__(self) -> None:
        self.index: CompetenceIndex | None = None
        self.revision = -1
        self._lock = Semaphore()

    def current(self, session) -> CompetenceIndex:
        if self.index is not None and directory.revision(session) == self.revision:
            return self.index
        with self._lock:
            if self.index is None:
                self.index, self.revision = build(session)
                log.info(
                    "competence index: %d agencies at revision %d", len(self.index), self.revision
                )
            else:
                revision, changed = directory.changed_since(session, self.revision)
                for agency in changed:
                    self.index.put(entry(agency))
                self.revision = revision
        return self.index


class Lookups(DependencyProvider):
    """``self.lookups.index(session)`` → the up-to-date CompetenceIndex (built at start)."""

    def setup(self):
        self.live = LiveIndex()

    def start(self):
        self.container.spawn_managed_thread(self._warm_up, identifier="competence-warm-up")

    def _warm_up(self):
        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        try:
            with Session(database.engine) as session:
                self.live.current(session)
        except Exception as exc:  # the first lookup builds it instead
            log.warning("competence index not built at start (%s)", type(exc).__name__)

    def get_dependency(self, worker_ctx):
        return self

    def index(self, session) -> CompetenceIndex:
        return self.live.current(session)
