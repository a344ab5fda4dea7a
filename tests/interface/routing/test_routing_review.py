"""Review mode, hand dispatch and watchers on the real RabbitMQ and SQLite. A coordinator is
switched to review mode at the registry; routing's replica learns it from the registry's event,
proposes instead of dispatching, and the coordinator confirms or changes it, within its subtree.
Supervision reports get read-only watchers. A stale agency event changes nothing."""

from datetime import UTC, datetime

from nameko.testing.services import entrypoint_hook
from nameko.testing.utils import get_extension

from services.routing.replica import AgencyReplica
from tests.factories import drain, emitter, wait_for
from tests.interface.routing.test_routing_desk import (  # noqa: F401 — fixtures
    keys_fixture,
    next_event,
    problem,
    routing_events_fixture,
    submit,
    system_fixture,
)


def replica(system):
    return get_extension(system.routing, AgencyReplica)


def set_review_mode(system, coordinator: str) -> None:
    response = system.registry_client(
        "PATCH", f"/agencies/{coordinator}", "nasional", json={"verification_mode": "review"}
    )
    assert response.status_code == 200, response.text
    wait_for(
        lambda: replica(system).directory()[coordinator].verification_mode == "review",
        timeout=15,
    )


def test_review_mode_proposals_are_confirmed_or_changed_within_the_subtree(system):
    desk = system.desk
    set_review_mode(system, "KAB-73-11-DISKOMINFO")

    tid = submit(system, category_id="kesehatan.puskesmas", region_code="73.11")
    proposed = next_event(system, "disposition_proposed", tid)
    assert (proposed["agency_code"], proposed["coordinator_code"]) == (
        "KAB-73-11-DINKES",
        "KAB-73-11-DISKOMINFO",
    )
    assert proposed["verification_due_at"]
    assert drain(system.events["report_routed"]) == []
    assert tid in desk.listed("kominfo.barru", queue="proposals")
    assert tid not in desk.listed("dinkes.barru")  # not dispatched yet
    problem(
        desk("POST", f"/desk/dispositions/{tid}/confirm", "dinkes.barru"), 403, "not-coordinator"
    )

    confirmed = desk("POST", f"/desk/dispositions/{tid}/confirm", "kominfo.barru", json={})
    assert confirmed.status_code == 200, confirmed.text
    routed = next_event(system, "report_routed", tid)
    assert (routed["agency_code"], routed["rule"], routed["kind"]) == (
        "KAB-73-11-DINKES",
        "most_local",
        "dispatched",
    )
    assert routed["trace"][-1].startswith("review: KAB-73-11-DISKOMINFO (kominfo.barru) confirmed")
    problem(desk("POST", f"/desk/dispositions/{tid}/confirm", "kominfo.barru"), 409, "wrong-state")
    assert tid in desk.listed("dinkes.barru")

    # a second report: the coordinator changes the proposal, but only within Barru
    other = submit(system, category_id="kesehatan.puskesmas", region_code="73.11")
    next_event(system, "disposition_proposed", other)
    path = f"/desk/dispositions/{other}/dispatch"
    outside = desk("POST", path, "kominfo.barru", json={"agency_code": "PROV-73-DINKES"})
    problem(outside, 403, "out-of-subtree")
    changed = desk("POST", path, "kominfo.barru", json={"agency_code": "KAB-73-11-RSUD"})
    assert changed.status_code == 200, changed.text
    routed = next_event(system, "report_routed", other)
    assert (routed["agency_code"], routed["rule"]) == ("KAB-73-11-RSUD", "manual")
    assert "instead of the proposed KAB-73-11-DINKES" in routed["trace"][0]

    # re-dispatch by hand at any time: the old holder can no longer act
    again = desk(
        "POST",
        f"/desk/dispositions/{tid}/dispatch",
        "kominfo.barru",
        json={"agency_code": "KAB-73-11-RSUD"},
    )
    assert again.status_code == 200, again.text
    moved = next_event(system, "report_routed", tid)
    assert (moved["kind"], moved["previous_agency_code"]) == ("redispatched", "KAB-73-11-DINKES")
    late = desk(
        "POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json={"text": "Kami cek"}
    )
    problem(late, 403, "not-holder")
    same = desk(
        "POST",
        f"/desk/dispositions/{tid}/dispatch",
        "kominfo.barru",
        json={"agency_code": "KAB-73-11-RSUD"},
    )
    problem(same, 409, "wrong-state")


def test_supervision_reports_get_read_only_watchers(system):
    desk = system.desk
    tid = submit(system, category_id="pungutan_liar", region_code="73.11", supervision=True)
    routed = next_event(system, "report_routed", tid)
    # the Inspektorat holds pungli itself; the Ombudsman watches
    assert routed["agency_code"] == "KAB-73-11-INSPEKTORAT"
    assert routed["watchers"] == ["OMBUDSMAN"]
    # a coordinator hands it to Barru's education office: now the Inspektorat watches too
    hand = {"agency_code": "KAB-73-11-DISDIK"}
    assert desk("POST", f"/desk/dispositions/{tid}/dispatch", "kominfo.barru", json=hand).ok
    routed = next_event(system, "report_routed", tid)
    assert routed["watchers"] == ["KAB-73-11-INSPEKTORAT", "OMBUDSMAN"]
    # 60 working days for supervision categories
    resolution = datetime.fromisoformat(routed["resolution_due_at"])
    assert (resolution - datetime.now(UTC)).days > 60

    assert tid in desk.listed("staf.itwil.barru", access="watching")
    detail = desk.detail(tid, "staf.itwil.barru")
    assert detail["access"] == "watcher"
    assert detail["readers"]["watcher"] == ["OMBUDSMAN", "KAB-73-11-INSPEKTORAT"]
    note = {"text": "Kami ikut memeriksa."}
    path = f"/desk/dispositions/{tid}/followups"
    problem(desk("POST", path, "staf.itwil.barru", json=note), 403, "not-holder")
    problem(desk("POST", path, "ombudsman", json=note), 403, "read-only")
    assert desk("POST", path, "disdik.barru", json=note).status_code == 201


def test_agency_events_apply_by_version_and_stale_ones_change_nothing(
    system, container_factory, service_config, tmp_path
):
    desk = system.desk
    suspended = system.registry_client(
        "POST", "/agencies/KAB-73-11-RSUD/suspend", "nasional", json={"reason": "Renovasi gedung"}
    )
    assert suspended.status_code == 200, suspended.text
    state = suspended.json()
    wait_for(lambda: replica(system).directory()["KAB-73-11-RSUD"].status == "suspended")

    # a copy of an older event (version 1: active) arrives late: it changes nothing
    twin_config = service_config("agency_registry", DATABASE_URL=f"sqlite:///{tmp_path}/twin.db")
    registry_twin = container_factory(emitter("agency_registry"), twin_config)
    registry_twin.start()
    stale = {**state, "status": "active", "version": 1}
    with entrypoint_hook(registry_twin, "emit") as emit:
        emit(
            "agency_updated",
            "KAB-73-11-RSUD",
            {"code": "KAB-73-11-RSUD", "version": 1, "revision": 0, "agency": stale, "changed": []},
        )
    # the stale event is behind the next fresh one in the same queue: wait for that one
    renamed = system.registry_client(
        "PATCH", "/agencies/KAB-73-11-DLH", "nasional", json={"name": "Dinas LH Kabupaten Barru"}
    )
    assert renamed.status_code == 200, renamed.text
    wait_for(
        lambda: replica(system).directory()["KAB-73-11-DLH"].name == "Dinas LH Kabupaten Barru"
    )
    assert replica(system).directory()["KAB-73-11-RSUD"].status == "suspended"

    # routing follows the registry: a hospital report named for the suspended RSUD goes elsewhere
    tid = submit(system, category_id="kesehatan.rumah_sakit", target_agency_code="KAB-73-11-RSUD")
    routed = next_event(system, "report_routed", tid)
    assert routed["agency_code"] == "PROV-73-RSUD"
    assert "status is suspended" in routed["trace"][0]
    assert desk.detail(tid)["agency_code"] == "PROV-73-RSUD"
