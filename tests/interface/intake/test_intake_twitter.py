"""The Twitter/X Account Activity webhook, on the real RabbitMQ and SQLite."""

import json
import uuid

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import received_messages, reports
from services.intake.service import Intake
from services.intake.twitter.webhook import crc_response, signature
from shared.db import make_engine

SECRET = "consumer-s3cret"
OURS = "1708000"


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "b"),
        TWITTER_CONSUMER_SECRET=SECRET,
        TWITTER_ACCOUNT_ID=OURS,
    )
    container = container_factory(Intake, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}/channels/twitter/webhook"


def deliver(url, payload, secret=SECRET, sign=True):
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if sign:
        headers["x-twitter-webhooks-signature"] = signature(secret, body)
    return requests.post(url, data=body, headers=headers, timeout=5)


def dm(text, sender="42", event_id=None):
    return {
        "for_user_id": OURS,
        "users": {sender: {"id": sender, "screen_name": "warga_barru"}},
        "direct_message_events": [
            {
                "type": "message_create",
                "id": event_id or uuid.uuid4().hex[:18],
                "message_create": {
                    "target": {"recipient_id": OURS},
                    "sender_id": sender,
                    "message_data": {"text": text},
                },
            }
        ],
    }


def stored(container):
    engine = make_engine(container.config["DATABASE_URL"])
    with Session(engine) as session:
        rows = session.execute(select(reports)).all()
        replies = session.execute(select(received_messages)).all()
    engine.dispose()
    return rows, replies


def test_the_crc_challenge_is_answered(intake):
    _, url = intake
    response = requests.get(url, params={"crc_token": "challenge-123"}, timeout=5)
    assert response.json() == crc_response(SECRET, "challenge-123")
    assert requests.get(url, timeout=5).status_code == 422


def test_a_direct_message_files_a_report_and_the_answer_waits_for_a_dm(intake):
    container, url = intake
    text = "Pungli di kantor kelurahan untuk surat pindah. KAT pungli layanan publik LOK Barru TGL 12-11-2026"
    event_id = "1600000000000000001"
    response = deliver(url, dm(text, event_id=event_id))
    assert response.status_code == 200 and response.json() == {"handled": 1}
    assert deliver(url, dm(text, event_id=event_id)).json() == {"handled": 0}  # retried delivery

    rows, replies = stored(container)
    assert len(rows) == 1
    report = rows[0]
    assert (report.channel, report.privacy, report.status) == ("twitter", "anonymous", "returned")
    assert report.missing == ["parties"]  # a supervision category: who is involved?
    assert (report.reporter_social_id, report.reporter_handle) == ("42", "@warga_barru")
    assert replies[0].reply.startswith(f"Laporan {report.tracking_id} perlu dilengkapi: pihak")

    deliver(url, dm("Pelakunya PIHAK staf loket Pak Budi"))
    rows, _ = stored(container)
    assert rows[0].status == "awaiting_verification"


def test_mentions_are_read_without_the_mention_and_our_own_tweets_ignored(intake):
    container, url = intake
    payload = {
        "for_user_id": OURS,
        "tweet_create_events": [
            {
                "id_str": "1700000000000000001",
                "text": "@lapor1708 Sampah menumpuk di pasar sentral sudah seminggu",
                "user": {"id_str": "77", "screen_name": "ibu_rt"},
            },
            {"id_str": "1700000000000000002", "text": "Terima kasih", "user": {"id_str": OURS}},
        ],
    }
    assert deliver(url, payload).json() == {"handled": 1}
    rows, _ = stored(container)
    assert [row.body for row in rows] == ["Sampah menumpuk di pasar sentral sudah seminggu"]


@pytest.mark.parametrize("how", ["unsigned", "forged", "other-secret", "altered"])
def test_unsigned_or_badly_signed_deliveries_are_refused_and_change_nothing(intake, how):
    container, url = intake
    payload = dm("Jalan rusak parah di depan pasar sentral kami")
    body = json.dumps(payload).encode()
    headers = {
        "unsigned": {},
        "forged": {"x-twitter-webhooks-signature": "sha256=AAAA"},
        "other-secret": {"x-twitter-webhooks-signature": signature("guess", body)},
        "altered": {"x-twitter-webhooks-signature": signature(SECRET, body + b" ")},
    }[how]
    response = requests.post(url, data=body, headers=headers, timeout=5)
    assert response.status_code == 401
    assert response.json()["type"].endswith("bad-signature")
    assert stored(container) == ([], [])


def test_without_a_secret_the_webhook_is_closed(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"))
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}/channels/twitter/webhook"
    assert requests.get(url, params={"crc_token": "x"}, timeout=5).status_code == 503
    assert deliver(url, dm("halo"), secret="").status_code == 503


def test_a_message_id_is_the_senders_and_only_the_sender_acts_on_their_report(intake):
    """The attacks: another account sends an event id someone already used (it gets its own
    report, never the first sender's tracking id), and DMs BALAS/BATAL for someone else's
    report (nothing changes)."""
    container, url = intake
    text = "Puskesmas tutup pada jam kerja. KAT puskesmas LOK Barru TGL 19-11-2026"
    assert deliver(url, dm(text, sender="42", event_id="1861")).json() == {"handled": 1}
    other = "Guru honorer belum digaji tiga bulan. KAT pendidikan LOK Barru TGL 01-11-2026"
    assert deliver(url, dm(other, sender="77", event_id="1861")).json() == {"handled": 1}
    rows, replies = stored(container)
    by_sender = {row.reporter_social_id: row for row in rows}
    assert set(by_sender) == {"42", "77"} and by_sender["77"].body.startswith("Guru")
    answers = {reply.tracking_id: reply.reply for reply in replies}
    assert by_sender["42"].tracking_id not in answers[by_sender["77"].tracking_id]
    # a redelivery of either is handled once
    assert deliver(url, dm(text, sender="42", event_id="1861")).json() == {"handled": 0}

    mine = by_sender["42"].tracking_id
    for command in (f"BALAS {mine} saya saksinya", f"BATAL {mine}"):
        deliver(url, dm(command, sender="77"))
    rows, replies = stored(container)
    assert {row.tracking_id: row.status for row in rows}[mine] == "awaiting_verification"
    assert all(mine not in reply.reply for reply in replies if reply.tracking_id is None)
    deliver(url, dm(f"BATAL {mine}", sender="42"))  # the reporter may
    rows, _ = stored(container)
    assert {row.tracking_id: row.status for row in rows}[mine] == "archived"
