"""Business metrics for Prometheus, with bounded labels only (never an agency or a report).

- ``satupintu_reports_entered_total{status, channel, classification, privacy}``: reports that
  reached a status — submitted (awaiting_verification), returned, dispatched, in_progress,
  awaiting_feedback, completed, archived — each report once per status, however its events
  arrived (counted once intake's own event has said the report's channel and classification);
- ``satupintu_reports_total{event, channel, privacy}``: report events applied;
- ``satupintu_reports_overdue{clock}``: reports overdue now, from the figures, set at scrape.

Counters move after the transaction commits, so a retried handler does not count twice. Label
values outside the known sets read ``other`` (a producer's typo cannot grow the label set).
"""

from __future__ import annotations

from sqlalchemy import event as sa_event

from services.reporting import figures
from services.reporting.indicators import NATIONAL
from services.reporting.places import NATION
from services.reporting.rows import statuses_of
from services.reporting.windows import Window
from shared import metrics
from shared.contracts import values
from shared.events import EVENT_TYPES

CHANNELS = frozenset(values.CHANNELS)
CLASSIFICATIONS = frozenset(values.CLASSIFICATIONS)
PRIVACY = frozenset(values.PRIVACY_LEVELS)
CLOCKS = {
    "verification": "overdue_verification",
    "first_followup": "overdue_first_followup",
    "resolution": "overdue_resolution",
}


def _label(value, known) -> str:
    if value is None:
        return "unknown"
    return value if value in known else "other"


def count_after_commit(session, event, change) -> None:
    """Schedule the counters for one applied report event (``change`` from projection.apply)."""
    if change is None:
        return
    row = change.after
    channel = _label(row.channel, CHANNELS)
    classification = _label(row.classification, CLASSIFICATIONS)
    privacy = _label(row.privacy, PRIVACY)
    event_type = event.event_type if event.event_type in EVENT_TYPES else "other"
    entered = statuses_of(_countable(row) & ~_countable(change.before))

    def count(_session) -> None:
        metrics.REPORTS.labels(event_type, channel, privacy).inc()
        for status in entered:
            metrics.REPORTS_ENTERED.labels(status, channel, classification, privacy).inc()

    sa_event.listen(session, "after_commit", count, once=True)


def _countable(row) -> int:
    """The statuses a report is counted in: all it has been in, once intake's event (submitted
    or returned) has told its channel and classification. A report whose routing events came
    first is counted when that event arrives, with the right labels."""
    if row is None or row.classification is None:
        return 0
    return row.visited


def set_overdue(session) -> None:
    """The overdue gauge from the nation's figures (all time)."""
    totals = figures.totals(session, NATIONAL, NATION, Window())
    for clock, column in CLOCKS.items():
        metrics.REPORTS_OVERDUE.labels(clock).set(totals[column])
