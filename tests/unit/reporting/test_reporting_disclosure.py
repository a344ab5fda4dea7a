"""Public statistics never single out a confidential report (SPEC §3;
services.reporting.disclosure). Pure."""

import pytest

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


def test_only_counts_from_one_to_four_are_withheld():
    # 4 is withheld and, being the only one, takes the next smallest (5) with it
    assert protect_counts({"dispatched": 4, "completed": 5, "archived": 9}, 1) == {
        "dispatched": None,
        "completed": None,
        "archived": 9,
    }
    # 5 and more are shown, and with nothing withheld nothing else goes either
    shown = {"dispatched": 5, "completed": 9, "archived": 6}
    assert protect_counts(shown, 1) == shown
    # zero and below single out nobody
    assert protect_counts({"dispatched": 0, "completed": 9, "archived": -1}, 1) == {
        "dispatched": 0,
        "completed": 9,
        "archived": -1,
    }


def test_two_withheld_statuses_already_hide_each_other():
    assert protect_counts({"dispatched": 2, "completed": 3, "archived": 9}, 1) == {
        "dispatched": None,
        "completed": None,
        "archived": 9,
    }


def test_the_next_smallest_is_a_non_zero_count_and_ties_go_by_name():
    counts = {"dispatched": 2, "returned": 0, "completed": 9, "archived": 9}
    assert protect_counts(counts, 1) == {
        "dispatched": None,
        "returned": 0,
        "completed": 9,
        "archived": None,
    }
    assert protect_counts({"dispatched": 3, "returned": 0}, 1) == {
        "dispatched": None,
        "returned": 0,
    }


def test_the_smallest_shown_count_is_configurable():
    counts = {"dispatched": 9, "completed": 30, "archived": 12}
    assert protect_counts(counts, 1, minimum=10) == {
        "dispatched": None,
        "completed": 30,
        "archived": None,
    }


def test_a_card_with_four_reports_shows_none_of_them():
    shown, withheld = protect_card(card(reports=4, st_dispatched=4), confidential=1)
    assert shown["reports"] is None and shown["by_status"]["dispatched"] is None
    assert shown["by_colour"]["red"] is None
    assert withheld == ["reports", "by_status.dispatched", "by_colour.red"]
    five, withheld = protect_card(card(reports=5, st_dispatched=5), confidential=1)
    assert (five["reports"], five["by_status"]["dispatched"], withheld) == (5, 5, [])


def test_a_card_of_large_counts_is_shown_whole():
    original = card(reports=40, st_dispatched=10, st_in_progress=10, st_completed=20)
    assert protect_card(original, confidential=1) == (original, [])


def test_two_small_statuses_hide_their_colours_and_nothing_more():
    original = card(reports=30, st_dispatched=2, st_in_progress=3, st_completed=25)
    shown, withheld = protect_card(original, confidential=1)
    assert shown["by_status"]["completed"] == 25
    assert shown["by_colour"] == {"red": None, "yellow": None, "green": 25}
    assert withheld == [
        "by_status.dispatched",
        "by_status.in_progress",
        "by_colour.red",
        "by_colour.yellow",
    ]


@pytest.mark.parametrize(
    "ffu, res, expected",
    [
        # 5 of 5 first follow-ups on time: five is enough
        (
            (5, 5),
            (0, 0),
            {
                "rate": 1.0,
                "first_followup": {"on_time": 5, "settled": 5, "rate": 1.0},
                "resolution": {"on_time": 0, "settled": 0, "rate": None},
            },
        ),
        # 4 of 4: the clock's figures and the overall rate go
        (
            (4, 4),
            (0, 0),
            {
                "rate": None,
                "first_followup": {"on_time": None, "settled": None, "rate": None},
                "resolution": {"on_time": 0, "settled": 0, "rate": None},
            },
        ),
        # 7 of 10 resolutions on time (3 late) and 17 of 20 overall (3 late)
        (
            (10, 10),
            (10, 7),
            {
                "rate": None,
                "first_followup": {"on_time": 10, "settled": 10, "rate": 1.0},
                "resolution": {"on_time": None, "settled": 10, "rate": None},
            },
        ),
        # 2 of 20 on time: the 2 would show, in the clock and overall
        (
            (20, 2),
            (0, 0),
            {
                "rate": None,
                "first_followup": {"on_time": None, "settled": 20, "rate": None},
                "resolution": {"on_time": 0, "settled": 0, "rate": None},
            },
        ),
        # 10 of 20 twice: nothing small anywhere
        (
            (20, 10),
            (20, 10),
            {
                "rate": 0.5,
                "first_followup": {"on_time": 10, "settled": 20, "rate": 0.5},
                "resolution": {"on_time": 10, "settled": 20, "rate": 0.5},
            },
        ),
    ],
)
def test_deadline_compliance_withholds_small_parts_wholes_and_differences(ffu, res, expected):
    original = card(
        reports=40,
        ffu_settled=ffu[0],
        ffu_on_time=ffu[1],
        res_settled=res[0],
        res_on_time=res[1],
    )
    shown, _ = protect_card(original, confidential=1)
    assert shown["deadline_compliance"] == expected


@pytest.mark.parametrize(
    "dispatches, declines, expected, paths",
    [
        # 1 decline of 4 dispatches: the whole is small, so all three go
        (
            4,
            1,
            {"declines": None, "dispatches": None, "rate": None},
            ["decline_rate.dispatches", "decline_rate.declines", "decline_rate.rate"],
        ),
        # 5 declines of 9: the 4 accepted would show
        (
            9,
            5,
            {"declines": None, "dispatches": 9, "rate": None},
            ["decline_rate.declines", "decline_rate.rate"],
        ),
        (5, 0, {"declines": 0, "dispatches": 5, "rate": 0.0}, []),
        (10, 5, {"declines": 5, "dispatches": 10, "rate": 0.5}, []),
    ],
)
def test_a_rate_goes_with_its_small_whole_part_or_difference(dispatches, declines, expected, paths):
    original = card(reports=40, dispatches=dispatches, declines=declines)
    shown, withheld = protect_card(original, confidential=1)
    assert shown["decline_rate"] == expected
    assert withheld == paths


def test_satisfaction_and_reopening_are_protected_alike():
    original = card(
        reports=40, feedbacks=20, satisfied=18, completed_silent=2, finals=4, reopened=1
    )
    shown, _ = protect_card(original, confidential=1)
    assert shown["satisfaction_rate"] == {
        "satisfied": None,
        "feedbacks": 20,
        "rate": None,
        "completed_without_feedback": None,
    }
    assert shown["reopen_rate"] == {"reopened": None, "final_followups": None, "rate": None}


ROW = {
    "code": "KAB-73-11",
    "reports": 40,
    "settled": 30,
    "on_time": 20,
    "answered": 25,
    "score": 66.7,
    "mean_first_followup_hours": 10.0,
    "median_first_followup_hours": 8.0,
}


@pytest.mark.parametrize(
    "change, hidden",
    [
        ({"reports": 4}, ["reports"]),
        ({"settled": 4, "on_time": 4, "score": 100.0}, ["settled", "on_time", "score"]),
        (
            {"answered": 4},
            ["answered", "mean_first_followup_hours", "median_first_followup_hours"],
        ),
    ],
)
def test_a_ranking_line_withholds_each_small_figure_with_what_rests_on_it(change, hidden):
    shown, withheld = protect_standing({**ROW, **change}, confidential=1)
    assert withheld == hidden
    assert {key for key, value in shown.items() if value is None} == set(hidden)


def test_a_ranking_lines_small_colour_count_is_withheld_with_the_next_smallest():
    row = {**ROW, "by_colour": {"red": 2, "yellow": 30, "green": 8}}
    shown, withheld = protect_standing(row, confidential=1)
    assert shown["by_colour"] == {"red": None, "yellow": 30, "green": None}
    assert withheld == ["by_colour.red", "by_colour.green"]
    assert row["by_colour"]["red"] == 2  # the staff's copy is left as it was
    large = {**ROW, "by_colour": {"red": 0, "yellow": 30, "green": 8}}
    assert protect_standing(large, confidential=1) == (large, [])
    assert protect_standing(row, confidential=0) == (row, [])


def test_a_figure_already_withheld_is_left_alone():
    row = {**ROW, "on_time": None, "score": None}
    assert protect_standing(row, confidential=1) == (row, [])
    row = {**ROW, "settled": None, "score": None}
    assert protect_standing(row, confidential=1) == (row, [])


@pytest.mark.parametrize(
    "ffu, res",
    [
        # 3 of 3 first follow-ups withheld, 10 of 20 resolutions shown: an overall 13/23 = 0.5652
        # is the only (10 + x) / (20 + y) with 0 <= x <= y <= 4 — it gives the 3 of 3 away
        ((3, 3), (20, 10)),
        # 18 of 20 first follow-ups (2 late, withheld), 10 of 20 resolutions: overall 28/40 = 0.7
        # minus the resolutions' 10 of 20 says 18 first follow-ups were on time
        ((20, 18), (20, 10)),
    ],
)
def test_the_overall_compliance_rate_does_not_give_a_withheld_clock_away(ffu, res):
    original = card(
        reports=40, ffu_settled=ffu[0], ffu_on_time=ffu[1], res_settled=res[0], res_on_time=res[1]
    )
    shown, withheld = protect_card(original, confidential=1)
    assert shown["deadline_compliance"]["resolution"] == {"on_time": 10, "settled": 20, "rate": 0.5}
    assert shown["deadline_compliance"]["rate"] is None
    assert "deadline_compliance.rate" in withheld


def test_the_overdue_total_does_not_give_a_withheld_clock_away():
    # 10 overdue awaiting verification, 2 on first follow-up, none on resolution: a total of 12
    # shown next to 10 and 0 would say that the withheld first follow-up count is 2
    original = card(
        reports=40,
        st_awaiting_verification=10,
        st_dispatched=30,
        overdue=12,
        overdue_verification=10,
        overdue_first_followup=2,
        overdue_resolution=0,
    )
    shown, withheld = protect_card(original, confidential=1)
    assert shown["overdue"] == {
        "total": None,
        "verification": 10,
        "first_followup": None,
        "resolution": 0,
    }
    assert "overdue.total" in withheld and "overdue.first_followup" in withheld
