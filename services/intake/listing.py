"""The public listing's query, for the public JSON/CSV listing and Open311's GET requests alike:
what the public may list (public statuses, never a confidential report), a category with its
sub-topics, a region with everything inside it, newest first."""

from __future__ import annotations

from sqlalchemy import or_, select

from services.intake.models import reports
from services.intake.open311.georeport import PUBLIC_STATUSES
from shared import privacy


def publicly_listed():
    """``SELECT reports`` of what the public may list, before any filter."""
    return select(reports).where(
        reports.c.status.in_(PUBLIC_STATUSES), reports.c.privacy != privacy.CONFIDENTIAL
    )


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
    return query.order_by(reports.c.submitted_at.desc(), reports.c.tracking_id)
