"""The coordinators' verdicts at routing's desk on the real RabbitMQ and SQLite (registry with
the national template and Ed25519 tokens, routing, a stand-in intake): archive, postpone,
correct, decline with a corrected category, and a coordinator's reach over every report about a
place in its government. Refusals are problem+json naming the field and change nothing."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from kombu import Connection

from services.agency_registry.service import AgencyRegistry
from services.routing.service import Routing
from tests.factories import emitter, submitted, watch
from tests.interface.agency_registry.test_agency_registry import Client, add_staff
from tests.interface.routing.test_routing_desk import (
    DESK_STAFF,
    ROUTING_EVENTS,
    Desk,
    keys_fixture,  # noqa: F401 — a fixture
    next_event,
    problem,
    submit,
)

STAFF = [
    *DESK_STAFF,
    ("kominfo.sulsel", "coordinator_admin", "PROV-73-DISKOMINFO"),
    ("kominfo.makassar", "coordinator_admin", "KAB-73-71-DISKOMINFO"),
    ("pu.pusat", "liaison", "KEMENPU"),
]
EVENTS = (*ROUTING_EVENTS, "disposition_archived", "disposition_postponed", "disposition_corrected")


@pytest.fixture(name="system")
def system_fixture(container_factory, service_config, registry_db, keys, rabbit_config):
    add_staff(registry_db, *STAFF)
    registry_config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container_factory(AgencyRegistry, registry_config).start()
    routing_config = service_config(
        "routing",
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
        INTAKE_RPC_TIMEOUT=2,
        CLOCK_INTERVAL=3600,
    )
    routing = container_factory(Routing, routing_config)
    routing.start()
    intake = container_factory(emitter("intake"), service_config("intake"))
    intake.start()
    registry = Client(f"http://{registry_config['WEB_SERVER_ADDRESS']}")
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queues = {name: watch(conn, "routing", name) for name in EVENTS}
        yield SimpleNamespace(
            routing=routing,
            intake=intake,
            desk=Desk(f"http://{routing_config['WEB_SERVER_ADDRESS']}", registry),
            events=queues,
        )
        for queue in queues.values():
            queue.close()


def unchanged(system, tid, before):
    after = system.desk.detail(tid)
    assert (after["version"], after["status"], after["history"]) == (
        before["version"],
        before["status"],
        before["history"],
    )


def running_clocks(detail):
    return sorted(c["clock"] for c in detail["clocks"] if c["running"])


def test_a_duplicate_is_archived_linking_its_original(system):
    desk = system.desk
    original = submit(system, category_id="kesehatan.puskesmas")
    tid = submit(system, category_id="kesehatan.puskesmas")
    makassar = submit(system, category_id="kesehatan.puskesmas", region_code="73.71")
    before = desk.detail(tid)
    path = f"/desk/dispositions/{tid}/archive"

    def refused(who, body, status, slug, field=None):
        answer = problem(desk("POST", path, who, json=body), status, slug)
        if field:
            assert [e["field"] for e in answer["errors"]] == [field], answer

    refused("kominfo.barru", {"reason": "duplicate"}, 422, "invalid-input", "duplicate_of")
    refused("kominfo.barru", {"reason": "lost"}, 422, "invalid-input", "reason")
    refused("kominfo.barru", {"reason": "duplicate", "duplicate_of": tid}, 422, "invalid-input",
            "duplicate_of")  # fmt: skip
    ghost = {"reason": "duplicate", "duplicate_of": "LPR-0000-0000-0000"}
    refused("kominfo.barru", ghost, 422, "invalid-input", "duplicate_of")
    refused("kominfo.barru", {"reason": "spam", "duplicate_of": original}, 422, "invalid-input",
            "duplicate_of")  # fmt: skip
    refused("dinkes.barru", {"reason": "spam"}, 403, "not-coordinator")
    refused("kominfo.makassar", {"reason": "spam"}, 403, "out-of-subtree")  # Barru's report
    unchanged(system, tid, before)
    assert system.events["disposition_archived"].qsize() == 0

    body = {"reason": "duplicate", "duplicate_of": original, "note": "Sudah dilaporkan warga"}
    response = desk("POST", path, "kominfo.barru", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "archived"
    event = next_event(system, "disposition_archived", tid)
    assert (event["reason"], event["duplicate_of"], event["previous_status"]) == (
        "duplicate",
        original,
        "dispatched",
    )
    assert (event["by_agency_code"], event["note"]) == ("KAB-73-11-DISKOMINFO", body["note"])
    detail = desk.detail(tid)
    assert (detail["status"]["code"], detail["archived_reason"], detail["duplicate_of"]) == (
        "archived",
        "duplicate",
        original,
    )
    assert running_clocks(detail) == []
    assert detail["history"][-1]["kind"] == "archived"
    problem(desk("POST", path, "kominfo.barru", json={"reason": "spam"}), 409, "wrong-state")
    # a duplicate of a duplicate is refused: link the original
    chained = {"reason": "duplicate", "duplicate_of": tid}
    answer = desk(
        "POST", f"/desk/dispositions/{makassar}/archive", "kominfo.makassar", json=chained
    )
    assert problem(answer, 422, "invalid-input")["errors"][0]["field"] == "duplicate_of"


def test_postpone_returns_the_report_and_the_supplement_brings_it_back(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas")
    assert next_event(system, "report_routed", tid)["agency_code"] == "KAB-73-11-DINKES"
    before = desk.detail(tid)
    path = f"/desk/dispositions/{tid}/postpone"
    blank = problem(desk("POST", path, "kominfo.barru", json={"note": "  "}), 422, "invalid-input")
    assert blank["errors"][0]["field"] == "note"
    problem(desk("POST", path, "dinkes.barru", json={"note": "Lengkapi"}), 403, "not-coordinator")
    far = desk("POST", path, "kominfo.makassar", json={"note": "Lengkapi"})
    problem(far, 403, "out-of-subtree")
    unchanged(system, tid, before)

    note = "Sebutkan nama puskesmas dan tanggal kejadian."
    response = desk("POST", path, "kominfo.barru", json={"note": note})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "returned"
    event = next_event(system, "disposition_postponed", tid)
    assert (event["note"], event["previous_status"]) == (note, "dispatched")
    detail = desk.detail(tid)
    assert detail["status"]["code"] == "returned" and running_clocks(detail) == []
    again = desk("POST", path, "kominfo.barru", json={"note": note})
    problem(again, 409, "wrong-state")

    # the reporter completes it: intake submits it again, routing places it again
    with_entry = submitted(tid, category_id="kesehatan.puskesmas", region_code="73.11")
    from nameko.testing.services import entrypoint_hook, entrypoint_waiter

    with entrypoint_waiter(system.routing, "on_report_submitted"):
        with entrypoint_hook(system.intake, "emit") as emit:
            emit("report_submitted", tid, with_entry)
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["kind"]) == ("KAB-73-11-DINKES", "redispatched")
    detail = desk.detail(tid)
    assert detail["status"]["code"] == "dispatched"
    assert running_clocks(detail) == ["first_followup", "resolution"]
    assert [hop["kind"] for hop in detail["history"]] == [
        "dispatched",
        "postponed",
        "redispatched",
    ]


def test_a_correction_raises_privacy_only_is_audited_and_reroutes(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas", title="Obat kosong")
    next_event(system, "report_routed", tid)
    before = desk.detail(tid)
    path = f"/desk/dispositions/{tid}/correct"
    for body, field in (
        ({"category_id": "tidak.ada"}, "category_id"),
        ({"region_code": "99.99"}, "region_code"),
        ({"classification": "pujian"}, "classification"),
        ({}, "category_id"),
    ):
        answer = problem(desk("POST", path, "kominfo.barru", json=body), 422, "invalid-input")
        assert answer["errors"][0]["field"] == field, answer
    problem(
        desk("POST", path, "disdik.barru", json={"privacy": "anonymous"}), 403, "not-coordinator"
    )
    unchanged(system, tid, before)

    up = desk("POST", path, "kominfo.barru", json={"privacy": "confidential"})
    assert up.status_code == 200, up.text
    assert (up.json()["before"], up.json()["after"], up.json()["rerouted"]) == (
        {"privacy": "public"},
        {"privacy": "confidential"},
        False,
    )
    event = next_event(system, "disposition_corrected", tid)
    assert (event["before"], event["after"], event["privacy"]) == (
        {"privacy": "public"},
        {"privacy": "confidential"},
        "confidential",
    )
    raised = desk.detail(tid)
    down = desk("POST", path, "kominfo.barru", json={"privacy": "anonymous"})
    answer = problem(down, 422, "invalid-input")
    assert answer["errors"][0]["field"] == "privacy"
    assert "hanya atas permintaan pelapor" in answer["errors"][0]["message"]
    unchanged(system, tid, raised)

    # a state senior high school is the province's business (SPEC §6): re-routed
    moved = desk("POST", path, "kominfo.sulsel", json={"category_id": "pendidikan.sma"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["rerouted"], moved.json()["agency_code"]) == (True, "PROV-73-DISDIK")
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["kind"], routed["category_id"]) == (
        "PROV-73-DISDIK",
        "redispatched",
        "pendidikan.sma",
    )
    audit = desk.detail(tid)["corrections"]
    assert [(a["by"], a["before"], a["after"], a["rerouted"]) for a in audit] == [
        ("kominfo.barru", {"privacy": "public"}, {"privacy": "confidential"}, False),
        ("kominfo.sulsel", {"category_id": "kesehatan.puskesmas"},
         {"category_id": "pendidikan.sma"}, True),
    ]  # fmt: skip


def test_a_decline_with_the_right_category_reaches_the_province(system):
    """A provincial road in Barru filed as a national road went to the ministry; its liaison
    says so and suggests the province's public works office with the corrected category."""
    desk = system.desk
    tid = submit(system, category_id="infrastruktur.jalan_nasional", region_code="73.11")
    assert next_event(system, "report_routed", tid)["agency_code"] == "KEMENPU"
    # the coordinators of the place see and reach it, wherever it is held
    assert tid in desk.listed("kominfo.barru")
    assert tid in desk.listed("kominfo.sulsel")
    assert tid not in desk.listed("kominfo.makassar")
    assert desk.detail(tid, "kominfo.barru")["access"] == "location"
    problem(desk("GET", f"/desk/dispositions/{tid}", "kominfo.makassar"), 403, "out-of-subtree")
    # … but send it only within their own subtree (SPEC §6)
    far = desk("POST", f"/desk/dispositions/{tid}/dispatch", "kominfo.barru",
               json={"agency_code": "PROV-73-DPU"})  # fmt: skip
    assert problem(far, 403, "out-of-subtree")["errors"][0]["field"] == "agency_code"

    bad = {"reason": "Jalan provinsi", "corrected_category_id": "infrastruktur.tol_bulan"}
    answer = desk("POST", f"/desk/dispositions/{tid}/decline", "pu.pusat", json=bad)
    assert problem(answer, 422, "invalid-input")["errors"][0]["field"] == "corrected_category_id"
    decline = {
        "reason": "Ruas ini jalan provinsi, bukan jalan nasional",
        "suggested_agency_code": "PROV-73-DPU",
        "corrected_category_id": "infrastruktur.jalan_provinsi",
    }
    response = desk("POST", f"/desk/dispositions/{tid}/decline", "pu.pusat", json=decline)
    assert response.status_code == 200, response.text
    assert response.json()["agency_code"] == "PROV-73-DPU"
    corrected = next_event(system, "disposition_corrected", tid)
    assert corrected["after"] == {"category_id": "infrastruktur.jalan_provinsi"}
    assert corrected["by_agency_code"] == "KEMENPU"
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["rule"], routed["category_id"]) == (
        "PROV-73-DPU",
        "suggested_agency",
        "infrastruktur.jalan_provinsi",
    )


def test_a_province_coordinator_dispatches_a_report_a_ministry_holds(system):
    desk = system.desk
    tid = submit(system, category_id="infrastruktur.jalan_nasional", region_code="73.11")
    next_event(system, "report_routed", tid)
    hand = {"agency_code": "PROV-73-DPU", "note": "Ruas jalan provinsi"}
    response = desk("POST", f"/desk/dispositions/{tid}/dispatch", "kominfo.sulsel", json=hand)
    assert response.status_code == 200, response.text
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["rule"]) == ("PROV-73-DPU", "manual")


def test_routing_counts_the_rounds_once_and_escalates_after_the_second(system):
    """feedback_given sent twice (under two event ids) is one round; the second round escalates
    to the coordinator and oversight (SPEC §4), whatever intake's event says."""
    from nameko.testing.services import entrypoint_hook, entrypoint_waiter

    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas")
    path = f"/desk/dispositions/{tid}/followups"

    def feedback_twice():
        body = {"tracking_id": tid, "satisfied": False, "given_at": datetime.now(UTC)}
        for _ in range(2):
            with entrypoint_waiter(system.routing, "on_feedback_given"):
                with entrypoint_hook(system.intake, "emit") as emit:
                    emit("feedback_given", tid, {**body, "escalate": False})

    for n in (1, 2):
        final = {"text": f"Sudah ditangani ({n}).", "final": True}
        assert desk("POST", path, "dinkes.barru", json=final).status_code == 201
        feedback_twice()
        changed = next_event(system, "report_status_changed", tid)
        assert (changed["status"], changed["reason"]) == ("in_progress", "not_satisfied")
        detail = desk.detail(tid)
        assert (detail["status"]["code"], detail["unsatisfied_rounds"]) == ("in_progress", n)
        if n == 1:
            assert system.events["report_escalated"].qsize() == 0
    escalated = next_event(system, "report_escalated", tid)
    assert escalated["reason"] == "not_satisfied_twice"
    assert "KAB-73-11-DISKOMINFO" in escalated["escalated_to"]


def test_the_desk_list_is_totalled_sorted_and_exported(system):
    import csv
    import io

    desk = system.desk
    first = submit(system, category_id="kesehatan.puskesmas", title="=HYPERLINK(1)")
    second = submit(system, category_id="kesehatan.puskesmas", title="Kedua")
    secret = submit(system, category_id="kesehatan.puskesmas", privacy="confidential")
    desk("POST", f"/desk/dispositions/{second}/followups", "dinkes.barru", json={"text": "Ok."})
    answer = desk("GET", "/desk/dispositions", "dinkes.barru", params={"limit": 1})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert (page["total"], page["by_status"]) == (3, {"dispatched": 2, "in_progress": 1})
    assert [item["tracking_id"] for item in page["items"]] == [secret]  # newest first
    assert desk.listed("dinkes.barru", sort="received") == [first, second, secret]
    assert desk.listed("dinkes.barru", sort="-updated")[0] == second
    bad = desk("GET", "/desk/dispositions", "dinkes.barru", params={"sort": "title"})
    assert problem(bad, 422, "invalid-input")["errors"][0]["field"] == "sort"

    exported = desk("GET", "/desk/dispositions.csv", "dinkes.barru", params={"sort": "received"})
    assert exported.status_code == 200, exported.text
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert exported.headers["X-Total-Count"] == "3"
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    assert [line["tracking_id"] for line in lines] == [first, second, secret]
    assert [line["status"] for line in lines] == ["dispatched", "in_progress", "dispatched"]
    assert lines[0]["title"] == "'=HYPERLINK(1)"  # a formula is text
    assert lines[2]["title"] == "" and lines[2]["privacy"] == "confidential"
    problem(desk("GET", "/desk/dispositions.csv"), 401, "unauthenticated")
