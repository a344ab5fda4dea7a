"""GSM 03.38 and UCS-2 counts worked out by hand, as a handset counts them."""

import pytest

from services.notification import receipts
from services.notification.sms_encoding import GSM_7BIT, UCS_2, coding_of, plan, segments, units

DISPATCH = "LAPOR: laporan LPR-YX4H-70ES-2SDK diteruskan ke Dinas Kesehatan Kabupaten Barru."


def test_the_dispatch_notice_is_one_gsm_segment_of_80_septets():
    # 15 + 18 + 15 + 32 characters, every one in the basic table: one septet each
    # (as UCS-2 it was cut at 70 units, after "Kabupa")
    assert coding_of(DISPATCH) == GSM_7BIT
    assert units(DISPATCH) == 80
    assert plan(DISPATCH).parts == (DISPATCH,) and plan(DISPATCH).coding == GSM_7BIT


@pytest.mark.parametrize(
    "text, septets, count",
    [
        ("a" * 160, 160, 1),
        ("a" * 161, 161, 2),  # 153 + 8
        ("a" * 306, 306, 2),  # 153 + 153
        ("a" * 307, 307, 3),  # 153 + 153 + 1
        ("€" * 80, 160, 1),  # extension characters are two septets each
        ("€" * 81, 162, 2),  # 76 € (152 septets: a 77th would be 154) + 5 €
        ("a" * 152 + "€" + "a" * 152, 306, 3),  # € would straddle 153: 152 | € + 151 | 1
        ("{[]}~^|\\", 16, 1),
        ("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", 42, 1),
    ],
)
def test_gsm_septets_and_segments(text, septets, count):
    assert coding_of(text) == GSM_7BIT
    assert units(text) == septets
    assert segments(text) == count


@pytest.mark.parametrize(
    "text, code_units, count",
    [
        ("ş" * 70, 70, 1),
        ("ş" * 71, 71, 2),  # 67 + 4
        ("ş" * 134, 134, 2),
        ("ş" * 135, 135, 3),
        ("😀" * 35, 70, 1),  # outside the BMP: a surrogate pair, two units
        ("😀" * 34 + "aaa", 71, 2),
        ("a" * 66 + "😀" + "a", 69, 1),
        ("a" * 66 + "😀" + "aaaa", 72, 2),  # the pair would straddle 67: 66 | 😀 + 4 a
        ("ç", 1, 1),  # the GSM table has capital Ç only
    ],
)
def test_ucs2_units_and_segments(text, code_units, count):
    assert coding_of(text) == UCS_2
    assert units(text) == code_units
    assert segments(text) == count


def test_a_long_text_is_split_on_words_and_nothing_is_cut():
    text = ("kata " * 40).strip()  # 199 septets: two parts
    planned = plan(text)
    assert planned.coding == GSM_7BIT and planned.segments == 2
    assert "".join(planned.parts) == text
    # 30 "kata " (150 septets) fit 153; a 31st word would need 154
    assert planned.parts[0] == "kata " * 30
    assert all(units(part) <= 153 for part in planned.parts)


def test_one_non_gsm_character_makes_the_whole_text_ucs2_in_parts_of_67():
    text = "LAPOR: laporan LPR-YX4H-70ES-2SDK diteruskan ke Dinas Kesehatan Kabupaten Kuşadası."
    planned = plan(text)  # 84 units > 70: two parts, split at the word before unit 67
    assert planned.coding == UCS_2 and planned.segments == 2
    assert "".join(planned.parts) == text
    assert planned.parts[0] == "LAPOR: laporan LPR-YX4H-70ES-2SDK diteruskan ke Dinas Kesehatan "
    assert len(planned.parts[0]) == 64


def test_a_word_longer_than_a_part_is_split_between_characters():
    word = "x" * 200
    planned = plan("a " + word)
    assert "".join(planned.parts) == "a " + word
    assert [units(p) for p in planned.parts] == [2, 153, 47]


def test_emoji_pairs_are_never_split():
    text = "😀" * 40  # 80 units: parts of 66 (33 pairs; a 34th would need 68) and 14
    parts = plan(text).parts
    assert [len(p) for p in parts] == [33, 7]


def test_delivery_report_outcomes_and_signatures():
    assert receipts.MASK == 19
    assert receipts.outcome(1) == "delivered"
    assert receipts.outcome(2) == "failed" and receipts.outcome(16) == "failed"
    assert receipts.outcome(4) is None and receipts.outcome(8) is None
    key = "k" * 32
    signed = receipts.signature(key, 17, 2, 0)
    assert receipts.is_signed(key, 17, 2, 0, signed)
    assert not receipts.is_signed(key, 17, 3, 0, signed)  # another attempt
    assert not receipts.is_signed(key, 18, 2, 0, signed)  # another delivery
    assert not receipts.is_signed("j" * 32, 17, 2, 0, signed)
    url = receipts.url("http://n:8004/channels/sms/delivery-report", key, 17, 2, 0)
    assert url == f"http://n:8004/channels/sms/delivery-report?d=17&a=2&p=0&s={signed}&type=%d"
