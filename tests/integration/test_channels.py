"""A report from each channel — HTTP, SMS 1708, Twitter and Open311 — reaches `dispatched`
through the five real services (a container each, one vhost, real RabbitMQ); incomplete ones
get there after the reporter supplements them on their own channel."""

import json
import uuid

import pytest
import requests
from kombu import Connection
from sqlalchemy.orm import Session

from services import SERVICES, service_class
from services.agency_registry.commands import load_template
from services.intake import keys
from services.intake.twitter.webhook import signature
from shared.db import make_engine
from shared.messaging import declare, service_queues
from shared.tracking import normalise
from tests.factories import GATEWAY_KEY, make_report, wait_for

SECRET = "integration-secret"


@pytest.fixture(params=["sqlite", "postgresql"])
def system(
    request, pg_database, container_factory, service_config, registry_db, rabbit_config, tmp_path
):
    """{service: base URL} plus an Open311 key; all five services running."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(conn, [q for service in SERVICES for q in service_queues(service_class(service))])
    urls, intake_db = {}, None
    for service in SERVICES:
        overrides = {}
        if request.param == "postgresql":
            overrides["DATABASE_URL"] = pg_database()
            if service == "agency_registry":
                load_template(with_districts=False, database_url=overrides["DATABASE_URL"])
        elif service == "agency_registry":
            overrides["DATABASE_URL"] = registry_db
        if service == "intake":
            overrides.update(
                BLOB_DIR=str(tmp_path / "blobs"),
                TWITTER_CONSUMER_SECRET=SECRET,
                SMS_GATEWAY_KEY=GATEWAY_KEY,
            )
        config = service_config(service, **overrides)
        container_factory(service_class(service), config).start()
        urls[service] = f"http://{config['WEB_SERVER_ADDRESS']}"
        if service == "intake":
            intake_db = config["DATABASE_URL"]
    engine = make_engine(intake_db)
    with Session(engine) as session, session.begin():
        urls["open311_key"] = keys.issue(session, "integration")
    engine.dispose()
    return urls


def sms(urls, text, sender="+6281344445555"):
    params = {
        "from": sender,
        "to": "1708",
        "text": text,
        "id": uuid.uuid4().hex,
        "key": GATEWAY_KEY,
    }
    reply = requests.get(f"{urls['intake']}/channels/sms/inbound", params=params, timeout=10).text
    assert len(reply) <= 160
    return reply


def tracking_id_in(reply):
    return next(normalise(w.strip(".,:")) for w in reply.split() if normalise(w.strip(".,:")))


def dispatched(urls, tracking_id):
    """The public view once dispatched (before, the public is told of no such report)."""
    response = requests.get(f"{urls['intake']}/reports/{tracking_id}", timeout=5)
    report = response.json() if response.ok else None
    return report if report and report["status"]["code"] == "dispatched" else None


def test_a_report_from_every_channel_is_dispatched(system):
    urls = system
    expected = {}

    # HTTP: returned for a missing date, supplemented with the report key
    filed = requests.post(
        f"{urls['intake']}/reports", json=make_report(event_date=None), timeout=10
    ).json()
    assert filed["status"]["code"] == "returned"
    supplemented = requests.post(
        f"{urls['intake']}/reports/{filed['tracking_id']}/supplement",
        json={"event_date": "2026-11-20"},
        headers={"X-Report-Key": filed["report_key"]},
        timeout=10,
    )
    assert supplemented.json()["status"]["code"] == "awaiting_verification"
    expected[filed["tracking_id"]] = ("PROV-73-DISDIK", "web")

    # SMS 1708: free text, then the missing items by reply
    reply = sms(urls, "Jalan kabupaten di desa kami berlubang besar dan sering terjadi kecelakaan")
    tid = tracking_id_in(reply)
    assert "perlu dilengkapi" in reply
    assert "sudah lengkap" in sms(urls, "KAT jalan kabupaten LOK Barru TGL 20-11-2026")
    expected[tid] = ("KAB-73-11-DPUPR", "sms")

    # Twitter: a signed direct message, complete at once
    payload = {
        "for_user_id": "1708",
        "users": {"4242": {"screen_name": "warga_barru"}},
        "direct_message_events": [
            {
                "type": "message_create",
                "id": uuid.uuid4().hex[:18],
                "message_create": {
                    "sender_id": "4242",
                    "message_data": {
                        "text": "Puskesmas tutup pada jam kerja tanpa pemberitahuan. KAT puskesmas LOK Barru TGL 19-11-2026"
                    },
                },
            }
        ],
    }
    raw = json.dumps(payload).encode()
    response = requests.post(
        f"{urls['intake']}/channels/twitter/webhook",
        data=raw,
        headers={"x-twitter-webhooks-signature": signature(SECRET, raw)},
        timeout=10,
    )
    assert response.json() == {"handled": 1}
    check = sms(urls, "CEK " + _twitter_report(urls), sender="+6289900001111")
    expected[tracking_id_in(check)] = ("KAB-73-11-DINKES", "twitter")

    # Open311: a form-encoded POST with an integrator's key
    created = requests.post(
        f"{urls['intake']}/open311/v2/requests.json",
        data={
            "api_key": urls["open311_key"],
            "service_code": "infrastruktur.drainase",
            "description": "Saluran air tersumbat sehingga jalan banjir setiap hujan turun.",
            "address_id": "73.11",
            "attribute[event_date]": "2026-11-17",
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    expected[created.json()[0]["service_request_id"]] = ("KAB-73-11-DPUPR", "open311")

    for tracking_id, (agency, channel) in expected.items():
        report = wait_for(lambda tid=tracking_id: dispatched(urls, tid), timeout=20)
        assert (report["agency"]["code"], report["channel"]) == (agency, channel)
        assert report["timeline"][-1]["status"] == "dispatched"
    [request] = requests.get(
        f"{urls['intake']}/open311/v2/requests/{created.json()[0]['service_request_id']}.json",
        timeout=5,
    ).json()
    assert request["status"] == "open" and request["agency_responsible"]

    def counted():
        stats = requests.get(f"{urls['reporting']}/stats", timeout=5).json()
        return stats if stats["by_status"].get("dispatched") == len(expected) else None

    wait_for(counted, timeout=20)


def _twitter_report(urls):
    """The tracking id of the Twitter report, as its reporter would find it: from the public
    listing once it is dispatched (anonymous reports are listed without identity)."""

    def listed():
        items = requests.get(
            f"{urls['intake']}/public/reports", params={"category": "kesehatan"}, timeout=5
        ).json()["items"]
        return items[0]["tracking_id"] if items else None

    return wait_for(listed, timeout=20)
