"""SMS 1708 through a Kannel-style callback, on the real RabbitMQ and SQLite: the response body
is the reply SMS."""

import logging
import uuid

import pytest
import requests
from kombu import Connection
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.models import reports, timeline
from services.intake.providers import sms_gateway_key
from services.intake.service import Intake
from shared.db import make_engine
from shared.keyfiles import UnsafeSecret
from shared.tracking import normalise
from tests.factories import watch

PHONE = "+6281311112222"
GATEWAY_KEY = "kannel-test-key-0123456789abcdef"


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "b"),
        SMS_RATE_LIMIT="8/3600",
        SMS_GATEWAY_KEY=GATEWAY_KEY,
    )
    container_factory(Intake, config).start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


@pytest.fixture
def stored(tmp_path):
    """stored(tid) → the report row as intake keeps it; stored(tid, status=…) changes it first
    (the state routing's events would have brought). The same file the intake fixture uses."""
    engine = make_engine(f"sqlite:///{tmp_path}/intake.db")

    def row(tracking_id, **changes):
        with Session(engine) as session, session.begin():
            if changes:
                session.execute(
                    update(reports).where(reports.c.tracking_id == tracking_id).values(**changes)
                )
            return session.execute(
                select(reports).where(reports.c.tracking_id == tracking_id)
            ).first()

    def notes(tracking_id):
        with Session(engine) as session:
            return [
                line.note
                for line in session.execute(
                    select(timeline)
                    .where(timeline.c.tracking_id == tracking_id)
                    .order_by(timeline.c.id)
                )
            ]

    row.notes = notes
    yield row
    engine.dispose()


def sms(url, text, sender=PHONE, message_id=None, method="get"):
    params = {
        "from": sender,
        "to": "1708",
        "text": text,
        "ts": "1764000000",
        "id": message_id or uuid.uuid4().hex,
        "key": GATEWAY_KEY,
    }
    if method == "get":
        response = requests.get(f"{url}/channels/sms/inbound", params=params, timeout=5)
    else:
        response = requests.post(f"{url}/channels/sms/inbound", data=params, timeout=5)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    assert len(response.text) <= 160 and response.text.isascii()
    return response.text


def tracking_id_in(reply):
    for word in reply.replace(",", " ").replace(":", " ").split():
        if normalise(word.rstrip(".")):
            return normalise(word.rstrip("."))
    raise AssertionError(reply)


def test_free_text_opens_a_returned_report_and_replies_complete_it(intake, rabbit_config, stored):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        submitted = watch(conn, "intake", "report_submitted")
        reply = sms(intake, "Jalan di depan pasar Barru rusak berat, banyak lubang besar")
        assert "perlu dilengkapi: kategori, lokasi, tanggal" in reply
        tid = tracking_id_in(reply)
        report = stored(tid)
        assert (report.status, report.channel, report.privacy, report.reporter_phone) == (
            "returned",
            "sms",
            "anonymous",
            PHONE,
        )
        public = requests.get(f"{intake}/reports/{tid}", timeout=5)
        assert public.status_code == 404 and PHONE not in public.text

        reply = sms(intake, "KAT jalan kabupaten LOK Barru", method="post")
        assert "perlu dilengkapi: tanggal" in reply and tid in reply
        reply = sms(intake, "TGL 20-11-2026")
        assert reply.startswith(f"Terima kasih. Laporan {tid} sudah lengkap")
        event = submitted.get(timeout=5).payload["body"]
        assert (
            event["tracking_id"],
            event["category_id"],
            event["region_code"],
            event["channel"],
        ) == (
            tid,
            "infrastruktur.jalan_kabupaten",
            "73.11",
            "sms",
        )
        assert PHONE not in str(event)

        # no returned report left: the next text is a new report, complete at once
        reply = sms(
            intake,
            "Lampu jalan mati sejak seminggu di Jl. Sudirman. KAT penerangan jalan LOK Barru TGL 18-11-2026",
        )
        assert reply.startswith("Laporan diterima")
        assert tracking_id_in(reply) != tid


def test_cek_answers_the_reporter_and_a_retry_gets_the_first_reply(intake, stored):
    reply = sms(
        intake,
        "Puskesmas tutup saat jam kerja tanpa pemberitahuan. KAT puskesmas LOK 73.11 TGL 19-11-2026",
    )
    tid = tracking_id_in(reply)
    assert sms(intake, f"cek {tid.lower()}") == f"{tid}: Belum terverifikasi."  # the reporter
    assert sms(intake, "CEK LPR-0000-0000-0001").startswith("Nomor laporan tidak ditemukan")

    message_id = uuid.uuid4().hex
    first = sms(intake, "Sekolah meminta pungutan seragam mahal sekali", message_id=message_id)
    again = sms(intake, "Sekolah meminta pungutan seragam mahal sekali", message_id=message_id)
    assert again == first
    assert stored(tracking_id_in(first)) is not None


OTHER = "+6285200001111"
UNKNOWN = "Nomor laporan tidak ditemukan"


def test_cek_from_another_number_gets_only_what_the_public_may_know(intake, stored):
    """The attack: someone who saw a tracking id asks for it by SMS. Not yet public or
    confidential: as an unknown id. Public (dispatched, not confidential): the status."""
    text = (
        "Puskesmas tutup saat jam kerja tanpa pemberitahuan. KAT puskesmas LOK 73.11 TGL 19-11-2026"
    )
    open_tid = tracking_id_in(sms(intake, text))
    secret_tid = tracking_id_in(sms(intake, text + " RAHASIA"))
    for tid in (open_tid, secret_tid):  # awaiting verification: nobody else may know of it
        assert sms(intake, f"CEK {tid}", sender=OTHER).startswith(UNKNOWN)
    for tid in (open_tid, secret_tid):
        stored(tid, status="dispatched", agency_code="KAB-73-11-DINKES", agency_name="Dinkes Barru")
    assert sms(intake, f"CEK {open_tid}", sender=OTHER) == (
        f"{open_tid}: Belum ditindaklanjuti di Dinkes Barru."
    )
    assert sms(intake, f"CEK {secret_tid}", sender=OTHER).startswith(UNKNOWN)
    assert sms(intake, f"CEK {secret_tid}") == (  # its reporter is told
        f"{secret_tid}: Belum ditindaklanjuti di Dinkes Barru."
    )
    for command in ("BALAS {} saya saksinya", "BATAL {}"):  # nor may another act on it
        assert sms(intake, command.format(secret_tid), sender=OTHER).startswith(UNKNOWN)
    assert stored(secret_tid).status == "dispatched"
    assert stored.notes(secret_tid)[-1] is None


def test_a_message_id_is_the_senders_not_the_worlds(intake, stored):
    """The attack: another phone (or a gateway numbering per connection) sends a message id
    someone already used. It gets its own report and reply, never the first sender's."""
    first = sms(intake, "Jembatan desa putus diterjang banjir kemarin sore", message_id="k-0001")
    second = sms(intake, "Guru honorer belum digaji tiga bulan", sender=OTHER, message_id="k-0001")
    mine, theirs = tracking_id_in(first), tracking_id_in(second)
    assert mine != theirs and mine not in second
    assert stored(theirs).reporter_phone == OTHER and stored(theirs).body.startswith("Guru")
    assert stored(mine).reporter_phone == PHONE
    # each sender's retry still gets their own first answer, and files nothing new
    assert (
        sms(intake, "Jembatan desa putus diterjang banjir kemarin sore", message_id="k-0001")
        == first
    )
    assert sms(intake, "Guru honorer belum digaji", sender=OTHER, message_id="k-0001") == second


def test_only_the_sender_may_comment_or_withdraw(intake, stored):
    tid = tracking_id_in(
        sms(
            intake,
            "Bantuan sosial tidak sampai ke warga miskin. KAT bansos LOK Barru TGL 10-11-2026",
        )
    )
    assert sms(intake, f"BALAS {tid} saya juga", sender="+6285200001111").startswith(
        UNKNOWN  # not public yet: another number is not told it exists
    )
    assert sms(intake, f"BALAS {tid} Sudah 3 minggu").startswith("Tanggapan Anda")
    assert stored.notes(tid)[-1] == "Sudah 3 minggu"
    assert sms(intake, f"BATAL {tid}").startswith(f"Laporan {tid} sudah dicabut")
    assert sms(intake, f"BATAL {tid}").startswith("Laporan itu tidak dapat diubah")


def test_text_that_looks_like_markup_or_sql_is_stored_as_written(intake, stored):
    for n, text in enumerate(
        (
            "<svg/onload=alert(1)> jalan rusak parah sekali",
            "Aplikasi desa tidak bisa <login> sejak kemarin",
            "Kades bilang mau drop table di aula kalau kami protes",
        )
    ):
        reply = sms(intake, text, sender=f"+62853000000{n}")
        assert reply.startswith("Laporan") and "ditolak" not in reply
        assert stored(tracking_id_in(reply)).body == text


def test_bad_callbacks_are_problems_naming_the_parameter(intake):
    response = requests.get(
        f"{intake}/channels/sms/inbound",
        params={"from": "abc", "text": "x", "key": GATEWAY_KEY},
        timeout=5,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"from", "id"}
    assert "abc" not in response.text


def test_a_flood_from_one_number_is_answered_without_filing(intake):
    replies = [sms(intake, f"pesan ke-{n} tentang jalan rusak di desa kami") for n in range(9)]
    assert replies[-1] == "Terlalu banyak pesan dari nomor ini. Silakan coba lagi nanti."
    assert sms(intake, "CEK LPR-0000-0000-0001", sender="+6285200009999").startswith("Nomor")


@pytest.mark.parametrize("configured", [True, False])
def test_the_gateway_always_authenticates(
    container_factory, service_config, tmp_path, configured, caplog
):
    """No key configured is no door left open: a key is generated into the keys folder, and
    a callback without it (or with another) changes nothing. The key, which comes in the
    callback's query string, is in no log line."""
    caplog.set_level(logging.DEBUG)
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), KEYS_DIR=str(tmp_path / "keys"))
    if configured:
        config["SMS_GATEWAY_KEY"] = GATEWAY_KEY
    else:
        config.pop("SMS_GATEWAY_KEY", None)
    container_factory(Intake, config).start()
    key = sms_gateway_key(config)
    assert (key == GATEWAY_KEY) is configured
    url = f"http://{config['WEB_SERVER_ADDRESS']}/channels/sms/inbound"
    params = {"from": PHONE, "text": "Jalan rusak parah di desa kami sejak lama", "id": "m1"}
    for wrong in ({}, {"key": ""}, {"key": "kannel-k3y"}, {"key": key[:-1]}):
        refused = requests.get(url, params={**params, **wrong}, timeout=5)
        assert refused.status_code == 403
    assert requests.get(f"{url[: url.index('/channels')]}/public/reports", timeout=5).ok
    accepted = requests.get(url, params={**params, "key": key}, timeout=5)
    assert accepted.status_code == 200 and accepted.text.startswith("Laporan")
    served = [r.getMessage() for r in caplog.records if not r.name.startswith("urllib3")]
    assert any("/channels/sms/inbound" in line for line in served)  # the access lines …
    assert not any(key in line or PHONE in line for line in served)  # … without the query


@pytest.mark.parametrize(
    "name, example",
    [
        ("SMS_GATEWAY_KEY", "dev-only-sms-gateway-key-change-me"),
        ("INTAKE_TOKEN_SECRET", "dev-only-intake-secret-change-me"),  # the old shipped default
        ("SMS_GATEWAY_KEY", "kannel-k3y"),  # too short to be a key
    ],
)
def test_an_example_secret_refuses_to_start(container_factory, service_config, name, example):
    config = service_config("intake", **{"SMS_GATEWAY_KEY": GATEWAY_KEY, name: example})
    container = container_factory(Intake, config)
    with pytest.raises(UnsafeSecret, match=name):
        container.start()
