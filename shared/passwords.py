"""The one password rule, and argon2id hashing that never blocks the event loop.

A password is 10 to 256 characters, does not contain the username, and is not one of the
commonly used passwords (``shared/data/common-passwords.txt``, compared case-folded and with
digits and punctuation trimmed from the ends, so "Password123!" counts as "password").

argon2id (64 MiB, 3 passes, 1 lane: above OWASP's 19 MiB/2/1) takes a hundred milliseconds
or more of CPU; it runs in eventlet's OS thread pool (``tpool.execute``) so a login does not
freeze the other requests of the same process while it hashes. At most
PASSWORD_HASH_CONCURRENCY hashes (environment, default 1) run at once, their threads at a
lower priority (nice +10, Linux), so twenty people logging in together neither starve the
event loop of CPU nor fill memory with 64 MiB blocks: the others wait their turn. Hashes
made with other parameters (the library's 4 lanes) still verify: a hash carries its own.

    check(username, password)             # raises WeakPassword with per-field messages
    stored = hash_password(password)
    verify(stored, password) -> bool      # also False for a damaged hash
    verify_unknown(password) -> False     # the same work for a name that does not exist
"""

from __future__ import annotations

import functools
import os
import threading
import uuid
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from eventlet.semaphore import Semaphore

MIN_LENGTH, MAX_LENGTH = 10, 256
COMMON_FILE = Path(__file__).with_name("data") / "common-passwords.txt"

# one lane: a login keeps one core busy, not all of them (bench/staff_logins.py: with the
# library's four lanes /health's p99 went from ~30 to ~90 ms during 20 logins on two cores)
_hasher = PasswordHasher(parallelism=1)
_slots = Semaphore(max(1, int(os.environ.get("PASSWORD_HASH_CONCURRENCY", "1"))))
_background = threading.local()


class WeakPassword(ValueError):
    """``errors``: [{"field": ..., "message": "Indonesian / English"}]."""

    def __init__(self, errors: list[dict]):
        super().__init__("weak password")
        self.errors = errors


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def _core(password: str) -> str:
    return password.casefold().strip("0123456789!@#$%^&*()_+-=.,?~ ")


def problems(username: str, password: str) -> list[str]:
    """What is wrong with ``password`` for ``username``, each message Indonesian / English."""
    found = []
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        found.append(
            f"Panjang kata sandi {MIN_LENGTH}–{MAX_LENGTH} karakter"
            f" / A password has {MIN_LENGTH} to {MAX_LENGTH} characters"
        )
    if username and username.casefold() in password.casefold():
        found.append(
            "Kata sandi tidak boleh memuat nama pengguna"
            " / The password must not contain the username"
        )
    common = common_passwords()
    if password.casefold() in common or _core(password) in common:
        found.append(
            "Kata sandi ini terlalu umum dan mudah ditebak"
            " / This password is too common and easy to guess"
        )
    return found


def check(username: str, password: str, field: str = "password") -> None:
    found = problems(username, password)
    if found:
        raise WeakPassword([{"field": field, "message": message} for message in found])


def _lowered(work, *args):
    """Run in a pool thread at a lower priority (once per thread; Linux nice is per thread,
    and argon2's lane threads inherit it)."""
    if not getattr(_background, "niced", False):
        _background.niced = True
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
    return work(*args)


def _off_loop(work, *args):
    with _slots:
        return tpool.execute(_lowered, work, *args)


def hash_password(password: str) -> str:
    return _off_loop(_hasher.hash, password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _off_loop(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


def verify_unknown(password: str) -> bool:
    """Always False, after the work a real check costs: timing tells no name exists."""
    verify(_dummy_hash(), password)
    return False
