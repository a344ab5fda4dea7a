"""Reading and writing the agency tree (the registry's own tables, nothing else)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from services.agency_registry.models import agencies, competencies, jurisdictions
from shared.regions import Regions

NATIONAL_TIMEZONE = "Asia/Jakarta"


def timezone_for(regions: Regions, region_codes: list[str]) -> str:
    return regions.timezone(region_codes[0]) if region_codes else NATIONAL_TIMEZONE


def load_template(
    session: Session,
    specs: list,
    regions: Regions,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict:
    """Insert or update every agency of ``specs`` (parents first); idempotent.

    Returns counts {"created", "updated", "unchanged"}. An agency that changes gets version+1.
    """
    now = datetime.now(UTC)
    existing = {row.code: row for row in session.execute(select(agencies)).all()}
    jur = _pairs(session, jurisdictions, "region_code")
    comp = _pairs(session, competencies, "category_id")
    paths = {code: row.path for code, row in existing.items()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    new_rows, new_jur, new_comp = [], [], []
    total = len(specs)
    for done, spec in enumerate(specs, 1):
        parent_path = paths[spec.parent_code] if spec.parent_code else "/"
        row = {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "parent_code": spec.parent_code,
            "path": f"{parent_path}{spec.code}/",
            "is_coordinator": spec.is_coordinator,
            "verification_mode": spec.verification_mode,
            "timezone": timezone_for(regions, spec.jurisdictions),
        }
        paths[spec.code] = row["path"]
        want_jur, want_comp = set(spec.jurisdictions), set(spec.competencies)
        old = existing.get(spec.code)
        if old is None:
            new_rows.append({**row, "status": "active", "version": 1, "updated_at": now})
            counts["created"] += 1
        elif (
            any(getattr(old, key) != value for key, value in row.items())
            or jur.get(spec.code, set()) != want_jur
            or comp.get(spec.code, set()) != want_comp
        ):
            session.execute(
                update(agencies)
                .where(agencies.c.code == spec.code)
                .values(**row, version=old.version + 1, updated_at=now)
            )
            session.execute(delete(jurisdictions).where(jurisdictions.c.agency_code == spec.code))
            session.execute(delete(competencies).where(competencies.c.agency_code == spec.code))
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        new_jur += [{"agency_code": spec.code, "region_code": code} for code in want_jur]
        new_comp += [{"agency_code": spec.code, "category_id": cat} for cat in want_comp]
        if done % 1000 == 0:
            progress(done, total)
    for table, rows in ((agencies, new_rows), (jurisdictions, new_jur), (competencies, new_comp)):
        if rows:
            session.execute(insert(table), rows)
    progress(total, total)
    return counts


def _pairs(session: Session, table, column: str) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    for code, value in session.execute(select(table.c.agency_code, table.c[column])):
        pairs.setdefault(code, set()).add(value)
    return pairs


def revision(session: Session) -> str:
    """Changes whenever any agency changes: routing polls it to refresh its replica."""
    count, last = session.execute(select(func.count(), func.max(agencies.c.updated_at))).one()
    return f"{count}:{last.isoformat() if last else '-'}"


def _view(row, jur: dict, comp: dict) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "kind": row.kind,
        "parent_code": row.parent_code,
        "path": [part for part in row.path.split("/") if part],
        "status": row.status,
        "is_coordinator": row.is_coordinator,
        "verification_mode": row.verification_mode,
        "timezone": row.timezone,
        "version": row.version,
        "jurisdictions": sorted(jur.get(row.code, ())),
        "competencies": sorted(comp.get(row.code, ())),
    }


def _views(session: Session, rows: list) -> list[dict]:
    codes = [row.code for row in rows]
    jur: dict[str, set] = {}
    comp: dict[str, set] = {}
    for code, region in session.execute(
        select(jurisdictions.c.agency_code, jurisdictions.c.region_code).where(
            jurisdictions.c.agency_code.in_(codes)
        )
    ):
        jur.setdefault(code, set()).add(region)
    for code, cat in session.execute(
        select(competencies.c.agency_code, competencies.c.category_id).where(
            competencies.c.agency_code.in_(codes)
        )
    ):
        comp.setdefault(code, set()).add(cat)
    return [_view(row, jur, comp) for row in rows]


def snapshot(session: Session) -> dict:
    """Every agency with its jurisdictions and competencies, for routing's replica."""
    rows = session.execute(select(agencies).order_by(agencies.c.path)).all()
    jur = _pairs(session, jurisdictions, "region_code")
    comp = _pairs(session, competencies, "category_id")
    return {"revision": revision(session), "agencies": [_view(row, jur, comp) for row in rows]}


def get(session: Session, code: str) -> dict | None:
    rows = session.execute(select(agencies).where(agencies.c.code == code)).all()
    return _views(session, rows)[0] if rows else None


def children(session: Session, code: str, offset: int = 0, limit: int = 100) -> list[dict]:
    rows = session.execute(
        select(agencies)
        .where(agencies.c.parent_code == code)
        .order_by(agencies.c.code)
        .offset(offset)
        .limit(limit)
    ).all()
    return _views(session, rows)
