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
    return rows.rows_of(facts.fold("LPR-1", events), places.derived)


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
