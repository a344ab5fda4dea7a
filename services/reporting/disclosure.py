"""Public statistics may not single out a confidential report (SPEC §3).

Where the reports a figure covers include at least one confidential report, the public sees no
count from 1 to 4 (``min_cell`` − 1): such a cell is withheld (None, and its path is listed in
``suppressed``). So that a withheld cell cannot be worked out from the others:
- a rate is withheld with its parts whenever its part, its whole or their difference is small
  (15 of 20 on time would otherwise say that 5… and 2 of 20 that 18 were late);
- the overall deadline-compliance rate is withheld whenever a clock's figures are: with 10 of
  20 resolutions shown, an overall 0.5652 says the withheld first follow-ups were 3 of 3;
- the overdue total is withheld whenever a clock's overdue count is (12 overdue, 10 of them
  awaiting verification and none on resolution, says 2 first follow-ups are overdue);
- in the status breakdown, when exactly one status is withheld the next smallest is withheld
  too (the total minus the rest would give it away), and a colour is withheld when a status in
  it is;
- a duration (median, p90, mean) is withheld when it rests on fewer than ``min_cell`` reports.
Zero is always shown: it singles out nobody. Staff whose scope covers the figures see them all.
Pure: no database.
"""

from __future__ import annotations

import copy

from services.reporting.indicators import COLOURS

MIN_CELL = 5


class _Hider:
    def __init__(self, minimum: int):
        self.minimum = minimum
        self.paths: list[str] = []

    def small(self, value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 < value < self.minimum

    def hide(self, container: dict, key: str, path: str) -> None:
        if key in container:
            container[key] = None
            if path not in self.paths:
                self.paths.append(path)

    def count(self, container: dict, key: str, path: str) -> None:
        if self.small(container[key]):
            self.hide(container, key, path)

    def ratio(self, container: dict, part: str, whole: str, path: str, rate: str = "rate"):
        p, w = container[part], container[whole]
        if p is None or w is None:
            return
        if self.small(w):
            for key in (whole, part, rate):
                self.hide(container, key, f"{path}.{key}")
        elif self.small(p) or self.small(w - p):
            for key in (part, rate):
                self.hide(container, key, f"{path}.{key}")


def protect_card(card: dict, confidential: int, minimum: int = MIN_CELL) -> tuple[dict, list]:
    """``card`` (indicators.summary) as the public may see it, and the paths withheld."""
    if not confidential:
        return card, []
    card = copy.deepcopy(card)
    hider = _Hider(minimum)
    hider.count(card, "reports", "reports")
    statuses = card["by_status"]
    withheld = [name for name, value in statuses.items() if hider.small(value)]
    if len(withheld) == 1 and card["reports"] is not None:
        others = [name for name, value in statuses.items() if value and name not in withheld]
        if others:
            withheld.append(min(others, key=lambda name: (statuses[name], name)))
    for name in withheld:
        hider.hide(statuses, name, f"by_status.{name}")
    for colour, names in COLOURS.items():
        if hider.small(card["by_colour"][colour]) or any(statuses[n] is None for n in names):
            hider.hide(card["by_colour"], colour, f"by_colour.{colour}")
    overdue = card["overdue"]
    for key in list(overdue):
        hider.count(overdue, key, f"overdue.{key}")
    if any(value is None for value in overdue.values()):
        # the total minus the clocks still shown would give a withheld clock away
        hider.hide(overdue, "total", "overdue.total")
    for name, figures in card["times"].items():
        if hider.small(figures["count"]):
            for key in list(figures):
                hider.hide(figures, key, f"times.{name}.{key}")
    compliance = card["deadline_compliance"]
    before = len(hider.paths)
    for clock in ("first_followup", "resolution"):
        hider.ratio(compliance[clock], "on_time", "settled", f"deadline_compliance.{clock}")
    if len(hider.paths) > before:
        # the overall rate and the clock still shown would give the withheld clock away
        hider.hide(compliance, "rate", "deadline_compliance.rate")
    hider.ratio(card["decline_rate"], "declines", "dispatches", "decline_rate")
    hider.ratio(card["satisfaction_rate"], "satisfied", "feedbacks", "satisfaction_rate")
    hider.count(
        card["satisfaction_rate"],
        "completed_without_feedback",
        "satisfaction_rate.completed_without_feedback",
    )
    hider.ratio(card["reopen_rate"], "reopened", "final_followups", "reopen_rate")
    return card, hider.paths


def protect_standing(row: dict, confidential: int, minimum: int = MIN_CELL) -> tuple[dict, list]:
    """One ranking row (services.reporting.rankings) as the public may see it."""
    if not confidential:
        return row, []
    row = dict(row)
    hider = _Hider(minimum)
    hider.count(row, "reports", "reports")
    hider.ratio(row, "on_time", "settled", "", rate="score")
    if hider.small(row["answered"]):
        for key in ("answered", "mean_first_followup_hours", "median_first_followup_hours"):
            hider.hide(row, key, key)
    if row.get("by_colour"):
        colours = row["by_colour"] = dict(row["by_colour"])
        withheld = [name for name, value in colours.items() if hider.small(value)]
        if len(withheld) == 1:  # the others and a total could give it away: one more goes
            others = [name for name, value in colours.items() if value and name not in withheld]
            if others:
                withheld.append(min(others, key=lambda name: (colours[name], name)))
        for name in withheld:
            hider.hide(colours, name, f"by_colour.{name}")
    return row, [path.lstrip(".") for path in hider.paths]


def protect_counts(counts: dict[str, int], confidential: int, minimum: int = MIN_CELL) -> dict:
    """A {status: count} breakdown (GET /stats) with small cells withheld (None)."""
    if not confidential:
        return counts
    hider = _Hider(minimum)
    counts = dict(counts)
    withheld = [name for name, value in counts.items() if hider.small(value)]
    if len(withheld) == 1:
        others = [name for name, value in counts.items() if value and name not in withheld]
        if others:
            withheld.append(min(others, key=lambda name: (counts[name], name)))
    for name in withheld:
        counts[name] = None
    return counts
