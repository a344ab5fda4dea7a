"""Ranking governments (within a province) and provinces (nationally) by response speed.

The formula (docs/reporting.md works an example by hand):

    score = 100 × on_time / settled

- ``settled``: reports the government's agencies hold whose first follow-up clock (SPEC §5:
  5 working days from dispatch) has run its course: a follow-up was posted, or routing said the
  clock was breached. Reports still inside their clock with no answer are not judged yet.
- ``on_time``: settled reports whose first follow-up came by the deadline routing set.

Each line also counts the reports by status colour (SPEC §4: red dispatched, yellow in
progress or awaiting feedback, green completed), as a card does.

Ordered by score (exactly, as a fraction), then by the mean time to first follow-up (faster
first), then by more settled reports, then by code. Equal score, mean and settled share a rank
("1, 2, 2, 4"). A scope with fewer than ``min_settled`` settled reports (default 5) is listed
after the ranked ones, unranked: one answered report must not make a government the best.
Pure: no database.
"""

from __future__ import annotations

from fractions import Fraction

from services.reporting.indicators import COLOURS, STATUS_COLUMN, duration

MIN_SETTLED = 5


def standing(
    code: str, name: str | None, totals: dict[str, int], seconds: list[int] | None = None
) -> dict:
    settled, on_time, answered = totals["ffu_settled"], totals["ffu_on_time"], totals["ffu_n"]
    median = duration(totals, "ffu", seconds)
    mean = Fraction(totals["ffu_sum"], answered * 3600) if answered else None
    return {
        "code": code,
        "name": name,
        "reports": totals["reports"],
        "by_colour": {
            colour: sum(totals[STATUS_COLUMN[name]] for name in names)
            for colour, names in COLOURS.items()
        },
        "settled": settled,
        "on_time": on_time,
        "answered": answered,
        "score": round(100 * on_time / settled, 1) if settled else None,
        "mean_first_followup_hours": round(float(mean), 2) if mean is not None else None,
        "median_first_followup_hours": median["median_hours"],
        "median_quantiles": median["quantiles"],  # exact, or the histogram's estimate
        "_key": (
            -Fraction(on_time, settled) if settled else 0,
            mean if mean is not None else Fraction(10**12),
            -settled,
        ),
    }


def rank(
    entries: list[tuple[str, str | None, dict[str, int]]],
    min_settled: int = MIN_SETTLED,
    exact: dict[str, dict[str, list[int]]] | None = None,
):
    """[(code, name, totals)] → standings, best first, each with its ``rank`` (None: too few
    settled reports to rank); ``exact``: {code: {"first_followup": seconds}} for exact medians."""
    exact = exact or {}
    rows = [
        standing(code, name, totals, exact.get(code, {}).get("first_followup"))
        for code, name, totals in entries
    ]
    ranked = sorted((r for r in rows if r["settled"] >= min_settled), key=_order)
    unranked = sorted((r for r in rows if r["settled"] < min_settled), key=lambda r: r["code"])
    previous = None
    for position, row in enumerate(ranked, start=1):
        row["rank"] = previous["rank"] if previous and previous["_key"] == row["_key"] else position
        previous = row
    for row in unranked:
        row["rank"] = None
    return [{k: v for k, v in row.items() if k != "_key"} for row in ranked + unranked]


def _order(row: dict):
    return (row["_key"], row["code"])
