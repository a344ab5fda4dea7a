"""Indonesian phone numbers, however they are typed, to E.164 ('0812-3456-7890' → '+6281234567890')."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    pass


def to_e164(text: str, region: str = "ID") -> str:
    """E.164 form of ``text``, read as an Indonesian number unless it starts with '+'."""
    if not text or len(text) > 32:
        raise InvalidPhone(text)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(text) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
