"""What a reporter reads of a validation error is Indonesian first, English second: marshmallow's
own English messages get their Indonesian half here (pure)."""

from __future__ import annotations

import re

# marshmallow 3's default messages (fields and validators) → Indonesian; {0}, {1}: the values
_KNOWN = [
    (r"Missing data for required field\.", "Wajib diisi"),
    (r"Field may not be null\.", "Tidak boleh kosong"),
    (r"Unknown field\.", "Isian tidak dikenal"),
    (r"Invalid input type\.", "Jenis isian tidak valid"),
    (r"Invalid value\.", "Nilai tidak valid"),
    (r"Not a valid string\.", "Harus berupa teks"),
    (r"Not a valid list\.", "Harus berupa daftar"),
    (r"Not a valid mapping type\.", "Harus berupa objek"),
    (r"Not a valid integer\.", "Harus bilangan bulat"),
    (r"Not a valid number\.", "Harus berupa angka"),
    (r"Not a valid boolean\.", "Harus true atau false"),
    (r"Not a valid date\.", "Tanggal tidak valid (TTTT-BB-HH)"),
    (r"Not a valid datetime\.", "Waktu tidak valid (ISO 8601)"),
    (r"Not a valid email address\.", "Alamat e-mail tidak valid"),
    (r"Not a valid URL\.", "URL tidak valid"),
    (r"Not a valid UUID\.", "UUID tidak valid"),
    (r"String does not match expected pattern\.", "Format tidak sesuai"),
    (r"Must be one of: (.*)\.", "Harus salah satu dari: {0}"),
    (r"Length must be between (\S+) and (\S+)\.", "Panjang harus {0} sampai {1}"),
    (r"Shorter than minimum length (\S+)\.", "Kurang dari panjang minimum {0}"),
    (r"Longer than maximum length (\S+)\.", "Melebihi panjang maksimum {0}"),
    (r"Length must be (\S+)\.", "Panjang harus {0}"),
    (
        r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
        "Harus antara {0} dan {1}",
    ),
    (r"Must be greater than or equal to (\S+)\.", "Harus paling sedikit {0}"),
    (r"Must be less than or equal to (\S+)\.", "Harus paling banyak {0}"),
]
_PATTERNS = [(re.compile(english), indonesian) for english, indonesian in _KNOWN]


def message(text: str) -> str:
    """``text`` as "Indonesian / English"; a message already in both languages is kept."""
    if " / " in text:
        return text
    for pattern, indonesian in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return f"{indonesian.format(*found.groups())} / {text}"
    return f"Isian tidak valid / {text}"


def messages(errors):
    """marshmallow's nested error messages (dicts, lists, strings), every string bilingual."""
    if isinstance(errors, dict):
        return {key: messages(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [messages(value) for value in errors]
    if isinstance(errors, str):
        return message(errors)
    return errors
