"""A secret compared with whatever a client sends: a character outside ASCII is "not equal",
never hmac's TypeError (a 500 at the door)."""

import pytest

from services.intake import tokens
from services.intake.twitter import webhook
from services.notification import receipts
from shared import constant_time


def test_equal_secrets_and_unequal_ones():
    assert constant_time.equal("abc", "abc")
    assert constant_time.equal(b"abc", "abc")
    assert not constant_time.equal("abc", "abd")
    assert not constant_time.equal("abc", None)
    assert not constant_time.equal("abc", "ábc")


def test_a_non_ascii_signature_is_refused_not_an_error():
    good = receipts.signature("k" * 32, 17, 1, 0)
    assert receipts.is_signed("k" * 32, 17, 1, 0, good)
    assert not receipts.is_signed("k" * 32, 17, 1, 0, "é" + good[1:])
    assert not webhook.signed("secret", b"{}", "sha256=é")
    with pytest.raises(tokens.InvalidToken):
        tokens.verify("s" * 32, "eyJhIjoxfQ.é")
