import random
import re

import pytest
from jinja2 import UndefinedError

from services.agency_registry.template import build_template
from services.notification import sms_encoding
from services.notification.delivery import RetryPolicy
from services.notification.templates import (
    ARCHIVE_LABELS,
    CLOCK_LABELS,
    MISSING_LABELS,
    TEMPLATES,
    render,
)
from shared.regions import load_regions

LONG_AGENCY = (
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Pangkajene dan Kepulauan"
)
# the longest in the national template (97 characters), with every kecamatan
LONGEST_AGENCY = (
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Kepulauan Siau "
    "Tagulandang Biaro"
)
CONTEXT = {
    "tracking_id": "LPR-7K3M-9Q2X-H4TB",
    "agency_name": LONG_AGENCY,
    "missing": ["body", "region", "event_date", "parties"],
    "deadline": "2026-12-09T10:00:00+00:00",
    "reason": "not_public_service",
    "clock": "first_followup",
    "text": "Petugas telah meninjau lokasi dan perbaikan dijadwalkan minggu depan. " * 3,
}


@pytest.mark.parametrize("kind", list(TEMPLATES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_message_renders_in_both_languages_and_its_sms_fits_one_segment(kind, language):
    message = render(kind, language, CONTEXT)
    assert set(message) == {"subject", "text", "sms"}
    assert CONTEXT["tracking_id"] in message["text"] and CONTEXT["tracking_id"] in message["sms"]
    assert "{{" not in message["text"] and "_" not in message["subject"]  # codes are labelled


def test_coded_values_are_labelled_in_the_recipients_language():
    returned = render("report_returned", "id", CONTEXT)["text"]
    assert "tanggal kejadian" in returned and "2026-12-09" in returned
    assert "the date it happened" in render("report_returned", "en", CONTEXT)["text"]
    assert "bukan tentang pelayanan publik" in render("report_archived", "id", CONTEXT)["text"]


def test_a_postponed_report_tells_the_coordinators_note_and_a_duplicate_its_original():
    note = "Sebutkan nama sekolah."
    returned = {**CONTEXT, "missing": ["coordinator_note"], "note": note}
    assert (
        "Catatan verifikator: Sebutkan nama sekolah."
        in render("report_returned", "id", returned)["text"]
    )
    assert f"mohon lengkapi {note}" in render("report_returned", "id", returned)["sms"]
    duplicate = {**CONTEXT, "reason": "duplicate", "duplicate_of": "LPR-2"}
    assert render("report_archived", "id", duplicate)["text"].endswith(
        "Ikuti perkembangannya di laporan LPR-2."
    )
    assert (
        "LPR-2" not in render("report_archived", "id", {**duplicate, "duplicate_of": None})["text"]
    )


def test_indonesian_is_the_default_language():
    assert render("report_received", None, CONTEXT) == render("report_received", "id", CONTEXT)
    assert render("report_received", "jv", CONTEXT)["text"].startswith("Laporan Anda")


def test_a_missing_value_is_an_error_not_a_gap():
    with pytest.raises(UndefinedError):
        render("report_routed", "id", {"tracking_id": "LPR-1"})


def test_templates_can_only_name_what_the_reporter_may_be_told():
    # identity never enters a message context: these are the only names templates may use
    allowed = {"tracking_id", "agency_name", "missing", "deadline", "reason", "clock", "text"}
    allowed |= {"note", "duplicate_of"}  # a coordinator's note to the reporter; the original
    for kind, languages in TEMPLATES.items():
        for parts in languages.values():
            for text in parts.values():
                used = set(re.findall(r"{{\s*(\w+)", text))
                assert used <= allowed, (kind, used - allowed)


def test_the_longest_agency_name_is_the_one_these_tests_use():
    names = {spec.name for spec in build_template(load_regions(), with_districts=True)}
    assert max(len(name) for name in names) == len(LONGEST_AGENCY) == 97
    assert LONGEST_AGENCY in names


@pytest.mark.parametrize("kind", list(TEMPLATES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_sms_is_one_gsm_segment_with_the_longest_values(kind, language):
    for reason in ARCHIVE_LABELS:
        for clock in CLOCK_LABELS:
            context = {
                **CONTEXT,
                "agency_name": LONGEST_AGENCY,
                "missing": list(MISSING_LABELS),  # every item missing at once
                "reason": reason,
                "clock": clock,
            }
            sms = render(kind, language, context)["sms"]
            assert sms_encoding.coding_of(sms) == sms_encoding.GSM_7BIT, sms
            assert sms_encoding.units(sms) <= 160, (len(sms), sms)
            assert sms_encoding.plan(sms).parts == (sms,)


def test_an_sms_that_runs_over_is_sent_whole_not_cut():
    context = {**CONTEXT, "agency_name": "Dinas Kesehatan Kabupaten Kuşadası dan " * 3 + "Kuşadası"}
    sms = render("report_routed", "id", context)["sms"]
    assert sms.endswith("Kuşadası.") and "…" not in sms
    planned = sms_encoding.plan(sms)
    assert planned.coding == sms_encoding.UCS_2 and "".join(planned.parts) == sms


def test_backoff_grows_is_bounded_and_jittered():
    policy = RetryPolicy(max_attempts=6, base_seconds=2, max_seconds=30)
    rng = random.Random(7)
    delays = [policy.delay(attempt, rng) for attempt in range(1, 8)]
    assert 1 <= delays[0] <= 2 and 2 <= delays[1] <= 4
    assert all(15 <= delay <= 30 for delay in delays[4:])
    assert len({round(policy.delay(3, rng), 6) for _ in range(10)}) > 1
    assert not policy.exhausted(5) and policy.exhausted(6)


@pytest.mark.parametrize("kind", ["new_disposition", "deadline_approaching", "deadline_breached"])
def test_staff_read_a_deadline_in_the_reports_local_time_and_a_reporter_the_day(kind):
    barru = {**CONTEXT, "region_code": "73.11"}  # WITA: 10.00 UTC is 18.00
    assert "9 Desember 2026, 18.00 WITA" in render(kind, "id", barru)["text"]
    assert "9 December 2026, 18:00 WITA" in render(kind, "en", barru)["text"]
    assert "9 Desember 2026, 17.00 WIB" in render(kind, "id", CONTEXT)["text"]  # no region
    assert (
        "9 Desember 2026, 19.00 WIT" in render(kind, "id", {**barru, "region_code": "94"})["text"]
    )
    assert "2026-12-09" not in render(kind, "id", barru)["text"]
    assert "WITA" not in render(kind, "id", barru)["sms"]  # an SMS stays short
    assert "Desember" not in render(kind, "id", {**barru, "deadline": "-"})["text"]
    assert "2026-12-09" in render("report_returned", "id", barru)["text"]
