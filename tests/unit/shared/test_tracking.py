import pytest

from shared.tracking import ALPHABET, check_char, new_tracking_id, normalise


def test_new_ids_are_well_formed_and_distinct():
    ids = {new_tracking_id() for _ in range(5000)}
    assert len(ids) == 5000
    for tracking_id in list(ids)[:100]:
        prefix, *groups = tracking_id.split("-")
        assert prefix == "LPR" and [len(group) for group in groups] == [4, 4, 4]
        assert normalise(tracking_id) == tracking_id


def test_every_single_mistyped_character_is_caught():
    tracking_id = new_tracking_id()
    chars = tracking_id.replace("LPR-", "").replace("-", "")
    for position in range(len(chars)):
        for other in ALPHABET:
            if other != chars[position]:
                typo = chars[:position] + other + chars[position + 1 :]
                assert normalise(typo) is None, typo


def test_swapping_two_neighbours_is_caught():
    chars = "7K3M9Q2XH4T"
    full = chars + check_char(chars)
    for position in range(len(full) - 1):
        if full[position] != full[position + 1]:
            swapped = full[:position] + full[position + 1] + full[position] + full[position + 2 :]
            assert normalise(swapped) is None, swapped


@pytest.mark.parametrize(
    "typed", ["lpr 7k3m 9q2x h4t{c}", "7K3M9Q2XH4T{c}", "LPR-7K3M-9Q2X-H4T{c}"]
)
def test_forgiving_input(typed):
    check = check_char("7K3M9Q2XH4T")
    assert (
        normalise(typed.format(c=check.lower() if "lpr " in typed else check))
        == f"LPR-7K3M-9Q2X-H4T{check}"
    )


def test_confusable_letters_read_as_digits():
    chars = "10000000000"
    canonical = f"LPR-1000-0000-000{check_char(chars)}"
    assert normalise(canonical.replace("1", "I").replace("0", "O")) == canonical


@pytest.mark.parametrize("junk", ["", "LPR", "LPR-1234", "LPR-UUUU-UUUU-UUUU", "x" * 100])
def test_junk_is_not_a_tracking_id(junk):
    assert normalise(junk) is None
