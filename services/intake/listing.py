"""The public listing's query, for the public JSON/CSV listing and Open311's GET requests alike:
what the public may list (public statuses, never a confidential report), a category with its
sub-topics, a region with everything inside it, newest first, a page at a time after a cursor
(shared.keyset), read from the index of exactly what is listed (ix_reports_listed)."""

from __future__ import annotations

from sqlalchemy import or_, select

from services.intake.models import LISTED, reports
from shared import keyset

NEWEST_FIRST = keyset.Order("public", reports.c.submitted_at, reports.c.tracking_id, True)


def publicly_listed():
    """``SELECT reports`` of what the public may list, before any filter."""
    return select(reports).where(*LISTED)


def filtered(category: str | None, region: str | None, status: str | None):
    """The public listing narrowed to a category (with its sub-topics), a region (with
    everything inside it) and a status (one of the public ones), each when given."""
    query = publicly_listed()
    if category:
        query = query.where(in_category([category]))
    if region:
        query = query.where(in_region([region]))
    if status:
        query = query.where(reports.c.status == status)
    return query


def under(column, codes):
    """``column`` is one of ``codes`` or inside one ("pendidikan" holds "pendidikan.sma", "73"
    holds "73.11"); ``_`` and ``%`` in a code are plain characters."""
    return or_(
        *[or_(column == code, column.startswith(code + ".", autoescape=True)) for code in codes]
    )


def in_category(codes):
    return under(reports.c.category_id, codes)


def in_region(codes):
    return under(reports.c.region_code, codes)


def newest_first(query):
    """Newest first, the tracking id breaking ties (as the cursor pages read them)."""
    return query.order_by(reports.c.submitted_at.desc(), reports.c.tracking_id.desc())


def page(session, query, cursor: str | None, limit: int):
    """(rows, next cursor or None): a page of ``query`` newest first, after ``cursor``
    (BadCursor for one this listing did not make)."""
    return keyset.read_page(session, query, NEWEST_FIRST, NEWEST_FIRST.after(cursor), limit)


def offset_page(session, query, offset: int, limit: int):
    """Rows ``offset`` to ``offset + limit`` of ``query`` newest first (Open311's page and
    page_size): the rows skipped are counted in the index alone (their tracking ids), and only
    the page's rows are read."""
    ids = newest_first(query.with_only_columns(reports.c.tracking_id)).offset(offset).limit(limit)
    wanted = session.execute(ids).scalars().all()
    if not wanted:
        return []
    return session.execute(
        newest_first(select(reports).where(reports.c.tracking_id.in_(wanted)))
    ).all()
