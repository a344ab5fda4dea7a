"""The rows reporting stores for a folded report (services.reporting.facts), with the
indicators they give: the day it counts on, who holds it and where, its durations, its clocks.
Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.reporting.facts import Report
from shared import lifecycle
from shared.regions import PROVINCE_TIMEZONES, WIB, WIT, WITA

# the local time of the report's province, for the day it counts on (Indonesia keeps no DST,
# so a fixed offset per zone is exact and much cheaper than zoneinfo a million times over)
_OFFSETS = {WIB: timedelta(hours=7), WITA: timedelta(hours=8), WIT: timedelta(hours=9)}
_PROVINCE_OFFSETS = {code: _OFFSETS[zone] for code, zone in PROVINCE_TIMEZONES.items()}


def local_day(moment: datetime, region_code: str | None) -> date:
    """The calendar day of ``moment`` in the report's province (WIB, WITA or WIT; WIB for the
    nation or an unknown province)."""
    offset = _PROVINCE_OFFSETS.get((region_code or "")[:2], _OFFSETS[WIB])
    return (moment + offset).date()


@dataclass(frozen=True)
class ReportRow:
    """One report as the figures count it (what the ``reports`` table holds)."""

    tracking_id: str
    day: date
    status: str | None
    classification: str | None
    category_id: str | None
    region_code: str | None
    privacy: str | None
    channel: str | None
    agency_code: str | None
    agency_name: str | None
    government_code: str | None
    province_code: str | None
    submitted_at: datetime | None
    first_routed_at: datetime | None
    completed_at: datetime | None
    verification_seconds: int | None
    first_followup_seconds: int | None
    completion_seconds: int | None
    first_followup_settled: bool
    first_followup_on_time: bool
    resolution_settled: bool
    resolution_on_time: bool
    overdue_verification: bool
    overdue_first_followup: bool
    overdue_resolution: bool
    final: bool
    reopened: bool
    feedback: bool
    satisfied: bool
    completed_silent: bool
    visited: int  # bit mask of the statuses the report has been in (metrics count each once)


@dataclass(frozen=True)
class DispatchRow:
    """One hop of a report (the ``dispatches`` table): who received it, and declined it or not."""

    tracking_id: str
    hop: int
    agency_code: str
    government_code: str | None
    province_code: str | None
    day: date
    manual: bool
    declined: bool


_STATUS_BITS = {name: 1 << status.rank for name, status in lifecycle.STATUSES.items()}


def status_bits(statuses) -> int:
    bits = 0
    for status in statuses:
        bits |= _STATUS_BITS[status]
    return bits


def statuses_of(bits: int) -> list[str]:
    return [name for name, bit in _STATUS_BITS.items() if bits & bit]


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def _on_time(done: datetime | None, due: datetime | None, breached: bool) -> bool:
    if done is None:
        return False
    return done <= due if due is not None else not breached


def rows_of(report: Report, place_of) -> tuple[ReportRow, list[DispatchRow]]:
    """The stored rows of a folded report; ``place_of(agency_code, carried)`` → places.Place,
    ``carried`` the place the event that made the agency the holder carries (None if it
    carries none)."""
    holder = report.holder
    agency = holder.agency_code if holder else report.coordinator_code
    carried = holder.place if holder else report.coordinator_place
    place = place_of(agency, carried) if agency else None
    day = local_day(report.first_at, report.region_code)
    answered = holder is not None and not holder.manual
    first_followup_at = holder.first_followup_at if answered else None
    final_at = holder.first_final_at if answered else None
    ff_breached = answered and holder.first_followup_breached
    res_breached = answered and holder.resolution_breached
    status = report.status
    row = ReportRow(
        tracking_id=report.tracking_id,
        day=day,
        status=status,
        classification=report.classification,
        category_id=report.category_id,
        region_code=report.region_code,
        privacy=report.privacy,
        channel=report.channel,
        agency_code=agency,
        agency_name=holder.agency_name if holder else None,
        government_code=place.government if place else None,
        province_code=place.province if place else None,
        submitted_at=report.submitted_at,
        first_routed_at=report.first_routed_at,
        completed_at=report.completed_at if status == "completed" else None,
        verification_seconds=_seconds(report.submitted_at, report.first_routed_at),
        first_followup_seconds=_seconds(holder.routed_at, first_followup_at) if answered else None,
        completion_seconds=(
            _seconds(report.submitted_at or report.first_at, report.completed_at)
            if status == "completed"
            else None
        ),
        first_followup_settled=first_followup_at is not None or ff_breached,
        first_followup_on_time=answered
        and _on_time(first_followup_at, holder.first_followup_due_at, ff_breached),
        resolution_settled=final_at is not None or res_breached,
        resolution_on_time=answered and _on_time(final_at, holder.resolution_due_at, res_breached),
        overdue_verification=report.verification_breached and status == "awaiting_verification",
        overdue_first_followup=ff_breached and first_followup_at is None and status == "dispatched",
        overdue_resolution=res_breached and status in ("dispatched", "in_progress"),
        final=report.final,
        reopened=report.reopened,
        feedback=report.feedback,
        satisfied=report.satisfied,
        completed_silent=report.completed_silent and status == "completed",
        visited=status_bits(report.visited),
    )
    dispatches = []
    for index, hop in enumerate(report.hops):
        hop_place = place_of(hop.agency_code, hop.place)
        dispatches.append(
            DispatchRow(
                tracking_id=report.tracking_id,
                hop=index,
                agency_code=hop.agency_code,
                government_code=hop_place.government,
                province_code=hop_place.province,
                day=day,
                manual=hop.manual,
                declined=hop.declined_at is not None,
            )
        )
    return row, dispatches
