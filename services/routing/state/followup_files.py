"""The files an agency attaches to a follow-up (photos, letters; SPEC §2 attachments).

Routing keeps them, beside the follow-ups it owns: the bytes in its blob store, their names
here. The same rules as a reporter's attachments in intake (shared/attachments.py): JPEG, PNG,
WebP or PDF, recognised by their first bytes, ATTACHMENT_MAX_BYTES each, at most MOST per
follow-up. Who sees them (SPEC §3):
- the desk (the holder, watchers, coordinators who may read the report) and the reporter, who
  proves it as intake judges (intake.authorise_reporter: report key, account token, Open311
  token);
- never the public, not even their names: a photo or a letter cannot be checked for what it
  shows (a reply letter names the reporter, a photo shows their house), and an anonymous or
  confidential reporter's identity must never reach the public. The follow-up's text stays
  public as before; its files are between the agency and the reporter.
"""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select

from services.routing.models import followup_files

MOST = 5


def stored(blobs, uploads) -> list[dict]:
    """Each upload's bytes into the blob store; the references a follow-up carries."""
    return [
        {
            "id": secrets.token_hex(16),
            "name": upload.name,
            "media_type": upload.media_type,
            "size": len(upload.data),
            "sha256": blobs.put(upload.data),
        }
        for upload in uploads
    ]


def record(session, tracking_id: str, followup_id: int, files: list[dict]) -> None:
    if files:
        session.execute(
            insert(followup_files),
            [
                {**file, "tracking_id": tracking_id, "followup_id": followup_id, "position": n}
                for n, file in enumerate(files)
            ],
        )


def of_report(session, tracking_id: str) -> dict[int, list[dict]]:
    """{follow-up id: its files' references}, in the order they were attached."""
    found: dict[int, list[dict]] = {}
    rows = session.execute(
        select(followup_files)
        .where(followup_files.c.tracking_id == tracking_id)
        .order_by(followup_files.c.followup_id, followup_files.c.position)
    )
    for row in rows:
        found.setdefault(row.followup_id, []).append(reference(row))
    return found


def find(session, tracking_id: str, file_id: str):
    """The file's row (name, media type, sha256), or None."""
    return session.execute(
        select(followup_files).where(
            followup_files.c.id == file_id, followup_files.c.tracking_id == tracking_id
        )
    ).first()


def reference(row) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
    }
