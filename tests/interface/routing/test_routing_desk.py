"""The agencies' desk on the real RabbitMQ and SQLite: the registry (national template, staff
accounts, Ed25519 tokens), routing, and a stand-in intake that commits report_submitted through
its outbox. Staff list, read, follow up and decline; coordinators confirm and dispatch by hand;
bad input gets problem+json and changes nothing."""

from types import SimpleNamespace

import pytest
import requests
from kombu import Connection
from nameko.rpc import rpc
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import update

from services.agency_registry.service import AgencyRegistry
from services.routing.models import routing_history
from services.routing.service import Routing
from shared.auth import TokenVerifier
from shared.db import make_engine
from shared.staff_keys import generate_key_pair, public_keys_from_pem
from shared.tracking import new_tracking_id
from tests.factories import drain, emitter, submitted, watch
from tests.interface.agency_registry.test_agency_registry import Client, add_staff

DESK_STAFF = [
    ("nasional", "national_admin", "KEMENPANRB"),
    ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("dinkes.barru", "liaison", "KAB-73-11-DINKES"),
    ("rsud.barru", "liaison", "KAB-73-11-RSUD"),
    ("disdik.barru", "liaison", "KAB-73-11-DISDIK"),
    ("dinkes.sulsel", "liaison", "PROV-73-DINKES"),
    ("itwil.barru", "oversight_viewer", "KAB-73-11-INSPEKTORAT"),
    ("staf.itwil.barru", "liaison", "KAB-73-11-INSPEKTORAT"),
    ("ombudsman", "oversight_viewer", "OMBUDSMAN"),
]
ROUTING_EVENTS = (
    "report_routed",
    "disposition_proposed",
    "disposition_declined",
    "manual_dispatch_queued",
    "followup_posted",
    "report_status_changed",
    "deadline_approaching",
    "deadline_breached",
    "report_escalated",
)


class Desk:
    """Staff at the desk: ``desk("GET", "/desk/dispositions", "dinkes.barru")``."""

    def __init__(self, url: str, registry: Client):
        self.url, self.registry = url, registry

    def __call__(self, method, path, who=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if who is not None:
            if who not in self.registry.tokens:
                self.registry.login(who)
            headers["Authorization"] = f"Bearer {self.registry.tokens[who]}"
        return requests.request(method, self.url + path, headers=headers, timeout=15, **kwargs)

    def listed(self, who, **filters) -> list[str]:
        response = self("GET", "/desk/dispositions", who, params=filters)
        assert response.status_code == 200, response.text
        return [item["tracking_id"] for item in response.json()["items"]]

    def pages(self, who, **filters) -> list[list[str]]:
        """Every page of the list, following each answer's ``next`` cursor to the end."""
        found, cursor = [], None
        while True:
            params = {**filters, **({"cursor": cursor} if cursor else {})}
            response = self("GET", "/desk/dispositions", who, params=params)
            assert response.status_code == 200, response.text
            found.append([item["tracking_id"] for item in response.json()["items"]])
            cursor = response.json()["next"]
            if cursor is None:
                return found

    def detail(self, tracking_id, who="nasional") -> dict:
        response = self("GET", f"/desk/dispositions/{tracking_id}", who)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(name="keys")
def keys_fixture(tmp_path):
    generate_key_pair(tmp_path / "staff.key", tmp_path / "staff.pub")
    return tmp_path / "staff.key", tmp_path / "staff.pub"


@pytest.fixture(name="routing_events")
def routing_events_fixture(rabbit_config):
    """{event type: a queue receiving routing's events of that type from now on}"""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queues = {name: watch(conn, "routing", name) for name in ROUTING_EVENTS}
        yield queues
        for queue in queues.values():
            queue.close()


@pytest.fixture(name="system")
def system_fixture(container_factory, service_config, registry_db, keys, routing_events):
    """Registry, routing and a stand-in intake; ``system.desk`` speaks to routing's desk."""
    add_staff(registry_db, *DESK_STAFF)
    registry_config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    registry = container_factory(AgencyRegistry, registry_config)
    registry.start()
    routing_config = service_config(
        "routing",
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
        INTAKE_RPC_TIMEOUT=2,
        CLOCK_INTERVAL=3600,  # the tests run the sweep themselves
    )
    routing = container_factory(Routing, routing_config)
    routing.start()
    intake = container_factory(emitter("intake"), service_config("intake"))
    intake.start()
    registry_client = Client(f"http://{registry_config['WEB_SERVER_ADDRESS']}")
    desk = Desk(f"http://{routing_config['WEB_SERVER_ADDRESS']}", registry_client)
    return SimpleNamespace(
        registry=registry,
        routing=routing,
        intake=intake,
        registry_client=registry_client,
        desk=desk,
        events=routing_events,
    )


def submit(system, **overrides) -> str:
    """A new report_submitted through intake's outbox, routed before this returns."""
    tracking_id = new_tracking_id()
    with entrypoint_waiter(system.routing, "on_report_submitted"):
        with entrypoint_hook(system.intake, "emit") as emit:
            emit("report_submitted", tracking_id, submitted(tracking_id, **overrides))
    return tracking_id


def next_event(system, event_type, tracking_id=None) -> dict:
    """The next body of ``event_type`` (for ``tracking_id``, skipping others)."""
    while True:
        body = system.events[event_type].get(timeout=10).payload["body"]
        if tracking_id is None or body.get("tracking_id") == tracking_id:
            return body


def holder(system, tracking_id) -> str:
    return requests.get(f"{system.desk.url}/dispositions/{tracking_id}", timeout=5).json()[
        "agency_code"
    ]


def problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"urn:satupintu:problem:{slug}", body
    return body


# --- listing, reading, following up ---------------------------------------------------------


def test_the_holder_lists_reads_and_follows_up(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas", region_code="73.11.01", title="Obat")
    routed = next_event(system, "report_routed", tid)
    assert routed["agency_code"] == "KAB-73-11-DINKES"
    assert routed["first_followup_due_at"] and routed["resolution_due_at"]

    assert tid in desk.listed("dinkes.barru")
    assert tid in desk.listed("kominfo.barru")  # its government's coordinator sees it
    assert tid not in desk.listed("disdik.barru")  # another OPD does not
    assert tid in desk.listed("dinkes.barru", status="dispatched", category="kesehatan")
    assert tid not in desk.listed("dinkes.barru", status="in_progress")
    assert tid not in desk.listed("dinkes.barru", category="pendidikan")
    assert tid not in desk.listed("dinkes.barru", overdue="true")
    assert tid not in desk.listed("dinkes.barru", **{"from": "2999-01-01"})
    assert tid in desk.listed("dinkes.barru", **{"from": "2000-01-01", "to": "2999-12-31"})

    detail = desk.detail(tid, "dinkes.barru")
    assert detail["access"] == "holder" and detail["title"] == "Obat"
    assert detail["history"][0]["kind"] == "dispatched"
    trace = detail["history"][0]["trace"]
    assert any("KAB-73-11-DINKES" in line["en"] for line in trace)
    # each trace line: its step, Indonesian and English words, the agency by name and code
    chose = next(line for line in trace if line["step"] == "chose_local")
    assert chose["params"]["agency"] == "KAB-73-11-DINKES"
    assert chose["id"] == (
        "paling lokal: memilih Dinas Kesehatan Kabupaten Barru (KAB-73-11-DINKES), berwenang "
        "secara persis atas kesehatan.puskesmas, wilayah tingkat kabupaten/kota"
    )
    assert chose["en"].startswith("most_local: chose Dinas Kesehatan Kabupaten Barru (KAB-")
    assert {c["clock"] for c in detail["clocks"]} == {"first_followup", "resolution"}
    # intake does not offer the report's text yet: the desk says so and shows the rest
    assert detail["report"] is None and detail["report_available"] is False
    problem(desk("GET", f"/desk/dispositions/{tid}", "disdik.barru"), 403, "out-of-subtree")

    interim = {"text": "Petugas puskesmas sudah dihubungi.", "field_inspection": True}
    posted = desk("POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json=interim)
    assert posted.status_code == 201, posted.text
    assert posted.json()["status"] == "in_progress"
    event = next_event(system, "followup_posted", tid)
    assert (event["final"], event["field_inspection"], event["status"]) == (
        False,
        True,
        "in_progress",
    )
    # the field inspection gives the resolution clock 60 working days from dispatch
    assert event["resolution_due_at"] > routed["resolution_due_at"]
    assert tid in desk.listed("dinkes.barru", status="in_progress")

    final = {"text": "Stok obat sudah dipenuhi.", "final": True}
    posted = desk("POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json=final)
    assert posted.status_code == 201, posted.text
    event = next_event(system, "followup_posted", tid)
    assert event["status"] == "awaiting_feedback" and event["feedback_due_at"]
    clocks = {c["clock"]: c for c in desk.detail(tid)["clocks"]}
    assert not clocks["first_followup"]["running"] and not clocks["resolution"]["running"]
    assert clocks["feedback"]["running"]
    # after the final follow-up the agency waits for the reporter
    again = desk("POST", f"/desk/dispositions/{tid}/followups", "dinkes.barru", json=interim)
    problem(again, 409, "wrong-state")
    assert len(desk.detail(tid)["followups"]) == 2


def test_a_trace_stored_before_steps_existed_still_reads(system):
    """History written as plain English lines (before trace steps): a line a step says is read
    back into it (Indonesian too, agencies by name); any other comes back as it was."""
    tid = submit(system, category_id="kesehatan.puskesmas", region_code="73.11.01")
    next_event(system, "report_routed", tid)
    old = "most_local: passed over PROV-73-DINKES: less local (province vs regency level)"
    other = "most_local: chose KAB-73-11-DINKES"  # no step says just this
    engine = make_engine(system.routing.config["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(
            update(routing_history)
            .where(routing_history.c.tracking_id == tid)
            .values(trace=[old, other])
        )
    engine.dispose()
    read, kept = system.desk.detail(tid, "dinkes.barru")["history"][0]["trace"]
    assert read["step"] == "passed_over" and read["params"]["why"] == "less_local"
    assert read["id"] == (
        "paling lokal: melewati Dinas Kesehatan Provinsi Sulawesi Selatan (PROV-73-DINKES): "
        "kurang lokal (tingkat provinsi lawan kabupaten/kota)"
    )
    assert read["en"].endswith("(PROV-73-DINKES): less local (province vs regency level)")
    assert kept == {"step": None, "params": {}, "id": None, "en": other}


def test_a_follow_up_sent_twice_is_recorded_once(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas")
    path = f"/desk/dispositions/{tid}/followups"
    first = desk("POST", path, "dinkes.barru", json={"text": "Sedang diperiksa."})
    assert first.status_code == 201
    same = desk("POST", path, "dinkes.barru", json={"text": "Sedang diperiksa."})
    assert problem(same, 409, "duplicate-submission")["followup_id"] == first.json()["id"]
    keyed = {"Idempotency-Key": "klik-1"}
    body = {"text": "Tim turun ke lapangan."}
    assert desk("POST", path, "dinkes.barru", headers=keyed, json=body).status_code == 201
    repeat = desk("POST", path, "dinkes.barru", headers=keyed, json=body)
    problem(repeat, 409, "duplicate-submission")
    assert [f["text"] for f in desk.detail(tid)["followups"]] == [
        "Sedang diperiksa.",
        "Tim turun ke lapangan.",
    ]


def test_only_the_holder_acts_and_oversight_only_reads(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas")
    before = desk.detail(tid)
    body = {"text": "Bukan kami."}
    path = f"/desk/dispositions/{tid}/followups"
    problem(desk("POST", path, "disdik.barru", json=body), 403, "not-holder")
    problem(desk("POST", path, "dinkes.sulsel", json=body), 403, "not-holder")
    problem(desk("POST", path, "itwil.barru", json=body), 403, "read-only")
    assert desk.detail(tid, "itwil.barru")["access"] == "oversight"  # its government: read
    assert desk.detail(tid, "ombudsman")["access"] == "oversight"
    problem(desk("POST", path, json=body), 401, "unauthenticated")
    after = desk.detail(tid)
    assert (after["version"], after["followups"]) == (before["version"], [])


def test_bad_input_is_a_problem_and_changes_nothing(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan.puskesmas")
    before = desk.detail(tid)
    base = f"/desk/dispositions/{tid}"
    problem(desk("GET", "/desk/dispositions/LPR-0000-0000-0000", "nasional"), 404, "not-routed")
    malformed = desk("POST", f"{base}/decline", "dinkes.barru", data=b"{not json")
    problem(malformed, 400, "malformed-body")
    no_reason = problem(
        desk("POST", f"{base}/decline", "dinkes.barru", json={}), 422, "invalid-input"
    )
    assert no_reason["errors"][0]["field"] == "reason"
    blank = desk("POST", f"{base}/decline", "dinkes.barru", json={"reason": "   "})
    problem(blank, 422, "invalid-input")
    ghost = {"reason": "Bukan kewenangan kami", "suggested_agency_code": "KAB-73-11-HANTU"}
    unknown = problem(
        desk("POST", f"{base}/decline", "dinkes.barru", json=ghost), 422, "unknown-agency"
    )
    assert unknown["errors"][0]["field"] == "suggested_agency_code"
    to_ghost = desk("POST", f"{base}/dispatch", "kominfo.barru", json={"agency_code": "HANTU"})
    problem(to_ghost, 422, "unknown-agency")
    elsewhere = desk(
        "POST", f"{base}/dispatch", "kominfo.barru", json={"agency_code": "PROV-73-DINKES"}
    )
    problem(elsewhere, 403, "out-of-subtree")
    by_liaison = desk(
        "POST", f"{base}/dispatch", "dinkes.barru", json={"agency_code": "KAB-73-11-RSUD"}
    )
    problem(by_liaison, 403, "not-coordinator")
    problem(desk("POST", f"{base}/confirm", "kominfo.barru"), 409, "wrong-state")
    stale = desk(
        "POST",
        f"{base}/followups",
        "dinkes.barru",
        headers={"If-Match": '"999"'},
        json={"text": "Sudah ditangani."},
    )
    problem(stale, 412, "precondition-failed")
    extra = desk("POST", f"{base}/followups", "dinkes.barru", json={"text": "x", "colour": "red"})
    problem(extra, 422, "invalid-input")
    listing = desk("GET", "/desk/dispositions", "dinkes.barru", params={"status": "lost"})
    problem(listing, 422, "invalid-input")
    after = desk.detail(tid)
    assert after["version"] == before["version"]
    assert after["history"] == before["history"] and after["followups"] == after["declines"] == []
    assert drain(system.events["disposition_declined"]) == []


# --- not our authority -------------------------------------------------------------------


def test_a_decline_prefers_a_valid_suggestion_then_a_loop_goes_to_the_coordinator(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan", region_code="73.11")
    assert next_event(system, "report_routed", tid)["agency_code"] == "KAB-73-11-DINKES"
    decline = {
        "reason": "Rumah sakit yang dimaksud milik RSUD",
        "suggested_agency_code": "KAB-73-11-RSUD",
    }
    response = desk("POST", f"/desk/dispositions/{tid}/decline", "dinkes.barru", json=decline)
    assert response.status_code == 200, response.text
    assert response.json()["agency_code"] == "KAB-73-11-RSUD"
    declined = next_event(system, "disposition_declined", tid)
    assert (declined["agency_code"], declined["declines"]) == ("KAB-73-11-DINKES", 1)
    rerouted = next_event(system, "report_routed", tid)
    assert (rerouted["kind"], rerouted["rule"]) == ("redispatched", "suggested_agency")
    assert rerouted["previous_agency_code"] == "KAB-73-11-DINKES"
    # the agency that declined no longer holds it: a second click changes nothing
    again = desk("POST", f"/desk/dispositions/{tid}/decline", "dinkes.barru", json=decline)
    problem(again, 403, "not-holder")

    # RSUD sends it back to Dinkes, which declined it already: a loop, for the coordinator
    back = {"reason": "Ini urusan dinas kesehatan", "suggested_agency_code": "KAB-73-11-DINKES"}
    response = desk("POST", f"/desk/dispositions/{tid}/decline", "rsud.barru", json=back)
    assert response.json()["agency_code"] == "KAB-73-11-DISKOMINFO"
    queued = next_event(system, "manual_dispatch_queued", tid)
    assert (queued["coordinator_code"], queued["reason"]) == ("KAB-73-11-DISKOMINFO", "loop")
    assert (queued["coordinator_government_code"], queued["coordinator_province_code"]) == (
        "KAB-73-11",
        "PROV-73",
    )
    assert tid in desk.listed("kominfo.barru", queue="manual")
    assert tid not in desk.listed("rsud.barru")

    hand = {"agency_code": "KAB-73-11-DINKES", "note": "Dinkes tetap berwenang"}
    response = desk("POST", f"/desk/dispositions/{tid}/dispatch", "kominfo.barru", json=hand)
    assert response.status_code == 200, response.text
    manual = next_event(system, "report_routed", tid)
    assert (manual["agency_code"], manual["rule"], manual["kind"]) == (
        "KAB-73-11-DINKES",
        "manual",
        "redispatched",
    )
    public = requests.get(f"{desk.url}/dispositions/{tid}", timeout=5).json()
    assert [hop["kind"] for hop in public["history"]] == [
        "dispatched",
        "redispatched",
        "queued",
        "redispatched",
    ]
    assert [hop["agency_code"] for hop in public["history"]] == [
        "KAB-73-11-DINKES",
        "KAB-73-11-RSUD",
        "KAB-73-11-DISKOMINFO",
        "KAB-73-11-DINKES",
    ]
    assert [d["agency_code"] for d in public["declines"]] == ["KAB-73-11-DINKES", "KAB-73-11-RSUD"]
    assert public["agency_code"] == "KAB-73-11-DINKES" and public["rule"] == "manual"


def test_three_declines_go_to_the_coordinators_manual_queue(system):
    desk = system.desk
    tid = submit(system, category_id="kesehatan", region_code="73.11")
    expected = [
        ("dinkes.barru", "KAB-73-11-RSUD"),
        ("rsud.barru", "PROV-73-DINKES"),
        ("dinkes.sulsel", "KAB-73-11-DISKOMINFO"),
    ]
    for n, (who, next_holder) in enumerate(expected, start=1):
        reason = {"reason": f"Bukan kewenangan kami ({n})"}
        response = desk("POST", f"/desk/dispositions/{tid}/decline", who, json=reason)
        assert response.status_code == 200, response.text
        assert response.json()["declines"] == n
        assert holder(system, tid) == next_holder
    queued = next_event(system, "manual_dispatch_queued", tid)
    assert queued["reason"] == "three_declines"
    detail = desk.detail(tid, "kominfo.barru")
    assert detail["status"]["code"] == "awaiting_verification"
    assert [c["clock"] for c in detail["clocks"] if c["running"]] == ["verification"]


def test_no_competent_agency_queues_for_the_coordinator_who_may_pass_it_up(system):
    desk = system.desk
    # a kecamatan's own letters: no agency of the template without kecamatan units owns them
    tid = submit(system, category_id="administrasi_kependudukan.surat_pengantar")
    queued = next_event(system, "manual_dispatch_queued", tid)
    assert (queued["coordinator_code"], queued["reason"]) == (
        "KAB-73-11-DISKOMINFO",
        "no_competent_agency",
    )
    assert drain(system.events["report_routed"]) == []  # nobody acts on it yet
    detail = desk.detail(tid, "kominfo.barru")
    assert (detail["status"]["code"], detail["rule"]) == ("awaiting_verification", "coordinator")
    # Barru's coordinator says it is not its level: the province's coordinator takes it
    referred = {"reason": "Perlu keputusan provinsi"}
    response = desk("POST", f"/desk/dispositions/{tid}/decline", "kominfo.barru", json=referred)
    assert response.status_code == 200, response.text
    assert response.json()["agency_code"] == "PROV-73-DISKOMINFO"
    again = next_event(system, "manual_dispatch_queued", tid)
    assert again["coordinator_code"] == "PROV-73-DISKOMINFO"
    hops = desk.detail(tid)["history"]
    assert [hop["kind"] for hop in hops] == ["queued", "referred"]
    assert hops[-1]["from_agency_code"] == "KAB-73-11-DISKOMINFO"
    # Barru no longer holds it, but it is about a place in Barru: its coordinator still sees it
    assert desk.detail(tid, "kominfo.barru")["access"] == "location"


def test_the_desk_shows_the_report_text_intake_gives_it(
    system, container_factory, service_config, keys
):
    """Intake keeps content and identity; routing asks it (report_for_staff), passing on the
    staff member's own token, from which intake takes the viewer SPEC §3 makes of them. Here a
    stand-in intake verifies the token with the registry's public key, as intake does."""
    verifier = TokenVerifier(public_keys_from_pem(keys[1].read_bytes()))

    class IntakeWithText(emitter("intake")):
        @rpc
        def report_for_staff(self, tracking_id, agency_code, token):
            staff = verifier.verify(token)
            return {
                "tracking_id": tracking_id,
                "body": "Stok obat di puskesmas kosong.",
                "asked": {"agency": agency_code, "role": staff.role, "by": staff.username},
            }

    system.intake.stop()
    system.intake = container_factory(IntakeWithText, service_config("intake"))
    system.intake.start()
    tid = submit(system, category_id="kesehatan.puskesmas")
    liaison = system.desk.detail(tid, "dinkes.barru")
    assert liaison["report_available"] is True
    assert liaison["report"]["body"] == "Stok obat di puskesmas kosong."
    assert liaison["report"]["asked"] == {
        "agency": "KAB-73-11-DINKES",
        "role": "liaison",
        "by": "dinkes.barru",
    }
    coordinator = system.desk.detail(tid, "kominfo.barru")
    assert coordinator["report"]["asked"]["role"] == "coordinator_admin"
