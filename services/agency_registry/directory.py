"""Reading the agency tree: one agency, its ancestors, its subtree, the snapshot for replicas.

Views are plain dicts, the same shape everywhere (HTTP, RPC, the snapshot, event bodies):
``{"code", "name", "kind", "parent_code", "path": [root … itself], "status", "is_coordinator",
"verification_mode", "timezone", "version", "revision", "jurisdictions", "competencies"}``.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.agency_registry import hierarchy
from services.agency_registry.models import agencies, competencies, jurisdictions, registry_revision
from services.agency_registry.powers import Node

PUBLIC_STATUSES = ("active", "suspended")
SNAPSHOT_ATTEMPTS = 5


def revision(session: Session) -> int:
    """The registry's revision: +1 for every committed change to any agency (0 when empty)."""
    value = session.execute(
        select(registry_revision.c.revision).where(registry_revision.c.id == 1)
    ).scalar()
    return value or 0


def view(row, jur: dict, comp: dict) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "parent_code": row.parent_code,
        "path": hierarchy.codes(row.path),
        "status": row.status,
        "is_coordinator": row.is_coordinator,
        "verification_mode": row.verification_mode,
        "timezone": row.timezone,
        "version": row.version,
        "revision": row.revision or 0,
        "jurisdictions": sorted(jur.get(row.code, ())),
        "competencies": sorted(comp.get(row.code, ())),
    }


def node(row) -> Node:
    return Node(
        code=row.code,
        kind=row.kind,
        path=row.path,
        is_coordinator=row.is_coordinator,
        status=row.status,
        registered_by=row.registered_by,
    )


def views(session: Session, rows: list) -> list[dict]:
    codes = [row.code for row in rows]
    jur: dict[str, set] = {}
    comp: dict[str, set] = {}
    for start in range(0, len(codes), 500):  # keep IN lists short
        chunk = codes[start : start + 500]
        for code, region in session.execute(
            select(jurisdictions.c.agency_code, jurisdictions.c.region_code).where(
                jurisdictions.c.agency_code.in_(chunk)
            )
        ):
            jur.setdefault(code, set()).add(region)
        for code, cat in session.execute(
            select(competencies.c.agency_code, competencies.c.category_id).where(
                competencies.c.agency_code.in_(chunk)
            )
        ):
            comp.setdefault(code, set()).add(cat)
    return [view(row, jur, comp) for row in rows]


def row(session: Session, code: str):
    return session.execute(select(agencies).where(agencies.c.code == code)).first()


def get(session: Session, code: str) -> dict | None:
    found = row(session, code)
    return views(session, [found])[0] if found else None


def jurisdictions_of(session: Session, code: str) -> list[str]:
    return sorted(
        session.execute(
            select(jurisdictions.c.region_code).where(jurisdictions.c.agency_code == code)
        ).scalars()
    )


def ancestors(session: Session, code: str) -> list[dict] | None:
    """The agency's ancestors, the root first (not the agency itself); None if unknown."""
    found = row(session, code)
    if found is None:
        return None
    chain = hierarchy.codes(found.path)[:-1]
    rows = session.execute(select(agencies).where(agencies.c.code.in_(chain))).all()
    order = {code: i for i, code in enumerate(chain)}
    return views(session, sorted(rows, key=lambda r: order[r.code]))


def _visible(scope_path: str | None):
    """Public agencies, and registrations inside the viewer's scope."""
    public = agencies.c.status.in_(PUBLIC_STATUSES)
    if scope_path is None:
        return public
    low, high = hierarchy.subtree_range(scope_path)
    return or_(public, and_(agencies.c.path >= low, agencies.c.path < high))


def subtree(
    session: Session,
    root_path: str,
    after: str | None = None,
    limit: int = 100,
    viewer_scope: str | None = None,
) -> dict:
    """One page of the subtree rooted at ``root_path`` (itself first), in path order.

    Keyset paging: ``next`` is the code to pass as ``after`` for the following page.
    """
    low, high = hierarchy.subtree_range(root_path)
    if after is not None:
        cursor = row(session, after)
        if cursor is not None and hierarchy.within(cursor.path, root_path):
            low = cursor.path + "\x00"  # just past the cursor's own path
    rows = session.execute(
        select(agencies)
        .where(agencies.c.path >= low, agencies.c.path < high, _visible(viewer_scope))
        .order_by(agencies.c.path)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": views(session, rows), "next": rows[-1].code if more else None}


def children(
    session: Session, code: str, offset: int, limit: int, viewer_scope: str | None = None
) -> list[dict]:
    rows = session.execute(
        select(agencies)
        .where(agencies.c.parent_code == code, _visible(viewer_scope))
        .order_by(agencies.c.code)
        .offset(offset)
        .limit(limit)
    ).all()
    return views(session, rows)


def search(session: Session, text: str, limit: int = 10) -> list[dict]:
    """Active agencies whose name or code holds every word of ``text`` (any case), shortest
    names first: ``search(s, "disdik barru")`` → [{"code": "KAB-73-11-DISDIK", "name": …}]."""
    words = [word for word in text.lower().split() if word][:6]
    if not words:
        return []
    haystack = func.lower(agencies.c.name + " " + agencies.c.code)
    rows = session.execute(
        select(agencies.c.code, agencies.c.name, agencies.c.kind)
        .where(
            agencies.c.status == "active", *(haystack.contains(w, autoescape=True) for w in words)
        )
        .order_by(func.length(agencies.c.name), agencies.c.code)
        .limit(limit)
    ).all()
    return [{"code": r.code, "name": r.name, "kind": r.kind} for r in rows]


def registrations(
    session: Session, scope_path: str, status: str, offset: int, limit: int
) -> list[dict]:
    low, high = hierarchy.subtree_range(scope_path)
    rows = session.execute(
        select(agencies)
        .where(agencies.c.path >= low, agencies.c.path < high, agencies.c.status == status)
        .order_by(agencies.c.updated_at, agencies.c.code)
        .offset(offset)
        .limit(limit)
    ).all()
    return views(session, rows)


def _pairs(session: Session, table, column: str, span=None) -> dict[str, set[str]]:
    """{agency code: its values in ``table``}, of every agency or those in the ``span`` of
    codes (first, last)."""
    query = select(table.c.agency_code, table.c[column])
    if span is not None:
        query = query.where(table.c.agency_code.between(*span))
    pairs: dict[str, set[str]] = {}
    for code, value in session.execute(query):
        pairs.setdefault(code, set()).add(value)
    return pairs


def snapshot(session: Session, after: str | None = None, limit: int | None = None) -> dict:
    """Every agency (or one page in code order) with its version, at one registry revision.

    The revision is read before and after: if a change committed in between, read again, so
    the agencies returned are exactly the registry at ``revision``. A replica applies events
    with a higher version than the one it holds; with paging it may see a later version of an
    agency than the revision says, which those version checks absorb.
    """
    for _ in range(SNAPSHOT_ATTEMPTS):
        before = revision(session)
        query = select(agencies).order_by(agencies.c.code)
        if after is not None:
            query = query.where(agencies.c.code > after)
        if limit is not None:
            query = query.limit(limit)
        rows = session.execute(query).all()
        # a page is every agency from its first code to its last: one range read per table
        span = None if limit is None else (rows[0].code, rows[-1].code) if rows else ("", "")
        jur = _pairs(session, jurisdictions, "region_code", span)
        comp = _pairs(session, competencies, "category_id", span)
        items = [view(r, jur, comp) for r in rows]
        if revision(session) == before:
            break
        session.rollback()  # a fresh read transaction for the retry
    page = {"revision": before, "agencies": items}
    if limit is not None:
        page["next"] = rows[-1].code if len(rows) == limit else None
    return page


def changed_since(session: Session, since: int, page: int = 1000) -> tuple[int, Iterator[dict]]:
    """(current revision, views of every agency changed after revision ``since``), the views
    read a page at a time as they are taken (a later load may have changed 100,000)."""
    current = revision(session)
    changed = or_(agencies.c.revision > since, agencies.c.revision.is_(None))

    def pages() -> Iterator[dict]:
        after = None
        while True:
            query = select(agencies).where(changed).order_by(agencies.c.code).limit(page)
            if after is not None:
                query = query.where(agencies.c.code > after)
            rows = session.execute(query).all()
            yield from views(session, rows)
            if len(rows) < page:
                return
            after = rows[-1].code

    return current, pages()
