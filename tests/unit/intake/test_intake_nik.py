"""NIK validation and phone normalisation for reporter registration."""

from datetime import date

import pytest
from marshmallow import ValidationError

from services.intake import nik, phones
from services.intake.schemas import Registration

WOMAN = "7311015208900001"  # Barru district 01, born 12-08-1990, female (52 = 12 + 40)
MAN = "7311011208900002"


def test_a_womans_nik_has_forty_added_to_the_day():
    assert nik.decode(WOMAN) == (nik.FEMALE, 12, 8, 90)
    assert nik.decode(MAN) == (nik.MALE, 12, 8, 90)
    assert nik.district_code(WOMAN) == "73.11.01"
    assert nik.check(WOMAN, date(1990, 8, 12), nik.FEMALE) == WOMAN


@pytest.mark.parametrize(
    "value, birth, gender, complaint",
    [
        ("731101520890001", None, None, "16 digits"),
        ("73110152089000a1", None, None, "16 digits"),
        ("７３１１０１５２０８９０００01", None, None, "16 digits"),  # full-width digits
        ("9911015208900001", None, None, "Unknown province"),
        ("7311013208900001", None, None, "Invalid birth date"),  # day 32
        ("7311017208900001", None, None, "Invalid birth date"),  # 72 - 40 = 32
        ("7311011213900001", None, None, "Invalid birth date"),  # month 13
        ("7311015208900000", None, None, "serial"),
        (WOMAN, date(1990, 8, 13), nik.FEMALE, "Birth date does not match"),
        (WOMAN, date(1991, 8, 12), nik.FEMALE, "Birth date does not match"),
        (WOMAN, date(1990, 8, 12), nik.MALE, "Gender does not match"),
    ],
)
def test_invalid_niks_are_refused_with_a_reason(value, birth, gender, complaint):
    with pytest.raises(nik.InvalidNik, match=complaint):
        nik.check(value, birth, gender)


def test_day_41_is_a_woman_born_on_the_first():
    assert nik.decode("7311014101900003") == (nik.FEMALE, 1, 1, 90)
    assert nik.check("7311014101900003", date(1990, 1, 1), nik.FEMALE)


def test_29_february_is_a_birthday_in_a_leap_year_only():
    assert nik.check("7311012902000004", date(2000, 2, 29), nik.MALE)  # 2000 was a leap year
    assert nik.check("7311016902040005", date(2004, 2, 29), nik.FEMALE)
    with pytest.raises(nik.InvalidNik, match="Invalid birth date"):
        nik.check("7311012902010006")  # 2001 was not


@pytest.mark.parametrize(
    "value, birth, gender",
    [
        ("73110152089000011", None, None),  # 17 digits
        (WOMAN, date(1990, 8, 11), nik.FEMALE),  # born a day before the NIK says
        (WOMAN, date(1990, 7, 12), nik.FEMALE),
        (MAN, date(1990, 8, 12), nik.FEMALE),  # a man's NIK for a woman
    ],
)
def test_disagreements_either_way_are_refused(value, birth, gender):
    with pytest.raises(nik.InvalidNik):
        nik.check(value, birth, gender)


def test_the_gender_is_compared_by_value():
    typed = "".join(["fe", "male"])  # the same word, not the same object
    assert nik.check(WOMAN, date(1990, 8, 12), typed) == WOMAN


def test_an_unknown_district_is_allowed_when_the_province_exists():
    assert nik.check("7399995208900001", date(1990, 8, 12), nik.FEMALE)


def test_registration_names_the_nik_field_when_it_disagrees():
    form = {
        "nik": WOMAN,
        "full_name": "Siti Rahmawati",
        "gender": "male",
        "birth_date": "1990-08-12",
        "username": "siti",
        "phone": "0812-3456-7890",
        "email": "Siti@Example.id",
        "password": "rahasia-sekali",
    }
    with pytest.raises(ValidationError) as raised:
        Registration().load(form)
    assert list(raised.value.messages) == ["nik"]
    loaded = Registration().load({**form, "gender": "perempuan"})
    assert loaded["gender"] == "female"
    assert loaded["phone"] == "+6281234567890"
    assert loaded["email"] == "siti@example.id"


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "+62 812 3456 7890", "62812-3456-7890", "(0812) 3456 7890", "081234567890"],
)
def test_indonesian_phone_numbers_become_e164(typed):
    assert phones.to_e164(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["12", "abc", "0812", "+1 555", "", "0" * 40])
def test_impossible_phone_numbers_are_refused(typed):
    with pytest.raises(phones.InvalidPhone):
        phones.to_e164(typed)
