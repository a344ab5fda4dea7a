"""Notification's operational endpoints on the real RabbitMQ and SQLite: only a national admin's
staff token lists or replays deliveries, and no listing names a reporter or carries what opens
their inbox (SPEC §3: anonymous and confidential identity reaches no person)."""

import json

import pytest
import requests

from services.notification.service import Notification
from tests.factories import wait_for
from tests.interface.notification.notification_stage import (
    dispatch,
    file_report,
    national,
    staff_token,
    statuses,
)

# the stand-in intake and routing, and the outside servers (fixtures)
pytest_plugins = ["tests.interface.notification.notification_stage"]

# every role but national_admin, each at an agency where such an account can sit
NOT_OPS = [
    ("coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("agency_admin", "KAB-73-11-DINKES"),
    ("liaison", "PROV-73-DISDIK"),
    ("oversight_viewer", "OMBUDSMAN"),
]
LISTED = {
    "id",
    "event_id",
    "recipient_kind",
    "tracking_id",
    "channel",
    "kind",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
}


@pytest.fixture
def notification(container_factory, notification_config):
    config = notification_config()
    container = container_factory(Notification, config)
    container.start()
    container.url = f"http://{config['WEB_SERVER_ADDRESS']}"
    return container


def bearer(config, role, agency) -> dict:
    return {
        "Authorization": f"Bearer {staff_token(config['STAFF_TOKEN_PRIVATE_KEY_FILE'], agency, role)}"
    }


def test_deliveries_and_replay_need_a_national_admins_token(notification, intake, routing, outside):
    config = notification.config
    refusing = outside["refusing"].start()
    tracking_id = file_report(intake, notification, {"phone": "+6283333333333"}, "sms")
    dispatch(routing, notification, tracking_id, channel="sms")
    [dead] = wait_for(lambda: statuses(config, "dead"))
    refusing.stop()
    listing, replay = f"{notification.url}/deliveries", f"{notification.url}/deliveries/replay"

    for anonymous in (
        requests.get(f"{listing}?status=dead", timeout=5),
        requests.get(listing, headers={"Authorization": "Bearer not-a-token"}, timeout=5),
        requests.post(replay, json={"ids": [dead["id"]]}, timeout=5),
    ):
        assert anonymous.status_code == 401
        assert anonymous.headers["Content-Type"].startswith("application/problem+json")
        assert tracking_id not in anonymous.text
    for role, agency in NOT_OPS:
        headers = bearer(config, role, agency)
        seen = requests.get(f"{listing}?status=dead", headers=headers, timeout=5)
        assert seen.status_code == 403, role
        assert tracking_id not in seen.text
        again = requests.post(replay, json={"ids": [dead["id"]]}, headers=headers, timeout=5)
        assert again.status_code == 403, role
    assert [item["id"] for item in statuses(config, "dead")] == [dead["id"]]  # not replayed

    ops = national(config)
    [item] = requests.get(f"{listing}?status=dead", headers=ops, timeout=5).json()["items"]
    assert set(item) == LISTED  # no recipient address, no key: nothing that opens an inbox
    assert (item["channel"], item["kind"], item["status"], item["attempts"]) == (
        "sms",
        "report_routed",
        "dead",
        1,
    )
    assert item["last_error"] == "SMS gateway HTTP 403" and item["tracking_id"] == tracking_id
    bad = requests.post(replay, json={"ids": "all"}, headers=ops, timeout=5)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ids"

    outside["sms"].start()
    queued = requests.post(replay, json={"ids": [dead["id"]]}, headers=ops, timeout=5)
    assert queued.status_code == 200 and queued.json() == {"queued": 1}
    [sent] = wait_for(lambda: statuses(config, "sent"))
    assert sent["id"] == dead["id"]


def test_no_listing_for_ops_or_staff_names_an_anonymous_or_confidential_reporter(
    notification, intake, routing, outside
):
    """Addresses are refused by servers that quote them back, a confidential reporter's SMS is
    refused, an anonymous one has no address for the channel: ops and staff see none of it."""
    config = notification.config
    outside["refusing_smtp"].start()
    refusing = outside["refusing"].start()
    addresses = {
        "anonymous_email": "warga.anonim@example.id",
        "confidential_email": "pelapor.rahasia@example.id",
        "confidential_phone": "+6284444444444",
    }
    reports = [
        ({"email": addresses["anonymous_email"]}, "web", "anonymous"),
        (
            {"email": addresses["confidential_email"], "phone": addresses["confidential_phone"]},
            "web",
            "confidential",
        ),
        ({"phone": addresses["confidential_phone"]}, "sms", "confidential"),
        ({"email": "x@example.id"}, "twitter", "anonymous"),  # no Twitter id known: skipped
    ]
    for contact, channel, privacy in reports:
        tracking_id = file_report(intake, notification, contact, channel, privacy=privacy)
        dispatch(routing, notification, tracking_id, channel=channel, privacy=privacy)

    def settled():
        listed = {status: statuses(config, status) for status in ("dead", "skipped")}
        return len(listed["dead"]) == 5 and len(listed["skipped"]) == 2 and listed

    listed = wait_for(settled, timeout=20)
    refusing.stop()
    assert {item["last_error"] for item in listed["dead"]} == {
        "SMTP recipient refused",
        "SMS gateway HTTP 403",
    }
    assert {item["last_error"] for item in listed["skipped"]} == {"no twitter_dm address"}

    everything = json.dumps(
        {status: statuses(config, status) for status in ("queued", "sent", "failed", "dead")}
        | listed
    )
    staff = json.dumps(
        [
            requests.get(
                f"{notification.url}/staff/inbox",
                headers=bearer(config, role, agency),
                timeout=5,
            ).json()
            for role, agency in [("liaison", "PROV-73-DISDIK"), *NOT_OPS]
        ]
    )
    for address in addresses.values():
        assert address not in everything and address not in staff
        assert address.split("@")[0] not in everything  # not even the mailbox's name
    assert "report:" not in everything and "report_key" not in everything
