"""Dates as people read them: Indonesian first, in the region's local time (shared/dates.py);
every expected text worked out by hand from the UTC moment and the province's zone."""

from datetime import UTC, date, datetime

from shared.dates import day, moment


def test_a_moment_is_written_in_indonesian_in_the_regions_zone():
    at = "2026-12-15T06:00:00+00:00"
    assert moment("id", at, "73.11") == "15 Desember 2026, 14.00 WITA"  # Barru, UTC+8
    assert moment("id", at, "31.71") == "15 Desember 2026, 13.00 WIB"  # Jakarta Pusat, UTC+7
    assert moment("id", at, "94.71") == "15 Desember 2026, 15.00 WIT"  # Kota Jayapura, UTC+9
    assert moment("en", at, "73.11") == "15 December 2026, 14:00 WITA"
    assert moment("id", at, None) == "15 Desember 2026, 13.00 WIB"  # national: WIB


def test_the_local_day_and_year_turn_before_utcs():
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 01.30 on 1 January in Makassar
    assert moment("id", new_year, "73.71") == "1 Januari 2027, 01.30 WITA"
    assert moment("id", datetime(2026, 12, 31, 17, 30), "73.71") == "1 Januari 2027, 01.30 WITA"


def test_a_day_is_a_day_and_what_is_not_a_date_stays_as_typed():
    assert day("id", date(2026, 8, 17)) == "17 Agustus 2026"
    assert day("id", "2026-02-01") == "1 Februari 2026"
    assert day("en", "2026-02-01") == "1 February 2026"
    assert day("id", "kemarin") == "kemarin"
    assert day("id", None) == moment("id", None) == ""
