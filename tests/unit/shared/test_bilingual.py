"""marshmallow's English messages reach the reporter as Indonesian / English."""

from shared.bilingual import message, messages


def test_known_messages_get_their_indonesian_half_with_the_values():
    assert message("Unknown field.") == "Isian tidak dikenal / Unknown field."
    assert message("Must be one of: web, mobile.") == (
        "Harus salah satu dari: web, mobile / Must be one of: web, mobile."
    )
    assert message("Must be greater than or equal to -90 and less than or equal to 90.").startswith(
        "Harus antara -90 dan 90 / "
    )


def test_bilingual_messages_are_kept_and_unknown_ones_still_get_indonesian_first():
    kept = "NIK harus 16 angka / NIK must be 16 digits"
    assert message(kept) == kept
    assert message("Something odd.") == "Isian tidak valid / Something odd."


def test_nested_messages_are_translated_where_they_sit():
    nested = {"location": {"latitude": ["Not a valid number."]}, "tags": {0: ["Invalid value."]}}
    assert messages(nested) == {
        "location": {"latitude": ["Harus berupa angka / Not a valid number."]},
        "tags": {0: ["Nilai tidak valid / Invalid value."]},
    }
