"""Intake mirrors the coordinators' verdicts at routing's desk (real RabbitMQ, real SQLite, a
stand-in routing publishing them): a duplicate's timeline names its original, a postponed
report waits for the reporter with the coordinator's note and the completion clock, a
correction changes intake's copy once."""

from datetime import UTC, datetime, timedelta
from queue import Empty

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.intake.models import reports
from services.intake.service import Intake
from shared.db import make_engine
from tests.factories import emitter, make_report, routed, watch


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


def desk_event(container, routing, handler, event_type, tracking_id, body):
    with entrypoint_waiter(container, handler):
        with entrypoint_hook(routing, "emit") as publish:
            publish(event_type, tracking_id, {"tracking_id": tracking_id, **body})


def test_a_duplicate_points_its_reporter_to_the_original(intake, routing, rabbit_config):
    container, url = intake
    original, (tid, key) = file(url), file_with_key(url)
    desk_event(container, routing, "on_report_routed", "report_routed", tid, routed(tid))
    archived = {
        "reason": "duplicate",
        "duplicate_of": original,
        "note": "Sudah dilaporkan",
        "previous_status": "dispatched",
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "privacy": "public",
        "archived_at": datetime.now(UTC),
    }
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        told = watch(conn, "intake", "report_archived")
        desk_event(container, routing, "on_disposition_archived", "disposition_archived", tid,
                   archived)  # fmt: skip
        desk_event(
            container, routing, "on_disposition_archived", "disposition_archived", tid, archived
        )  # fmt: skip — a repeat changes nothing
        first = told.get(timeout=5).payload["body"]
        with pytest.raises(Empty):
            told.get(timeout=1)
    assert (first["reason"], first["duplicate_of"]) == ("duplicate", original)
    report = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
    assert report["status"]["code"] == "archived"
    last = report["timeline"][-1]
    assert last["text"]["en"] == (
        f"This report repeats report {original} and was archived; "
        f"follow report {original} for what happens next."
    )
    assert [line["text"]["en"] for line in report["timeline"]].count(last["text"]["en"]) == 1


def test_a_postponed_report_waits_for_the_reporter_with_the_note(intake, routing, rabbit_config):
    container, url = intake
    filed = requests.post(f"{url}/reports", json=make_report(), timeout=10).json()
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    note = "Sebutkan nama sekolah dan kelas anak Anda."
    postponed = {
        "note": note,
        "previous_status": "awaiting_verification",
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "privacy": "public",
        "postponed_at": datetime.now(UTC),
    }
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        returned_q = watch(conn, "intake", "report_returned")
        submitted_q = watch(conn, "intake", "report_submitted")
        desk_event(container, routing, "on_disposition_postponed", "disposition_postponed", tid,
                   postponed)  # fmt: skip
        returned = returned_q.get(timeout=5).payload["body"]
        assert (returned["missing"], returned["note"]) == (["coordinator_note"], note)
        deadline = datetime.fromisoformat(returned["deadline_at"])
        # 10 working days: at least two weeks of the calendar, at most three (holidays)
        assert 13 <= (deadline - datetime.now(UTC)).days <= 21
        report = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
        assert report["status"]["code"] == "returned"
        assert [m["item"] for m in report["missing"]] == ["coordinator_note"]
        assert report["timeline"][-1]["note"] == note
        assert report["timeline"][-1]["text"]["en"] == (
            "The coordinator returned the report for completion."
        )
        supplement = {"body_addition": "SMA Negeri 1 Barru, kelas X."}
        answer = requests.post(
            f"{url}/reports/{tid}/supplement", json=supplement, headers=key, timeout=5
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"]["code"] == "awaiting_verification"
        again = submitted_q.get(timeout=5).payload["body"]
        assert again["tracking_id"] == tid


def test_a_correction_changes_intakes_copy_once(intake, routing):
    container, url = intake
    filed = requests.post(f"{url}/reports", json=make_report(), timeout=10).json()
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    corrected = {
        "before": {"privacy": "public", "category_id": "pendidikan.sma"},
        "after": {"privacy": "confidential", "category_id": "pendidikan.smk"},
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "status": "awaiting_verification",
        "privacy": "confidential",
        "corrected_at": datetime.now(UTC),
    }
    for _ in range(2):  # a repeat finds nothing left to change
        desk_event(container, routing, "on_disposition_corrected", "disposition_corrected", tid,
                   corrected)  # fmt: skip
    report = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
    assert (report["privacy"], report["category_id"]) == ("confidential", "pendidikan.smk")
    lines = [line["text"]["en"] for line in report["timeline"]]
    assert lines.count("Staff corrected the report's privacy, category.") == 1


def test_a_postponed_report_left_incomplete_is_archived_by_the_sweep(intake, routing):
    container, url = intake
    tid, key = file_with_key(url)
    postponed = {
        "note": "Lampirkan foto kuitansi.",
        "previous_status": "awaiting_verification",
        "by_agency_code": "KAB-73-11-DISKOMINFO",
        "privacy": "public",
        "postponed_at": datetime.now(UTC),
    }
    desk_event(container, routing, "on_disposition_postponed", "disposition_postponed", tid,
               postponed)  # fmt: skip
    with entrypoint_hook(container, "archive_overdue") as sweep:
        assert sweep() == 0  # ten working days are not over
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        session.execute(
            update(reports)
            .where(reports.c.tracking_id == tid)
            .values(deadline_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    engine.dispose()
    with entrypoint_hook(container, "archive_overdue") as sweep:
        assert sweep() == 1
    report = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
    assert report["status"]["code"] == "archived"
