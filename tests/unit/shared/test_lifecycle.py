"""The one transition table of a report's life (SPEC §4), written out by hand: every allowed
move with who may make it and what it announces, and every other (status, action) refused."""

import pytest

from shared import lifecycle
from shared.lifecycle import NotAllowed

R, V, D, P, F, C, A = (
    "returned",
    "awaiting_verification",
    "dispatched",
    "in_progress",
    "awaiting_feedback",
    "completed",
    "archived",
)
REPORTER, AGENCY, COORD, SYSTEM = "reporter", "agency", "coordinator", "system"

# (from, action, to, who may, event) — from SPEC §4 and §2, §5, §7
ALLOWED = [
    (None, "file_incomplete", R, {REPORTER}, "report_returned"),
    (None, "file_complete", V, {REPORTER}, "report_submitted"),
    (R, "supplement_incomplete", R, {REPORTER}, "report_supplemented"),
    (R, "supplement_complete", V, {REPORTER}, "report_submitted"),
    (R, "comment", R, {REPORTER}, "report_commented"),
    (V, "comment", V, {REPORTER}, "report_commented"),
    (D, "comment", D, {REPORTER}, "report_commented"),
    (P, "comment", P, {REPORTER}, "report_commented"),
    (F, "comment", F, {REPORTER}, "report_commented"),
    (R, "withdraw", A, {REPORTER}, "report_withdrawn"),
    (V, "withdraw", A, {REPORTER}, "report_withdrawn"),
    (D, "withdraw", A, {REPORTER}, "report_withdrawn"),
    (P, "withdraw", A, {REPORTER}, "report_withdrawn"),
    (F, "withdraw", A, {REPORTER}, "report_withdrawn"),
    (R, "expire", A, {SYSTEM}, "report_archived"),
    (V, "propose", V, {SYSTEM}, "disposition_proposed"),
    (V, "queue_manual", V, {SYSTEM, COORD}, "manual_dispatch_queued"),
    (D, "queue_manual", V, {SYSTEM, COORD}, "manual_dispatch_queued"),
    (P, "queue_manual", V, {SYSTEM, COORD}, "manual_dispatch_queued"),
    (F, "queue_manual", V, {SYSTEM, COORD}, "manual_dispatch_queued"),
    (V, "dispatch", D, {SYSTEM, COORD}, "report_routed"),
    (D, "redispatch", D, {SYSTEM, COORD}, "report_routed"),
    (P, "redispatch", D, {SYSTEM, COORD}, "report_routed"),
    (F, "redispatch", D, {SYSTEM, COORD}, "report_routed"),
    (V, "decline", V, {AGENCY, COORD}, "disposition_declined"),
    (D, "decline", D, {AGENCY, COORD}, "disposition_declined"),
    (P, "decline", P, {AGENCY, COORD}, "disposition_declined"),
    (V, "postpone", R, {COORD}, "disposition_postponed"),
    (D, "postpone", R, {COORD}, "disposition_postponed"),
    (R, "archive", A, {COORD}, "disposition_archived"),
    (V, "archive", A, {COORD}, "disposition_archived"),
    (D, "archive", A, {COORD}, "disposition_archived"),
    (P, "archive", A, {COORD}, "disposition_archived"),
    (F, "archive", A, {COORD}, "disposition_archived"),
    (V, "correct", V, {COORD, AGENCY}, "disposition_corrected"),
    (D, "correct", D, {COORD, AGENCY}, "disposition_corrected"),
    (P, "correct", P, {COORD, AGENCY}, "disposition_corrected"),
    (F, "correct", F, {COORD, AGENCY}, "disposition_corrected"),
    (D, "escalate", D, {SYSTEM}, "report_escalated"),
    (P, "escalate", P, {SYSTEM}, "report_escalated"),
    (F, "escalate", F, {SYSTEM}, "report_escalated"),
    (D, "follow_up", P, {AGENCY}, "followup_posted"),
    (P, "follow_up", P, {AGENCY}, "followup_posted"),
    (D, "final_follow_up", F, {AGENCY}, "followup_posted"),
    (P, "final_follow_up", F, {AGENCY}, "followup_posted"),
    (F, "satisfied", C, {REPORTER}, "report_status_changed"),
    (F, "not_satisfied", P, {REPORTER}, "report_status_changed"),
    (F, "feedback_timeout", C, {SYSTEM}, "report_status_changed"),
]
ACTIONS = sorted({row[1] for row in ALLOWED})
STATUSES = [None, R, V, D, P, F, C, A]
ALLOWED_KEYS = {(row[0], row[1]) for row in ALLOWED}
FORBIDDEN = [(s, a) for s in STATUSES for a in ACTIONS if (s, a) not in ALLOWED_KEYS]


def test_the_table_has_exactly_the_moves_of_the_spec():
    assert set(lifecycle.TRANSITIONS) == ALLOWED_KEYS
    assert lifecycle.ACTIONS == set(ACTIONS)


@pytest.mark.parametrize(("source", "action", "to", "by", "emits"), ALLOWED)
def test_an_allowed_move(source, action, to, by, emits):
    step = lifecycle.step(source, action)
    assert (step.to, set(step.by), step.emits) == (to, by, emits)
    for actor in by:
        assert lifecycle.next_status(source, action, actor) == to
    for actor in {REPORTER, AGENCY, COORD, SYSTEM} - by:
        assert not lifecycle.allowed(source, action, actor)
        with pytest.raises(NotAllowed):
            lifecycle.step(source, action, actor)


@pytest.mark.parametrize(("source", "action"), FORBIDDEN)
def test_a_forbidden_move(source, action):
    assert not lifecycle.allowed(source, action)
    with pytest.raises(NotAllowed) as refused:
        lifecycle.next_status(source, action)
    assert (refused.value.status, refused.value.action) == (source, action)


def test_closed_reports_accept_nothing():
    for status in (C, A):
        assert [a for a in ACTIONS if lifecycle.allowed(status, a)] == []


def test_sources_in_life_order():
    assert lifecycle.sources("withdraw") == (R, V, D, P, F)
    assert lifecycle.sources("postpone") == (V, D)
    assert lifecycle.sources("follow_up") == (D, P)


def test_two_unsatisfied_rounds_escalate():
    assert [lifecycle.escalates(n) for n in (0, 1, 2, 3)] == [False, False, True, True]


@pytest.mark.parametrize(
    ("before", "after", "up"),
    [
        ("public", "anonymous", True),
        ("public", "confidential", True),
        ("anonymous", "confidential", True),
        ("anonymous", "anonymous", True),
        ("anonymous", "public", False),
        ("confidential", "anonymous", False),
        ("confidential", "public", False),
    ],
)
def test_privacy_only_goes_up(before, after, up):
    assert lifecycle.raises_privacy(before, after) is up


def test_statuses_are_ranked_in_the_order_of_a_reports_life():
    # SPEC §4's table, top to bottom; reporting keeps one bit per status by this rank
    assert [(s.name, s.rank) for s in lifecycle.STATUSES.values()] == [
        ("returned", 0),
        ("awaiting_verification", 1),
        ("dispatched", 2),
        ("in_progress", 3),
        ("awaiting_feedback", 4),
        ("completed", 5),
        ("archived", 6),
    ]


@pytest.mark.parametrize("status", lifecycle.OPEN)
def test_a_coordinator_archives_a_report_in_every_open_status(status):
    assert lifecycle.next_status(status, "archive", lifecycle.COORDINATOR) == "archived"
    assert not lifecycle.allowed(status, "archive", lifecycle.AGENCY)


def test_without_an_actor_allowed_asks_only_whether_the_step_exists():
    assert lifecycle.allowed("dispatched", "follow_up")
    assert not lifecycle.allowed("completed", "follow_up")


def test_a_refusal_says_what_who_and_when():
    with pytest.raises(lifecycle.NotAllowed) as refused:
        lifecycle.step("dispatched", "archive", lifecycle.REPORTER)
    assert str(refused.value) == "archive by reporter is not possible when the report is dispatched"
    with pytest.raises(lifecycle.NotAllowed) as refused:
        lifecycle.step("completed", "archive")
    assert str(refused.value) == "archive is not possible when the report is completed"


def test_the_feedback_action_follows_the_answer():
    assert lifecycle.feedback_action(True) == "satisfied"
    assert lifecycle.feedback_action(False) == "not_satisfied"
