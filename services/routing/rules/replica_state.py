"""The replica's state, pure: a Directory plus the version of every agency in it.

Agency events carry an agency's whole state and its ``version`` (+1 per change of that agency),
so applying one is "keep the highest version": a duplicate or an older event changes nothing,
whatever order they arrive in. The first snapshot (paged, over RPC) is built into a directory
of its own as its pages come, and the events that arrive meanwhile are kept and applied once it
is complete, so nothing that happened while it was read is lost. A later snapshot (a resync) is
applied page by page to the directory in use by the same rule, as if each agency were an event:
agencies are never deleted and versions only grow, so a page can only bring an agency up to date,
and the replica needs no second copy of 100,000 agencies while it reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.routing.rules.policy import AgencyView, Directory
from shared.agencies import view_of
from shared.regions import NATIONAL_TIMEZONE


def views_from_template(specs: Iterable, regions) -> list[AgencyView]:
    """Active views straight from template specs (parents first), for benchmarks and tests:
    the service itself builds its views from the registry's snapshot."""
    paths: dict[str, tuple[str, ...]] = {}
    found = []
    for spec in specs:
        path = (paths[spec.parent_code] if spec.parent_code else ()) + (spec.code,)
        paths[spec.code] = path
        jurisdictions = sorted(spec.jurisdictions)
        found.append(
            AgencyView(
                spec.code,
                spec.name,
                spec.kind,
                spec.parent_code,
                path,
                "active",
                tuple(spec.jurisdictions),
                frozenset(spec.competencies),
                spec.is_coordinator,
                spec.verification_mode,
                regions.timezone(jurisdictions[0]) if jurisdictions else NATIONAL_TIMEZONE,
            )
        )
    return found


class ReplicaState:
    def __init__(self) -> None:
        self.directory: Directory | None = None
        self.versions: dict[str, int] = {}
        self.revision = -1  # the highest registry revision seen (snapshot or event)
        self._pending: list[dict] | None = None  # events seen while a snapshot is read
        self._staged: tuple[Directory, dict[str, int]] | None = None  # the snapshot so far

    @property
    def loading(self) -> bool:
        return self._pending is not None

    def begin_snapshot(self) -> None:
        """From now on, keep the events that arrive: the snapshot may not have them."""
        self._pending = []
        self._staged = (Directory(), {}) if self.directory is None else None

    def abandon_snapshot(self) -> None:
        """Pages already applied to the directory in use stay: they only brought it forward."""
        self._pending = self._staged = None

    def add_page(self, agencies: Iterable[dict]) -> None:
        """One page of the snapshot, applied as it comes (no page is kept)."""
        directory, versions = self._staged or (self.directory, self.versions)
        for agency in agencies:
            if agency["version"] > versions.get(agency["code"], 0):
                directory.add_or_replace(view_of(agency))
                versions[directory[agency["code"]].code] = agency["version"]

    def finish_snapshot(self, revision: int, agencies: Iterable[dict] = ()) -> int:
        """Swap in the first snapshot, then apply what arrived while it was read; its size."""
        self.add_page(agencies)
        if self._staged is not None:
            (self.directory, self.versions), self._staged = self._staged, None
        pending, self._pending = self._pending or [], None
        self.revision = max(self.revision, revision)
        for event in pending:
            self._put(event)
        return len(self.directory)

    def apply(self, event: dict) -> bool:
        """Apply an agency_* event body; True if it changed the directory in use."""
        if self._pending is not None:
            self._pending.append(event)
        if self.directory is None:
            return False
        return self._put(event)

    def _put(self, event: dict) -> bool:
        self.revision = max(self.revision, event["revision"])
        code, version = event["code"], event["version"]
        if version <= self.versions.get(code, 0):
            return False  # a duplicate, or older than what we hold
        view = view_of(event["agency"])
        self.directory.add_or_replace(view)
        self.versions[view.code] = version  # the interned code, shared with the directory
        return True
