"""A coordinator resets a staff member's password, on the real RabbitMQ and SQLite: a temporary
password shown once, the account's older tokens refused here and by another service, the
temporary password good only for setting a new one, an audit line that holds no password."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
import requests
from kombu import Connection
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.agency_registry.models import audit_log, staff
from services.agency_registry.service import AgencyRegistry
from shared.db import make_engine
from shared.staff_keys import generate_key_pair
from tests.factories import drain, wait_for, watch
from tests.interface.agency_registry.test_agency_registry import PASSWORD, STAFF, Client, add_staff
from tests.interface.agency_registry.test_agency_registry_staff import Desk

OTHERS = [
    ("kominfo.makassar", "coordinator_admin", "KAB-73-71-DISKOMINFO"),
    ("inspektorat.barru", "oversight_viewer", "KAB-73-11-INSPEKTORAT"),
]
NEW_PASSWORD = "sandi-" + secrets.token_urlsafe(12)  # made per run


@pytest.fixture(name="system")
def system_fixture(container_factory, service_config, registry_db, tmp_path):
    add_staff(registry_db, *STAFF, *OTHERS)
    generate_key_pair(tmp_path / "staff.key", tmp_path / "staff.pub")
    config = service_config(
        "agency_registry",
        DATABASE_URL=registry_db,
        STAFF_TOKEN_PRIVATE_KEY_FILE=str(tmp_path / "staff.key"),
        STAFF_TOKEN_PUBLIC_KEY_FILE=str(tmp_path / "staff.pub"),
    )
    registry = container_factory(AgencyRegistry, config)
    registry.start()
    desk_config = service_config("routing", STAFF_TOKEN_PUBLIC_KEY_FILE=str(tmp_path / "staff.pub"))
    desk_config.pop("STAFF_TOKEN_PRIVATE_KEY_FILE", None)
    desk = container_factory(Desk, desk_config)
    desk.start()
    client = Client(f"http://{config['WEB_SERVER_ADDRESS']}")
    return client, f"http://{desk_config['WEB_SERVER_ADDRESS']}", registry_db


def account_of(client, username: str) -> dict:
    items = client("GET", "/staff", "nasional", params={"limit": 200}).json()["items"]
    return next(a for a in items if a["username"] == username)


def token_login(client, username: str, password: str) -> requests.Response:
    return requests.post(
        f"{client.url}/auth/token", json={"username": username, "password": password}, timeout=10
    )


def test_a_reset_gives_a_temporary_password_once_and_ends_the_old_sessions(system, rabbit_config):
    client, desk, database_url = system
    target = account_of(client, "dinkes.barru")
    client.login("dinkes.barru")
    old = {"Authorization": f"Bearer {client.tokens['dinkes.barru']}"}
    assert requests.get(f"{desk}/whoami", headers=old, timeout=5).status_code == 200

    with Connection(rabbit_config["AMQP_URI"]) as conn:
        changes = watch(conn, "agency_registry", "staff_changed")
        reset = client("POST", f"/staff/{target['id']}/password-reset", "kominfo.barru")
        assert reset.status_code == 200, reset.text
        events = drain(changes, quiet=1.5)
        changes.close()
    assert reset.headers["Cache-Control"] == "no-store"
    answer = reset.json()
    temporary = answer["temporary_password"]
    assert len(temporary) == 14 and temporary.count("-") == 2
    assert answer["staff"]["password_change_required"] is True
    assert answer["staff"]["version"] == target["version"] + 1 == 2
    bodies = [event["body"] for event in events]
    assert [(b["staff_id"], b["version"], b["changed"]) for b in bodies] == [
        (target["id"], 2, ["password"])
    ]

    # the old token stops here at once, and on the other service once the event is there
    assert client("GET", "/staff/me", "dinkes.barru").status_code == 401
    wait_for(lambda: requests.get(f"{desk}/whoami", headers=old, timeout=5).status_code == 401)

    # neither the old password nor the temporary one opens a session
    assert token_login(client, "dinkes.barru", PASSWORD).status_code == 401
    pending = token_login(client, "dinkes.barru", temporary)
    assert (pending.status_code, pending.json()["type"]) == (
        403,
        "urn:satupintu:problem:password-change-required",
    )
    assert "token" not in pending.json()

    replace = f"{client.url}/auth/password"
    same = {"username": "dinkes.barru", "current_password": temporary}
    refused = requests.post(replace, json={**same, "new_password": temporary}, timeout=10)
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "new_password")
    wrong = requests.post(
        replace,
        json={
            **same,
            "current_password": "tebak-" + secrets.token_hex(6),
            "new_password": NEW_PASSWORD,
        },
        timeout=10,
    )
    assert wrong.status_code == 401
    chosen = requests.post(replace, json={**same, "new_password": NEW_PASSWORD}, timeout=10)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["staff"]["password_change_required"] is False
    fresh = {"Authorization": f"Bearer {chosen.json()['token']}"}
    me = requests.get(f"{client.url}/staff/me", headers=fresh, timeout=5)
    assert (me.status_code, me.json()["username"]) == (200, "dinkes.barru")
    assert requests.get(f"{desk}/whoami", headers=fresh, timeout=5).status_code == 200
    assert token_login(client, "dinkes.barru", temporary).status_code == 401
    assert token_login(client, "dinkes.barru", NEW_PASSWORD).status_code == 200

    trail = client("GET", "/audit?agency=KAB-73-11-DINKES", "kominfo.barru").json()["items"]
    lines = [(line["action"], line["actor"]["name"]) for line in trail]
    assert lines[:2] == [
        ("staff.password", "dinkes.barru"),
        ("staff.password_reset", "kominfo.barru"),
    ]
    engine = make_engine(database_url)
    with Session(engine) as session:
        stored = session.execute(select(audit_log.c.before, audit_log.c.after)).all()
    engine.dispose()
    assert not any(temporary in str(row) or NEW_PASSWORD in str(row) for row in stored)
    assert not any("argon2" in str(row) for row in stored)


def test_only_an_admin_over_the_account_resets_it(system):
    client, _, _ = system
    dinkes = account_of(client, "dinkes.barru")
    kominfo = account_of(client, "kominfo.barru")

    def reset(who: str, account: dict) -> tuple[int, str]:
        answer = client("POST", f"/staff/{account['id']}/password-reset", who)
        return answer.status_code, answer.json().get("type", "").rsplit(":", 1)[-1]

    assert reset("kominfo.makassar", dinkes) == (403, "out-of-subtree")
    assert reset("inspektorat.barru", dinkes) == (403, "not-permitted")  # oversight reads only
    assert reset("dinkes.barru", kominfo) == (403, "out-of-subtree")  # above it
    assert reset("kominfo.barru", kominfo) == (403, "not-permitted")  # its own: /staff/me
    missing = client("POST", "/staff/tidak-ada/password-reset", "kominfo.barru")
    assert missing.status_code == 404
    # nothing was reset: every password still works
    for username in ("dinkes.barru", "kominfo.barru"):
        assert token_login(client, username, PASSWORD).status_code == 200
    assert reset("nasional", kominfo)[0] == 200


def test_an_account_made_without_a_password_gets_a_temporary_one(system):
    client, _, _ = system
    body = {"username": "operator.baru", "full_name": "Operator Baru", "role": "liaison"}
    made = client(
        "POST", "/staff", "kominfo.barru", json={**body, "agency_code": "KAB-73-11-DINKES"}
    )
    assert made.status_code == 201, made.text
    assert made.headers["Cache-Control"] == "no-store"
    temporary = made.json()["temporary_password"]
    assert made.json()["password_change_required"] is True
    listed = account_of(client, "operator.baru")
    assert "temporary_password" not in listed and listed["password_change_required"] is True
    assert token_login(client, "operator.baru", temporary).status_code == 403
    chosen = requests.post(
        f"{client.url}/auth/password",
        json={
            "username": "operator.baru",
            "current_password": temporary,
            "new_password": NEW_PASSWORD,
        },
        timeout=10,
    )
    assert chosen.status_code == 200
    assert chosen.json()["staff"]["role"] == "liaison"


def test_a_temporary_password_past_its_time_opens_nothing_until_a_new_reset(system):
    client, _, database_url = system
    target = account_of(client, "dinkes.barru")
    reset = client("POST", f"/staff/{target['id']}/password-reset", "kominfo.barru")
    temporary = reset.json()["temporary_password"]
    engine = make_engine(database_url)
    with Session(engine) as session:
        until = session.execute(
            select(staff.c.temporary_until).where(staff.c.id == target["id"])
        ).scalar_one()
        made = datetime.now(UTC)
        assert until is not None
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
        assert timedelta(hours=71) < until - made <= timedelta(hours=72)
        session.execute(  # 72 hours later
            update(staff)
            .where(staff.c.id == target["id"])
            .values(temporary_until=made - timedelta(seconds=1))
        )
        session.commit()

    expired = "urn:satupintu:problem:temporary-password-expired"
    login = token_login(client, "dinkes.barru", temporary)
    assert (login.status_code, login.json()["type"]) == (403, expired)
    assert "token" not in login.json()
    change = requests.post(
        f"{client.url}/auth/password",
        json={
            "username": "dinkes.barru",
            "current_password": temporary,
            "new_password": NEW_PASSWORD,
        },
        timeout=10,
    )
    assert (change.status_code, change.json()["type"]) == (403, expired)
    with Session(engine) as session:  # nothing changed: the expired password is still the hash
        row = session.execute(select(staff).where(staff.c.id == target["id"])).one()
    assert row.must_change_password is True

    again = client("POST", f"/staff/{target['id']}/password-reset", "kominfo.barru")
    fresh = again.json()["temporary_password"]
    chosen = requests.post(
        f"{client.url}/auth/password",
        json={"username": "dinkes.barru", "current_password": fresh, "new_password": NEW_PASSWORD},
        timeout=10,
    )
    assert chosen.status_code == 200, chosen.text
    with Session(engine) as session:
        row = session.execute(select(staff).where(staff.c.id == target["id"])).one()
    engine.dispose()
    assert (row.must_change_password, row.temporary_until) == (False, None)
