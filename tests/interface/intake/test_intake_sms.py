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
from tests.factories import GATEWAY_KEY, drain, make_report, watch

PHONE = "+6281311112222"


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
    row.engine = engine
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
        # intake lets it through to verification; no agency has it yet
        assert reply == f"Terima kasih. Laporan {tid} sudah lengkap dan menunggu verifikasi."
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

        # no returned report left: BARU files a new one, complete at once
        reply = sms(
            intake,
            "BARU Lampu jalan mati sejak seminggu di Jl. Sudirman. KAT lampu jalan LOK Barru TGL 18-11-2026",
        )
        assert reply.startswith("Laporan diterima") and "menunggu verifikasi" in reply
        assert tracking_id_in(reply) != tid
        assert stored(tracking_id_in(reply)).body.startswith("Lampu jalan mati")


def test_cek_answers_the_reporter_and_a_retry_gets_the_first_reply(intake, stored):
    reply = sms(
        intake,
        "Puskesmas tutup saat jam kerja tanpa pemberitahuan. KAT puskesmas LOK 73.11 TGL 19-11-2026",
    )
    tid = tracking_id_in(reply)
    assert sms(intake, f"cek {tid.lower()}") == f"{tid}: Belum terverifikasi."  # the reporter
    assert sms(intake, "CEK LPR-0000-0000-0001").startswith("Nomor laporan tidak ditemukan")

    message_id = uuid.uuid4().hex
    first = sms(intake, "BARU Sekolah meminta pungutan seragam mahal", message_id=message_id)
    again = sms(intake, "BARU Sekolah meminta pungutan seragam mahal", message_id=message_id)
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
    secret_tid = tracking_id_in(sms(intake, "BARU " + text + " RAHASIA"))
    assert secret_tid != open_tid and stored(secret_tid).privacy == "confidential"
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
        params={"from": "nomorku", "text": "x", "key": GATEWAY_KEY},
        timeout=5,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"from", "id"}
    assert "nomorku" not in response.text  # not a hex word: a correlation id can't hold it


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


def test_a_plain_reply_comments_on_the_one_open_report_and_files_beside_several(intake, stored):
    """SPEC §8: a reply adds a comment. With one open report it is that report's; with two,
    which one is not guessed: a new report, and the reply says how to comment."""
    first = tracking_id_in(sms(intake, f"{BANSOS} KAT bansos LOK Barru TGL 10-11-2026"))
    reply = sms(intake, "Sudah dua minggu belum ada kabar dari dinas")
    assert reply.startswith(f"Tanggapan Anda untuk laporan {first} sudah kami terima.")
    assert "BARU" in reply
    assert stored.notes(first)[-1] == "Sudah dua minggu belum ada kabar dari dinas"
    assert len(own_reports(stored, PHONE)) == 1
    # another number's plain text is never a comment on this reporter's report
    theirs = tracking_id_in(sms(intake, "Saya juga mengalami hal yang sama", sender=OTHER))
    assert theirs != first and stored(theirs).reporter_phone == OTHER
    assert stored.notes(first)[-1] == "Sudah dua minggu belum ada kabar dari dinas"

    second = tracking_id_in(sms(intake, "BARU Guru honorer belum digaji. KAT sd LOK Barru"))
    assert second != first and stored(second).status == "returned"
    stored(second, status="dispatched")  # both open now, neither returned
    plain = "Sampah menumpuk di pasar. KAT sampah LOK Barru TGL 12-11-2026"
    reply = sms(intake, plain)
    third = tracking_id_in(reply)
    assert third not in (first, second) and "BALAS <no>" in reply
    assert stored(third).body == plain
    assert stored.notes(first)[-1] == "Sudah dua minggu belum ada kabar dari dinas"
    assert stored.notes(second)[-1] is None


BANSOS = "Bantuan sosial tidak sampai ke warga miskin."


def own_reports(stored, phone):
    with Session(stored.engine) as session:
        return session.execute(select(reports).where(reports.c.reporter_phone == phone)).all()


def test_topics_and_places_are_read_forgivingly_and_asked_back(intake, stored):
    reply = sms(intake, "Petugas minta uang di kantor desa. KAT jembatan gantung")
    tid = tracking_id_in(reply)
    assert reply.startswith(f"Laporan {tid}: topik tidak dikenal. Mungkin: ")
    assert stored(tid).region_code is None and stored(tid).category_id is None
    reply = sms(intake, "KAT pungli LOK Bogor TGL 02-11-2026 PIHAK kepala desa")
    assert reply == (
        f"Laporan {tid}: Kab. Bogor atau Kota Bogor? Balas LOK Kab. <nama> atau LOK Kota <nama>"
    )
    assert stored(tid).category_id == "pungutan_liar"
    reply = sms(intake, "LOK Kota Bogor")
    assert reply == f"Terima kasih. Laporan {tid} sudah lengkap dan menunggu verifikasi."
    assert stored(tid).region_code == "32.71"


def awaiting_feedback(intake, stored, sender=PHONE):
    tid = tracking_id_in(sms(intake, f"{BANSOS} KAT bansos LOK Barru TGL 10-11-2026", sender))
    stored(tid, status="awaiting_feedback", agency_code="KAB-73-11-DINSOS", agency_name="Dinsos")
    return tid


def test_tidak_puas_answers_the_feedback_question_only_from_the_reporters_number(
    intake, rabbit_config, stored
):
    """The attack: a neighbour who saw the tracking id answers for the reporter, to close the
    report (PUAS) or to keep it open. Nothing is recorded, no event goes out."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        given = watch(conn, "intake", "feedback_given")
        tid = awaiting_feedback(intake, stored)
        for text in (f"PUAS {tid}", f"TIDAK PUAS {tid} bohong", "PUAS", "tidak puas"):
            reply = sms(intake, text, sender=OTHER)
            assert tid not in reply and not reply.startswith("Terima kasih"), reply
        assert stored.notes(tid)[-1] is None and stored(tid).status == "awaiting_feedback"
        assert drain(given, quiet=0.5, deadline=2) == []

        reply = sms(intake, f"tidak puas {tid.lower()} Bantuan belum juga sampai")
        assert reply.startswith(f"Tanggapan TIDAK PUAS untuk {tid} kami terima")
        assert sms(intake, f"PUAS {tid}") == (  # one answer per final follow-up
            "Tanggapan Anda atas tindak lanjut ini sudah kami terima sebelumnya."
        )
        [event] = [e["body"] for e in drain(given)]
    assert (event["tracking_id"], event["satisfied"], event["note"]) == (
        tid,
        False,
        "Bantuan belum juga sampai",
    )
    # routing decides the status (report_status_changed); until then intake keeps it
    assert stored(tid).status == "awaiting_feedback"
    assert stored.notes(tid)[-1] == "Bantuan belum juga sampai"


def test_feedback_by_sms_is_what_the_feedback_endpoint_does(intake, rabbit_config, stored):
    """The same answer given on the web (POST /reports/<id>/feedback with the report key) and
    by SMS leaves the same timeline line and the same feedback_given event."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        given = watch(conn, "intake", "feedback_given")
        filed = requests.post(f"{intake}/reports", json=make_report(), timeout=5).json()
        web = filed["tracking_id"]
        stored(web, status="awaiting_feedback", agency_code="KAB-73-11-DINSOS")
        answered = requests.post(
            f"{intake}/reports/{web}/feedback",
            json={"satisfied": False, "note": "Belum sampai"},
            headers={"X-Report-Key": filed["report_key"]},
            timeout=5,
        )
        assert answered.status_code == 200, answered.text
        by_sms = awaiting_feedback(intake, stored)
        assert sms(intake, f"TIDAK PUAS {by_sms} Belum sampai").startswith("Tanggapan TIDAK")
        events = {e["body"]["tracking_id"]: e["body"] for e in drain(given)}
    assert set(events) == {web, by_sms}
    strip = ("tracking_id", "given_at", "language")
    assert {k: v for k, v in events[web].items() if k not in strip} == {
        k: v for k, v in events[by_sms].items() if k not in strip
    }
    assert events[by_sms]["satisfied"] is False and events[by_sms]["note"] == "Belum sampai"
    assert lines(stored, web)[-1] == lines(stored, by_sms)[-1]


def lines(stored, tracking_id):
    with Session(stored.engine) as session:
        return [
            (line.kind, line.actor, line.text_id, line.text_en, line.note, line.status)
            for line in session.execute(
                select(timeline)
                .where(timeline.c.tracking_id == tracking_id)
                .order_by(timeline.c.id)
            )
        ]


def test_puas_without_an_id_answers_the_one_question_asked(intake, rabbit_config, stored):
    """The feedback SMS says "Balas PUAS/TIDAK PUAS": the reply without an id is for the one
    report awaiting the sender's feedback, and is feedback, not a comment or a new report."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        given = watch(conn, "intake", "feedback_given")
        tid = awaiting_feedback(intake, stored)
        assert sms(intake, "Puas") == f"Terima kasih. Tanggapan PUAS untuk {tid} kami terima."
        [event] = [e["body"] for e in drain(given)]
    assert (event["tracking_id"], event["satisfied"], event["note"]) == (tid, True, None)
    assert len(own_reports(stored, PHONE)) == 1


def test_feedback_before_the_final_follow_up_is_refused_with_the_reason(
    intake, rabbit_config, stored
):
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        given = watch(conn, "intake", "feedback_given")
        tid = tracking_id_in(sms(intake, f"{BANSOS} KAT bansos LOK Barru TGL 10-11-2026"))
        assert sms(intake, f"TIDAK PUAS {tid}") == (
            f"{tid} belum/tidak menunggu tanggapan Anda (status: belum terverifikasi)."
        )
        stored(tid, status="in_progress")
        assert "(status: proses)" in sms(intake, f"PUAS {tid}")
        assert sms(intake, "puas") == (  # without the id: the one open report is meant
            f"{tid} belum/tidak menunggu tanggapan Anda (status: proses)."
        )
        assert drain(given, quiet=0.5, deadline=2) == []
    assert stored(tid).status == "in_progress" and stored.notes(tid)[-1] is None
