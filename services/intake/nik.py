"""The NIK (Nomor Induk Kependudukan): 16 digits that encode where and when a person was born.

    73 11 01 | 5 2 0 8 9 0 | 0 0 0 1
    district | DD MM YY    | serial        women: DD + 40

The province prefix must exist; an unknown district is allowed (codes change when regions
split). The date and the +40 must agree with the birth date and gender on the form.
"""

from __future__ import annotations

from datetime import date

from shared.regions import load_regions

MALE, FEMALE = "male", "female"


class InvalidNik(ValueError):
    """Why a NIK is refused, as '<Indonesian> / <English>'."""


def district_code(nik: str) -> str:
    """'7311015208900001' → '73.11.01'."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def decode(nik: str) -> tuple[str, int, int, int]:
    """(gender, day, month, two-digit year) encoded in a 16-digit NIK."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = FEMALE if day > 40 else MALE
    return gender, day - 40 if gender == FEMALE else day, month, year


def check(nik: str, birth_date: date | None = None, gender: str | None = None) -> str:
    """The NIK if valid and agreeing with ``birth_date`` and ``gender``; else InvalidNik."""
    if len(nik) != 16 or not nik.isascii() or not nik.isdigit():
        raise InvalidNik("NIK harus 16 angka / NIK must be 16 digits")
    if not load_regions().exists(nik[0:2]):
        raise InvalidNik("Kode provinsi NIK tidak dikenal / Unknown province code in NIK")
    encoded_gender, day, month, year = decode(nik)
    try:
        date(2000 + year, month, day)  # a leap year: 29 February is a real birthday
    except ValueError:
        raise InvalidNik(
            "Tanggal lahir dalam NIK tidak valid / Invalid birth date in NIK"
        ) from None
    if nik[12:16] == "0000":
        raise InvalidNik("Nomor urut NIK tidak valid / Invalid serial number in NIK")
    if birth_date is not None and (day, month, year) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        raise InvalidNik(
            "Tanggal lahir tidak sesuai dengan NIK / Birth date does not match the NIK"
        )
    if gender is not None and gender != encoded_gender:
        raise InvalidNik("Jenis kelamin tidak sesuai dengan NIK / Gender does not match the NIK")
    return nik
