"""What routing holds of one report: its disposition row, as the code reads and changes it.

One field per column of ``dispositions`` (tests/unit keeps the two equal). ``holding.load``
gives one; ``holding.change`` writes a change to the row when nobody changed it meanwhile and
then sets the same values here, so the caller goes on with what is now stored.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime


@dataclass
class Held:
    tracking_id: str
    agency_code: str  # the holder: exactly one agency at every moment
    category_id: str
    region_code: str
    privacy: str
    rule: str  # the rule that chose the holder
    status: str
    routed_at: datetime  # when the holder got it
    agency_name: str | None = None
    classification: str | None = None
    channel: str | None = None
    language: str | None = None
    title: str | None = None  # as the public may read it: None for a confidential report
    supervision: bool | None = None
    target_agency_code: str | None = None  # named by the reporter
    proposed_agency_code: str | None = None  # review mode: what routing proposes
    proposed_rule: str | None = None
    proposed_trace: list | None = None
    coordinator_code: str | None = None  # who verifies or dispatches by hand
    queue_reason: str | None = None  # in a coordinator's manual queue: why
    received_at: datetime | None = None  # the complete submission
    field_inspection: bool | None = None
    unsatisfied_rounds: int | None = None
    version: int | None = None
    updated_at: datetime | None = None
    archived_reason: str | None = None  # archived at the desk: why
    duplicate_of: str | None = None  # archived as a duplicate: the original
    next_due_at: datetime | None = None  # the earliest running deadline (clocks.refresh)
    overdue_at: datetime | None = None  # the earliest that can make it overdue

    @classmethod
    def of(cls, row) -> Held:
        """From a row of ``select(dispositions)``."""
        return cls(**row._mapping)


FIELDS = tuple(field.name for field in fields(Held))
