"""Which of a report's running clocks ends first: the queue shows it, and sorts by it (routing
sorts; this only names the clock to show beside each line)."""

from __future__ import annotations

CLOCKS = ("verification", "first_followup", "resolution", "feedback")


def nearest(item: dict) -> tuple[str, str] | None:
    """("first_followup", "2026-11-25T…") for the earliest ``<clock>_due_at``, or None."""
    running = [(item[f"{c}_due_at"], c) for c in CLOCKS if item.get(f"{c}_due_at")]
    if not running:
        return None
    due_at, clock = min(running)
    return clock, due_at
