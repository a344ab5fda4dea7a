"""Every registry endpoint, called by every role from inside and from outside the subtree it
acts on, on the real RabbitMQ and a SQLite copy of the national template (nothing faked).

The subtree acted on is Dinas Kesehatan of Kabupaten Barru (KAB-73-11-DINKES). "Inside" staff
work in Barru (its Diskominfo coordinator, the Dinkes admin and liaison, the Inspektorat's
oversight viewer); "outside" staff hold the same roles in Kota Makassar (KAB-73-71). A national
admin is inside everything, so it has no outside case.
"""

import shutil
import uuid

import pytest
import requests
from sqlalchemy.orm import Session

from services.agency_registry import staff
from services.agency_registry.audit import AuditLog, Who
from services.agency_registry.service import AgencyRegistry
from shared.auth import TokenSigner
from shared.db import make_engine
from shared.staff_keys import generate_key_pair, load_private_key_file

PASSWORD = "kata-sandi-uji-123"
TARGET = "KAB-73-11-DINKES"
ACCOUNTS = {
    # name: (role, agency)
    "national": ("national_admin", "KEMENPANRB"),
    "coordinator_in": ("coordinator_admin", "KAB-73-11-DISKOMINFO"),
    "agency_admin_in": ("agency_admin", "KAB-73-11-DINKES"),
    "liaison_in": ("liaison", "KAB-73-11-DINKES"),
    "oversight_in": ("oversight_viewer", "KAB-73-11-INSPEKTORAT"),
    "coordinator_out": ("coordinator_admin", "KAB-73-71-DISKOMINFO"),
    "agency_admin_out": ("agency_admin", "KAB-73-71-DINKES"),
    "liaison_out": ("liaison", "KAB-73-71-DINKES"),
    "oversight_out": ("oversight_viewer", "KAB-73-71-INSPEKTORAT"),
    # helpers that set the scene, not callers under test
    "registrar": ("agency_admin", "KAB-73-11-DINKES"),
    "target": ("liaison", "KAB-73-11-DINKES"),
}
CALLERS = [name for name in ACCOUNTS if name not in ("registrar", "target")] + ["anonymous"]
INSIDE = {"national", "coordinator_in", "agency_admin_in", "liaison_in", "oversight_in"}


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    generate_key_pair(folder / "staff.key", folder / "staff.pub")
    return folder / "staff.key", folder / "staff.pub"


@pytest.fixture(scope="module")
def staffed_db(template_db, tmp_path_factory, keys):
    """The template with one account per entry of ACCOUNTS; (path, {name: (id, token)})."""
    path = tmp_path_factory.mktemp("staffed") / "agency_registry.db"
    shutil.copy(template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    signer = TokenSigner(load_private_key_file(keys[0]))
    accounts = {}
    with Session(engine) as session, session.begin():
        log = AuditLog(session, Who("test", "test"), None)
        for name, (role, agency) in ACCOUNTS.items():
            data = {
                "username": name.replace("_", "."),
                "full_name": name,
                "role": role,
                "agency_code": agency,
                "password": PASSWORD,
            }
            account = staff.create(session, log, None, data)
            token, _ = signer.issue(account["id"], account["username"], role, agency, agency)
            accounts[name] = (account["id"], token)
    engine.dispose()
    return path, accounts


class Api:
    def __init__(self, url: str, accounts: dict):
        self.url = url
        self.accounts = accounts

    def call(self, who: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {}
        if who != "anonymous":
            headers["Authorization"] = f"Bearer {self.accounts[who][1]}"
        return requests.request(method, self.url + path, headers=headers, timeout=15, **kwargs)

    def id_of(self, who: str) -> str:
        return self.accounts[who][0]

    def pending(self) -> str:
        """A fresh registration below TARGET, by the registrar (so anyone else may decide it)."""
        code = f"{TARGET}-PKM-{uuid.uuid4().hex[:6].upper()}"
        body = {
            "code": code,
            "name": "UPT Puskesmas Uji",
            "kind": "unit",
            "parent_code": TARGET,
            "jurisdictions": ["73.11.01"],
            "competencies": ["kesehatan.puskesmas"],
        }
        response = self.call("registrar", "POST", "/agencies", json=body)
        assert response.status_code == 201, response.text
        return code

    def active(self) -> str:
        code = self.pending()
        assert self.call("national", "POST", f"/agencies/{code}/approve").status_code == 200
        return code

    def suspended(self) -> str:
        code = self.active()
        response = self.call(
            "national", "POST", f"/agencies/{code}/suspend", json={"reason": "uji"}
        )
        assert response.status_code == 200
        return code


@pytest.fixture
def api(container_factory, service_config, staffed_db, keys, tmp_path):
    path, accounts = staffed_db
    copy = tmp_path / "agency_registry.db"
    shutil.copy(path, copy)
    config = service_config(
        "agency_registry",
        DATABASE_URL=f"sqlite:///{copy}",
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container_factory(AgencyRegistry, config).start()
    return Api(f"http://{config['WEB_SERVER_ADDRESS']}", accounts)


def expect(allowed: set[str], ok: int, denied: int = 403, public: bool = False) -> dict:
    """The status each caller should get: ``ok`` for ``allowed``, 401 for anonymous."""
    table = {}
    for caller in CALLERS:
        if caller in allowed:
            table[caller] = ok
        elif caller == "anonymous" and not public:
            table[caller] = 401
        else:
            table[caller] = denied
    return table


EVERYONE = set(CALLERS)
ADMINS_IN = {"national", "coordinator_in", "agency_admin_in"}
COORDINATORS_IN = {"national", "coordinator_in"}
READERS_IN = ADMINS_IN | {"oversight_in"}
STAFF = set(CALLERS) - {"anonymous"}

# endpoint: (how to call it as ``who``, the status each caller should get)
ENDPOINTS = {
    "GET /agencies/<active>": (
        lambda api, who: api.call(who, "GET", f"/agencies/{TARGET}"),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /agencies/<pending>": (
        lambda api, who: api.call(who, "GET", f"/agencies/{api.pending()}"),
        expect(INSIDE, 200, denied=404, public=False) | {"anonymous": 404},
    ),
    "GET /agencies/<pending>/ancestors": (
        lambda api, who: api.call(who, "GET", f"/agencies/{api.pending()}/ancestors"),
        expect(INSIDE, 200, denied=404) | {"anonymous": 404},
    ),
    "GET /agencies/<active>/ancestors": (
        lambda api, who: api.call(who, "GET", f"/agencies/{TARGET}/ancestors"),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /agencies/<active>/children": (
        lambda api, who: api.call(who, "GET", f"/agencies/{TARGET}/children"),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /agencies/<active>/subtree": (
        lambda api, who: api.call(who, "GET", "/agencies/KAB-73-11/subtree?limit=50"),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /competent-agencies": (
        lambda api, who: api.call(
            who, "GET", "/competent-agencies?category_id=kesehatan&region_code=73.11"
        ),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /regions/<code>/coordinator": (
        lambda api, who: api.call(who, "GET", "/regions/73.11.01/coordinator"),
        expect(EVERYONE, 200, public=True),
    ),
    "GET /registrations": (
        lambda api, who: api.call(who, "GET", f"/registrations?agency={TARGET}"),
        expect(READERS_IN, 200),
    ),
    "POST /agencies": (
        lambda api, who: api.call(
            who,
            "POST",
            "/agencies",
            json={
                "code": f"{TARGET}-UPT-{uuid.uuid4().hex[:6].upper()}",
                "name": "UPT Laboratorium Kesehatan",
                "kind": "unit",
                "parent_code": TARGET,
                "jurisdictions": ["73.11"],
                "competencies": ["kesehatan.kesehatan_masyarakat"],
            },
        ),
        expect(ADMINS_IN, 201),
    ),
    "PATCH /agencies/<pending>": (
        lambda api, who: api.call(
            who, "PATCH", f"/agencies/{api.pending()}", json={"name": "UPT Puskesmas Tanete"}
        ),
        expect(ADMINS_IN, 200),
    ),
    "PATCH /agencies/<active>": (
        lambda api, who: api.call(
            who, "PATCH", f"/agencies/{api.active()}", json={"name": "UPT Puskesmas Barru"}
        ),
        expect(COORDINATORS_IN, 200),
    ),
    "POST /agencies/<pending>/approve": (
        lambda api, who: api.call(who, "POST", f"/agencies/{api.pending()}/approve", json={}),
        expect(COORDINATORS_IN, 200),
    ),
    "POST /agencies/<pending>/reject": (
        lambda api, who: api.call(
            who, "POST", f"/agencies/{api.pending()}/reject", json={"reason": "duplikat"}
        ),
        expect(COORDINATORS_IN, 200),
    ),
    "POST /agencies/<active>/suspend": (
        lambda api, who: api.call(
            who, "POST", f"/agencies/{api.active()}/suspend", json={"reason": "renovasi"}
        ),
        expect(COORDINATORS_IN, 200),
    ),
    "POST /agencies/<suspended>/reactivate": (
        lambda api, who: api.call(who, "POST", f"/agencies/{api.suspended()}/reactivate"),
        expect(COORDINATORS_IN, 200),
    ),
    "POST /staff": (
        lambda api, who: api.call(
            who,
            "POST",
            "/staff",
            json={
                "username": f"operator.{uuid.uuid4().hex[:8]}",
                "full_name": "Operator Dinkes",
                "role": "liaison",
                "agency_code": TARGET,
                "password": PASSWORD,
            },
        ),
        expect(ADMINS_IN, 201),
    ),
    "GET /staff": (
        lambda api, who: api.call(who, "GET", f"/staff?agency={TARGET}"),
        expect(ADMINS_IN, 200),
    ),
    "GET /staff/<id>": (
        lambda api, who: api.call(who, "GET", f"/staff/{api.id_of('target')}"),
        expect(ADMINS_IN, 200),
    ),
    "PATCH /staff/<id>": (
        lambda api, who: api.call(
            who, "PATCH", f"/staff/{api.id_of('target')}", json={"full_name": f"Nama {who}"}
        ),
        expect(ADMINS_IN, 200),
    ),
    "POST /staff/<id>/deactivate": (
        lambda api, who: _then_reactivate(
            api, api.call(who, "POST", f"/staff/{api.id_of('target')}/deactivate")
        ),
        expect(ADMINS_IN, 200),
    ),
    "POST /staff/<id>/reactivate": (
        lambda api, who: _deactivated_first(
            api, lambda: api.call(who, "POST", f"/staff/{api.id_of('target')}/reactivate")
        ),
        expect(ADMINS_IN, 200),
    ),
    "GET /audit": (
        lambda api, who: api.call(who, "GET", f"/audit?agency={TARGET}"),
        expect(READERS_IN, 200),
    ),
    "GET /staff/me": (
        lambda api, who: api.call(who, "GET", "/staff/me"),
        expect(STAFF, 200),
    ),
    "POST /staff/me/password": (
        lambda api, who: api.call(
            who,
            "POST",
            "/staff/me/password",
            json={"current_password": PASSWORD, "new_password": PASSWORD},
        ),
        expect(STAFF, 204),
    ),
}


def _then_reactivate(api: Api, response):
    if response.status_code == 200:
        target = api.id_of("target")
        assert api.call("national", "POST", f"/staff/{target}/reactivate").status_code == 200
    return response


def _deactivated_first(api: Api, call):
    target = api.id_of("target")
    assert api.call("national", "POST", f"/staff/{target}/deactivate").status_code == 200
    response = call()
    if response.status_code != 200:
        assert api.call("national", "POST", f"/staff/{target}/reactivate").status_code == 200
    return response


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_every_role_inside_and_outside_the_subtree(api, endpoint):
    call, expected = ENDPOINTS[endpoint]
    got = {}
    for who in CALLERS:
        response = call(api, who)
        got[who] = response.status_code
        if response.status_code >= 400:
            assert response.headers["Content-Type"].startswith("application/problem+json")
            assert response.json()["status"] == response.status_code
    mismatches = {who: (got[who], expected[who]) for who in CALLERS if got[who] != expected[who]}
    assert mismatches == {}, f"{endpoint}: caller -> (got, expected)"


def test_out_of_subtree_refusals_say_so(api):
    response = api.call("coordinator_out", "POST", f"/agencies/{api.pending()}/approve")
    problem = response.json()
    assert (response.status_code, problem["type"]) == (403, "urn:satupintu:problem:out-of-subtree")
    assert "KAB-73-71" in problem["detail"]
    response = api.call("liaison_in", "POST", "/staff", json={"username": "x"})
    assert response.status_code == 422  # the body is checked before the powers
    response = api.call("liaison_in", "GET", f"/staff?agency={TARGET}")
    assert response.json()["type"] == "urn:satupintu:problem:not-permitted"


def test_lists_show_registrations_only_inside_the_scope(api):
    code = api.pending()
    for who in CALLERS:
        items = api.call(who, "GET", f"/agencies/{TARGET}/children?limit=500").json()["items"]
        assert (code in {item["code"] for item in items}) == (who in INSIDE), who
    inside = api.call("coordinator_in", "GET", "/registrations").json()["items"]
    assert code in {item["code"] for item in inside}
    outside = api.call("coordinator_out", "GET", "/registrations").json()["items"]
    assert code not in {item["code"] for item in outside}
