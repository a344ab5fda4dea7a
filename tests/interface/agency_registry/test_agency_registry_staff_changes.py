"""The registry tells every service of a change to a staff account's authority: staff_changed
through its outbox on the real RabbitMQ, and the staff_changes RPC for a process that starts."""

import time

import pytest
from kombu import Connection

from shared.auth import TokenVerifier
from shared.staff_keys import public_keys_from_config
from tests.factories import watch
from tests.interface.agency_registry.test_agency_registry import STAFF, add_staff, rpc, start


@pytest.fixture(name="registry")
def registry_fixture(container_factory, service_config, registry_db, tmp_path):
    add_staff(registry_db, *STAFF)
    return start(container_factory, service_config, registry_db, tmp_path)


@pytest.fixture(name="changes")
def changes_fixture(rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = watch(conn, "agency_registry", "staff_changed")
        yield queue
        queue.close()


def drain(queue, seconds: float = 1.5) -> list[dict]:
    found, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            message = queue.get(timeout=0.2)
        except queue.Empty:
            continue
        found.append(message.payload["body"])
        message.ack()
    return found


def dinkes(client) -> dict:
    items = client("GET", "/staff", "nasional", params={"limit": 100}).json()["items"]
    return next(a for a in items if a["username"] == "dinkes.barru")


def test_authority_changes_are_published_once_each_and_listed(registry, changes):
    container, client = registry
    account = dinkes(client)
    assert rpc(container, "staff_changes") == []

    name = client("PATCH", f"/staff/{account['id']}", "nasional", json={"full_name": "Baru"})
    assert name.status_code == 200  # a new name: the holder's powers are what they were
    gone = client("POST", f"/staff/{account['id']}/deactivate", "nasional")
    assert gone.status_code == 200
    found = drain(changes)
    assert len(found) == 1
    event = found[0]
    # created at version 1, renamed to 2, deactivated to 3
    assert (event["staff_id"], event["version"], event["status"]) == (
        account["id"],
        3,
        "deactivated",
    )
    assert (event["role"], event["agency_code"], event["changed"]) == (
        "agency_admin",
        "KAB-73-11-DINKES",
        ["status"],
    )
    assert event["scope_code"] == "KAB-73-11-DINKES"
    assert rpc(container, "staff_changes") == [{"staff_id": account["id"], "version": 3}]

    back = client("POST", f"/staff/{account['id']}/reactivate", "nasional")
    moved = client(
        "PATCH", f"/staff/{account['id']}", "nasional", json={"agency_code": "KAB-73-11-DISDIK"}
    )
    assert (back.status_code, moved.status_code) == (200, 200)
    assert [(e["version"], e["changed"]) for e in drain(changes)] == [
        (4, ["status"]),
        (5, ["agency_code"]),
    ]
    assert rpc(container, "staff_changes") == [{"staff_id": account["id"], "version": 5}]


def test_a_token_carries_the_accounts_version(registry):
    container, client = registry
    account = dinkes(client)
    client.login("dinkes.barru")
    verifier = TokenVerifier(public_keys_from_config(container.config))
    assert verifier.verify(client.tokens["dinkes.barru"]).version == account["version"] == 1
