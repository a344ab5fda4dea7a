"""Tracking ids: short, unguessable, readable over SMS and phone, with a check character.

``LPR-7K3M-9Q2X-H4TB``: eleven random characters (55 bits from the OS's CSPRNG; at 100 million
reports a guess hits one with odds below 1 in 300 million) and a Luhn mod 32 check character,
which catches every single mistyped character and every swap of two neighbours. The alphabet is
Crockford's base 32 (no I, L, O, U); input is forgiving: lower case, spaces, missing dashes and
O/I/L for 0/1/1 are accepted.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LPR"
RANDOM_CHARS = 11
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_char(payload: str) -> str:
    """Luhn mod 32 over ``payload`` (characters of ALPHABET)."""
    total, factor = 0, 2
    for char in reversed(payload):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def _format(chars: str) -> str:
    return "-".join([PREFIX, chars[0:4], chars[4:8], chars[8:12]])


def new_tracking_id() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return _format(payload + check_char(payload))


def normalise(text: str) -> str | None:
    """The canonical form of a typed tracking id, or None if it is not a valid one."""
    chars = "".join(text.upper().split()).replace("-", "")
    if chars.startswith(PREFIX):
        chars = chars[len(PREFIX) :]
    chars = chars.translate(_ALIASES)
    if len(chars) != RANDOM_CHARS + 1 or any(char not in _VALUE for char in chars):
        return None
    if check_char(chars[:-1]) != chars[-1]:
        return None
    return _format(chars)
