"""Intake answers routing's desk and follows the dispositions routing reports (real RabbitMQ,
real SQLite): the report as each kind of staff may see it, an audit line whenever a coordinator
sees a confidential reporter's identity, and the timeline of declines, the manual queue,
escalations and re-dispatches."""

from datetime import UTC, datetime

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import identity_reads
from services.intake.service import Intake
from shared.auth import TokenSigner
from shared.db import make_engine
from shared.staff_changes import StaffChangeFeed
from shared.staff_keys import load_private_key_file
from tests.factories import emitter, make_report, routed

STAFF = {
    "staff_id": "12",
    "username": "kominfo.barru",
    "role": "coordinator_admin",
    "agency_code": "KAB-73-11-DISKOMINFO",
}
LIAISON = {**STAFF, "staff_id": "31", "username": "disdik.barru", "role": "liaison"}
LIAISON["agency_code"] = "KAB-73-11-DISDIK"


@pytest.fixture
def sign(staff_keys):
    """sign(STAFF) → a staff token as the registry issues it (the session's key pair)."""
    signer = TokenSigner(load_private_key_file(staff_keys[0]))

    def make(staff: dict, signer=signer) -> str:
        return signer.issue(
            staff["staff_id"], staff["username"], staff["role"], staff["agency_code"], "73.11"
        )[0]

    return make


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
    return file_with_key(url, **overrides)[0]


def file_with_key(url, **overrides) -> tuple[str, dict]:
    """(tracking id, the X-Report-Key header that proves the reporter)."""
    response = requests.post(f"{url}/reports", json=make_report(**overrides), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"], {"X-Report-Key": response.json()["report_key"]}


def test_staff_see_the_report_as_spec_3_allows_and_coordinators_are_audited(intake, sign):
    """The viewer comes from the verified token, never from the caller."""
    container, url = intake
    public = file(url, privacy="public")
    secret = file(url, privacy="confidential")
    with entrypoint_hook(container, "report_for_staff") as read:
        agency_view = read(secret, "KAB-73-11-DISDIK", sign(LIAISON))
        coordinator_view = read(secret, "KAB-73-11-DISKOMINFO", sign(STAFF))
        public_view = read(public, "KAB-73-11-DISDIK", sign(LIAISON))
        assert read("LPR-0000-0000-0000", "X", sign(STAFF)) is None
    assert agency_view["body"] and "Andi" not in str(agency_view)  # content, never identity
    assert "+6281234567890" not in str(agency_view)
    assert "Andi" in str(coordinator_view)  # a coordinator may see it …
    assert "Andi" in str(public_view)  # … and the agency sees a public reporter's name
    with Session(make_engine(container.config["DATABASE_URL"])) as session:
        reads = session.execute(select(identity_reads)).all()
    assert [(r.tracking_id, r.username, r.role, r.staff_id) for r in reads] == [
        (secret, "kominfo.barru", "coordinator_admin", "12")
    ]  # … logged, with who the token says it is


def test_a_caller_cannot_claim_to_be_a_coordinator(intake, sign, tmp_path):
    """The attack on the old call: anyone on the bus said viewer="coordinator" and a made-up
    staff dict, and got a confidential reporter's identity. Now only a token the registry
    signed is believed: forged, foreign-key, expired or missing tokens get nothing, and a
    liaison's token never reads identity, whatever else is sent."""
    container, url = intake
    secret = file(url, privacy="confidential")
    forger = TokenSigner(Ed25519PrivateKey.generate())
    expired = TokenSigner(load_private_key_file_for(container), ttl=-3600)
    with entrypoint_hook(container, "report_for_staff") as read:
        for token in (
            "",
            None,
            "coordinator",
            sign(STAFF, signer=forger),
            sign(STAFF, signer=expired),
        ):
            assert read(secret, "KAB-73-11-DISKOMINFO", token) is None
        with pytest.raises(TypeError):  # the old shape of the call is gone
            read(secret, "KAB-73-11-DISKOMINFO", "coordinator", STAFF)
        liaison = read(secret, "KAB-73-11-DISKOMINFO", sign(LIAISON))
    assert liaison["body"] and "Andi" not in str(liaison) and "reporter_name" not in liaison
    with Session(make_engine(container.config["DATABASE_URL"])) as session:
        assert session.execute(select(identity_reads)).all() == []


def load_private_key_file_for(container):
    """The registry's private key behind the public key this intake verifies with."""
    public = container.config["STAFF_TOKEN_PUBLIC_KEY_FILE"]
    return load_private_key_file(public.replace(".pub", ".key"))


def test_declines_the_manual_queue_escalations_and_redispatch_reach_the_timeline(intake, routing):
    container, url = intake
    tracking_id, key = file_with_key(url)
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
    report = requests.get(f"{url}/reports/{tracking_id}", headers=key, timeout=5).json()
    assert report["status"]["code"] == "awaiting_verification"
    texts = [line["text"]["en"] for line in report["timeline"]]
    assert any("declined, not its authority: SMA swasta" in text for text in texts)
    assert any("Report dispatched to Disdik Barru." == text for text in texts)
    assert any("waits for Diskominfo Barru" in text for text in texts)
    assert texts[-1] == "Report escalated to PROV-73-DISKOMINFO."


def test_a_token_older_than_its_accounts_change_reads_nothing(intake, sign):
    """A liaison moved or deactivated since the token was issued (the registry's staff_changed,
    as every verifier learns it) reads nothing through routing's desk either."""
    container, url = intake
    tid = file(url, privacy="anonymous")
    [feed] = [ext for ext in container.extensions if isinstance(ext, StaffChangeFeed)]
    with entrypoint_hook(container, "report_for_staff") as read:
        assert read(tid, "KAB-73-11-DISDIK", sign(LIAISON))["body"]
        feed.learn(LIAISON["staff_id"], 1)
        assert read(tid, "KAB-73-11-DISDIK", sign(LIAISON)) is None  # issued at version 0
