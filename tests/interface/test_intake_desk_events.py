"""Intake answers routing's desk and follows the dispositions routing reports (real RabbitMQ,
real SQLite): the report as each kind of staff may see it, an audit line whenever a coordinator
sees a confidential reporter's identity, and the timeline of declines, the manual queue,
escalations and re-dispatches."""

from datetime import UTC, datetime

import pytest
import requests
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import identity_reads
from services.intake.service import Intake
from shared.db import make_engine
from tests.factories import emitter, make_report, routed

STAFF = {
    "staff_id": "12",
    "username": "kominfo.barru",
    "role": "coordinator_admin",
    "agency_code": "KAB-73-11-DISKOMINFO",
}


@pytest.fixture
def intake(container_factory, service_config):
    config = service_config("intake", HTTP_RATE_LIMIT="0/60")
    container = container_factory(Intake, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def routing(container_factory, service_config):
    container = container_factory(emitter("routing"), service_config("routing"))
    container.start()
    return container


def file(url, **overrides) -> str:
    response = requests.post(f"{url}/reports", json=make_report(**overrides), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"]


def test_staff_see_the_report_as_spec_3_allows_and_coordinators_are_audited(intake):
    container, url = intake
    public = file(url, privacy="public")
    secret = file(url, privacy="confidential")
    with entrypoint_hook(container, "report_for_staff") as read:
        agency_view = read(secret, "KAB-73-11-DISDIK", "agency", {**STAFF, "role": "liaison"})
        coordinator_view = read(secret, "KAB-73-11-DISKOMINFO", "coordinator", STAFF)
        public_view = read(public, "KAB-73-11-DISDIK", "agency", {**STAFF, "role": "liaison"})
        assert read("LPR-0000-0000-0000", "X", "agency", STAFF) is None
        assert read(secret, "X", "public", STAFF) is None
    assert agency_view["body"] and "Andi" not in str(agency_view)  # content, never identity
    assert "+6281234567890" not in str(agency_view)
    assert "Andi" in str(coordinator_view)  # a coordinator may see it …
    assert "Andi" in str(public_view)  # … and the agency sees a public reporter's name
    with Session(make_engine(container.config["DATABASE_URL"])) as session:
        reads = session.execute(select(identity_reads)).all()
    assert [(r.tracking_id, r.username) for r in reads] == [(secret, "kominfo.barru")]  # … logged


def test_declines_the_manual_queue_escalations_and_redispatch_reach_the_timeline(intake, routing):
    container, url = intake
    tracking_id = file(url)
    now = datetime.now(UTC)

    def emit(handler, event_type, body):
        with entrypoint_waiter(container, handler):
            with entrypoint_hook(routing, "emit") as publish:
                publish(event_type, tracking_id, {"tracking_id": tracking_id, **body})

    emit("on_report_routed", "report_routed", routed(tracking_id))
    emit(
        "on_followup_posted",
        "followup_posted",
        {
            "followup_id": 1,
            "agency_code": "PROV-73-DISDIK",
            "agency_name": "Disdik Sulsel",
            "text": "Sedang diperiksa.",
            "final": False,
            "status": "in_progress",
            "privacy": "public",
            "posted_at": now,
        },
    )
    emit(
        "on_disposition_declined",
        "disposition_declined",
        {
            "agency_code": "PROV-73-DISDIK",
            "agency_name": "Disdik Sulsel",
            "reason": "SMA swasta",
            "declines": 1,
            "privacy": "public",
            "declined_at": now,
        },
    )
    emit(
        "on_report_routed",
        "report_routed",
        {
            **routed(tracking_id, agency_code="KAB-73-11-DISDIK", agency_name="Disdik Barru"),
            "kind": "redispatched",
            "previous_agency_code": "PROV-73-DISDIK",
        },
    )
    report = requests.get(f"{url}/reports/{tracking_id}", timeout=5).json()
    assert report["status"]["code"] == "dispatched"
    assert report["agency"]["code"] == "KAB-73-11-DISDIK"

    emit(
        "on_manual_dispatch_queued",
        "manual_dispatch_queued",
        {
            "coordinator_code": "KAB-73-11-DISKOMINFO",
            "coordinator_name": "Diskominfo Barru",
            "reason": "three_declines",
            "category_id": "pendidikan.sma",
            "region_code": "73.11",
            "privacy": "public",
            "queued_at": now,
        },
    )
    emit(
        "on_report_escalated",
        "report_escalated",
        {
            "agency_code": "KAB-73-11-DISKOMINFO",
            "escalated_to": ["PROV-73-DISKOMINFO"],
            "reason": "verification_breached",
            "privacy": "public",
            "escalated_at": now,
        },
    )
    report = requests.get(f"{url}/reports/{tracking_id}", timeout=5).json()
    assert report["status"]["code"] == "awaiting_verification"
    texts = [line["text"]["en"] for line in report["timeline"]]
    assert any("declined, not its authority: SMA swasta" in text for text in texts)
    assert any("Report dispatched to Disdik Barru." == text for text in texts)
    assert any("waits for Diskominfo Barru" in text for text in texts)
    assert texts[-1] == "Report escalated to PROV-73-DISKOMINFO."
