"""The clocks of SPEC §5 that routing keeps, in working days (pure).

| clock          | default | starts                       | on breach                              |
|----------------|---------|------------------------------|----------------------------------------|
| verification   | 3       | complete submission (review  | the next coordinator up takes it        |
|                |         | mode, manual queue)          |                                        |
| first_followup | 5       | dispatch                     | marked overdue; agency + coordinator told |
| resolution     | 14 / 60 | dispatch (60: supervision    | escalated to coordinator and oversight |
|                |         | category or field inspection)|                                        |
| feedback       | 10      | final follow-up              | completed                              |

(The fifth clock, completion of a returned report, is intake's.) Each clock also has a reminder
one working day before it runs out (``deadline_approaching``). Days are counted with the shared
calendar in the local time of the agency holding the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.calendar import WorkingCalendar

VERIFICATION, FIRST_FOLLOWUP, RESOLUTION, FEEDBACK = (
    "verification",
    "first_followup",
    "resolution",
    "feedback",
)
CLOCKS = (VERIFICATION, FIRST_FOLLOWUP, RESOLUTION, FEEDBACK)
BREACH_ACTION = {
    VERIFICATION: "escalated",
    FIRST_FOLLOWUP: "marked_overdue",
    RESOLUTION: "escalated",
    FEEDBACK: "auto_completed",
}
# clocks whose breach makes a report "overdue" on the desk while they still run
OVERDUE_CLOCKS = (VERIFICATION, FIRST_FOLLOWUP, RESOLUTION)


@dataclass(frozen=True)
class Deadlines:
    verification: int = 3
    first_followup: int = 5
    resolution: int = 14
    resolution_long: int = 60
    feedback: int = 10

    @classmethod
    def from_config(cls, config: dict) -> Deadlines:
        """VERIFICATION_DAYS, FIRST_FOLLOWUP_DAYS, RESOLUTION_DAYS, RESOLUTION_LONG_DAYS,
        FEEDBACK_DAYS; missing or empty values keep SPEC §5's defaults."""
        values = {}
        for name in ("verification", "first_followup", "resolution", "resolution_long", "feedback"):
            raw = config.get(f"{name.upper()}_DAYS")
            if raw not in (None, ""):
                values[name] = int(raw)
        return cls(**values)

    def days(self, clock: str, long: bool = False) -> int:
        if clock == RESOLUTION and long:
            return self.resolution_long
        return getattr(self, clock)


@dataclass(frozen=True)
class Due:
    remind_at: datetime  # one working day before it runs out
    due_at: datetime


def due(calendar: WorkingCalendar, start: datetime, days: int, zone: str) -> Due:
    """When a clock of ``days`` working days started at ``start`` runs out, and when to remind."""
    return Due(
        remind_at=calendar.add_working_days(start, max(days - 1, 0), zone),
        due_at=calendar.add_working_days(start, days, zone),
    )


def long_resolution(supervision: bool, field_inspection: bool) -> bool:
    """60 working days for supervision categories or when the agency flags a field inspection."""
    return bool(supervision or field_inspection)
