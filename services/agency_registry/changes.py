"""Every change to an agency, one way: +1 on its version, the transaction's registry revision,
an event with its whole new state and where it sits (through the outbox), and an audit line —
all in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from services.agency_registry import directory, hierarchy
from services.agency_registry.audit import AuditLog
from services.agency_registry.models import agencies, competencies, jurisdictions, registry_revision
from shared import events
from shared.agencies import Place, place_on
from shared.db import outbox, utcnow

Emit = Callable[[str, str, dict], object]  # (event_type, aggregate id, body), like tx.emit
KindOf = Callable[[str], str | None]  # agency code -> its kind, None if unknown


def bump_revision(session: Session) -> int:
    """The next registry revision. On PostgreSQL the row lock it takes also orders writers, so
    revisions commit in increasing order and a reader at revision R has every change <= R."""
    revision = session.execute(
        update(registry_revision)
        .where(registry_revision.c.id == 1)
        .values(revision=registry_revision.c.revision + 1)
        .returning(registry_revision.c.revision)
    ).scalar()
    if revision is None:
        session.execute(insert(registry_revision).values(id=1, revision=1))
        revision = 1
    return revision


def event_body(agency: dict, kind_of: KindOf, **extra) -> dict:
    """The body of an agency event: its state and where it sits, its deepest government and
    its provincial government by ``kind_of`` the agencies on its path (the agency's own kind
    as it is after the change)."""
    place = place_on(agency["path"], kind_of)
    return {
        "code": agency["code"],
        "version": agency["version"],
        "revision": agency["revision"],
        "agency": agency,
        "government_code": place.government,
        "province_code": place.province,
        **extra,
    }


def kinds_on(session: Session, path: list[str]) -> KindOf:
    """``kind_of`` for the agencies on ``path`` as this transaction sees them."""
    found = session.execute(
        select(agencies.c.code, agencies.c.kind).where(agencies.c.code.in_(path))
    )
    return dict(found.all()).get


def places_below(session: Session, path: str) -> dict[str, Place]:
    """Where every agency strictly below ``path`` sits, as this transaction sees the tree."""
    low, high = hierarchy.subtree_range(path)
    rows = session.execute(
        select(agencies.c.code, agencies.c.kind, agencies.c.path).where(
            agencies.c.path > low, agencies.c.path < high
        )
    ).all()
    above = kinds_on(session, hierarchy.codes(path))
    kinds = {row.code: row.kind for row in rows}

    def kind_of(code: str) -> str | None:
        return kinds[code] if code in kinds else above(code)

    return {row.code: place_on(hierarchy.codes(row.path), kind_of) for row in rows}


class OutboxBuffer:
    """An ``Emit`` for bulk loads: events validated one by one, written in batches."""

    def __init__(self, correlation_id: str | None = None):
        self.correlation_id = correlation_id
        self.events: list[events.Event] = []

    def __call__(self, event_type: str, aggregate_id: str, body: dict) -> events.Event:
        event = events.new_event(event_type, aggregate_id, body, self.correlation_id)
        self.events.append(event)
        return event

    def flush(self, session: Session) -> int:
        rows = [
            {
                "event_id": e.event_id,
                "event_type": e.event_type,
                "source": e.source,
                "payload": e.wire,
                "created_at": e.occurred_at,
                "attempts": 0,
            }
            for e in self.events
        ]
        self.events = []
        for start in range(0, len(rows), 2000):
            session.execute(insert(outbox), rows[start : start + 2000])
        return len(rows)


class AgencyChanges:
    """One transaction's changes to agencies (one registry revision for all of them)."""

    def __init__(self, session: Session, emit: Emit, log: AuditLog):
        self.session = session
        self.emit = emit
        self.log = log
        self._revision: int | None = None

    @property
    def revision(self) -> int:
        if self._revision is None:
            self._revision = bump_revision(self.session)
        return self._revision

    def create(self, values: dict, regions: list[str], categories: list[str], action: str) -> dict:
        self.session.execute(
            insert(agencies).values(
                **values, version=1, revision=self.revision, updated_at=utcnow()
            )
        )
        self._replace_lists(values["code"], regions, categories)
        after = directory.get(self.session, values["code"])
        self.emit("agency_registered", after["code"], self._body(after))
        self.log.add(action, "agency", after["code"], after["code"], None, after)
        return after

    def update(
        self,
        code: str,
        values: dict,
        action: str,
        regions: list[str] | None = None,
        categories: list[str] | None = None,
        reason: str | None = None,
    ) -> dict:
        """Change one agency; a status in ``values`` makes it an agency_status_changed. A new
        kind that moves agencies below it to another government or province announces them
        too (a new path: ``move_below``)."""
        before = directory.get(self.session, code)
        path = hierarchy.ROOT_PATH + "".join(f"{part}/" for part in before["path"])
        below = places_below(self.session, path) if _replaces_places(values) else {}
        self.session.execute(
            update(agencies)
            .where(agencies.c.code == code)
            .values(
                **values,
                version=agencies.c.version + 1,
                revision=self.revision,
                updated_at=utcnow(),
            )
        )
        self._replace_lists(code, regions, categories)
        after = directory.get(self.session, code)
        if "status" in values:
            extra = {"status": after["status"], "previous_status": before["status"]}
            self.emit("agency_status_changed", code, self._body(after, **extra, reason=reason))
        else:
            changed = sorted(key for key in after if after[key] != before[key])
            changed = [key for key in changed if key not in ("version", "revision")]
            self.emit("agency_updated", code, self._body(after, changed=changed))
        self.log.add(action, "agency", code, code, before, after, reason)
        if below:
            self._replaced(below, places_below(self.session, path), action)
        return after

    def _replaced(self, before: dict[str, Place], after: dict[str, Place], action: str) -> None:
        """Announce the agencies whose place changed (+1 on their version, an event each)."""
        codes = sorted(code for code in after if after[code] != before.get(code))
        if not codes:
            return
        self.session.execute(
            update(agencies)
            .where(agencies.c.code.in_(codes))
            .values(version=agencies.c.version + 1, revision=self.revision, updated_at=utcnow())
        )
        for code in codes:
            old, new = before[code], after[code]
            self.emit(
                "agency_updated",
                code,
                self._body(directory.get(self.session, code), changed=place_changes(old, new)),
            )
            self.log.add(action, "agency", code, code, audited_place(old), audited_place(new))

    def move_below(self, old_path: str, new_path: str, action: str) -> list[str]:
        """Re-root every agency strictly below ``old_path`` at ``new_path``; their codes."""
        low, high = hierarchy.subtree_range(old_path)
        inside = (agencies.c.path > low) & (agencies.c.path < high)
        before = {
            r.code: r.path
            for r in self.session.execute(select(agencies.c.code, agencies.c.path).where(inside))
        }
        if not before:
            return []
        self.session.execute(
            update(agencies)
            .where(inside)
            .values(
                path=literal(new_path) + func.substr(agencies.c.path, len(old_path) + 1),
                version=agencies.c.version + 1,
                revision=self.revision,
                updated_at=utcnow(),
            )
        )
        for code in sorted(before):
            after = directory.get(self.session, code)
            self.emit("agency_updated", code, self._body(after, changed=["path"]))
            self.log.add(
                action,
                "agency",
                code,
                code,
                {"path": hierarchy.codes(before[code])},
                {"path": after["path"]},
            )
        return sorted(before)

    def _body(self, after: dict, **extra) -> dict:
        return event_body(after, kinds_on(self.session, after["path"]), **extra)

    def _replace_lists(self, code: str, regions, categories) -> None:
        if regions is not None:
            self.session.execute(delete(jurisdictions).where(jurisdictions.c.agency_code == code))
            if regions:
                self.session.execute(
                    insert(jurisdictions),
                    [{"agency_code": code, "region_code": r} for r in sorted(set(regions))],
                )
        if categories is not None:
            self.session.execute(delete(competencies).where(competencies.c.agency_code == code))
            if categories:
                self.session.execute(
                    insert(competencies),
                    [{"agency_code": code, "category_id": c} for c in sorted(set(categories))],
                )


def _replaces_places(values: dict) -> bool:
    """A new kind (and no new path, which re-roots all below anyway) can move agencies below to
    another government or province."""
    return "kind" in values and "path" not in values


def audited_place(place: Place) -> dict:
    return {"government_code": place.government, "province_code": place.province}


def place_changes(before: Place, after: Place) -> list[str]:
    """The fields of an agency event that differ between two places of it, sorted."""
    was, now = audited_place(before), audited_place(after)
    return sorted(key for key in was if was[key] != now[key])
