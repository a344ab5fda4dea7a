"""SMS 1708 through a Kannel-style callback, on the real RabbitMQ and SQLite: the response body
is the reply SMS."""

import uuid

import pytest
import requests
from kombu import Connection

from services.intake.service import Intake
from shared.tracking import normalise
from tests.factories import watch

PHONE = "+6281311112222"


@pytest.fixture
def intake(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), SMS_RATE_LIMIT="8/3600")
    container_factory(Intake, config).start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


def sms(url, text, sender=PHONE, message_id=None, method="get"):
    params = {
        "from": sender,
        "to": "1708",
        "text": text,
        "ts": "1764000000",
        "id": message_id or uuid.uuid4().hex,
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


def test_free_text_opens_a_returned_report_and_replies_complete_it(intake, rabbit_config):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        submitted = watch(conn, "intake", "report_submitted")
        reply = sms(intake, "Jalan di depan pasar Barru rusak berat, banyak lubang besar")
        assert "perlu dilengkapi: kategori, lokasi, tanggal" in reply
        tid = tracking_id_in(reply)
        report = requests.get(f"{intake}/reports/{tid}", timeout=5).json()
        assert (report["status"]["code"], report["channel"], report["privacy"]) == (
            "returned",
            "sms",
            "anonymous",
        )
        assert PHONE not in str(report)

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


def test_cek_answers_the_status_and_a_retry_gets_the_first_reply(intake):
    reply = sms(
        intake,
        "Puskesmas tutup saat jam kerja tanpa pemberitahuan. KAT puskesmas LOK 73.11 TGL 19-11-2026",
    )
    tid = tracking_id_in(reply)
    status = sms(intake, f"cek {tid.lower()}", sender="+6285200001111")  # anyone with the id
    assert status == f"{tid}: Belum terverifikasi."
    assert sms(intake, "CEK LPR-0000-0000-0001").startswith("Nomor laporan tidak ditemukan")

    message_id = uuid.uuid4().hex
    first = sms(intake, "Sekolah meminta pungutan seragam mahal sekali", message_id=message_id)
    again = sms(intake, "Sekolah meminta pungutan seragam mahal sekali", message_id=message_id)
    assert again == first
    listed = requests.get(f"{intake}/reports/{tracking_id_in(first)}", timeout=5)
    assert listed.status_code == 200


def test_only_the_sender_may_comment_or_withdraw(intake):
    tid = tracking_id_in(
        sms(
            intake,
            "Bantuan sosial tidak sampai ke warga miskin. KAT bansos LOK Barru TGL 10-11-2026",
        )
    )
    assert sms(intake, f"BALAS {tid} saya juga", sender="+6285200001111").startswith(
        "Laporan itu tidak terdaftar"
    )
    assert sms(intake, f"BALAS {tid} Sudah 3 minggu").startswith("Tanggapan Anda")
    report = requests.get(f"{intake}/reports/{tid}", timeout=5).json()
    assert report["timeline"][-1]["note"] == "Sudah 3 minggu"
    assert sms(intake, f"BATAL {tid}").startswith(f"Laporan {tid} sudah dicabut")
    assert sms(intake, f"BATAL {tid}").startswith("Laporan itu tidak dapat diubah")


def test_markup_is_refused_in_a_reply_and_nothing_is_stored(intake):
    reply = sms(intake, "<script>alert(1)</script> jalan rusak parah sekali")
    assert reply.startswith("Pesan ditolak: Teks tidak boleh berisi markup HTML")
    public = requests.get(f"{intake}/public/reports", timeout=5).json()
    assert public["total"] == 0


def test_bad_callbacks_are_problems_naming_the_parameter(intake):
    response = requests.get(
        f"{intake}/channels/sms/inbound", params={"from": "abc", "text": "x"}, timeout=5
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"from", "id"}
    assert "abc" not in response.text


def test_a_flood_from_one_number_is_answered_without_filing(intake):
    replies = [sms(intake, f"pesan ke-{n} tentang jalan rusak di desa kami") for n in range(9)]
    assert replies[-1] == "Terlalu banyak pesan dari nomor ini. Silakan coba lagi nanti."
    assert sms(intake, "CEK LPR-0000-0000-0001", sender="+6285200009999").startswith("Nomor")


def test_a_gateway_key_when_configured(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), SMS_GATEWAY_KEY="kannel-k3y")
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}/channels/sms/inbound"
    params = {"from": PHONE, "text": "CEK LPR-0000-0000-0001", "id": "m1"}
    assert requests.get(url, params=params, timeout=5).status_code == 403
    assert requests.get(url, params={**params, "key": "kannel-k3y"}, timeout=5).status_code == 200
