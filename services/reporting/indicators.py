"""The indicators of SPEC §10 as sums that add up over agencies and days, and what they say.

Each report adds its counts (one per status, overdue flags, settled clocks, …) and its three
durations (as a count, a sum and a histogram bucket) to the figures of its day at the agency
holding it, that agency's government, its province and the nation; each hop adds a dispatch
(and a decline) at the agency it went to. Any window's figures at any level are then plain
sums, so a card costs the same at a thousand reports as at ten million.

Medians and 90th percentiles are exact when the caller gives each report's durations (a small
window: services/reporting/durations.py), else estimated from the histogram buckets (linear
inside the bucket, as Prometheus' histogram_quantile does): exact to within the bucket that
holds them, and labelled so. Pure: no database.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from services.reporting.places import NATION
from services.reporting.rows import DispatchRow, ReportRow
from shared import lifecycle

# upper edges in hours; one more bucket above the last edge
BUCKET_HOURS = (1, 2, 4, 8, 12, 24, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160)
BUCKET_HOURS += (4320, 8760)
DURATIONS = {"verification": "ver", "first_followup": "ffu", "completion": "cmp"}

STATUS_COLUMN = {name: f"st_{name}" for name in lifecycle.STATUSES}
COLOURS = {"red": ("dispatched",), "yellow": ("in_progress", "awaiting_feedback")}
COLOURS["green"] = ("completed",)
COUNTS = (
    "reports",
    "confidential",
    *STATUS_COLUMN.values(),
    "overdue",
    "overdue_verification",
    "overdue_first_followup",
    "overdue_resolution",
    "ffu_settled",
    "ffu_on_time",
    "res_settled",
    "res_on_time",
    "dispatches",
    "declines",
    "finals",
    "reopened",
    "feedbacks",
    "satisfied",
    "completed_silent",
)


def _duration_columns(prefix: str) -> list[str]:
    return [f"{prefix}_n", f"{prefix}_sum"] + [
        f"{prefix}_b{i:02d}" for i in range(len(BUCKET_HOURS) + 1)
    ]


COLUMNS: tuple[str, ...] = COUNTS + tuple(
    column for prefix in DURATIONS.values() for column in _duration_columns(prefix)
)
INDEX = {name: i for i, name in enumerate(COLUMNS)}

# scope kinds, as stored
AGENCY, GOVERNMENT, PROVINCE, NATIONAL = "a", "g", "p", "n"
KINDS = {"agency": AGENCY, "government": GOVERNMENT, "province": PROVINCE, "nation": NATIONAL}

ScopeKey = tuple[str, str, date]  # (kind, code, day)
Sparse = dict[int, int]  # column index → value


def bucket(seconds: int) -> int:
    hours = seconds / 3600
    for i, edge in enumerate(BUCKET_HOURS):
        if hours <= edge:
            return i
    return len(BUCKET_HOURS)


def scopes(agency: str | None, government: str | None, province: str | None):
    """[(kind, code, parent)] a report held by ``agency`` counts in."""
    found = [(NATIONAL, NATION, None)]
    if agency:
        found.append((AGENCY, agency, government or province or NATION))
    if government:
        found.append((GOVERNMENT, government, province or NATION))
    if province:
        found.append((PROVINCE, province, NATION))
    return found


def report_values(row: ReportRow) -> Sparse:
    values: Sparse = {INDEX["reports"]: 1}
    flags = {
        "confidential": row.privacy == "confidential",
        "overdue": row.overdue_verification or row.overdue_first_followup or row.overdue_resolution,
        "overdue_verification": row.overdue_verification,
        "overdue_first_followup": row.overdue_first_followup,
        "overdue_resolution": row.overdue_resolution,
        "ffu_settled": row.first_followup_settled,
        "ffu_on_time": row.first_followup_on_time,
        "res_settled": row.resolution_settled,
        "res_on_time": row.resolution_on_time,
        "finals": row.final,
        "reopened": row.reopened,
        "feedbacks": row.feedback,
        "satisfied": row.satisfied,
        "completed_silent": row.completed_silent,
    }
    for name, flag in flags.items():
        if flag:
            values[INDEX[name]] = 1
    if row.status:
        values[INDEX[STATUS_COLUMN[row.status]]] = 1
    for seconds, prefix in (
        (row.verification_seconds, "ver"),
        (row.first_followup_seconds, "ffu"),
        (row.completion_seconds, "cmp"),
    ):
        if seconds is not None:
            values[INDEX[f"{prefix}_n"]] = 1
            values[INDEX[f"{prefix}_sum"]] = seconds
            values[INDEX[f"{prefix}_b{bucket(seconds):02d}"]] = 1
    return values


def contributions(
    row: ReportRow | None, dispatches: list[DispatchRow]
) -> tuple[dict[ScopeKey, Sparse], dict[tuple[str, str], str | None]]:
    """What one report adds to the figures: {(kind, code, day): {column: value}}, and the
    parent of each scope (for listing the governments of a province, the agencies of a
    government)."""
    added: dict[ScopeKey, Sparse] = defaultdict(dict)
    parents: dict[tuple[str, str], str | None] = {}
    if row is not None:
        values = report_values(row)
        for kind, code, parent in scopes(row.agency_code, row.government_code, row.province_code):
            _add(added[(kind, code, row.day)], values)
            parents[(kind, code)] = parent
    dispatched, declined = INDEX["dispatches"], INDEX["declines"]
    for hop in dispatches:
        if hop.manual:
            continue
        values = {dispatched: 1, declined: 1} if hop.declined else {dispatched: 1}
        for kind, code, parent in scopes(hop.agency_code, hop.government_code, hop.province_code):
            _add(added[(kind, code, hop.day)], values)
            parents[(kind, code)] = parent
    return dict(added), parents


def _add(target: Sparse, values: Sparse, sign: int = 1) -> None:
    for index, value in values.items():
        target[index] = target.get(index, 0) + sign * value


def difference(
    before: dict[ScopeKey, Sparse], after: dict[ScopeKey, Sparse]
) -> dict[ScopeKey, Sparse]:
    """after − before, without the zeros."""
    delta: dict[ScopeKey, Sparse] = {}
    for key in before.keys() | after.keys():
        values = dict(after.get(key, {}))
        _add(values, before.get(key, {}), -1)
        values = {index: value for index, value in values.items() if value}
        if values:
            delta[key] = values
    return delta


# --- what the sums say ------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def quantile(q: float, buckets: list[int]) -> float | None:
    """The q-quantile in hours estimated from bucket counts."""
    total = sum(buckets)
    if not total:
        return None
    rank = q * total
    seen = 0
    for i, count in enumerate(buckets):
        if count and seen + count >= rank:
            if i == len(BUCKET_HOURS):
                return float(BUCKET_HOURS[-1])
            lower = BUCKET_HOURS[i - 1] if i else 0
            upper = BUCKET_HOURS[i]
            return round(lower + (upper - lower) * (rank - seen) / count, 2)
        seen += count
    return float(BUCKET_HOURS[-1])


def duration(totals: dict[str, int], prefix: str, seconds: list[int] | None = None) -> dict:
    """count, median, p90 and mean in hours; the quantiles exact from ``seconds`` (each
    report's duration, sorted) when given, else estimated from the histogram."""
    n = totals[f"{prefix}_n"]
    if seconds:
        median, p90, how = exact_quantile(0.5, seconds), exact_quantile(0.9, seconds), "exact"
    else:
        buckets = [totals[f"{prefix}_b{i:02d}"] for i in range(len(BUCKET_HOURS) + 1)]
        median, p90, how = quantile(0.5, buckets), quantile(0.9, buckets), "histogram"
    return {
        "count": n,
        "median_hours": median,
        "p90_hours": p90,
        "mean_hours": round(totals[f"{prefix}_sum"] / n / 3600, 2) if n else None,
        "quantiles": how if n else None,
    }


def exact_quantile(q: float, ordered: list[int]) -> float:
    """The q-quantile, in hours to two decimals, of durations in seconds sorted ascending:
    linear between the two nearest ordered values (Hyndman & Fan type 7, as numpy)."""
    position = (len(ordered) - 1) * q
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    value = ordered[below] + (ordered[above] - ordered[below]) * (position - below)
    return round(value / 3600, 2)


def summary(totals: dict[str, int], seconds: dict[str, list[int]] | None = None) -> dict:
    """A card: every indicator of SPEC §10 from one scope's summed figures (and, for exact
    quantiles, each report's durations: {"verification": [seconds, …], …})."""
    seconds = seconds or {}
    by_status = {name: totals[column] for name, column in STATUS_COLUMN.items()}
    return {
        "reports": totals["reports"],
        "by_status": by_status,
        "by_colour": {
            colour: sum(by_status[name] for name in names) for colour, names in COLOURS.items()
        },
        "overdue": {
            "total": totals["overdue"],
            "verification": totals["overdue_verification"],
            "first_followup": totals["overdue_first_followup"],
            "resolution": totals["overdue_resolution"],
        },
        "times": {
            name: duration(totals, prefix, seconds.get(name)) for name, prefix in DURATIONS.items()
        },
        "deadline_compliance": {
            "rate": rate(
                totals["ffu_on_time"] + totals["res_on_time"],
                totals["ffu_settled"] + totals["res_settled"],
            ),
            "first_followup": {
                "on_time": totals["ffu_on_time"],
                "settled": totals["ffu_settled"],
                "rate": rate(totals["ffu_on_time"], totals["ffu_settled"]),
            },
            "resolution": {
                "on_time": totals["res_on_time"],
                "settled": totals["res_settled"],
                "rate": rate(totals["res_on_time"], totals["res_settled"]),
            },
        },
        "decline_rate": {
            "declines": totals["declines"],
            "dispatches": totals["dispatches"],
            "rate": rate(totals["declines"], totals["dispatches"]),
        },
        "satisfaction_rate": {
            "satisfied": totals["satisfied"],
            "feedbacks": totals["feedbacks"],
            "rate": rate(totals["satisfied"], totals["feedbacks"]),
            "completed_without_feedback": totals["completed_silent"],
        },
        "reopen_rate": {
            "reopened": totals["reopened"],
            "final_followups": totals["finals"],
            "rate": rate(totals["reopened"], totals["finals"]),
        },
    }


def empty() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)
