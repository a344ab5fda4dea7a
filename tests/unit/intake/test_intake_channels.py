"""SMS and Twitter messages: what they ask for, and the replies and signatures they get."""

import base64
import hashlib
import hmac
from datetime import date

import pytest

from services.intake.sms import commands
from services.intake.sms import replies as sms
from services.intake.twitter import webhook as twitter
from services.notification import sms_encoding
from shared.region_names import short_name
from shared.tracking import new_tracking_id


def test_check_accepts_a_tracking_id_typed_any_way():
    tracking_id = new_tracking_id()
    typed = "cek " + tracking_id.lower().replace("-", " ")
    message = commands.parse(typed)
    assert (message.kind, message.tracking_id) == (commands.CHECK, tracking_id)
    mistyped = tracking_id[:-1] + ("0" if tracking_id[-1] != "0" else "1")
    assert commands.parse(f"CEK {mistyped}").tracking_id is None


def test_reply_and_withdraw_name_the_report():
    tracking_id = new_tracking_id()
    comment = commands.parse(f"BALAS {tracking_id} Sudah dua minggu belum ada kabar")
    assert (comment.kind, comment.tracking_id, comment.text) == (
        commands.COMMENT,
        tracking_id,
        "Sudah dua minggu belum ada kabar",
    )
    assert commands.parse(f"batal {tracking_id}").kind == commands.WITHDRAW


def test_free_text_carries_the_missing_items_as_keywords():
    message = commands.parse(
        "Jalan rusak parah di depan pasar. KAT jalan kabupaten LOK Barru TGL 20-11-2026 RAHASIA"
    )
    assert message.kind == commands.TEXT
    assert message.fields == {
        "category_id": "infrastruktur.jalan_kabupaten",
        "region_code": "73.11",
        "event_date": date(2026, 11, 20),
    }
    assert message.confidential
    assert message.text.startswith("Jalan rusak parah")


@pytest.mark.parametrize(
    "typed, code",
    [("73.11", "73.11"), ("Kota Makassar", "73.71"), ("makassar", "73.71"), ("99.99", None)],
)
def test_locations_by_code_or_name(typed, code):
    assert commands.find_region(typed) == code


def test_an_ambiguous_place_name_is_not_guessed():
    assert commands.find_region("Bogor") is None  # Kabupaten Bogor and Kota Bogor
    assert commands.find_region("Kota Bogor") == "32.71"


@pytest.mark.parametrize(
    "typed, day",
    [
        ("20-11-2026", date(2026, 11, 20)),
        ("20/11/26", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("31-02-2026", None),
        ("kemarin", None),
    ],
)
def test_dates(typed, day):
    assert commands.parse_date(typed) == day


def test_every_reply_fits_one_plain_sms():
    tracking_id = new_tracking_id()
    replies = [
        sms.received(tracking_id, "awaiting_verification", others=True),
        sms.returned(tracking_id, ["body", "category", "region", "event_date", "parties"]),
        sms.returned(tracking_id, ["category_or_agency"]),
        sms.completed(tracking_id, "awaiting_verification"),
        sms.unknown_topic(tracking_id, ["penerangan jalan", "ketenagakerjaan bpjs", "pencemaran"]),
        sms.which_region(tracking_id, ["Kab. Bandung Barat", "Kota Bandung"]),
        sms.feedback_taken(tracking_id, True),
        sms.feedback_taken(tracking_id, False),
        sms.not_awaiting_feedback(tracking_id, "awaiting_verification"),
        sms.FEEDBACK_GIVEN,
        sms.NO_FEEDBACK_ID,
        sms.status(tracking_id, "Belum ditindaklanjuti", "Dinas Pendidikan " * 10),
        sms.commented(tracking_id),
        sms.withdrawn(tracking_id),
        sms.refused("Teks tidak boleh berisi markup HTML / Text must not contain HTML markup"),
        sms.NOT_FOUND,
        sms.NOT_YOURS,
        sms.CANNOT,
        sms.EMPTY,
        sms.TOO_MANY,
    ]
    for reply in replies:
        assert sms_encoding.coding_of(reply) == sms_encoding.GSM_7BIT, reply
        assert sms_encoding.segments(reply) == 1, reply
        assert not reply.endswith("...") or reply == replies[11], reply
    assert "menunggu verifikasi" in replies[0] and "BALAS <no>" in replies[0]
    assert "menunggu verifikasi" in replies[3] and "instansi" not in replies[3]
    assert "penerangan jalan, ketenagakerjaan bpjs, pencemaran" in replies[4]
    assert "Kab. Bandung Barat atau Kota Bandung?" in replies[5]
    assert "LOK <kab/kota>" in replies[1] and "TGL" in replies[1]
    assert replies[11].endswith("...")


def test_crc_answer_is_the_hmac_of_the_token():
    expected = base64.b64encode(hmac.new(b"s3cret", b"abc", hashlib.sha256).digest()).decode()
    assert twitter.crc_response("s3cret", "abc") == {"response_token": f"sha256={expected}"}


def test_signatures_are_checked_over_the_raw_body():
    body = b'{"for_user_id": "1"}'
    good = twitter.signature("s3cret", body)
    assert twitter.signed("s3cret", body, good)
    assert not twitter.signed("s3cret", body + b" ", good)
    assert not twitter.signed("other", body, good)
    assert not twitter.signed("s3cret", body, None)
    assert not twitter.signed("", body, twitter.signature("", body))


def test_mentions_and_direct_messages_are_read_and_our_own_left_out():
    payload = {
        "for_user_id": "100",
        "users": {"7": {"screen_name": "warga_barru"}},
        "tweet_create_events": [
            {
                "id_str": "t1",
                "text": "@lapor1708 jalan rusak",
                "user": {"id_str": "7", "screen_name": "warga_barru"},
            },
            {"id_str": "t2", "text": "our own reply", "user": {"id_str": "100"}},
        ],
        "direct_message_events": [
            {
                "type": "message_create",
                "id": "d1",
                "message_create": {"sender_id": "7", "message_data": {"text": "CEK LPR-1"}},
            },
            {"type": "message_create", "id": "d2", "message_create": {"sender_id": "100"}},
        ],
    }
    found = twitter.messages(payload)
    assert [(m.message_id, m.kind, m.sender_id, m.handle, m.text) for m in found] == [
        ("t1", "mention", "7", "warga_barru", "jalan rusak"),
        ("d1", "direct_message", "7", "warga_barru", "CEK LPR-1"),
    ]
    assert twitter.messages({"tweet_create_events": "nonsense"}) == []


def test_puas_and_tidak_puas_name_the_report_and_carry_the_reason():
    tracking_id = new_tracking_id()
    typed = tracking_id.lower().replace("-", " ")
    satisfied = commands.parse(f"puas {typed}")
    assert (satisfied.kind, satisfied.satisfied, satisfied.tracking_id, satisfied.text) == (
        commands.FEEDBACK,
        True,
        tracking_id,
        "",
    )
    unhappy = commands.parse(f"TIDAK PUAS {tracking_id} jalan belum diaspal")
    assert (unhappy.kind, unhappy.satisfied, unhappy.tracking_id, unhappy.text) == (
        commands.FEEDBACK,
        False,
        tracking_id,
        "jalan belum diaspal",
    )
    bare = commands.parse("Tidak puas")  # the notification's question answered as asked
    assert (bare.kind, bare.satisfied, bare.tracking_id) == (commands.FEEDBACK, False, None)
    assert commands.parse("Kepuasan warga rendah").kind == commands.TEXT


@pytest.mark.parametrize(
    "typed, category_id",
    [
        ("lampu jalan", "infrastruktur.penerangan_jalan"),
        ("jalan", "infrastruktur"),  # three kinds of road and street lighting: their parent
        ("pungli", "pungutan_liar"),
        ("Pungli di sekolah", "pungutan_liar.sekolah"),
        ("puskesmaa", "kesehatan.puskesmas"),  # one letter wrong
        ("pendidkan", "pendidikan"),  # one letter left out
        ("Sekolah Dasar", "pendidikan.sd"),
        ("penerangan jalan umum", "infrastruktur.penerangan_jalan"),
        ("jalan kabupaten", "infrastruktur.jalan_kabupaten"),
        ("kesehatan bpjs", "kesehatan.bpjs"),
        ("bpjs", None),  # BPJS Kesehatan or BPJS Ketenagakerjaan: not guessed
        ("jembatan gantung", None),
    ],
)
def test_topics_are_matched_forgivingly(typed, category_id):
    message = commands.parse(f"Laporan warga. KAT {typed}")
    assert message.fields.get("category_id") == category_id


def test_a_keyword_value_running_to_the_end_of_the_line_is_read_from_its_first_words():
    message = commands.parse("KAT jalan rusak depan pasar LOK Kab. Bone dekat masjid")
    assert message.fields == {"category_id": "infrastruktur", "region_code": "73.08"}


def test_an_unknown_topic_is_answered_with_the_nearest_valid_ones():
    message = commands.parse("Bantuan tidak sampai. KAT bpjs")
    assert message.asks["category"][:2] == ["kesehatan bpjs", "ketenagakerjaan bpjs"]
    suggested = commands.parse("KAT jembatan gantung").asks["category"]
    assert len(suggested) == 3
    for topic in suggested:  # each suggestion, typed back, is a topic
        assert commands.parse(f"KAT {topic}").fields.get("category_id"), topic


@pytest.mark.parametrize(
    "typed, code",
    [
        ("Kab. Bone", "73.08"),
        ("Kab.Bone", "73.08"),
        ("kabupaten bone", "73.08"),
        ("Bone", "73.08"),
        ("Kota Makassar", "73.71"),
        ("Makasar", "73.71"),  # one letter left out
        ("Kab Bogor", "32.01"),
    ],
)
def test_lok_takes_a_regency_as_people_write_it(typed, code):
    assert commands.parse(f"Jalan rusak LOK {typed}").fields.get("region_code") == code


def test_a_name_two_regencies_share_is_asked_back():
    message = commands.parse("Jalan rusak LOK Bogor")
    assert "region_code" not in message.fields
    assert message.asks["region"] == ["32.01", "32.71"]  # the regency first
    tracking_id = new_tracking_id()
    names = [short_name(code) for code in message.asks["region"]]
    assert f"{tracking_id}: Kab. Bogor atau Kota Bogor?" in sms.which_region(tracking_id, names)


def test_the_nearest_topics_are_listed_whole_within_one_sms():
    tracking_id = new_tracking_id()
    long_names = ["ketenagakerjaan hubungan industrial"] * 2 + ["rehabilitasi rekonstruksi"] * 2
    reply = sms.unknown_topic(tracking_id, long_names)
    assert len(reply) <= 160 and reply.endswith("Balas KAT <topik>")
    assert reply.count("ketenagakerjaan hubungan industrial") == 2
    assert "rehabilitasi" not in reply  # a third name would not fit whole


@pytest.mark.parametrize(
    "text, new, body",
    [
        ("BARU Jalan rusak di depan sekolah", True, "Jalan rusak di depan sekolah"),
        ("baru: Jalan rusak di depan sekolah", True, "Jalan rusak di depan sekolah"),
        ("Baru kemarin jalan ambles di depan sekolah", False, "Baru kemarin jalan ambles"),
    ],
)
def test_baru_is_the_command_only_in_capitals_or_with_a_colon(text, new, body):
    message = commands.parse(text)
    assert message.new is new
    assert message.text.startswith(body)
