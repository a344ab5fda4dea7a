"""Synthetic report histories: the events one report's life produces, from a plan.

For the benchmark (bench/reporting.py, random plans by the million) and the tests (plans whose
figures are worked out by hand). Bodies follow shared.contracts; times are UTC datetimes.
Routing's events carry where the holder sits as routing would place it: by default from the
national template's tree (shared.agencies.place_on over its kinds; an agency the template does
not hold is a national one), or as the plan says. Nothing here runs in the service.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from shared.agencies import NOWHERE, Place, place_on

# how often each channel is used (every channel of shared.contracts.values)
CHANNEL_WEIGHTS = {
    "web": 40,
    "mobile": 30,
    "sms": 12,
    "twitter": 8,
    "open311": 4,
    "email": 4,
    "walk_in": 2,
}

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    tracking_id: str
    agency_code: str
    start: datetime  # when the report first reached satupintu
    agency_name: str = "Dinas"
    region_code: str = "73.11"
    classification: str = "complaint"
    category_id: str = "pendidikan.sma"
    privacy: str = "public"
    channel: str = "web"
    returned_for: timedelta | None = None  # returned first, completed after this long
    abandoned: bool = False  # returned and never completed: archived as incomplete
    verified_after: timedelta = timedelta(minutes=2)  # submission → first dispatch
    declined_by: str | None = None  # an agency that held it first and declined it
    declined_after: timedelta = DAY
    first_followup_after: timedelta | None = None  # from the dispatch to the agency
    first_followup_due: timedelta = 7 * DAY
    breached: bool = False  # routing reports the first follow-up clock breached
    final_after: timedelta | None = None
    resolution_due: timedelta = 20 * DAY
    feedback: str | None = None  # "satisfied" | "unsatisfied" | "silent"
    feedback_after: timedelta = 2 * DAY
    withdrawn_after: timedelta | None = None
    place: Place | None = None  # where agency_code sits; None: where the template has it
    declined_place: Place | None = None  # where declined_by sits; None: as the template has it


@cache
def _template() -> tuple[dict[str, str], dict[str, str | None]]:
    from services.agency_registry.template import build_template
    from shared.regions import load_regions

    specs = build_template(load_regions(with_villages=False))
    return {s.code: s.kind for s in specs}, {s.code: s.parent_code for s in specs}


def template_place(code: str) -> Place:
    """Where the national template places ``code`` (NOWHERE if it does not hold it)."""
    kinds, parents = _template()
    if code not in kinds:
        return NOWHERE
    path, node = [], code
    while node is not None:
        path.append(node)
        node = parents.get(node)
    return place_on(reversed(path), kinds.get)


def events(plan: Plan) -> list[tuple[str, dict]]:
    """[(event_type, body)] in the order they happened."""
    tid, out = plan.tracking_id, []
    common = {"tracking_id": tid, "privacy": plan.privacy}
    described = {
        **common,
        "classification": plan.classification,
        "category_id": plan.category_id,
        "region_code": plan.region_code,
        "channel": plan.channel,
    }
    submitted_at = plan.start
    if plan.returned_for is not None or plan.abandoned:
        out.append(
            (
                "report_returned",
                {
                    **described,
                    "missing": ["region"],
                    "deadline_at": plan.start + 14 * DAY,
                    "returned_at": plan.start,
                },
            )
        )
        if plan.abandoned:
            archived = {"tracking_id": tid, "reason": "incomplete", "previous_status": "returned"}
            out.append(("report_archived", {**archived, "archived_at": plan.start + 14 * DAY}))
            return out
        submitted_at = plan.start + plan.returned_for
    out.append(("report_submitted", {**described, "submitted_at": submitted_at}))
    routed_at = submitted_at + plan.verified_after
    route = {
        **common,
        "category_id": plan.category_id,
        "region_code": plan.region_code,
        "channel": plan.channel,
        "rule": "most_local",
    }
    if plan.declined_by:
        first = _routed(route, plan.declined_by, routed_at, plan, place=plan.declined_place)
        out.append(("report_routed", first))
        routed_at += plan.declined_after
        declined = {**common, "agency_code": plan.declined_by, "agency_name": plan.declined_by}
        declined.update(reason="Bukan kewenangan kami", declines=1, declined_at=routed_at)
        out.append(("disposition_declined", declined))
        redispatch = _routed(route, plan.agency_code, routed_at, plan, plan.agency_name, plan.place)
        redispatch.update(kind="redispatched", previous_agency_code=plan.declined_by)
        out.append(("report_routed", redispatch))
    else:
        out.append(
            (
                "report_routed",
                _routed(route, plan.agency_code, routed_at, plan, plan.agency_name, plan.place),
            )
        )
    at_agency = {**common, "agency_code": plan.agency_code, "agency_name": plan.agency_name}
    if plan.withdrawn_after is not None:
        withdrawn_at = routed_at + plan.withdrawn_after
        body = {"tracking_id": tid, "previous_status": "dispatched", "withdrawn_at": withdrawn_at}
        out.append(("report_withdrawn", {**body, "agency_code": plan.agency_code}))
        return out
    due = routed_at + plan.first_followup_due
    if plan.breached:
        breach = {**common, "clock": "first_followup", "agency_code": plan.agency_code}
        breach.update(due_at=due, breached_at=due, action="marked_overdue")
        out.append(("deadline_breached", breach))
    followups = []
    if plan.first_followup_after is not None:
        followups.append((plan.first_followup_after, False))
    if plan.final_after is not None:
        if plan.first_followup_after is None or plan.final_after <= plan.first_followup_after:
            followups = []
        followups.append((plan.final_after, True))
    for number, (after, final) in enumerate(followups, start=1):
        posted = {
            **at_agency,
            "followup_id": number,
            "text": "Sedang kami tangani.",
            "final": final,
        }
        posted.update(
            status="awaiting_feedback" if final else "in_progress", posted_at=routed_at + after
        )
        out.append(("followup_posted", posted))
    if plan.final_after is None or plan.feedback is None:
        return out
    given_at = routed_at + plan.final_after + plan.feedback_after
    if plan.feedback == "silent":
        given_at = routed_at + plan.final_after + 14 * DAY
        out.append(("report_status_changed", _completed(common, at_agency, given_at, "timeout")))
        return out
    satisfied = plan.feedback == "satisfied"
    given = {"tracking_id": tid, "satisfied": satisfied}
    out.append(("feedback_given", {**given, "agency_code": plan.agency_code, "given_at": given_at}))
    # routing decides what the feedback does to the status and says so
    why = "satisfied" if satisfied else "not_satisfied"
    out.append(("report_status_changed", _completed(common, at_agency, given_at, why)))
    return out


def _routed(
    route: dict,
    agency: str,
    at: datetime,
    plan: Plan,
    name: str | None = None,
    place: Place | None = None,
) -> dict:
    place = place or template_place(agency)
    return {
        **route,
        "agency_code": agency,
        "agency_name": name or agency,
        "agency_government_code": place.government,
        "agency_province_code": place.province,
        "routed_at": at,
        "first_followup_due_at": at + plan.first_followup_due,
        "resolution_due_at": at + plan.resolution_due,
    }


def _completed(common: dict, at_agency: dict, at: datetime, why: str) -> dict:
    return {
        **common,
        "status": "in_progress" if why == "not_satisfied" else "completed",
        "previous_status": "awaiting_feedback",
        "agency_code": at_agency["agency_code"],
        "reason": "feedback_timeout" if why == "timeout" else why,
        "changed_at": at,
    }


def random_plan(
    rng: random.Random, tracking_id: str, agency: tuple[str, str, str], start: datetime
) -> Plan:
    """A plausible life for one report at ``agency`` = (code, name, region code)."""
    code, name, region = agency
    roll = rng.random
    privacy = "confidential" if roll() < 0.08 else "anonymous" if roll() < 0.13 else "public"
    channel = rng.choices(tuple(CHANNEL_WEIGHTS), tuple(CHANNEL_WEIGHTS.values()))[0]
    classification = rng.choices(("complaint", "aspiration", "information_request"), (7, 2, 1))[0]
    returned_for = abandoned = None
    if roll() < 0.1:
        abandoned = roll() < 0.3
        returned_for = None if abandoned else timedelta(hours=rng.uniform(1, 200))
    review = roll() < 0.3
    verified = (
        timedelta(hours=rng.uniform(1, 90)) if review else timedelta(seconds=rng.uniform(1, 60))
    )
    answered = roll() < 0.85
    first = timedelta(hours=rng.lognormvariate(3.3, 1.0)) if answered else None
    final = (
        first + timedelta(hours=rng.lognormvariate(4.5, 0.8)) if answered and roll() < 0.8 else None
    )
    feedback = rng.choices(("satisfied", "unsatisfied", "silent"), (4, 1, 5))[0] if final else None
    late = first is None or first > 7 * DAY
    return Plan(
        tracking_id=tracking_id,
        agency_code=code,
        agency_name=name,
        start=start,
        region_code=region,
        classification=classification,
        privacy=privacy,
        channel=channel,
        returned_for=returned_for,
        abandoned=bool(abandoned),
        verified_after=verified,
        declined_by=f"{code}-UPT" if roll() < 0.05 else None,
        declined_place=template_place(code),  # a unit of the office: where the office sits
        first_followup_after=first,
        breached=late and roll() < 0.9,
        final_after=final,
        feedback=feedback,
        withdrawn_after=timedelta(days=1) if roll() < 0.01 else None,
    )


def ranking_example(start: datetime) -> list[Plan]:
    """The worked example of docs/reporting.md: reports at five governments of Sulawesi Selatan
    and at the province's own education office, hours to the first follow-up as listed (the
    deadline is 168 hours; "late" ones have routing's breach)."""
    plans = []

    def add(agency: str, region: str, hours: list[float | None], breached=(), open_=0):
        for i, after in enumerate(hours):
            plans.append(
                Plan(
                    tracking_id=f"LPR-{agency}-{i}",
                    agency_code=agency,
                    agency_name=agency,
                    region_code=region,
                    start=start + i * HOUR,
                    first_followup_after=None if after is None else after * HOUR,
                    breached=i in breached,
                )
            )
        for i in range(open_):
            plans.append(
                Plan(
                    tracking_id=f"LPR-{agency}-open-{i}",
                    agency_code=agency,
                    agency_name=agency,
                    region_code=region,
                    start=start + i * HOUR,
                )
            )

    add("KAB-73-11-DISDIK", "73.11", [2, 4, 6, 30, 50, None], breached={5})  # Barru
    add("KAB-73-08-DINKES", "73.08", [10, 20, 30, 40, 50, 200], breached={5})  # Bone
    add("KAB-73-71-DPUPR", "73.71", [24] * 9 + [240], breached={9}, open_=2)  # Makassar
    add("KAB-73-06-DISDIK", "73.06", [12, 12, 12, 12, None], breached={4})  # Gowa
    add("KAB-73-72-DISDIK", "73.72", [1, 1, 1])  # Parepare: too few to rank
    add("PROV-73-DISDIK", "73", [1] * 5)  # the province's own office: not ranked with them
    return plans
