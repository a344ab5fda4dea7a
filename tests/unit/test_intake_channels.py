"""SMS and Twitter messages: what they ask for, and the replies and signatures they get."""

import base64
import hashlib
import hmac
from datetime import date

import pytest

from services.intake.channels import commands, sms, twitter
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
        sms.received(tracking_id),
        sms.returned(tracking_id, ["body", "category", "region", "event_date", "parties"]),
        sms.returned(tracking_id, ["category_or_agency"]),
        sms.completed(tracking_id),
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
        assert len(reply) <= 160, reply
        assert reply.isascii(), reply
    assert "LOK <kab/kota>" in replies[1] and "TGL" in replies[1]
    assert replies[4].endswith("...")


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
