"""Ranking by response speed (services.reporting.rankings) against the worked example of
docs/reporting.md, computed by hand there. Pure."""

from datetime import UTC, datetime

from services.reporting import facts, indicators, places, rows, synthetic
from services.reporting.indicators import contributions
from services.reporting.rankings import rank

START = datetime(2026, 1, 12, 1, 0, tzinfo=UTC)


def government_totals(plans, kind: str = "g") -> dict[str, dict[str, int]]:
    """Each government's (or province's, ``kind`` "p") summed figures, from the plans' events,
    the way the figures add up."""
    totals: dict[str, dict[str, int]] = {}
    for plan in plans:
        events = [
            facts.Event(kind, f"{plan.tracking_id}-{i}", plan.start, body)
            for i, (kind, body) in enumerate(synthetic.events(plan))
        ]
        added, _ = contributions(
            *rows.rows_of(facts.fold(plan.tracking_id, events), places.carried_only)
        )
        for (scope_kind, code, _day), values in added.items():
            if scope_kind == kind:
                target = totals.setdefault(code, indicators.empty())
                for index, value in values.items():
                    target[indicators.COLUMNS[index]] += value
    return totals


def test_the_worked_example_ranks_as_computed_by_hand():
    totals = government_totals(synthetic.ranking_example(START))
    totals.pop("PROV-73")  # as the province's ranking does
    standings = rank([(code, None, figures) for code, figures in totals.items()])
    assert [
        (row["rank"], row["code"], row["settled"], row["on_time"], row["score"])
        for row in standings
    ] == [
        (1, "KAB-73-71", 10, 9, 90.0),  # Makassar: 9 of 10 on time (2 still inside the clock)
        (2, "KAB-73-11", 6, 5, 83.3),  # Barru: 5 of 6, mean 18.4 h
        (3, "KAB-73-08", 6, 5, 83.3),  # Bone: 5 of 6, but mean 58.33 h
        (4, "KAB-73-06", 5, 4, 80.0),  # Gowa
        (None, "KAB-73-72", 3, 3, 100.0),  # Parepare: 3 settled, fewer than 5
    ]
    means = {row["code"]: row["mean_first_followup_hours"] for row in standings}
    assert means == {
        "KAB-73-71": 45.6,
        "KAB-73-11": 18.4,
        "KAB-73-08": 58.33,
        "KAB-73-06": 12.0,
        "KAB-73-72": 1.0,
    }
    makassar = next(row for row in standings if row["code"] == "KAB-73-71")
    assert (makassar["reports"], makassar["answered"]) == (12, 10)
    # answered reports are in progress (yellow), unanswered ones still dispatched (red)
    colours = {row["code"]: row["by_colour"] for row in standings}
    assert colours == {
        "KAB-73-71": {"red": 2, "yellow": 10, "green": 0},
        "KAB-73-11": {"red": 1, "yellow": 5, "green": 0},
        "KAB-73-08": {"red": 0, "yellow": 6, "green": 0},
        "KAB-73-06": {"red": 1, "yellow": 4, "green": 0},
        "KAB-73-72": {"red": 0, "yellow": 3, "green": 0},
    }


def test_the_province_of_the_worked_example_counts_its_own_office_too():
    provinces = government_totals(synthetic.ranking_example(START), kind="p")
    [row] = rank([(code, None, figures) for code, figures in provinces.items()])
    assert (row["code"], row["settled"], row["on_time"], row["score"]) == ("PROV-73", 35, 31, 88.6)


def figures(settled, on_time, answered, hours):
    totals = indicators.empty()
    totals.update(
        ffu_settled=settled, ffu_on_time=on_time, ffu_n=answered, ffu_sum=int(hours * 3600)
    )
    return totals


def test_equal_score_mean_and_volume_share_a_rank():
    standings = rank(
        [
            ("B", None, figures(10, 8, 10, 100)),
            ("A", None, figures(10, 8, 10, 100)),
            ("C", None, figures(20, 10, 20, 10)),
            ("D", None, figures(5, 5, 5, 500)),
        ]
    )
    assert [(row["code"], row["rank"]) for row in standings] == [
        ("D", 1),
        ("A", 2),
        ("B", 2),
        ("C", 4),
    ]


def test_the_score_is_compared_exactly_not_as_rounded():
    # 2/3 and 667/1000 both round to 66.7, but 667/1000 is higher
    standings = rank(
        [("A", None, figures(3, 2, 3, 1)), ("B", None, figures(1000, 667, 1000, 1000 * 50))],
        min_settled=1,
    )
    assert [row["code"] for row in standings] == ["B", "A"]
    assert {row["score"] for row in standings} == {66.7}


def test_more_settled_reports_break_a_tie_of_score_and_mean():
    standings = rank([("A", None, figures(5, 5, 5, 5)), ("B", None, figures(6, 6, 6, 6))])
    assert [(row["code"], row["rank"]) for row in standings] == [("B", 1), ("A", 2)]
