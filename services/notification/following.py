"""A duplicate's reporter follows the original (SPEC §2, §4): when a coordinator archives a
report as a duplicate, its reporter is told of the original's later steps on their own channel.
Only what the public may know of the original: never a step of a confidential report."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select

from services.notification.models import followers

FOLLOWABLE = ("public", "anonymous")
# built once: it runs for every event a reporter hears of
_FOLLOWERS = (
    select(followers.c.follower_tracking_id)
    .where(followers.c.original_tracking_id == bindparam("original"))
    .order_by(followers.c.follower_tracking_id)
)


def follow(session, original: str, follower: str, since) -> None:
    """``follower`` hears of ``original`` from now on (once, whatever is redelivered)."""
    known = session.execute(
        select(followers.c.since).where(
            followers.c.original_tracking_id == original,
            followers.c.follower_tracking_id == follower,
        )
    ).first()
    if known is None:
        session.execute(
            insert(followers).values(
                original_tracking_id=original, follower_tracking_id=follower, since=since
            )
        )


def followers_of(session, body: dict) -> list[str]:
    """The reports following the one ``body`` is about, if its privacy lets them hear."""
    if body.get("privacy") not in FOLLOWABLE:
        return []
    return list(session.execute(_FOLLOWERS, {"original": body["tracking_id"]}).scalars())
