"""Reporting on the real RabbitMQ and SQLite: events from intake, routing and the agency
registry reach its handlers (through real outboxes), in any order and more than once, and the
figures, /stats and the Prometheus counters say what happened."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.reporting import synthetic
from services.reporting.models import journal
from services.reporting.service import Reporting
from shared.db import make_engine
from shared.events import EVENT_TYPES, new_event
from shared.outbox import event_exchange
from shared.tracking import new_tracking_id
from tests.factories import emitter, routed, submitted

H = timedelta(hours=1)


@pytest.fixture
def reporting(container_factory, service_config):
    config = service_config("reporting")
    container = container_factory(Reporting, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}", config


@pytest.fixture
def emitters(container_factory, service_config):
    found = {}
    for source in ("intake", "routing", "agency_registry"):
        container = container_factory(emitter(source), service_config(source))
        container.start()
        found[source] = container
    return found


def emit(emitters, reporting_container, event_type, aggregate_id, body):
    """Publish one event through its source's outbox and wait for reporting to apply it."""
    source = EVENT_TYPES[event_type].source
    with entrypoint_waiter(reporting_container, f"on_{event_type}"):
        with entrypoint_hook(emitters[source], "emit") as publish:
            return publish(event_type, aggregate_id, body)


def test_counts_per_agency_and_status_even_out_of_order(reporting, emitters):
    container, url, _ = reporting
    first, second, waiting = new_tracking_id(), new_tracking_id(), new_tracking_id()
    emit(emitters, container, "report_submitted", first, submitted(first))
    emit(emitters, container, "report_routed", first, routed(first))
    # the routed event overtakes the submitted one
    emit(
        emitters,
        container,
        "report_routed",
        second,
        routed(second, agency_code="OJK", agency_name="OJK"),
    )
    emit(emitters, container, "report_submitted", second, submitted(second))
    emit(emitters, container, "report_submitted", waiting, submitted(waiting))

    stats = requests.get(f"{url}/stats", timeout=5).json()
    assert stats["total"] == 3
    assert stats["by_status"] == {"dispatched": 2, "awaiting_verification": 1}
    counts = {entry["agency_code"]: entry["counts"] for entry in stats["agencies"]}
    assert counts == {
        "PROV-73-DISDIK": {"dispatched": 1},
        "OJK": {"dispatched": 1},
        None: {"awaiting_verification": 1},
    }
    only = requests.get(f"{url}/stats?agency=OJK", timeout=5).json()
    assert only["total"] == 1


def metric(url: str, name: str, **labels) -> float:
    text = requests.get(f"{url}/metrics", timeout=5).text
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(rf"{name}\{{(.*)\}} (\S+)$", line)
        if match and ",".join(sorted(match[1].split(","))) == wanted:
            return float(match[2])
    return 0.0


def test_a_whole_life_from_every_source_arrives_shuffled_and_twice(reporting, emitters):
    container, url, config = reporting
    tracking_id = new_tracking_id()
    start = datetime.now(UTC) - 30 * 24 * H
    plan = synthetic.Plan(
        tracking_id,
        "KAB-73-11-DISDIK",
        start,
        agency_name="Dinas Pendidikan Kabupaten Barru",
        channel="sms",
        returned_for=2 * H,
        declined_by="KAB-73-11-DINKES",
        first_followup_after=5 * H,
        final_after=50 * H,
        feedback="satisfied",
    )
    pairs = synthetic.events(plan)
    assert {EVENT_TYPES[kind].source for kind, _ in pairs} == {"intake", "routing"}
    labels = {"status": "completed", "channel": "sms", "classification": "complaint"}
    completed_before = metric(url, "satupintu_reports_entered_total", **labels, privacy="public")
    for kind, body in reversed(pairs):  # the completion first, the return to the reporter last
        emit(emitters, container, kind, tracking_id, body)
    card = requests.get(f"{url}/statistics/agencies/KAB-73-11-DISDIK", timeout=5).json()
    assert (card["reports"], card["by_status"]["completed"]) == (1, 1)
    assert card["times"]["first_followup"]["count"] == 1
    assert card["satisfaction_rate"]["rate"] == 1.0
    decliner = requests.get(f"{url}/statistics/agencies/KAB-73-11-DINKES", timeout=5).json()
    assert decliner["decline_rate"] == {"declines": 1, "dispatches": 1, "rate": 1.0}
    barru = requests.get(f"{url}/statistics/governments/KAB-73-11", timeout=5).json()
    assert barru["decline_rate"] == {"declines": 1, "dispatches": 2, "rate": 0.5}

    # the broker delivers one of them again (a consumer crashed before its ack)
    assert pairs[-2][0] == "feedback_given"
    again = new_event("feedback_given", tracking_id, dict(pairs[-2][1]), None)
    with Connection(config["AMQP_URI"]) as conn:
        for _ in range(2):
            with entrypoint_waiter(container, "on_feedback_given"):
                conn.Producer().publish(
                    again.wire,
                    exchange=event_exchange("intake"),
                    routing_key="feedback_given",
                    serializer="json",
                )
    engine = make_engine(config["DATABASE_URL"])
    with Session(engine) as session:
        kept = session.execute(
            select(func.count()).select_from(journal).where(journal.c.aggregate_id == tracking_id)
        ).scalar()
    engine.dispose()
    assert kept == len(pairs) + 1  # the same event twice is journalled once
    assert requests.get(f"{url}/statistics/nation", timeout=5).json()["reports"] == 1
    completed = metric(url, "satupintu_reports_entered_total", **labels, privacy="public")
    assert completed == completed_before + 1
    metrics_text = requests.get(f"{url}/metrics", timeout=5).text
    assert "KAB-73-11" not in metrics_text and tracking_id not in metrics_text


def test_the_registry_places_an_agency_routing_named_first(reporting, emitters):
    container, url, _ = reporting
    tracking_id = new_tracking_id()
    body = routed(tracking_id, agency_code="PKM-TANETE", agency_name="Puskesmas Tanete")
    body["routed_at"] = datetime.now(UTC)
    emit(emitters, container, "report_routed", tracking_id, body)
    unknown = requests.get(f"{url}/statistics/governments/KAB-73-11", timeout=5).json()
    assert unknown["reports"] == 0  # nobody told reporting where PKM-TANETE sits yet

    path = ["KEMENPANRB", "PROV-73", "KAB-73-11", "KAB-73-11-DINKES", "PKM-TANETE"]
    # what the governments on its path are is a fact too (the registry's), never read off a code
    for code, kind in (("PROV-73", "provincial_government"), ("KAB-73-11", "regency_government")):
        government = agency_state(code, kind, path[: path.index(code) + 1], revision=6)
        body = {"code": code, "version": 1, "revision": 6, "agency": government}
        emit(emitters, container, "agency_registered", code, body)
    state = {
        "code": "PKM-TANETE",
        "name": "Puskesmas Tanete",
        "kind": "unit",
        "parent_code": "KAB-73-11-DINKES",
        "path": path,
        "status": "active",
        "is_coordinator": False,
        "verification_mode": "auto",
        "timezone": "Asia/Makassar",
        "jurisdictions": ["73.11.01"],
        "competencies": ["kesehatan.puskesmas"],
        "version": 1,
        "revision": 7,
    }
    registered = {"code": "PKM-TANETE", "version": 1, "revision": 7, "agency": state}
    emit(emitters, container, "agency_registered", "PKM-TANETE", registered)
    placed = requests.get(f"{url}/statistics/governments/KAB-73-11", timeout=5).json()
    assert placed["reports"] == 1
    card = requests.get(f"{url}/statistics/agencies/PKM-TANETE", timeout=5).json()
    assert card["scope"]["government_code"] == "KAB-73-11"


def agency_state(code: str, kind: str, path: list[str], revision: int) -> dict:
    return {
        "code": code,
        "name": code,
        "kind": kind,
        "parent_code": path[-2],
        "path": path,
        "status": "active",
        "is_coordinator": True,
        "verification_mode": "auto",
        "timezone": "Asia/Makassar",
        "jurisdictions": [],
        "competencies": [],
        "version": 1,
        "revision": revision,
    }


def test_a_template_agency_is_counted_where_routing_places_it(reporting, emitters):
    """The template is loaded without events: reporting has never heard of KAB-73-13-DINKES,
    and its code is no evidence. Routing's events say where it sits; the report counts there,
    and a later one whose event carries nothing (from before they carried places) counts where
    reporting recorded it."""
    container, url, _ = reporting
    first, second = new_tracking_id(), new_tracking_id()
    body = routed(first, agency_code="KAB-73-13-DINKES", agency_name="Dinas Kesehatan Wajo")
    body.update(agency_government_code="KAB-73-13", agency_province_code="PROV-73")
    emit(emitters, container, "report_routed", first, body)
    wajo = requests.get(f"{url}/statistics/governments/KAB-73-13", timeout=5).json()
    assert wajo["reports"] == 1
    province = requests.get(f"{url}/statistics/provinces/PROV-73", timeout=5).json()
    assert province["reports"] == 1
    card = requests.get(f"{url}/statistics/agencies/KAB-73-13-DINKES", timeout=5).json()
    assert (card["scope"]["government_code"], card["scope"]["province_code"]) == (
        "KAB-73-13",
        "PROV-73",
    )
    old = routed(second, agency_code="KAB-73-13-DINKES", agency_name="Dinas Kesehatan Wajo")
    emit(emitters, container, "report_routed", second, old)
    wajo = requests.get(f"{url}/statistics/governments/KAB-73-13", timeout=5).json()
    assert wajo["reports"] == 2
    # a code shaped like a template one, that no event placed, counts for the nation only
    third = new_tracking_id()
    stray = routed(third, agency_code="KAB-73-14-DINKES", agency_name="Dinas")
    emit(emitters, container, "report_routed", third, stray)
    assert requests.get(f"{url}/statistics/governments/KAB-73-14", timeout=5).json()["reports"] == 0
    assert requests.get(f"{url}/statistics/nation", timeout=5).json()["reports"] == 3


def test_the_registry_says_where_an_agency_under_template_governments_sits(reporting, emitters):
    """Reporting was never told what KAB-73-12 or PROV-73 are (the template is loaded without
    events), and routing's event for the report carries nothing (from before it did): the
    registry's event says where the agency sits, the report counts there, and a later event
    (the agency below a government that became an OPD) moves it."""
    container, url, _ = reporting
    tracking_id = new_tracking_id()
    body = routed(tracking_id, agency_code="PKM-SOPPENG", agency_name="Puskesmas Soppeng")
    emit(emitters, container, "report_routed", tracking_id, body)
    path = ["KEMENPANRB", "PROV-73", "KAB-73-12", "KAB-73-12-DINKES", "PKM-SOPPENG"]
    state = agency_state("PKM-SOPPENG", "unit", path, revision=8)
    registered = {"code": "PKM-SOPPENG", "version": 1, "revision": 8, "agency": state}
    registered.update(government_code="KAB-73-12", province_code="PROV-73")
    emit(emitters, container, "agency_registered", "PKM-SOPPENG", registered)

    def figures() -> tuple:
        government = requests.get(f"{url}/statistics/governments/KAB-73-12", timeout=5).json()
        province = requests.get(f"{url}/statistics/governments/PROV-73", timeout=5).json()
        card = requests.get(f"{url}/statistics/agencies/PKM-SOPPENG", timeout=5).json()
        scope = card["scope"]
        return (
            government["reports"],
            province["reports"],
            (scope["government_code"], scope["province_code"]),
        )

    assert figures() == (1, 0, ("KAB-73-12", "PROV-73"))
    province = requests.get(f"{url}/statistics/provinces/PROV-73", timeout=5).json()
    assert province["reports"] == 1
    state = {**state, "version": 2, "revision": 9}
    updated = {"code": "PKM-SOPPENG", "version": 2, "revision": 9, "agency": state}
    updated.update(changed=["government_code"], government_code="PROV-73", province_code="PROV-73")
    emit(emitters, container, "agency_updated", "PKM-SOPPENG", updated)
    assert figures() == (0, 1, ("PROV-73", "PROV-73"))
