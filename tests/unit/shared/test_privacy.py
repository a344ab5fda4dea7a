"""The one privacy filter (SPEC §3): every viewer × every level × every output."""

import itertools
from datetime import UTC, datetime

import pytest

from shared import privacy

SECRETS = {
    "reporter_name": "Siti Rahmawati Lubis",
    "reporter_phone": "+6281299990001",
    "reporter_email": "siti.lubis@example.id",
    "reporter_handle": "@siti_lubis_id",
    "reporter_nik": "7311015208900001",
    "reporter_account_id": "acct-4f1d2c",
    "reporter_social_id": "99887766",
    "reporter_ip": "10.1.2.3",
    "on_behalf_of_name": "Pak Darman Tua",
    "on_behalf_of": {"name": "Pak Darman Tua", "nik": "7311010101500002"},
}
CONTENT = {
    "title": "Pungli di kantor desa",
    "body": "Kepala desa meminta <b>uang</b> untuk surat =SUM(A1)",
    "address": "Jl. Poros Barru 12",
    "parties": [{"name": "Kepala Desa"}],
}


def make_record(level: str) -> dict:
    return {
        "tracking_id": "LPR-7K3M-9Q2X-H4TB",
        "status": "dispatched",
        "privacy": level,
        "category_id": "pungutan_liar",
        "channel": "web",
        "submitted_at": datetime(2026, 11, 20, tzinfo=UTC),
        "display_name": "Siti L.",
        **CONTENT,
        **SECRETS,
    }


# SPEC §3, cell by cell: (may see content, which identity keys)
FULL = set(SECRETS) | {"display_name"}
CONTACT = {
    "display_name",
    "reporter_name",
    "reporter_phone",
    "reporter_email",
    "reporter_handle",
    "on_behalf_of_name",
}
ADDRESS = {"reporter_phone", "reporter_email", "reporter_social_id"}
EXPECTED = {
    (privacy.THE_PUBLIC, privacy.PUBLIC): (True, {"display_name"}),
    (privacy.THE_PUBLIC, privacy.ANONYMOUS): (True, set()),
    (privacy.THE_PUBLIC, privacy.CONFIDENTIAL): None,
    (privacy.AGENCY, privacy.PUBLIC): (True, CONTACT),
    (privacy.AGENCY, privacy.ANONYMOUS): (True, set()),
    (privacy.AGENCY, privacy.CONFIDENTIAL): (True, set()),
    (privacy.COORDINATOR, privacy.PUBLIC): (True, FULL),
    (privacy.COORDINATOR, privacy.ANONYMOUS): (True, set()),
    (privacy.COORDINATOR, privacy.CONFIDENTIAL): (True, FULL),
    (privacy.REPORTER, privacy.PUBLIC): (True, FULL),
    (privacy.REPORTER, privacy.ANONYMOUS): (True, FULL),
    (privacy.REPORTER, privacy.CONFIDENTIAL): (True, FULL),
    (privacy.DELIVERY, privacy.PUBLIC): (False, ADDRESS),
    (privacy.DELIVERY, privacy.ANONYMOUS): (False, ADDRESS),
    (privacy.DELIVERY, privacy.CONFIDENTIAL): (False, ADDRESS),
}


def test_the_table_covers_every_viewer_and_level():
    assert set(EXPECTED) == set(itertools.product(privacy.VIEWERS, privacy.LEVELS))


@pytest.mark.parametrize(
    "viewer, level, output",
    list(itertools.product(privacy.VIEWERS, privacy.LEVELS, privacy.OUTPUTS)),
)
def test_every_viewer_level_and_output(viewer, level, output):
    shown = privacy.view(make_record(level), viewer, output)
    expected = EXPECTED[(viewer, level)]
    if expected is None:
        assert shown is None
        return
    content, identity = expected
    if output == privacy.LOG:  # facts only, whoever reads the log
        content, identity = False, set()
    if output == privacy.EVENT:  # events never carry identity
        identity = set()
        if not content:  # nothing left to send
            assert shown is None
            return
    assert shown is not None
    assert shown["tracking_id"] == "LPR-7K3M-9Q2X-H4TB"
    assert shown["status"] == "dispatched"
    assert {key for key in shown if key in FULL} == identity
    assert all(key in shown for key in CONTENT) is content
    assert not content or any(key in shown for key in CONTENT)
    text = str(shown)
    for key, secret in SECRETS.items():
        if key not in identity and key != "on_behalf_of":
            assert str(secret) not in text, (viewer, level, output, key)
    if output == privacy.HTML and content:
        assert "<b>" not in shown["body"] and "&lt;b&gt;" in shown["body"]
    if output == privacy.CSV and content:
        assert shown["address"] == "Jl. Poros Barru 12"
        assert privacy.csv_cell("=SUM(A1)") == "'=SUM(A1)"


def test_holding_a_tracking_id_is_being_the_public():
    """SPEC §2: a tracking id is not a key. There is no viewer between the public and the
    proven reporter."""
    assert "tracker" not in privacy.VIEWERS
    assert set(privacy.VIEWERS) == {
        privacy.THE_PUBLIC,
        privacy.AGENCY,
        privacy.COORDINATOR,
        privacy.REPORTER,
        privacy.DELIVERY,
    }


TIMELINE = [
    {"kind": "status", "actor": "system", "text": {"id": "Diterima"}, "note": None},
    {
        "kind": "comment",
        "actor": "reporter",
        "text": {"id": "Tanggapan"},
        "note": "rumah saya no 7",
    },
    {"kind": "supplement", "actor": "reporter", "text": {"id": "Dilengkapi"}, "note": None},
    {"kind": "followup", "actor": "agency", "text": {"id": "Ditindak"}, "note": "Petugas datang"},
    {"kind": "feedback", "actor": "reporter", "text": {"id": "Tidak puas"}, "note": "Belum beres"},
    {"kind": "status", "actor": "reporter", "text": {"id": "Dicabut"}, "note": "takut diancam"},
]


@pytest.mark.parametrize("level", [privacy.PUBLIC, privacy.ANONYMOUS])
@pytest.mark.parametrize("output", [privacy.JSON, privacy.HTML, privacy.OPEN311])
def test_the_public_sees_no_attachment_no_comment_no_feedback_note(level, output):
    attachment = {"id": "a" * 32, "name": "ktp.jpg", "media_type": "image/jpeg", "size": 9}
    record = make_record(level) | {
        "attachments": [attachment],
        "timeline": TIMELINE,
        "missing": [{"item": "region"}],
    }
    shown = privacy.view(record, privacy.THE_PUBLIC, output)
    assert "attachments" not in shown and "missing" not in shown
    assert [line["kind"] for line in shown["timeline"]] == ["status", "followup", "status"]
    text = str(shown)
    for said in ("rumah saya no 7", "Belum beres", "takut diancam", "ktp.jpg"):
        assert said not in text
    assert "Petugas datang" in text  # the agency's public answer
    own = privacy.view(record, privacy.REPORTER, output)
    assert len(own["timeline"]) == 6 and own["attachments"]


def test_a_coordinator_reading_a_confidential_identity_is_audited():
    assert privacy.access(privacy.COORDINATOR, privacy.CONFIDENTIAL).audited
    assert not privacy.access(privacy.COORDINATOR, privacy.PUBLIC).audited
    assert not privacy.access(privacy.AGENCY, privacy.CONFIDENTIAL).audited


def test_an_unclassified_field_is_refused_not_passed_on():
    record = make_record(privacy.PUBLIC) | {"mother_maiden_name": "x"}
    with pytest.raises(privacy.UnknownField):
        privacy.view(record, privacy.REPORTER)


def test_an_unknown_level_is_treated_as_confidential():
    record = make_record(privacy.PUBLIC) | {"privacy": None}
    assert privacy.view(record, privacy.THE_PUBLIC) is None
    assert "reporter_name" not in privacy.view(record, privacy.AGENCY)


def test_a_log_line_names_the_report_and_nothing_personal():
    line = privacy.for_log(make_record(privacy.CONFIDENTIAL))
    assert line.startswith("LPR-7K3M-9Q2X-H4TB status=dispatched")
    for secret in list(SECRETS.values()) + list(CONTENT.values()):
        assert str(secret) not in line


def test_levels_accept_the_indonesian_names():
    assert [privacy.level_of(v) for v in ("umum", "anonim", "rahasia")] == list(privacy.LEVELS)
    with pytest.raises(ValueError):
        privacy.level_of("secret")


def test_display_name_is_first_name_and_initial():
    assert privacy.display_name("Siti Rahmawati Lubis") == "Siti L."
    assert privacy.display_name("Andi") == "Andi"
    assert privacy.display_name("  ") is None


ATTACHMENT = {"id": "b" * 32, "name": "foto.jpg", "media_type": "image/jpeg", "size": 9}


@pytest.mark.parametrize("viewer", [privacy.AGENCY, privacy.COORDINATOR, privacy.REPORTER])
def test_those_who_handle_a_report_see_what_the_public_may_not(viewer):
    record = make_record(privacy.ANONYMOUS) | {
        "attachments": [ATTACHMENT],
        "timeline": TIMELINE,
        "missing": [{"item": "region"}],
    }
    shown = privacy.view(record, viewer, privacy.JSON)
    assert shown["attachments"] == [ATTACHMENT] and shown["missing"] == [{"item": "region"}]
    assert shown["timeline"] == TIMELINE  # every line, the reporter's notes too


def test_each_output_makes_text_safe_in_its_own_way():
    record = make_record(privacy.PUBLIC) | {"title": '<b>"x"</b> & y', "body": "=SUM(A1)"}
    assert privacy.view(record, privacy.REPORTER, privacy.HTML)["title"] == (
        "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y"
    )
    csv = privacy.view(record, privacy.REPORTER, privacy.CSV)
    assert (csv["title"], csv["body"]) == ('<b>"x"</b> & y', "'=SUM(A1)")
    for output in (privacy.JSON, privacy.LISTING, privacy.OPEN311, privacy.NOTIFICATION):
        plain = privacy.view(record, privacy.REPORTER, output)
        assert (plain["title"], plain["body"]) == ('<b>"x"</b> & y', "=SUM(A1)"), output


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_defused(first):
    record = make_record(privacy.PUBLIC) | {"body": f"{first}1+1"}
    assert privacy.view(record, privacy.REPORTER, privacy.CSV)["body"] == f"'{first}1+1"
    assert privacy.csv_cell("1+1=2") == "1+1=2"


def test_missing_items_are_a_fact_but_no_log_line_lists_them():
    record = make_record(privacy.PUBLIC) | {"missing_items": ["region"]}
    for output in set(privacy.OUTPUTS) - {privacy.LOG, privacy.CSV}:
        assert privacy.view(record, privacy.REPORTER, output)["missing_items"] == ["region"]
    assert privacy.view(record, privacy.REPORTER, privacy.CSV)["missing_items"] == "['region']"
    assert "missing_items" not in privacy.view(record, privacy.REPORTER, privacy.LOG)
