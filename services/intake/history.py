"""A report's timeline: every transition and every word of the reporter, in order (SPEC §4)."""

from __future__ import annotations

from sqlalchemy import insert

from services.intake.models import timeline

_INSERT = insert(timeline)  # built once: every transition writes one


def add(
    tx,
    tracking_id,
    at,
    status,
    text_id,
    text_en,
    kind="status",
    actor="system",
    note=None,
    files=None,
) -> int:
    result = tx.session.execute(
        _INSERT,
        {
            "tracking_id": tracking_id,
            "at": at,
            "status": status,
            "text_id": text_id[:500],
            "text_en": text_en[:500],
            "kind": kind,
            "actor": actor,
            "note": note,
            "files": files or None,
        },
    )
    return result.inserted_primary_key[0]
