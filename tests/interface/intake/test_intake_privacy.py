"""SPEC §3 on every output intake has, for every privacy level: public listing (JSON, CSV),
the public page (JSON, HTML), Open311 (JSON, XML), the tracking-id holder's view, the signed-in
reporter's view, the events it publishes and its log lines — including error messages."""

import json
import logging
import time
import uuid
from queue import Empty

import pytest
import requests
from kombu import Connection, Exchange, Queue
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake import keys
from services.intake.models import received_messages
from services.intake.service import Intake
from services.intake.twitter.webhook import signature
from shared.db import make_engine
from shared.tracking import normalise
from tests.factories import GATEWAY_KEY, emitter, make_report, routed

SITI = {
    "nik": "7311015208900001",
    "full_name": "Siti Rahmawati Lubis",
    "gender": "female",
    "birth_date": "1990-08-12",
    "username": "sitirahma",
    "phone": "0812-9999-0001",
    "email": "siti.rahma@example.id",
    "password": "kata-sandi-panjang",
}
IDENTITY = [
    "Siti Rahmawati Lubis",
    "Rahmawati",
    "7311015208900001",
    "+6281299990001",
    "081299990001",
    "siti.rahma@example.id",
    "sitirahma",
]
SMS_PHONE, HANDLE, TWITTER_ID = "+6285711223344", "siti_rahma_twt", "5550001"
SECRET = "s3cret"
UNKNOWN_ID = "LPR-0000-0000-0000"


@pytest.fixture
def system(container_factory, service_config, tmp_path, rabbit_config, caplog):
    caplog.set_level(logging.DEBUG)
    config = service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "b"),
        TWITTER_CONSUMER_SECRET=SECRET,
        SMS_GATEWAY_KEY=GATEWAY_KEY,
    )
    container = container_factory(Intake, config)
    container.start()
    routing = container_factory(emitter("routing"), service_config("routing"))
    routing.start()
    engine = make_engine(config["DATABASE_URL"])
    with Session(engine) as session, session.begin():
        api_key = keys.issue(session, "portal")
    engine.dispose()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    assert requests.post(f"{url}/reporters", json=SITI, timeout=10).status_code == 201
    token = requests.post(
        f"{url}/login", json={"login": "sitirahma", "password": SITI["password"]}, timeout=10
    ).json()["token"]
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        queue = Queue(
            "watch-all-intake",
            exchange=Exchange("intake.events", type="topic", durable=True),
            routing_key="#",
        )
        queue(conn.default_channel).declare()
        events = conn.SimpleQueue(queue)
        yield container, routing, url, {"Authorization": f"Bearer {token}"}, api_key, events
        events.close()


def dispatch(container, routing, tracking_id):
    with entrypoint_waiter(container, "on_report_routed"):
        with entrypoint_hook(routing, "emit") as emit:
            emit("report_routed", tracking_id, routed(tracking_id))


def drain(events, quiet: float = 1.5, deadline: float = 15.0):
    """Every event published so far: read until none has come for ``quiet`` seconds (the
    outbox relays every 0.2 s in tests), within ``deadline``."""
    found = []
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            message = events.get(timeout=quiet)
        except Empty:
            return found
        found.append(message.payload)
        message.ack()
    raise AssertionError(f"events kept coming for {deadline}s ({len(found)} read)")


def same_as_unknown(url, tracking_id, path="/reports/{}", headers=None):
    """Assert the public answer for ``tracking_id`` is exactly an unknown id's."""
    same = {"X-Correlation-Id": "privacy-check", **(headers or {})}
    hidden = requests.get(url + path.format(tracking_id), headers=same, timeout=5)
    absent = requests.get(url + path.format(UNKNOWN_ID), headers=same, timeout=5)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.text == absent.text
    return hidden.text


@pytest.mark.parametrize("level", ["public", "anonymous", "confidential"])
def test_each_output_shows_what_spec_3_allows(system, caplog, level):
    container, routing, url, me, api_key, events = system
    title = f"Pungutan liar di SMA {uuid.uuid4().hex[:6]}"
    filed = requests.post(
        f"{url}/reports",
        json=make_report(title=title, privacy=level, reporter={}, parties=[{"name": "Bendahara"}]),
        headers=me,
        timeout=5,
    ).json()
    tid = filed["tracking_id"]
    dispatch(container, routing, tid)
    visible = level != "confidential"
    display = level == "public"

    def check(text, content, display_name):
        assert (title in text) is content, text[:300]
        assert ("Siti L." in text) is display_name
        for secret in IDENTITY:
            assert secret not in text

    listing = requests.get(f"{url}/public/reports", timeout=5)
    check(listing.text, visible, display)
    check(requests.get(f"{url}/public/reports.csv", timeout=5).text, visible, display)
    page = requests.get(f"{url}/public/reports/{tid}", timeout=5)
    assert page.status_code == (200 if visible else 404)
    check(page.text, visible, display)
    html = requests.get(f"{url}/public/reports/{tid}", headers={"Accept": "text/html"}, timeout=5)
    assert html.status_code == (200 if visible else 404)
    check(html.text, visible, display)
    for fmt in ("json", "xml"):
        check(requests.get(f"{url}/open311/v2/requests.{fmt}", timeout=5).text, visible, False)
        check(
            requests.get(f"{url}/open311/v2/requests/{tid}.{fmt}", timeout=5).text, visible, False
        )
    # whoever holds only the tracking id is the public (SPEC §2)
    tracked = requests.get(f"{url}/reports/{tid}", timeout=5)
    check(tracked.text, visible, display)
    if not visible:
        same_as_unknown(url, tid)
    own = requests.get(f"{url}/reports/{tid}", headers=me, timeout=5).json()  # the reporter
    assert own["reporter_name"] == SITI["full_name"] and own["reporter_nik"] == SITI["nik"]

    published = json.dumps(drain(events))
    assert tid in published
    check(published, visible, False)  # the title only where the public may read it

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert tid in logged
    check(logged, False, False)


def test_confidential_identity_on_every_channel_stays_out_of_public_outputs_errors_and_logs(
    system, caplog
):
    container, routing, url, me, api_key, events = system
    body = "Kepala sekolah meminta uang agar anak saya naik kelas. KAT pungli sekolah LOK Barru TGL 18-11-2026 PIHAK kepala sekolah RAHASIA"
    sms = requests.get(
        f"{url}/channels/sms/inbound",
        params={"from": SMS_PHONE, "text": body, "id": "sms-1", "key": GATEWAY_KEY},
        timeout=5,
    ).text
    payload = {
        "for_user_id": "1708",
        "users": {TWITTER_ID: {"screen_name": HANDLE}},
        "direct_message_events": [
            {
                "type": "message_create",
                "id": "dm-1",
                "message_create": {"sender_id": TWITTER_ID, "message_data": {"text": body}},
            }
        ],
    }
    raw = json.dumps(payload).encode()
    tweeted = requests.post(
        f"{url}/channels/twitter/webhook",
        data=raw,
        headers={"x-twitter-webhooks-signature": signature(SECRET, raw)},
        timeout=5,
    )
    assert (tweeted.status_code, tweeted.json()) == (200, {"handled": 1})
    web = requests.post(
        f"{url}/reports",
        json=make_report(
            privacy="confidential",
            category_id="pungutan_liar.sekolah",
            parties=[{"name": "Kepala sekolah"}],
        ),
        headers=me,
        timeout=5,
    ).json()["tracking_id"]
    o311 = requests.post(
        f"{url}/open311/v2/requests.json",
        data={
            "api_key": api_key,
            "service_code": "pungutan_liar.sekolah",
            "description": body,
            "address_id": "73.11",
            "attribute[event_date]": "2026-11-18",
            "attribute[privacy]": "confidential",
            "attribute[parties]": "Kepala sekolah",
            "first_name": "Siti",
            "last_name": "Rahmawati Lubis",
            "email": SITI["email"],
            "phone": SMS_PHONE,
        },
        timeout=5,
    ).json()[0]["service_request_id"]
    sms_tid = next(normalise(w.rstrip(".,")) for w in sms.split() if normalise(w.rstrip(".,")))
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session:
        [dm_tid] = session.execute(
            select(received_messages.c.tracking_id).where(received_messages.c.channel == "twitter")
        ).scalars()
    engine.dispose()
    tids = [web, o311, sms_tid, dm_tid]
    assert len(set(tids)) == 4 and all(tids)
    for tid in tids:
        dispatch(container, routing, tid)
    for tid in tids:  # dispatched but confidential: for the public, no such report
        same_as_unknown(url, tid)
        same_as_unknown(url, tid, "/public/reports/{}")
        cek = requests.get(
            f"{url}/channels/sms/inbound",
            params={"from": "+6281100002222", "text": f"CEK {tid}", "id": tid, "key": GATEWAY_KEY},
            timeout=5,
        ).text
        assert cek.startswith("Nomor laporan tidak ditemukan") and tid not in cek

    # errors that carry identity in bad fields do not echo it back
    bad = requests.post(
        f"{url}/reports",
        json=make_report(
            reporter={
                "name": "Siti Rahmawati Lubis" * 10,
                "email": "siti.rahma@example",
                "phone": "+62812999900019999",
            }
        ),
        timeout=5,
    )
    assert bad.status_code == 422
    taken = requests.post(f"{url}/reporters", json={**SITI, "username": "lain"}, timeout=10)
    assert taken.status_code == 201  # as for a new account: nothing says the NIK is taken

    # (that answer echoes what its caller sent, as a new account's does, and nothing more)
    assert set(taken.json()) == set(
        requests.post(
            f"{url}/reporters",
            json={
                **SITI,
                "nik": "7311014507850002",
                "birth_date": "1985-07-05",
                "username": "rina",
                "phone": "0813-1111-2222",
                "email": "rina@example.id",
            },
            timeout=10,
        ).json()
    )
    readable = [bad.text, json.dumps(drain(events))]
    readable += [
        requests.get(f"{url}/public/reports", timeout=5).text,
        requests.get(f"{url}/public/reports.csv", timeout=5).text,
        requests.get(f"{url}/open311/v2/requests.json", timeout=5).text,
    ]
    for tid in tids:
        readable.append(requests.get(f"{url}/reports/{tid}", timeout=5).text)
        readable.append(requests.get(f"{url}/public/reports/{tid}", timeout=5).text)
    readable.append("\n".join(record.getMessage() for record in caplog.records))
    for text in readable:
        for secret in IDENTITY + [SMS_PHONE, "085711223344", HANDLE, TWITTER_ID]:
            assert secret not in text, secret


def test_the_notifier_is_given_the_reporters_address_and_nothing_else(system):
    container, _, url, me, _, _ = system
    reply = requests.get(
        f"{url}/channels/sms/inbound",
        params={
            "from": "0857-1122-3344",
            "text": "Jalan rusak parah RAHASIA",
            "id": "c-1",
            "key": GATEWAY_KEY,
        },
        timeout=5,
    ).text
    sms_tid = next(w.rstrip(".") for w in reply.split() if w.startswith("LPR-"))
    web_tid = requests.post(
        f"{url}/reports", json=make_report(privacy="anonymous"), timeout=5
    ).json()["tracking_id"]
    own_tid = requests.post(
        f"{url}/reports", json=make_report(reporter={}), headers=me, timeout=5
    ).json()["tracking_id"]
    with entrypoint_hook(container, "reporter_contact") as contact:
        assert contact(sms_tid) == {"phone": SMS_PHONE, "email": None, "twitter_id": None}
        assert contact(web_tid) == {
            "phone": "+6281234567890",
            "email": "andi@example.id",
            "twitter_id": None,
        }
        assert contact(own_tid) == {
            "phone": "+6281299990001",
            "email": SITI["email"],
            "twitter_id": None,
        }
        assert contact("LPR-0000-0000-0000") is None
