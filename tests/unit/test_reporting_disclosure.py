"""Public statistics never single out a confidential report (SPEC §3;
services.reporting.disclosure). Pure."""

from services.reporting import indicators
from services.reporting.disclosure import protect_card, protect_counts, protect_standing


def card(**figures):
    totals = indicators.empty()
    totals.update(figures)
    return indicators.summary(totals)


def test_without_a_confidential_report_nothing_is_withheld():
    original = card(reports=3, st_dispatched=2, st_completed=1)
    shown, withheld = protect_card(original, confidential=0)
    assert shown == original and withheld == []


def test_small_counts_are_withheld_where_a_confidential_report_is_counted():
    original = card(
        reports=30,
        st_dispatched=2,
        st_in_progress=10,
        st_completed=18,
        overdue=3,
        overdue_first_followup=3,
        dispatches=31,
        declines=1,
    )
    shown, withheld = protect_card(original, confidential=1)
    assert shown["reports"] == 30
    assert shown["by_status"]["dispatched"] is None
    # the total minus the others would give "dispatched" away: the next smallest goes too
    assert shown["by_status"]["in_progress"] is None
    assert shown["by_status"]["completed"] == 18
    assert shown["by_status"]["returned"] == 0  # a zero singles out nobody
    assert shown["by_colour"] == {"red": None, "yellow": None, "green": 18}
    assert shown["overdue"]["first_followup"] is None and shown["overdue"]["total"] is None
    assert shown["decline_rate"] == {"declines": None, "dispatches": 31, "rate": None}
    assert "by_status.dispatched" in withheld and "decline_rate.rate" in withheld
    assert original["by_status"]["dispatched"] == 2  # the staff view is left alone


def test_a_rate_is_withheld_when_its_complement_is_small():
    original = card(reports=40, ffu_settled=20, ffu_on_time=18)
    shown, withheld = protect_card(original, confidential=2)
    first = shown["deadline_compliance"]["first_followup"]
    assert first == {"on_time": None, "settled": 20, "rate": None}  # 2 late would show
    assert "deadline_compliance.first_followup.rate" in withheld


def test_durations_resting_on_few_reports_are_withheld():
    original = card(reports=40, ffu_n=3, ffu_sum=3 * 3600, ffu_b00=3, cmp_n=12, cmp_b05=12)
    shown, _ = protect_card(original, confidential=1)
    assert set(shown["times"]["first_followup"].values()) == {None}
    assert shown["times"]["completion"]["median_hours"] == 18.0


def test_a_ranking_line_keeps_its_score_when_every_part_is_large_enough():
    row = {
        "code": "KAB-73-11",
        "reports": 40,
        "settled": 30,
        "on_time": 20,
        "answered": 25,
        "score": 66.7,
        "mean_first_followup_hours": 10.0,
        "median_first_followup_hours": 8.0,
    }
    assert protect_standing(row, confidential=3) == (row, [])
    small = {**row, "on_time": 27, "score": 90.0}
    shown, withheld = protect_standing(small, confidential=3)
    assert (shown["on_time"], shown["score"], shown["settled"]) == (None, None, 30)
    assert withheld == ["on_time", "score"]


def test_status_counts_hide_small_cells_and_one_more():
    assert protect_counts({"dispatched": 2, "completed": 9, "archived": 7}, 1) == {
        "dispatched": None,
        "completed": 9,
        "archived": None,
    }
    assert protect_counts({"dispatched": 2}, 0) == {"dispatched": 2}
