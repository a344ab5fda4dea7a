"""Intake's duplicate keys on a real SQLite database (services.intake.duplicates): what is
stored at submission, and how a correction by routing moves a report out of a place."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine

from services.intake.duplicates import candidates, moved, remember
from services.intake.models import metadata

TITLE = "Pungutan uang seragam di SDN 12 Mangkoso"
BODY = "Sekolah SDN 12 Mangkoso meminta uang seragam Rp 500.000 kepada setiap siswa baru."
AT = datetime(2026, 11, 20, 9, tzinfo=UTC)


def stored(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/intake.db")
    metadata.create_all(engine)
    conn = engine.connect()
    remember(conn, "LPR-A", TITLE, BODY, "73.11.01", "pendidikan.sd", AT)
    remember(conn, "LPR-B", TITLE, BODY, "73.11", "pendidikan.smp", AT + timedelta(days=29))
    remember(conn, "LPR-C", TITLE, BODY, "73.11.05.2001", "pendidikan", AT - timedelta(days=3))
    return conn


def ids(found):
    return [c["tracking_id"] for c in found[0]]


def test_the_same_words_anywhere_in_the_regency_and_family_are_candidates(tmp_path):
    conn = stored(tmp_path)
    found, scanned = candidates(conn, "LPR-A")
    assert [(c["tracking_id"], c["score"]) for c in found] == [("LPR-C", 100), ("LPR-B", 100)]
    assert scanned == 2
    assert found[0]["submitted_at"] == "2026-11-17T09:00:00+00:00"
    assert ids(candidates(conn, "LPR-B")) == ["LPR-A"]  # C is 32 days before B
    assert candidates(conn, "LPR-UNKNOWN") == ([], 0)
    # a report placed only at a province has no key, and so no candidates
    assert not remember(conn, "LPR-D", TITLE, BODY, "73", "pendidikan.sd", AT)
    assert candidates(conn, "LPR-D") == ([], 0)


def test_a_correction_moves_the_key_with_the_report(tmp_path):
    conn = stored(tmp_path)
    moved(conn, "LPR-C", {"category_id": "kesehatan.puskesmas"})
    assert ids(candidates(conn, "LPR-A")) == ["LPR-B"]
    moved(conn, "LPR-C", {"category_id": "pendidikan.sd", "region_code": "73.12"})
    assert ids(candidates(conn, "LPR-A")) == ["LPR-B"]
    moved(conn, "LPR-C", {"region_code": "73.11.02"})
    assert ids(candidates(conn, "LPR-A")) == ["LPR-C", "LPR-B"]
    moved(conn, "LPR-B", {"region_code": "73"})  # to a province: no key any more
    assert ids(candidates(conn, "LPR-A")) == ["LPR-C"]
    assert candidates(conn, "LPR-B") == ([], 0)
