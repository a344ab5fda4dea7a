"""The fold of a report's events (services.reporting.facts, .rows): what a report's life says, in any
arrival order. Pure: no database, no broker."""

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from services.reporting import places, synthetic
from services.reporting.facts import Event, fold
from services.reporting.rows import local_day, rows_of, statuses_of

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)  # Monday 10:00 WITA
H = timedelta(hours=1)


def as_events(pairs):
    """(event_type, body) pairs → facts.Event with ids in that order."""
    return [Event(event_type, f"e{i:03d}", T0, body) for i, (event_type, body) in enumerate(pairs)]


def folded(pairs, shuffle_seed=None):
    events = as_events(pairs)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(events)
    report = fold("LPR-1", events)
    return report, *rows_of(report, places.carried_only)


def plan(**overrides):
    return synthetic.Plan(
        tracking_id="LPR-1", agency_code="KAB-73-11-DISDIK", start=T0, **overrides
    )


def test_a_whole_life_is_counted_with_its_times_and_outcomes():
    report, row, hops = folded(
        synthetic.events(
            plan(
                verified_after=3 * H,
                first_followup_after=20 * H,
                final_after=100 * H,
                feedback="satisfied",
                feedback_after=10 * H,
            )
        )
    )
    assert row.status == "completed"
    assert (row.agency_code, row.government_code, row.province_code) == (
        "KAB-73-11-DISDIK",
        "KAB-73-11",
        "PROV-73",
    )
    assert row.verification_seconds == 3 * 3600
    assert row.first_followup_seconds == 20 * 3600
    assert row.completion_seconds == (3 + 100 + 10) * 3600
    assert row.first_followup_settled and row.first_followup_on_time
    assert row.resolution_settled and row.resolution_on_time
    assert row.final and row.feedback and row.satisfied and not row.reopened
    assert not (row.overdue_first_followup or row.overdue_resolution)
    assert statuses_of(row.visited) == [
        "awaiting_verification",
        "dispatched",
        "in_progress",
        "awaiting_feedback",
        "completed",
    ]
    assert [(hop.agency_code, hop.declined, hop.manual) for hop in hops] == [
        ("KAB-73-11-DISDIK", False, False)
    ]
    assert row.day == date(2026, 1, 5)


@pytest.mark.parametrize("seed", range(60))
def test_any_arrival_order_gives_the_same_rows(seed):
    rng = random.Random(seed)
    agency = rng.choice([("KAB-73-11-DISDIK", "Disdik", "73.11"), ("KEMENKES", "Kemenkes", "31")])
    the_plan = synthetic.random_plan(rng, "LPR-1", agency, T0 + rng.random() * 400 * H)
    pairs = synthetic.events(the_plan)
    _, expected_row, expected_hops = folded(pairs)
    for shuffle in range(8):
        _, row, hops = folded(pairs, shuffle_seed=seed * 100 + shuffle)
        assert (row, hops) == (expected_row, expected_hops)


def test_every_permutation_of_a_short_life_agrees():
    pairs = synthetic.events(
        plan(returned_for=5 * H, first_followup_after=2 * H, final_after=30 * H, feedback="silent")
    )
    events = as_events(pairs)
    assert len(events) == 6  # 720 orders
    results = set()
    for order in itertools.permutations(events):
        row, hops = rows_of(fold("LPR-1", order), places.carried_only)
        results.add((row, tuple(hops)))
    assert len(results) == 1
    ((row, _),) = results
    assert row.status == "completed" and row.completed_silent and not row.feedback


def test_a_decline_counts_against_the_decliner_and_the_clock_restarts_at_the_new_agency():
    report, row, hops = folded(
        synthetic.events(
            plan(
                declined_by="KAB-73-11-DINKES",
                declined_after=30 * H,
                first_followup_after=4 * H,
            )
        )
    )
    assert [(hop.agency_code, hop.declined) for hop in hops] == [
        ("KAB-73-11-DINKES", True),
        ("KAB-73-11-DISDIK", False),
    ]
    assert row.agency_code == "KAB-73-11-DISDIK"
    assert row.first_followup_seconds == 4 * 3600  # from the re-dispatch, not the first one
    assert row.status == "in_progress"


def test_a_breached_clock_is_overdue_until_answered_and_then_settled_late():
    unanswered = plan(breached=True)
    _, row, _ = folded(synthetic.events(unanswered))
    assert row.status == "dispatched"
    assert row.overdue_first_followup and row.first_followup_settled
    assert not row.first_followup_on_time

    late = plan(breached=True, first_followup_after=200 * H)
    _, row, _ = folded(synthetic.events(late))
    assert not row.overdue_first_followup
    assert row.first_followup_settled and not row.first_followup_on_time


def test_without_a_due_date_the_breach_says_whether_it_was_late():
    pairs = synthetic.events(plan(first_followup_after=20 * H))
    for _, body in pairs:
        body.pop("first_followup_due_at", None)
    _, row, _ = folded(pairs)
    assert row.first_followup_on_time
    breach = {
        "tracking_id": "LPR-1",
        "clock": "first_followup",
        "agency_code": "KAB-73-11-DISDIK",
        "due_at": T0 + 10 * H,
        "breached_at": T0 + 10 * H,
        "action": "marked_overdue",
        "privacy": "public",
    }
    _, row, _ = folded([*pairs, ("deadline_breached", breach)])
    assert row.first_followup_settled and not row.first_followup_on_time


def test_not_satisfied_reopens_the_report():
    _, row, _ = folded(synthetic.events(plan(final_after=10 * H, feedback="unsatisfied")))
    assert row.status == "in_progress"
    assert row.reopened and row.feedback and not row.satisfied
    assert "awaiting_feedback" in statuses_of(row.visited)


def test_a_coordinator_can_postpone_but_an_archived_report_stays_archived():
    submitted = {"tracking_id": "LPR-1", "privacy": "public", "submitted_at": T0}
    returned = {
        "tracking_id": "LPR-1",
        "classification": "complaint",
        "privacy": "public",
        "channel": "web",
        "missing": ["parties"],
        "deadline_at": T0 + 240 * H,
        "returned_at": T0 + H,
    }
    postponed = {
        "tracking_id": "LPR-1",
        "note": "Sebutkan nama sekolah",
        "previous_status": "awaiting_verification",
        "postponed_at": T0 + H,
    }
    # the coordinator postpones (routing decides); intake's report_returned only mirrors it
    _, row, _ = folded(
        [
            ("report_submitted", submitted),
            ("disposition_postponed", postponed),
            ("report_returned", returned),
        ]
    )
    assert row.status == "returned"
    # report_returned after a submission moves nothing: routing decides after submission
    _, row, _ = folded([("report_submitted", submitted), ("report_returned", returned)])
    assert row.status == "awaiting_verification"
    archived = {
        "tracking_id": "LPR-1",
        "reason": "incomplete",
        "previous_status": "returned",
        "archived_at": T0 + 2 * H,
    }
    late_submission = {**submitted, "submitted_at": T0 + 3 * H}
    _, row, _ = folded(
        [
            ("report_returned", {**returned, "returned_at": T0}),
            ("report_archived", archived),
            ("report_submitted", late_submission),
        ]
    )
    assert row.status == "archived"


def test_a_redispatch_after_a_followup_is_red_again():
    first = synthetic.events(plan(first_followup_after=2 * H))
    routed = dict(next(body for kind, body in first if kind == "report_routed"))
    routed.update(
        agency_code="KAB-73-11-DPUPR",
        agency_name="PUPR",
        kind="redispatched",
        previous_agency_code="KAB-73-11-DISDIK",
        routed_at=T0 + 50 * H,
    )
    _, row, _ = folded([*first, ("report_routed", routed)])
    assert (row.status, row.agency_code, row.first_followup_seconds) == (
        "dispatched",
        "KAB-73-11-DPUPR",
        None,
    )


@pytest.mark.parametrize(
    "moment, region, day",
    [
        (datetime(2026, 1, 5, 16, 30, tzinfo=UTC), "31.71", date(2026, 1, 5)),  # 23:30 WIB
        (datetime(2026, 1, 5, 16, 30, tzinfo=UTC), "73.11", date(2026, 1, 6)),  # 00:30 WITA
        (datetime(2026, 1, 5, 15, 30, tzinfo=UTC), "91.01", date(2026, 1, 6)),  # 00:30 WIT
        (datetime(2026, 1, 5, 16, 30, tzinfo=UTC), None, date(2026, 1, 5)),  # national: WIB
    ],
)
def test_a_report_counts_on_its_local_day(moment, region, day):
    assert local_day(moment, region) == day


def test_desk_verdicts_fold_with_the_table():
    """Archived at the desk is final with its reason; a correction changes the category."""
    submitted = {"tracking_id": "LPR-1", "privacy": "public", "category_id": "kesehatan",
                 "submitted_at": T0}  # fmt: skip
    corrected = {
        "tracking_id": "LPR-1",
        "before": {"category_id": "kesehatan"},
        "after": {"category_id": "pendidikan.sma"},
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "status": "awaiting_verification",
        "privacy": "public",
        "corrected_at": T0 + H,
    }
    archived = {
        "tracking_id": "LPR-1",
        "reason": "duplicate",
        "duplicate_of": "LPR-2",
        "previous_status": "awaiting_verification",
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "privacy": "public",
        "archived_at": T0 + 2 * H,
    }
    late_routing = {"tracking_id": "LPR-1", "agency_code": "X", "routed_at": T0 + 3 * H}
    events = [
        ("report_routed", late_routing),
        ("disposition_archived", archived),
        ("disposition_corrected", corrected),
        ("report_submitted", submitted),
        ("disposition_archived", archived),
    ]
    report, _, _ = folded(events)
    assert (report.status, report.archived_reason, report.category_id) == (
        "archived",
        "duplicate",
        "pendidikan.sma",
    )
