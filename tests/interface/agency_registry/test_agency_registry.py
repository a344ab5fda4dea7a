"""The agency registry with the national template, on the real RabbitMQ and SQLite (one test on
PostgreSQL): lookups over RPC and HTTP, the registration workflow with its events, versions,
revisions and audit lines, and the problems it answers bad input with."""

import pytest
import requests
from kombu import Connection
from nameko.testing.services import entrypoint_hook
from sqlalchemy.orm import Session

from services.agency_registry import staff
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.commands import load_template
from services.agency_registry.errors import UnknownCategory
from services.agency_registry.service import AgencyRegistry
from shared.db import make_engine
from shared.staff_keys import generate_key_pair
from tests.factories import drain, watch

PASSWORD = "kata-sandi-uji-123"
PUSKESMAS = {
    "code": "KAB-73-11-DINKES-PKM-TANETE",
    "name": "UPT Puskesmas Tanete Riaja",
    "kind": "unit",
    "parent_code": "KAB-73-11-DINKES",
    "jurisdictions": ["73.11.01"],
    "competencies": ["kesehatan.puskesmas"],
}


def add_staff(database_url: str, *accounts) -> None:
    engine = make_engine(database_url)
    with Session(engine) as session, session.begin():
        log = AuditLog(session, Who("test", "test"), None)
        for username, role, agency in accounts:
            data = {"username": username, "full_name": username, "role": role}
            staff.create(session, log, None, {**data, "agency_code": agency, "password": PASSWORD})
    engine.dispose()


STAFF = [
    ("nasional", "national_admin", "KEMENPANRB"),
    ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("dinkes.barru", "agency_admin", "KAB-73-11-DINKES"),
]


def start(container_factory, service_config, database_url, tmp_path):
    generate_key_pair(tmp_path / "staff.key", tmp_path / "staff.pub")
    config = service_config(
        "agency_registry",
        DATABASE_URL=database_url,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(tmp_path / "staff.key"),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(tmp_path / "staff.pub"),
    )
    container = container_factory(AgencyRegistry, config)
    container.start()
    return container, Client(f"http://{config['WEB_SERVER_ADDRESS']}")


class Client:
    def __init__(self, url):
        self.url = url
        self.tokens = {}

    def login(self, username):
        response = requests.post(
            f"{self.url}/auth/token", json={"username": username, "password": PASSWORD}, timeout=10
        )
        assert response.status_code == 200, response.text
        self.tokens[username] = response.json()["token"]

    def __call__(self, method, path, who=None, **kwargs):
        if who is not None and who not in self.tokens:
            self.login(who)
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)


@pytest.fixture
def registry(container_factory, service_config, registry_db, tmp_path):
    add_staff(registry_db, *STAFF)
    return start(container_factory, service_config, registry_db, tmp_path)


@pytest.fixture
def agency_events(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queues = {
            event: watch(conn, "agency_registry", event)
            for event in ("agency_registered", "agency_updated", "agency_status_changed")
        }
        yield queues
        for queue in queues.values():
            queue.close()


def rpc(container, method, *args):
    with entrypoint_hook(container, method) as call:
        return call(*args)


def test_rpc_lookups(registry):
    container, _ = registry
    agency = rpc(container, "get_agency", "PROV-73-DISDIK")
    assert rpc(container, "get_agency", "NOPE") is None
    assert agency["path"] == ["KEMENPANRB", "PROV-73", "PROV-73-DISDIK"]
    assert agency["jurisdictions"] == ["73"]
    assert "pendidikan.sma" in agency["competencies"]
    assert agency["timezone"] == "Asia/Makassar"  # Sulawesi Selatan keeps WITA
    assert agency["version"] == 1
    assert [a["code"] for a in rpc(container, "ancestors", "KAB-73-11-DISDIK")] == [
        "KEMENPANRB",
        "PROV-73",
        "KAB-73-11",
    ]
    paged, after, revisions = [], None, set()
    while True:
        page = rpc(container, "snapshot_page", after, 4000)
        paged += page["agencies"]
        revisions.add(page["revision"])
        if (after := page["next"]) is None:
            break
    codes = [agency["code"] for agency in paged]
    assert len(set(codes)) == len(codes) > 10_000
    assert codes == sorted(codes)  # pages follow one another, none repeated
    assert {"KEMENPANRB", "OMBUDSMAN", "PROV-73", "KAB-73-11-DISKOMINFO"} <= set(codes)
    assert revisions == {rpc(container, "revision")}
    assert not hasattr(container.service_cls, "snapshot")  # no whole-registry message


def test_competence_and_coordinators(registry):
    container, client = registry
    # SPEC §6: a state senior high school in Barru is the province's business
    best = rpc(container, "competent_agencies", "pendidikan.sma", "73.11")[0]
    assert (best["code"], best["level"], best["match"]) == ("PROV-73-DISDIK", "province", "exact")
    primary = rpc(container, "competent_agencies", "pendidikan.sd", "73.11.01")
    assert primary[0]["code"] == "KAB-73-11-DISDIK"
    health = client("GET", "/competent-agencies?category_id=kesehatan&region_code=73.11").json()
    codes = [item["code"] for item in health["items"]]
    assert codes.index("KAB-73-11-DINKES") < codes.index("PROV-73-DINKES") < codes.index("KEMENKES")
    assert rpc(container, "coordinator_for", "73.11.01")["code"] == "KAB-73-11-DISKOMINFO"
    assert rpc(container, "coordinator_for", "")["code"] == "KEMENPANRB"
    assert client("GET", "/regions/73/coordinator").json()["code"] == "PROV-73-DISKOMINFO"
    with pytest.raises(UnknownCategory):
        rpc(container, "competent_agencies", "tidak.ada", "73.11")
    response = client("GET", "/competent-agencies?category_id=kesehatan&region_code=99.99")
    assert response.status_code == 422
    assert response.json()["type"] == "urn:satupintu:problem:unknown-region"
    assert response.json()["errors"][0]["field"] == "region_code"


def test_http_agency_ancestors_children_and_subtree(registry):
    _, client = registry
    barru = client("GET", "/agencies/KAB-73-11").json()
    assert barru["name"] == "Pemerintah Kabupaten Barru"
    page = client("GET", "/agencies/KAB-73-11/children?limit=5").json()
    assert len(page["items"]) == 5
    assert all(item["parent_code"] == "KAB-73-11" for item in page["items"])
    ancestors = client("GET", "/agencies/KAB-73-11-DISDIK/ancestors").json()["items"]
    assert [a["code"] for a in ancestors] == ["KEMENPANRB", "PROV-73", "KAB-73-11"]
    seen, after = [], None
    while True:
        query = "?limit=7" + (f"&after={after}" if after else "")
        page = client("GET", f"/agencies/PROV-73/subtree{query}").json()
        seen += [item["code"] for item in page["items"]]
        if (after := page["next"]) is None:
            break
    assert seen[0] == "PROV-73" and len(seen) == len(set(seen))
    assert all(code.startswith(("PROV-73", "KAB-73-")) for code in seen)
    assert len(seen) == 1 + 18 + 24 * (1 + 19)  # the province, its OPDs, 24 regencies with theirs
    response = client("GET", "/agencies/NOPE")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:satupintu:problem:not-found"


def test_registration_workflow_publishes_versioned_events(registry, agency_events):
    container, client = registry
    revision = rpc(container, "revision")
    created = client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS)
    assert created.status_code == 201, created.text
    assert (created.json()["status"], created.json()["version"]) == ("pending", 1)
    registered = agency_events["agency_registered"].get(timeout=10).payload
    assert registered["aggregate_id"] == PUSKESMAS["code"]
    assert registered["body"]["version"] == 1
    assert registered["body"]["revision"] == revision + 1
    assert registered["body"]["agency"]["status"] == "pending"
    assert registered["body"]["agency"]["path"][-2:] == ["KAB-73-11-DINKES", PUSKESMAS["code"]]
    # pending: not competent for anything yet
    local = rpc(container, "competent_agencies", "kesehatan.puskesmas", "73.11.01")
    assert PUSKESMAS["code"] not in {item["code"] for item in local}

    approved = client("POST", f"/agencies/{PUSKESMAS['code']}/approve", "kominfo.barru", json={})
    assert approved.status_code == 200, approved.text
    changed = agency_events["agency_status_changed"].get(timeout=10).payload["body"]
    assert (changed["status"], changed["previous_status"], changed["version"]) == (
        "active",
        "pending",
        2,
    )
    local = rpc(container, "competent_agencies", "kesehatan.puskesmas", "73.11.01")
    assert local[0]["code"] == PUSKESMAS["code"]  # the most local now

    edited = client(
        "PATCH",
        f"/agencies/{PUSKESMAS['code']}",
        "kominfo.barru",
        json={"competencies": ["kesehatan.puskesmas", "kesehatan.kesehatan_masyarakat"]},
    )
    assert edited.json()["version"] == 3
    updated = agency_events["agency_updated"].get(timeout=10).payload["body"]
    assert (updated["version"], updated["changed"]) == (3, ["competencies"])
    assert rpc(container, "revision") == revision + 3

    suspended = client(
        "POST", f"/agencies/{PUSKESMAS['code']}/suspend", "kominfo.barru", json={"reason": "banjir"}
    )
    assert suspended.json()["status"] == "suspended"
    body = agency_events["agency_status_changed"].get(timeout=10).payload["body"]
    assert (body["status"], body["reason"], body["version"]) == ("suspended", "banjir", 4)
    local = rpc(container, "competent_agencies", "kesehatan.puskesmas", "73.11.01")
    assert PUSKESMAS["code"] not in {item["code"] for item in local}

    trail = client("GET", f"/audit?agency={PUSKESMAS['code']}", "kominfo.barru").json()["items"]
    assert [line["action"] for line in trail] == [
        "agency.suspend",
        "agency.edit",
        "agency.approve",
        "agency.register",
    ]
    assert trail[2]["actor"]["name"] == "kominfo.barru"
    assert trail[2]["before"]["status"] == "pending" and trail[2]["after"]["status"] == "active"
    assert trail[0]["reason"] == "banjir"


def test_bad_input_gets_a_problem_and_changes_nothing(registry, agency_events):
    container, client = registry
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    revision = rpc(container, "revision")

    def problem(method, path, who, body, status, slug, field=None):
        response = client(method, path, who, json=body)
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert response.json()["type"] == f"urn:satupintu:problem:{slug}"
        if field:
            assert field in {error["field"] for error in response.json()["errors"]}

    problem("POST", "/agencies", "dinkes.barru", PUSKESMAS, 409, "duplicate-code", "code")
    problem(
        "POST",
        "/agencies",
        "dinkes.barru",
        {**PUSKESMAS, "code": "KAB-73-11-DINKES-X", "jurisdictions": ["73.99"]},
        422,
        "unknown-region",
        "jurisdictions.0",
    )
    problem(
        "POST",
        "/agencies",
        "dinkes.barru",
        {**PUSKESMAS, "code": "KAB-73-11-DINKES-X", "competencies": ["kesehatan.gigi"]},
        422,
        "unknown-category",
        "competencies.0",
    )
    problem(
        "POST",
        "/agencies",
        "dinkes.barru",
        {**PUSKESMAS, "code": "KAB-73-11-DINKES-X", "jurisdictions": ["73.71"]},
        422,
        "jurisdiction-outside-parent",
        "jurisdictions.0",
    )
    problem(
        "POST",
        "/agencies",
        "dinkes.barru",
        {**PUSKESMAS, "code": "bad code"},
        422,
        "invalid-input",
        "code",
    )
    # a cycle: Barru's government below one of its own offices
    problem(
        "PATCH",
        "/agencies/KAB-73-11",
        "nasional",
        {"parent_code": "KAB-73-11-DINKES"},
        409,
        "cycle",
    )
    problem(
        "PATCH",
        "/agencies/KAB-73-11-DINKES",
        "nasional",
        {"parent_code": "KAB-73-11-DINKES"},
        409,
        "cycle",
    )
    code = PUSKESMAS["code"]
    problem("POST", f"/agencies/{code}/reject", "kominfo.barru", {}, 422, "invalid-input", "reason")
    problem("POST", "/agencies/KAB-73-11-DINKES/approve", "nasional", {}, 409, "invalid-transition")
    problem(
        "POST",
        f"/agencies/{code}/suspend",
        "nasional",
        {"reason": "uji"},
        409,
        "invalid-transition",
    )
    assert rpc(container, "revision") == revision
    assert drain(agency_events["agency_updated"]) == []
    assert drain(agency_events["agency_status_changed"]) == []


def test_the_registrant_cannot_approve_their_own_registration(registry):
    _, client = registry
    body = {**PUSKESMAS, "parent_code": "KAB-73-11", "code": "KAB-73-11-UPT-PASAR"}
    assert client("POST", "/agencies", "kominfo.barru", json=body).status_code == 201
    own = client("POST", "/agencies/KAB-73-11-UPT-PASAR/approve", "kominfo.barru", json={})
    assert (own.status_code, own.json()["type"]) == (403, "urn:satupintu:problem:own-registration")
    assert client("POST", "/agencies/KAB-73-11-UPT-PASAR/approve", "nasional").status_code == 200


def test_moving_an_agency_moves_its_subtree(registry, agency_events):
    container, client = registry
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    assert client("POST", f"/agencies/{PUSKESMAS['code']}/approve", "nasional").status_code == 200
    for queue in agency_events.values():
        drain(queue)
    # Barru's RSUD becomes a unit of its Dinas Kesehatan, and the puskesmas goes along
    moved = client(
        "PATCH", "/agencies/KAB-73-11-DINKES", "nasional", json={"parent_code": "KAB-73-11-RSUD"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == [
        "KEMENPANRB",
        "PROV-73",
        "KAB-73-11",
        "KAB-73-11-RSUD",
        "KAB-73-11-DINKES",
    ]
    unit = rpc(container, "get_agency", PUSKESMAS["code"])
    assert unit["path"][-3:] == ["KAB-73-11-RSUD", "KAB-73-11-DINKES", PUSKESMAS["code"]]
    assert unit["version"] == 3
    bodies = {}
    for _ in range(2):
        body = agency_events["agency_updated"].get(timeout=10).payload["body"]
        bodies[body["code"]] = body
    assert set(bodies) == {"KAB-73-11-DINKES", PUSKESMAS["code"]}
    assert bodies[PUSKESMAS["code"]]["changed"] == ["path"]
    assert bodies["KAB-73-11-DINKES"]["revision"] == bodies[PUSKESMAS["code"]]["revision"]
    subtree = client("GET", "/agencies/KAB-73-11-RSUD/subtree").json()["items"]
    assert [item["code"] for item in subtree] == [
        "KAB-73-11-RSUD",
        "KAB-73-11-DINKES",
        PUSKESMAS["code"],
    ]


def test_on_postgresql(container_factory, service_config, pg_database, tmp_path, agency_events):
    url = pg_database()
    load_template(with_districts=False, database_url=url)
    load_template(with_districts=False, database_url=url)  # idempotent
    add_staff(url, *STAFF)
    container, client = start(container_factory, service_config, url, tmp_path)
    assert rpc(container, "revision") == 1
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    assert (
        client("POST", f"/agencies/{PUSKESMAS['code']}/approve", "kominfo.barru").status_code == 200
    )
    assert agency_events["agency_status_changed"].get(timeout=10).payload["body"]["version"] == 2
    subtree = client("GET", "/agencies/KAB-73-11-DINKES/subtree").json()["items"]
    assert [item["code"] for item in subtree] == ["KAB-73-11-DINKES", PUSKESMAS["code"]]
    local = rpc(container, "competent_agencies", "kesehatan.puskesmas", "73.11.01")
    assert local[0]["code"] == PUSKESMAS["code"]
    assert rpc(container, "revision") == 3
