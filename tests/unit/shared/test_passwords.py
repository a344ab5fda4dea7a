"""The one password rule and its hashing (no I/O but the OS thread pool)."""

import eventlet
import pytest

from shared import passwords


def messages(username, password):
    return passwords.problems(username, password)


def test_a_long_uncommon_password_passes():
    assert messages("dinkes.barru", "kuda-lumping-di-pare") == []


@pytest.mark.parametrize("password", ["pendek", "x" * 9, "y" * 257])
def test_length_is_10_to_256(password):
    found = messages("dinkes.barru", password)
    assert len(found) == 1 and found[0].startswith("Panjang kata sandi 10–256 karakter / ")


def test_exactly_10_and_256_are_allowed():
    assert messages("a.b", "kuda-lumpi") == [] and messages("a.b", "kz" * 128) == []


def test_the_username_may_not_be_inside_case_folded():
    found = messages("dinkes.barru", "xxDINKES.BARRUxx")
    assert found == [
        "Kata sandi tidak boleh memuat nama pengguna / The password must not contain the username"
    ]


@pytest.mark.parametrize("password", ["password123", "Password123!", "Indonesia1945", "BISMILLAH"])
def test_common_passwords_are_refused_with_their_decorations(password):
    found = messages("someone", password)
    assert found[-1] == (
        "Kata sandi ini terlalu umum dan mudah ditebak"
        " / This password is too common and easy to guess"
    )


def test_check_raises_per_field_errors():
    with pytest.raises(passwords.WeakPassword) as caught:
        passwords.check("someone", "qwertyuiop", "new_password")
    assert [e["field"] for e in caught.value.errors] == ["new_password"]


def test_hash_verifies_only_its_password():
    stored = passwords.hash_password("kuda-lumping-di-pare")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "kuda-lumping-di-pare")
    assert not passwords.verify(stored, "kuda-lumping-di-parE")
    assert not passwords.verify("not a hash", "kuda-lumping-di-pare")
    assert passwords.verify_unknown("kuda-lumping-di-pare") is False


def test_hashing_leaves_the_event_loop_free():
    """A green thread keeps running while a hash is in flight (a blocking hash stops it)."""
    ticks = []

    def ticker():
        while True:
            ticks.append(1)
            eventlet.sleep(0)

    thread = eventlet.spawn(ticker)
    eventlet.sleep(0)
    before = len(ticks)
    passwords.hash_password("kuda-lumping-di-pare")
    during = len(ticks) - before
    thread.kill()
    assert during >= 3


def test_a_hash_made_with_four_lanes_still_verifies():
    from argon2 import PasswordHasher

    older = PasswordHasher(parallelism=4).hash("kuda-lumping-di-pare")
    assert passwords.verify(older, "kuda-lumping-di-pare")
    assert ",p=1$" in passwords.hash_password("kuda-lumping-di-pare")
