"""Medians and 90th percentiles of the three durations (SPEC §10), exact where the window is
small enough to read each report's own duration.

The figures hold, per scope and day, a count, a sum and a histogram of each duration, so the
mean is always exact and any window costs the same; a quantile from the histogram is only an
estimate (linear inside the bucket that holds it: a 2-second verification in the bucket up to
1 hour reads as 0.5 h beside a mean of 0.0 h). So for a card whose window holds at most
``EXACT_UP_TO`` durations, the durations are read from the reports themselves (one index-only
range for all three) and the quantiles are exact; above that, the histogram's estimate is
given. Each duration says which: ``"quantiles": "exact"`` or ``"quantiles": "histogram"``.

Exact quantiles (indicators.exact_quantile) interpolate linearly between the two nearest
ordered values (Hyndman & Fan's type 7, what numpy and spreadsheets' PERCENTILE give): the
median of an even count is the mean of the middle two; one value is its own median and p90.
"""

from __future__ import annotations

from sqlalchemy import select

from services.reporting.indicators import AGENCY, DURATIONS, GOVERNMENT, NATIONAL, PROVINCE
from services.reporting.models import reports
from services.reporting.windows import Window

EXACT_UP_TO = 10_000  # measured: ~6 µs per report read, index-only (SQLite, 200,000 stored)
SECONDS = {
    "verification": reports.c.verification_seconds,
    "first_followup": reports.c.first_followup_seconds,
    "completion": reports.c.completion_seconds,
}
_SCOPE = {
    AGENCY: reports.c.agency_code,
    GOVERNMENT: reports.c.government_code,
    PROVINCE: reports.c.province_code,
}


def exact(
    session,
    kind: str,
    code: str,
    window: Window,
    totals: dict[str, int],
    names=tuple(DURATIONS),
    up_to: int = EXACT_UP_TO,
) -> dict[str, list[int]]:
    """{duration name: its seconds, sorted} for each of ``names`` whose count in the scope's
    ``window`` is at most ``up_to`` (and more than none); the others are left to the histogram.
    One index-only range read for all of them."""
    wanted = [name for name in names if 0 < totals[f"{DURATIONS[name]}_n"] <= up_to]
    if not wanted:
        return {}
    query = select(*(SECONDS[name] for name in wanted))
    if kind != NATIONAL:
        query = query.where(_SCOPE[kind] == code)
    if window.start:
        query = query.where(reports.c.day >= window.start)
    if window.end:
        query = query.where(reports.c.day <= window.end)
    found: dict[str, list[int]] = {name: [] for name in wanted}
    for row in session.execute(query):
        for name, seconds in zip(wanted, row, strict=True):
            if seconds is not None:
                found[name].append(int(seconds))
    return {name: sorted(values) for name, values in found.items()}
