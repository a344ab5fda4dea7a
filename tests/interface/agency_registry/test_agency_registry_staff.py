"""Staff accounts, logging in and tokens, on the real RabbitMQ and SQLite: a token the registry
issues is checked by another service holding only the public key, with the registry stopped."""

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.agency_registry.models import audit_log
from services.agency_registry.service import AgencyRegistry
from shared.auth import StaffTokens
from shared.db import make_engine
from shared.staff_keys import generate_key_pair
from shared.web import http
from tests.interface.agency_registry.test_agency_registry import PASSWORD, STAFF, Client, add_staff


class Desk:
    """Stands in for any other service: it verifies staff tokens and knows nothing else."""

    name = "desk"
    staff_tokens = StaffTokens()

    @http("GET", "/whoami")
    def whoami(self, request):
        claims = self.staff_tokens.require(request)
        return {"role": claims.role, "agency": claims.agency_code, "scope": claims.scope_code}


@pytest.fixture
def keys(tmp_path):
    generate_key_pair(tmp_path / "staff.key", tmp_path / "staff.pub")
    return tmp_path / "staff.key", tmp_path / "staff.pub"


@pytest.fixture
def registry(container_factory, service_config, registry_db, keys):
    add_staff(registry_db, *STAFF)
    config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(keys[0]),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]),
    )
    container = container_factory(AgencyRegistry, config)
    container.start()
    return container, Client(f"http://{config['WEB_SERVER_ADDRESS']}"), registry_db


@pytest.fixture
def desk(container_factory, service_config, keys):
    # only the public half: the desk could not issue a token if it tried
    config = service_config("routing", STAFF_TOKEN_PUBLIC_KEY_FILE=str(keys[1]))
    config.pop("STAFF_TOKEN_PRIVATE_KEY_FILE", None)
    container = container_factory(Desk, config)
    container.start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


def test_another_service_verifies_tokens_with_the_public_key_alone(registry, desk):
    container, client, _ = registry
    client.login("kominfo.barru")
    token = client.tokens["kominfo.barru"]
    container.stop()  # no call to the registry from here on
    me = requests.get(f"{desk}/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert me.json() == {
        "role": "coordinator_admin",
        "agency": "KAB-73-11-DISKOMINFO",
        "scope": "KAB-73-11",  # a Diskominfo coordinates its whole regency
    }
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for headers in ({"Authorization": f"Bearer {forged}"}, {}):
        response = requests.get(f"{desk}/whoami", headers=headers, timeout=5)
        assert response.status_code == 401
        assert response.json()["type"] == "urn:satupintu:problem:unauthenticated"


def test_login_does_not_tell_which_usernames_exist(registry):
    _, client, _ = registry
    wrong = requests.post(
        f"{client.url}/auth/token",
        json={"username": "nasional", "password": "salah-sekali"},
        timeout=10,
    )
    unknown = requests.post(
        f"{client.url}/auth/token",
        json={"username": "siapa", "password": "salah-sekali"},
        timeout=10,
    )
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()["type"] == unknown.json()["type"] == "urn:satupintu:problem:wrong-credentials"
    )
    wrong, unknown = (
        {key: value for key, value in r.json().items() if key != "correlation_id"}
        for r in (wrong, unknown)
    )
    assert wrong == unknown


def test_staff_lifecycle_with_audit(registry):
    _, client, database_url = registry
    created = client(
        "POST",
        "/staff",
        "kominfo.barru",
        json={
            "username": "Operator.Dinkes",
            "full_name": "Operator Dinkes Barru",
            "email": "operator@barrukab.go.id",
            "role": "liaison",
            "agency_code": "KAB-73-11-DINKES",
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["username"] == "operator.dinkes" and "password_hash" not in account
    client.login("operator.dinkes")
    me = client("GET", "/staff/me", "operator.dinkes").json()
    assert (me["role"], me["scope"]) == ("liaison", "KAB-73-11-DINKES")

    promoted = client(
        "PATCH", f"/staff/{account['id']}", "kominfo.barru", json={"role": "agency_admin"}
    )
    assert promoted.json()["role"] == "agency_admin" and promoted.json()["version"] == 2
    # the registry reads the account on every request: the old token carries the new role
    listing = client("GET", "/staff?agency=KAB-73-11-DINKES", "operator.dinkes")
    assert listing.status_code == 200
    assert "operator.dinkes" in {item["username"] for item in listing.json()["items"]}

    # a coordinator cannot hand out powers above its own, nor reach outside its subtree
    too_high = client(
        "PATCH", f"/staff/{account['id']}", "kominfo.barru", json={"role": "national_admin"}
    )
    assert too_high.status_code == 403
    elsewhere = client(
        "PATCH",
        f"/staff/{account['id']}",
        "kominfo.barru",
        json={"agency_code": "KAB-73-71-DINKES"},
    )
    assert (elsewhere.status_code, elsewhere.json()["type"]) == (
        403,
        "urn:satupintu:problem:out-of-subtree",
    )

    off = client("POST", f"/staff/{account['id']}/deactivate", "kominfo.barru")
    assert off.json()["status"] == "deactivated"
    assert client("GET", "/staff/me", "operator.dinkes").status_code == 401  # at once, here
    relogin = requests.post(
        f"{client.url}/auth/token",
        json={"username": "operator.dinkes", "password": PASSWORD},
        timeout=10,
    )
    assert relogin.status_code == 401
    assert client("POST", f"/staff/{account['id']}/reactivate", "kominfo.barru").status_code == 200
    assert client("GET", "/staff/me", "operator.dinkes").status_code == 200

    changed = client(
        "POST",
        "/staff/me/password",
        "operator.dinkes",
        json={"current_password": "salah-sekali", "new_password": "baru-dan-panjang-1"},
    )
    assert changed.status_code == 422
    assert changed.json()["errors"][0]["field"] == "current_password"

    trail = client("GET", "/audit?agency=KAB-73-11-DINKES", "kominfo.barru").json()["items"]
    actions = [line["action"] for line in trail if line["target"]["id"] == account["id"]]
    assert actions == ["staff.reactivate", "staff.deactivate", "staff.edit", "staff.create"]
    edit = next(line for line in trail if line["action"] == "staff.edit")
    assert (edit["before"]["role"], edit["after"]["role"]) == ("liaison", "agency_admin")
    engine = make_engine(database_url)
    with Session(engine) as session:
        stored = session.execute(select(audit_log.c.before, audit_log.c.after)).all()
    engine.dispose()
    assert not any("argon2" in str(row) or PASSWORD in str(row) for row in stored)


def test_account_rules(registry):
    _, client, _ = registry

    def create(role, agency, username="akun.baru", password=PASSWORD):
        body = {"username": username, "full_name": "Akun Baru", "role": role, "agency_code": agency}
        return client("POST", "/staff", "nasional", json={**body, "password": password})

    assert create("coordinator_admin", "KAB-73-11-DINKES").json()["type"] == (
        "urn:satupintu:problem:not-permitted"  # Dinkes is not a coordinator
    )
    assert create("national_admin", "PROV-73").status_code == 403
    weak = create("liaison", "KAB-73-11-DINKES", password="pendek")
    assert (weak.status_code, weak.json()["errors"][0]["field"]) == (422, "password")
    assert create("liaison", "KAB-73-11-DINKES").status_code == 201
    taken = create("liaison", "KAB-73-11-DINKES", username="Akun.Baru")
    assert (taken.status_code, taken.json()["type"]) == (
        409,
        "urn:satupintu:problem:duplicate-username",
    )
    unknown = create("liaison", "TIDAK-ADA")
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "agency_code")
