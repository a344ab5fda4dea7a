"""The one place-name matcher (SMS/Twitter LOK and Open311 address_string)."""

import pytest

from services.intake.sms import commands
from shared import region_names


@pytest.mark.parametrize(
    "address, code",
    [
        ("Jl. Jend. Sudirman, Makassar", "73.71"),
        ("Jl. Jend. Sudirman No. 3, Kota Makassar.", "73.71"),
        ("Jl. Poros Pekkae, Kab. Barru", "73.11"),
        ("Jl. Merdeka, 73.11.01", "73.11.01"),
        ("Jl. Andi Mappanyukki, 73.71.01, Kota Makassar", "73.71.01"),  # deeper, same city
        ("Jl. Poros Barru km 3", None),  # not a comma-separated part of its own
        ("Jl. Pajajaran, Bogor", None),  # Kabupaten Bogor and Kota Bogor
        ("Jl. Veteran, Barru, Makassar", None),  # two different regencies
        ("", None),
    ],
)
def test_an_address_names_one_regency_or_none(address, code):
    assert region_names.find_region_in_address(address) == code


def test_sms_lok_uses_the_same_matcher():
    assert commands.find_region is region_names.find_region
    assert commands.parse("Jalan rusak. LOK Kab. Barru").fields["region_code"] == "73.11"
