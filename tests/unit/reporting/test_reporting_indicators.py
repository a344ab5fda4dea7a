"""What a report adds to the figures, and what summed figures say (services.reporting.indicators).
Pure."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.reporting import facts, indicators, places, rows, synthetic
from services.reporting.indicators import (
    BUCKET_HOURS,
    INDEX,
    contributions,
    difference,
    duration,
    exact_quantile,
    quantile,
    summary,
)

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


def row_of(agency_code="KAB-73-11-DISDIK", **overrides):
    the_plan = synthetic.Plan(tracking_id="LPR-1", agency_code=agency_code, start=T0, **overrides)
    events = [
        facts.Event(kind, f"e{i}", T0, body)
        for i, (kind, body) in enumerate(synthetic.events(the_plan))
    ]
    return rows.rows_of(facts.fold("LPR-1", events), places.carried_only)


def test_a_report_counts_at_its_agency_government_province_and_the_nation():
    row, hops = row_of(first_followup_after=3 * H)
    added, parents = contributions(row, hops)
    day = date(2026, 1, 5)
    assert set(added) == {
        ("n", "ID", day),
        ("a", "KAB-73-11-DISDIK", day),
        ("g", "KAB-73-11", day),
        ("p", "PROV-73", day),
    }
    assert parents == {
        ("n", "ID"): None,
        ("a", "KAB-73-11-DISDIK"): "KAB-73-11",
        ("g", "KAB-73-11"): "PROV-73",
        ("p", "PROV-73"): "ID",
    }
    nation = added[("n", "ID", day)]
    assert nation[INDEX["reports"]] == 1
    assert nation[INDEX["st_in_progress"]] == 1
    assert nation[INDEX["dispatches"]] == 1
    assert nation[INDEX["ffu_sum"]] == 3 * 3600
    assert nation[INDEX["ffu_b02"]] == 1  # 3 hours: the (2, 4] bucket
    assert all(values == nation for values in added.values())


def test_a_national_body_counts_for_the_nation_only():
    added, _ = contributions(*row_of("KEMENKES"))
    assert {(kind, code) for kind, code, _ in added} == {("n", "ID"), ("a", "KEMENKES")}


def test_the_difference_moves_a_report_from_one_status_and_day_to_another():
    before, _ = contributions(*row_of())
    after, _ = contributions(*row_of(first_followup_after=2 * H))
    delta = difference(before, after)
    day = date(2026, 1, 5)
    nation = delta[("n", "ID", day)]
    assert nation[INDEX["st_dispatched"]] == -1
    assert nation[INDEX["st_in_progress"]] == 1
    assert INDEX["reports"] not in nation  # still one report
    assert difference(after, after) == {}


def test_quantiles_interpolate_inside_their_bucket():
    buckets = [0] * (len(BUCKET_HOURS) + 1)
    buckets[5] = 10  # (12, 24] hours
    assert quantile(0.5, buckets) == 18.0
    assert quantile(0.9, buckets) == pytest.approx(22.8)
    buckets[0] = 10  # (0, 1]
    assert quantile(0.5, buckets) == 1.0
    assert quantile(0.5, [0] * len(buckets)) is None
    beyond = [0] * len(buckets)
    beyond[-1] = 3
    assert quantile(0.9, beyond) == float(BUCKET_HOURS[-1])


def test_a_card_says_rates_and_colours():
    totals = indicators.empty()
    totals.update(
        reports=10,
        st_dispatched=2,
        st_in_progress=3,
        st_awaiting_feedback=1,
        st_completed=4,
        ffu_settled=8,
        ffu_on_time=6,
        res_settled=4,
        res_on_time=4,
        dispatches=12,
        declines=2,
        feedbacks=4,
        satisfied=3,
        finals=5,
        reopened=1,
        ffu_n=2,
        ffu_sum=2 * 3600 * 10,
        ffu_b05=2,
    )
    card = summary(totals)
    assert card["by_colour"] == {"red": 2, "yellow": 4, "green": 4}
    assert card["deadline_compliance"]["rate"] == round(10 / 12, 4)
    assert card["deadline_compliance"]["first_followup"]["rate"] == 0.75
    assert card["decline_rate"]["rate"] == round(2 / 12, 4)
    assert card["satisfaction_rate"]["rate"] == 0.75
    assert card["reopen_rate"]["rate"] == 0.2
    assert card["times"]["first_followup"]["mean_hours"] == 10.0
    assert card["times"]["first_followup"]["median_hours"] == 18.0
    assert summary(indicators.empty())["decline_rate"]["rate"] is None


def test_exact_quantiles_are_the_middle_and_interpolate_between_neighbours():
    hours = 3600
    assert exact_quantile(0.5, [7 * hours]) == 7.0  # one value is its own median and p90
    assert exact_quantile(0.9, [7 * hours]) == 7.0
    assert exact_quantile(0.5, [1 * hours, 3 * hours]) == 2.0  # the mean of the middle two
    # 1..10 hours: rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
    assert exact_quantile(0.9, [h * hours for h in range(1, 11)]) == 9.1
    assert exact_quantile(0.5, [2, 4, 6]) == 0.0  # seconds: 4 s is 0.0011 h


def test_a_duration_says_whether_its_quantiles_are_exact_or_estimated():
    totals = dict(indicators.empty(), ver_n=3, ver_sum=2 + 4 + 6, ver_b00=3)
    estimated = duration(totals, "ver")
    assert (estimated["median_hours"], estimated["quantiles"]) == (0.5, "histogram")
    exact = duration(totals, "ver", [2, 4, 6])
    assert (exact["median_hours"], exact["mean_hours"], exact["quantiles"]) == (0.0, 0.0, "exact")
    assert duration(indicators.empty(), "ver")["quantiles"] is None  # nothing to measure
