"""The reporter's side of a report's life, on the real RabbitMQ and SQLite/PostgreSQL:
returned with the missing items, supplemented, commented, feedback, withdrawn, archived."""

from datetime import timedelta

import eventlet
import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.models import reports, timeline
from services.intake.service import Intake
from shared.db import make_engine, utcnow
from tests.factories import drain, emitter, make_report, routed, watch


def start_intake(container_factory, service_config, tmp_path, **overrides):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"), **overrides)
    container = container_factory(Intake, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    return start_intake(container_factory, service_config, tmp_path)


@pytest.fixture
def events(rabbit_config):
    """watch("report_returned") → a queue of intake's events of that type from now on."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        yield lambda event_type: watch(conn, "intake", event_type)


def set_report(container, tracking_id, **values):
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        session.execute(
            update(reports).where(reports.c.tracking_id == tracking_id).values(**values)
        )
    engine.dispose()


def lines_of(container, tracking_id):
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session:
        rows = session.execute(
            select(timeline).where(timeline.c.tracking_id == tracking_id).order_by(timeline.c.id)
        ).all()
    engine.dispose()
    return rows


def incomplete(**overrides):
    report = make_report(event_date=None, location={"region_code": "73"}, **overrides)
    return report


def test_an_incomplete_report_is_returned_with_the_missing_items_in_the_reporters_language(
    intake, events
):
    _, url = intake
    returned, submitted = events("report_returned"), events("report_submitted")
    response = requests.post(f"{url}/reports", json=incomplete(language="en"), timeout=5)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["status"]["code"] == "returned"
    assert [m["item"] for m in answer["missing"]] == ["region", "event_date"]
    assert answer["missing"][1]["message"].startswith("when it happened")
    assert answer["missing"][0]["field"] == "location.region_code"
    assert answer["deadline_at"] and answer["report_key"]

    event = returned.get(timeout=5).payload
    assert event["body"]["missing"] == ["region", "event_date"]
    assert event["body"]["deadline_at"] == answer["deadline_at"]
    assert drain(submitted) == []  # routing hears only of complete reports

    tracked = requests.get(
        f"{url}/reports/{answer['tracking_id']}",
        headers={"X-Report-Key": answer["report_key"]},
        timeout=5,
    ).json()
    assert tracked["status"]["code"] == "returned"
    assert tracked["missing"] == answer["missing"]
    assert tracked["timeline"][0]["text"]["en"].startswith("Report returned for completion")


def test_supplements_are_rechecked_and_a_complete_report_goes_to_routing(intake, events):
    container, url = intake
    submitted = events("report_submitted")
    supplemented = events("report_supplemented")
    filed = requests.post(f"{url}/reports", json=incomplete(), timeout=5).json()
    tracking_id, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}

    first = requests.post(
        f"{url}/reports/{tracking_id}/supplement",
        json={"location": {"region_code": "73.11.01"}, "body_addition": "Di depan SMA 1."},
        headers=key,
        timeout=5,
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"]["code"] == "returned"
    assert [m["item"] for m in first.json()["missing"]] == ["event_date"]
    assert first.json()["deadline_at"] == filed["deadline_at"]  # the clock is not reset
    assert supplemented.get(timeout=5).payload["body"]["complete"] is False

    second = requests.post(
        f"{url}/reports/{tracking_id}/supplement",
        json={"event_date": "2026-11-19"},
        headers=key,
        timeout=5,
    )
    assert second.json()["status"]["code"] == "awaiting_verification"
    assert second.json()["missing"] == []
    event = submitted.get(timeout=5).payload
    assert event["aggregate_id"] == tracking_id
    assert event["body"]["region_code"] == "73.11.01"
    tracked = requests.get(f"{url}/reports/{tracking_id}", headers=key, timeout=5).json()
    assert tracked["body"].endswith("\n\nDi depan SMA 1.")
    assert [line["kind"] for line in tracked["timeline"]] == ["status", "supplement", "supplement"]

    again = requests.post(
        f"{url}/reports/{tracking_id}/supplement",
        json={"title": "Judul baru"},
        headers=key,
        timeout=5,
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("wrong-state")


def test_only_the_reporter_may_act_on_a_report(intake):
    """A returned report is not public: without proof it answers as an unknown id (404, the
    same body); with a wrong key too. Nothing changes."""
    _, url = intake
    filed = requests.post(f"{url}/reports", json=incomplete(), timeout=5).json()
    path = f"{url}/reports/{filed['tracking_id']}/supplement"
    body = {"event_date": "2026-11-19"}
    same = {"X-Correlation-Id": "c-1"}
    unknown = requests.post(
        f"{url}/reports/LPR-0000-0000-0000/supplement", json=body, headers=same, timeout=5
    )
    assert unknown.status_code == 404
    nobody = requests.post(path, json=body, headers=same, timeout=5)
    assert (nobody.status_code, nobody.json()) == (404, unknown.json())
    wrong = requests.post(path, json=body, headers={**same, "X-Report-Key": "guess"}, timeout=5)
    assert (wrong.status_code, wrong.json()) == (404, unknown.json())
    tracked = requests.get(
        f"{url}/reports/{filed['tracking_id']}",
        headers={"X-Report-Key": filed["report_key"]},
        timeout=5,
    ).json()
    assert tracked["status"]["code"] == "returned"


def test_comments_go_on_the_timeline_and_withdrawal_archives(intake, events):
    _, url = intake
    commented, withdrawn = events("report_commented"), events("report_withdrawn")
    filed = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    response = requests.post(
        f"{url}/reports/{tid}/comments",
        json={"text": "Mohon segera ditindak."},
        headers=key,
        timeout=5,
    )
    assert response.status_code == 201
    assert commented.get(timeout=5).payload["body"]["text"] == "Mohon segera ditindak."

    out = requests.post(f"{url}/reports/{tid}/withdraw", json={}, headers=key, timeout=5)
    assert out.json()["status"]["code"] == "archived"
    assert withdrawn.get(timeout=5).payload["body"]["previous_status"] == "awaiting_verification"
    tracked = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
    assert tracked["archived_reason"] == "withdrawn"
    assert tracked["timeline"][1]["note"] == "Mohon segera ditindak."
    for action, body in (("withdraw", {}), ("comments", {"text": "lagi"})):
        late = requests.post(f"{url}/reports/{tid}/{action}", json=body, headers=key, timeout=5)
        assert late.status_code == 409


def test_a_confidential_comment_is_not_in_the_event(intake, events):
    _, url = intake
    commented = events("report_commented")
    filed = requests.post(f"{url}/reports", json=make_report(privacy="rahasia"), timeout=5).json()
    requests.post(
        f"{url}/reports/{filed['tracking_id']}/comments",
        json={"text": "Nama saya Siti, kepala sekolah tahu."},
        headers={"X-Report-Key": filed["report_key"]},
        timeout=5,
    )
    body = commented.get(timeout=5).payload["body"]
    assert body["text"] is None and body["privacy"] == "confidential"


@pytest.fixture
def routing(container_factory, service_config):
    container = container_factory(emitter("routing"), service_config("routing"))
    container.start()
    return container


def from_routing(intake_container, routing, handler, event_type, tracking_id, body):
    with entrypoint_waiter(intake_container, handler):
        with entrypoint_hook(routing, "emit") as emit:
            emit(event_type, tracking_id, body)


def followup(tracking_id, final, **overrides):
    body = {
        "tracking_id": tracking_id,
        "followup_id": 1,
        "agency_code": "PROV-73-DISDIK",
        "agency_name": "Dinas Pendidikan Provinsi Sulawesi Selatan",
        "text": "Kepala sekolah sudah dipanggil dan pungutan dihentikan.",
        "final": final,
        "status": "awaiting_feedback" if final else "in_progress",
        "privacy": "public",
        "posted_at": utcnow(),
    }
    body.update(overrides)
    return body


def test_follow_ups_reach_the_timeline_and_feedback_completes_or_reopens(intake, routing, events):
    container, url = intake
    given = events("feedback_given")
    filed = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()
    tid, key = filed["tracking_id"], {"X-Report-Key": filed["report_key"]}
    early = requests.post(
        f"{url}/reports/{tid}/feedback", json={"satisfied": True}, headers=key, timeout=5
    )
    assert early.status_code == 409  # no final follow-up yet
    from_routing(container, routing, "on_report_routed", "report_routed", tid, routed(tid))
    from_routing(
        container, routing, "on_followup_posted", "followup_posted", tid, followup(tid, False)
    )
    tracked = requests.get(f"{url}/reports/{tid}", timeout=5).json()
    assert tracked["status"]["colour"] == "yellow"
    assert tracked["timeline"][-1]["note"].startswith("Kepala sekolah sudah dipanggil")
    assert tracked["timeline"][-1]["actor"] == "agency"

    for _ in range(2):
        from_routing(
            container, routing, "on_followup_posted", "followup_posted", tid, followup(tid, True)
        )
        assert requests.get(f"{url}/reports/{tid}", timeout=5).json()["status"]["code"] == (
            "awaiting_feedback"
        )
        response = requests.post(
            f"{url}/reports/{tid}/feedback",
            json={"satisfied": False, "note": "Belum ada perubahan"},
            headers=key,
            timeout=5,
        )
        assert response.json()["status"]["code"] == "in_progress"  # where it leads
        said = given.get(timeout=5).payload["body"]
        assert (said["satisfied"], said["agency_code"]) == (False, "PROV-73-DISDIK")
        assert said.get("round") is None  # routing counts the rounds, nobody else
        twice = requests.post(
            f"{url}/reports/{tid}/feedback", json={"satisfied": True}, headers=key, timeout=5
        )
        assert twice.status_code == 409  # one answer per final follow-up
        # intake records what the reporter said; routing decides the status, intake mirrors it
        tracked = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()
        assert tracked["status"]["code"] == "awaiting_feedback"
        assert tracked["timeline"][-1]["note"] == "Belum ada perubahan"
        from_routing(
            container,
            routing,
            "on_report_status_changed",
            "report_status_changed",
            tid,
            status_change(tid, "in_progress", "awaiting_feedback", "not_satisfied"),
        )
        tracked = requests.get(f"{url}/reports/{tid}", timeout=5).json()
        assert tracked["status"]["code"] == "in_progress"

    from_routing(
        container, routing, "on_followup_posted", "followup_posted", tid, followup(tid, True)
    )
    done = requests.post(
        f"{url}/reports/{tid}/feedback", json={"satisfied": True}, headers=key, timeout=5
    )
    assert done.json()["status"]["colour"] == "green"
    assert given.get(timeout=5).payload["body"]["satisfied"] is True
    from_routing(
        container,
        routing,
        "on_report_status_changed",
        "report_status_changed",
        tid,
        status_change(tid, "completed", "awaiting_feedback", "satisfied"),
    )
    assert requests.get(f"{url}/reports/{tid}", timeout=5).json()["status"]["code"] == "completed"


def status_change(tid, status, previous, reason):
    return {
        "tracking_id": tid,
        "status": status,
        "previous_status": previous,
        "reason": reason,
        "privacy": "public",
        "changed_at": utcnow(),
    }


def test_routing_completes_a_silent_report_and_a_stale_change_is_ignored(intake, routing):
    container, url = intake
    tid = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()["tracking_id"]
    from_routing(container, routing, "on_report_routed", "report_routed", tid, routed(tid))
    from_routing(
        container, routing, "on_followup_posted", "followup_posted", tid, followup(tid, True)
    )
    change = {
        "tracking_id": tid,
        "status": "completed",
        "previous_status": "awaiting_feedback",
        "reason": "feedback_timeout",
        "privacy": "public",
        "changed_at": utcnow(),
    }
    from_routing(
        container, routing, "on_report_status_changed", "report_status_changed", tid, change
    )
    stale = {**change, "status": "in_progress", "reason": "not_satisfied"}
    from_routing(
        container, routing, "on_report_status_changed", "report_status_changed", tid, stale
    )
    tracked = requests.get(f"{url}/reports/{tid}", timeout=5).json()
    assert tracked["status"]["code"] == "completed"
    assert tracked["timeline"][-1]["text"]["en"].startswith("Completed: the reporter gave no")


def test_a_redispatch_moves_the_report_to_the_new_agency(intake, routing):
    container, url = intake
    tid = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()["tracking_id"]
    from_routing(container, routing, "on_report_routed", "report_routed", tid, routed(tid))
    again = routed(tid, agency_code="KAB-73-11-DISDIK", agency_name="Dinas Pendidikan Barru")
    from_routing(container, routing, "on_report_routed", "report_routed", tid, again)
    from_routing(container, routing, "on_report_routed", "report_routed", tid, again)
    tracked = requests.get(f"{url}/reports/{tid}", timeout=5).json()
    assert tracked["agency"]["code"] == "KAB-73-11-DISDIK"
    assert [line["status"] for line in tracked["timeline"]] == [
        "awaiting_verification",
        "dispatched",
        "dispatched",
    ]


def test_returned_reports_past_their_deadline_are_archived_once(intake, events):
    container, url = intake
    archived = events("report_archived")
    filed = [requests.post(f"{url}/reports", json=incomplete(), timeout=5).json() for _ in "ab"]
    (late, fresh) = (answer["tracking_id"] for answer in filed)
    keys = {answer["tracking_id"]: {"X-Report-Key": answer["report_key"]} for answer in filed}
    set_report(container, late, deadline_at=utcnow() - timedelta(minutes=1))

    with entrypoint_hook(container, "archive_overdue") as sweep:
        assert sweep() == 1
        assert sweep() == 0
    event = archived.get(timeout=5).payload
    assert (event["aggregate_id"], event["body"]["reason"]) == (late, "incomplete")
    statuses = {
        tid: requests.get(f"{url}/reports/{tid}", headers=keys[tid], timeout=5).json()["status"][
            "code"
        ]
        for tid in (late, fresh)
    }
    assert statuses == {late: "archived", fresh: "returned"}
    assert drain(archived) == []


def test_two_copies_sweeping_one_database_archive_each_report_once(
    pg_database, container_factory, service_config, tmp_path, events
):
    database = pg_database()
    one, url = start_intake(container_factory, service_config, tmp_path, DATABASE_URL=database)
    two, _ = start_intake(container_factory, service_config, tmp_path, DATABASE_URL=database)
    archived = events("report_archived")
    due = [
        requests.post(f"{url}/reports", json=incomplete(), timeout=5).json()["tracking_id"]
        for _ in range(6)
    ]
    for tid in due:
        set_report(one, tid, deadline_at=utcnow() - timedelta(minutes=1))

    results = []
    with (
        entrypoint_hook(one, "archive_overdue") as sweep_one,
        entrypoint_hook(two, "archive_overdue") as sweep_two,
    ):
        pool = eventlet.GreenPool()
        for sweep in (sweep_one, sweep_two, sweep_one, sweep_two):
            pool.spawn(lambda s=sweep: results.append(s()))
        pool.waitall()
    assert len(results) == 4  # every sweep finished; what each archived is counted below
    got = sorted(archived.get(timeout=5).payload["aggregate_id"] for _ in due)
    assert got == sorted(due) and drain(archived) == []
    for tid in due:
        assert [line.status for line in lines_of(one, tid)] == ["returned", "archived"]


def test_a_routed_report_is_dispatched_and_tells_its_agency(
    intake, container_factory, service_config
):
    container, url = intake
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    tid = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()["tracking_id"]
    with entrypoint_waiter(container, "on_report_routed"):
        with entrypoint_hook(routing, "emit") as emit:
            emit("report_routed", tid, routed(tid))
    tracked = requests.get(f"{url}/reports/{tid}", timeout=5).json()
    assert tracked["status"]["code"] == "dispatched" and tracked["status"]["colour"] == "red"
    assert tracked["agency"]["code"] == "PROV-73-DISDIK"
