"""Loading the national template (template.py) into the registry: idempotent, in bulk.

- An agency the template has never written is created ``active`` (version 1).
- One the template wrote and nobody has changed since is updated to the template's current
  spec when that differs (version + 1); the same spec changes nothing.
- One that people changed after the template wrote it (its version moved past the version the
  template last wrote) is kept as they left it: ``satupintu run`` loads the template at every
  start, and must not undo a coordinator's work.
- An agency below one whose kind or parent the template changed moves with it even when the
  template does not write it (people registered it, or changed it): its path follows, and its
  government and province are announced anew (``_follow_above``).

How replicas learn of it: the first load into an empty registry publishes no per-agency events
(no replica can hold anything yet; every consumer starts from the ``snapshot`` RPC, which says
at which revision it is). Every later load publishes ``agency_registered`` / ``agency_updated``
for exactly the agencies it creates or changes, through the outbox, so a running routing
replica applies them like any other change. Every created or changed agency gets an audit line,
and the load itself one more.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from services.agency_registry import directory, hierarchy, registration
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.changes import (
    OutboxBuffer,
    audited_place,
    bump_revision,
    event_body,
    place_changes,
)
from services.agency_registry.models import agencies, competencies, jurisdictions
from services.agency_registry.template import ROOT_CODE
from shared.agencies import place_on
from shared.db import utcnow
from shared.regions import Regions

TEMPLATE = Who("cli:load-template", "load-template")
_FIELDS = (
    "name",
    "kind",
    "parent_code",
    "path",
    "is_coordinator",
    "verification_mode",
    "timezone",
)


def _pairs(session: Session, table, column: str) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for code, value in session.execute(select(table.c.agency_code, table.c[column])):
        pairs.setdefault(code, set()).add(value)
    return pairs


def load_template(
    session: Session,
    specs: list,
    regions: Regions,
    progress: Callable[[int, int], None] = lambda done, total: None,
    who: Who = TEMPLATE,
) -> dict:
    """Write ``specs`` (parents first) in the caller's transaction; returns counts
    {"created", "updated", "unchanged", "kept", "followed", "events", "revision"}."""
    now = utcnow()
    existing = {row.code: row for row in session.execute(select(agencies)).all()}
    jur = _pairs(session, jurisdictions, "region_code")
    comp = _pairs(session, competencies, "category_id")
    outbox = OutboxBuffer() if existing else None  # see the module docstring
    log = AuditLog(session, who, None, buffered=True)
    paths = {code: row.path for code, row in existing.items()}
    kinds = {code: row.kind for code, row in existing.items()}  # for where events place them
    counts = {"created": 0, "updated": 0, "unchanged": 0, "kept": 0, "followed": 0}
    written: set[str] = set()  # created or updated by this load, each announced already
    reshaped = False  # an update gave an agency another kind or path: its subtree may move
    revision = None
    new_rows, new_jur, new_comp = [], [], []
    total = len(specs)
    for done, spec in enumerate(specs, 1):
        if done % 1000 == 0:
            progress(done, total)
        want = {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "parent_code": spec.parent_code,
            "path": hierarchy.path_of(
                paths[spec.parent_code] if spec.parent_code else None, spec.code
            ),
            "is_coordinator": spec.is_coordinator,
            "verification_mode": spec.verification_mode,
            "timezone": registration.timezone_for(regions, spec.jurisdictions),
        }
        want_jur, want_comp = set(spec.jurisdictions), set(spec.competencies)
        old = existing.get(spec.code)
        if old is not None and old.template_version not in (None, old.version):
            counts["kept"] += 1  # changed by people since the template wrote it: theirs now
            continue
        kinds[spec.code] = spec.kind
        differs = old is None or _differs(old, want, jur, comp, want_jur, want_comp)
        if revision is None and (differs or old.revision is None):
            revision = bump_revision(session)
        if old is None:
            paths[spec.code] = want["path"]
            row = {**want, "status": "active", "version": 1, "template_version": 1}
            new_rows.append({**row, "revision": revision, "updated_at": now})
            new_jur += [{"agency_code": spec.code, "region_code": r} for r in sorted(want_jur)]
            new_comp += [{"agency_code": spec.code, "category_id": c} for c in sorted(want_comp)]
            after = _view({**row, "revision": revision}, want_jur, want_comp)
            log.add("template.create", "agency", spec.code, spec.code, None, after)
            if outbox is not None:
                outbox("agency_registered", spec.code, event_body(after, kinds.get))
            written.add(spec.code)
            counts["created"] += 1
            continue
        if not differs:
            if old.revision is None:  # written before revisions existed: date it now
                session.execute(
                    update(agencies)
                    .where(agencies.c.code == spec.code)
                    .values(revision=revision, template_version=old.version)
                )
            counts["unchanged"] += 1
            continue
        version = old.version + 1
        reshaped = reshaped or old.kind != spec.kind or old.path != want["path"]
        written.add(spec.code)
        session.execute(
            update(agencies)
            .where(agencies.c.code == spec.code)
            .values(
                **want, version=version, template_version=version, revision=revision, updated_at=now
            )
        )
        session.execute(delete(jurisdictions).where(jurisdictions.c.agency_code == spec.code))
        session.execute(delete(competencies).where(competencies.c.agency_code == spec.code))
        new_jur += [{"agency_code": spec.code, "region_code": r} for r in sorted(want_jur)]
        new_comp += [{"agency_code": spec.code, "category_id": c} for c in sorted(want_comp)]
        paths[spec.code] = want["path"]
        before = directory.view(old, jur, comp)
        after = _view(
            {**want, "status": old.status, "version": version, "revision": revision},
            want_jur,
            want_comp,
        )
        changed = [
            key for key in after if after[key] != before[key] and key not in ("version", "revision")
        ]
        log.add("template.update", "agency", spec.code, spec.code, before, after)
        if outbox is not None:
            outbox("agency_updated", spec.code, event_body(after, kinds.get, changed=changed))
        counts["updated"] += 1
    for table, rows in ((agencies, new_rows), (jurisdictions, new_jur), (competencies, new_comp)):
        for start in range(0, len(rows), 5000):
            session.execute(insert(table), rows[start : start + 5000])
    if reshaped and outbox is not None:
        counts["followed"] = _follow_above(session, existing, written, revision, now, outbox, log)
    counts["events"] = outbox.flush(session) if outbox is not None else 0
    if revision is not None:  # a load that changes nothing leaves no line
        summary = {**counts, "agencies": total, "revision": revision}
        log.add("template.load", "template", ROOT_CODE, ROOT_CODE, None, summary)
    log.flush()
    counts["revision"] = revision if revision is not None else directory.revision(session)
    progress(total, total)
    return counts


def _follow_above(session: Session, existing: dict, written: set, revision, now, emit, log) -> int:
    """The agencies this load did not write whose place moved with an agency above them: the
    people's own agencies and the kept ones below one the template moved (their paths follow
    it), and any agency whose government or province changed with a kind above it. Each gets
    its new path, +1 on its version (the template's too where the template still owns it, so
    a later load does not take it for people's work), an ``agency_updated`` and an audit
    line; how many."""
    rows = {row.code: row for row in session.execute(select(agencies)).all()}
    paths: dict[str, str] = {}

    def path_of(code: str) -> str:
        if code not in paths:
            parent = rows[code].parent_code
            paths[code] = hierarchy.path_of(path_of(parent) if parent else None, code)
        return paths[code]

    kind_now = {code: row.kind for code, row in rows.items()}.get
    kind_before = {code: row.kind for code, row in existing.items()}.get
    followed = 0
    for code in sorted(rows, key=path_of):
        row, was = rows[code], existing.get(code)
        if code in written or was is None:
            continue
        path = path_of(code)
        before = place_on(hierarchy.codes(was.path), kind_before)
        after = place_on(hierarchy.codes(path), kind_now)
        changed = sorted(place_changes(before, after) + (["path"] if path != was.path else []))
        if not changed:
            continue
        owned = row.template_version == row.version
        session.execute(
            update(agencies)
            .where(agencies.c.code == code)
            .values(
                path=path,
                version=row.version + 1,
                template_version=row.version + 1 if owned else row.template_version,
                revision=revision,
                updated_at=now,
            )
        )
        view = directory.get(session, code)
        emit("agency_updated", code, event_body(view, kind_now, changed=changed))
        log.add(
            "template.follow",
            "agency",
            code,
            code,
            {"path": hierarchy.codes(was.path), **audited_place(before)},
            {"path": view["path"], **audited_place(after)},
        )
        followed += 1
    return followed


def _differs(old, want: dict, jur: dict, comp: dict, want_jur: set, want_comp: set) -> bool:
    return (
        any(getattr(old, key) != want[key] for key in _FIELDS)
        or jur.get(old.code, set()) != want_jur
        or comp.get(old.code, set()) != want_comp
    )


def _view(values: dict, jur: set, comp: set) -> dict:
    return directory.view(SimpleNamespace(**values), {values["code"]: jur}, {values["code"]: comp})
