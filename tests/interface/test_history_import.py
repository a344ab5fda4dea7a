"""``satupintu import`` into real databases (SQLite files, and PostgreSQL): every service's
share, the same records skipped by all, resumption after a crash between batches and after a
kill -9, a finished file not read again, and reporting's imported figures equal to those its
rebuild makes from the imported journal."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from services import importing
from services.intake.models import reports as intake_reports
from services.intake.models import timeline
from services.reporting.models import figures
from services.reporting.rebuild import rebuild
from services.routing.models import clocks, declines, dispositions, routing_history
from shared.db import make_engine
from tests.history import sample, write

ROOT = Path(__file__).resolve().parents[2]
SERVICES = importing.SERVICES
TABLES = {
    "intake": ("reports", "timeline", "duplicate_keys"),
    "routing": (
        "dispositions",
        "routing_history",
        "declines",
        "followups",
        "readers",
        "clocks",
        "closed_reports",
    ),  # fmt: skip
    "reporting": ("journal", "reports", "dispatches", "figures", "agencies"),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request, tmp_path, pg_database):
    if request.param == "postgresql":
        return {service: pg_database() for service in SERVICES}
    return {service: f"sqlite:///{tmp_path / service}.db" for service in SERVICES}


def counts(url: str, service: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in TABLES[service]
            }
    finally:
        engine.dispose()


def figures_of(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return sorted(
                tuple(row) for row in session.execute(select(figures)).all()
            )  # fmt: skip
    finally:
        engine.dispose()


def test_every_service_imports_its_share_and_skips_the_same_bad_records(tmp_path, urls):
    records = sample()
    bad_agency = {**records[0], "tracking_id": "LPR-BAD0-0000-0001",
                  "dispositions": [{"agency_code": "NO-SUCH", "at": records[0]["submitted_at"]}]}  # fmt: skip
    bad_region = {**records[1], "tracking_id": "LPR-BAD0-0000-0002", "region_code": "99.99"}
    path = tmp_path / "history.jsonl"
    write(path, [*records[:10], bad_agency, *records[10:], bad_region], ("{not json",))
    for service in SERVICES:
        done = importing.import_one(service, path, urls[service], batch=7, quiet=True)
        assert done.imported == len(records)
        assert done.counts == {"unknown_agency": 1, "unknown_region": 1, "not_json": 1}
        assert [e["line"] for e in done.examples] == [11, len(records) + 2, len(records) + 3]
    intake, routing = make_engine(urls["intake"]), make_engine(urls["routing"])
    with intake.connect() as conn:
        rows = {row.tracking_id: row for row in conn.execute(select(intake_reports))}
        assert len(rows) == len(records)
        assert "LPR-BAD0-0000-0001" not in rows
        anonymous = [row for row in rows.values() if row.privacy == "anonymous"]
        assert anonymous and all(row.reporter_name is None for row in anonymous)
        withdrawn = [row for row in rows.values() if row.status == "archived"]
        assert withdrawn and all(row.archived_reason == "withdrawn" for row in withdrawn)
        lines = conn.execute(select(func.count()).select_from(timeline)).scalar()
        assert lines > 3 * len(records)
        unanswered = records[5]  # dispatched in 2019, never answered: escalated back then
        said = conn.execute(select(timeline.c.text_id, timeline.c.at)
                            .where(timeline.c.tracking_id == unanswered["tracking_id"])
                            .order_by(timeline.c.id)).all()  # fmt: skip
        assert said[-1].text_id.startswith("Laporan dieskalasi kepada PROV-73-DISKOMINFO")
        assert "OMBUDSMAN" in said[-1].text_id
        routed = rows[unanswered["tracking_id"]]
        assert routed.updated_at == said[-2].at  # the dispatch: an escalation changes nothing
    with routing.connect() as conn:
        held = {row.tracking_id: row for row in conn.execute(select(dispositions))}
        assert {tid: row.status for tid, row in held.items()} == {
            tid: row.status for tid, row in rows.items()
        }  # intake mirrors what routing holds
        assert {row.agency_code for row in held.values()} >= {"PROV-73-RSUD", "KAB-73-11-DINKES"}
        assert conn.execute(select(func.count()).select_from(declines)).scalar() == 7
        kinds = {row.kind for row in conn.execute(select(routing_history))}
        assert kinds == {"dispatched", "redispatched", "escalated"}  # resolution breaches
        open_ = [tid for tid, row in held.items() if row.status not in ("completed", "archived")]
        running = set(
            conn.execute(select(clocks.c.tracking_id).where(clocks.c.stopped_at.is_(None)))
            .scalars()
        )  # fmt: skip
        assert running == set(open_)  # open reports keep their deadlines running
        # the file was written just now: every deadline of 2019 passed in the old system
        assert all(clock.breached_at is not None and clock.reminded_at is not None
                   for clock in conn.execute(select(clocks).where(clocks.c.stopped_at.is_(None))))  # fmt: skip
        assert "awaiting_feedback" not in {row.status for row in held.values()}
        assert all(held[tid].next_due_at is not None for tid in open_)
        closed = [tid for tid in held if tid not in open_]
        assert all(held[tid].next_due_at is None for tid in closed)
    intake.dispose()
    routing.dispose()


def test_a_tracking_id_already_imported_or_earlier_in_the_file_is_refused_by_every_service(
    tmp_path, urls
):
    records = sample()
    first = tmp_path / "first.jsonl"
    write(first, records[:6])
    for service in SERVICES:
        assert importing.import_one(service, first, urls[service], quiet=True).imported == 6
    before = {service: counts(urls[service], service) for service in SERVICES}
    changed = {**records[2], "title": "Tulisan lain dengan nomor yang sama"}
    again = {**records[8], "body": "Baris kedua dengan nomor yang sama."}
    second = tmp_path / "second.jsonl"
    # line 2: in the stores before this import; line 6: earlier in this batch; line 10: in
    # the store by an earlier batch of this import (batch 3)
    write(second, [records[6], changed, *records[7:10], again, *records[10:13], records[7]])
    for service in SERVICES:
        done = importing.import_one(service, second, urls[service], batch=3, quiet=True)
        assert done.imported == 7
        assert done.counts == {"duplicate_tracking_id": 3}
        assert [(e["line"], e["tracking_id"]) for e in done.examples] == [
            (2, records[2]["tracking_id"]), (6, records[8]["tracking_id"]),
            (10, records[7]["tracking_id"]),
        ]  # fmt: skip
        after = counts(urls[service], service)
        assert after != before[service]
    engine = make_engine(urls["intake"])
    with engine.connect() as conn:
        texts = dict(
            conn.execute(select(intake_reports.c.tracking_id, intake_reports.c.title)).all()
        )
        bodies = dict(
            conn.execute(select(intake_reports.c.tracking_id, intake_reports.c.body)).all()
        )
    engine.dispose()
    assert len(texts) == 13
    assert texts[records[2]["tracking_id"]] == records[2]["title"]  # the first one stays
    assert bodies[records[8]["tracking_id"]] == records[8]["body"]
    clean = {service: f"sqlite:///{tmp_path / ('clean-' + service)}.db" for service in SERVICES}
    whole = tmp_path / "whole.jsonl"
    write(whole, records[:13])
    for service in SERVICES:  # the same rows as a file with each report once
        importing.import_one(service, whole, clean[service], quiet=True)
        assert counts(clean[service], service) == counts(urls[service], service)


def test_reporting_s_imported_figures_are_those_its_rebuild_makes(tmp_path, urls):
    path = tmp_path / "history.jsonl"
    write(path, sample())
    importing.import_one("reporting", path, urls["reporting"], batch=5, quiet=True)
    imported = figures_of(urls["reporting"])
    assert imported
    engine = make_engine(urls["reporting"])
    rebuild(engine)
    engine.dispose()
    assert figures_of(urls["reporting"]) == imported


@pytest.mark.parametrize("service", SERVICES)
def test_a_crash_between_batches_resumes_with_no_record_twice_and_none_lost(
    tmp_path, service, monkeypatch
):
    path = tmp_path / "history.jsonl"
    write(path, sample())
    clean = f"sqlite:///{tmp_path / 'clean'}.db"
    importing.import_one(service, path, clean, batch=4, quiet=True)
    crashed = f"sqlite:///{tmp_path / 'crashed'}.db"
    module = __import__(f"services.{service}.importing", fromlist=["Writer"])
    real, calls = module.Writer.__call__, []

    def failing(self, session, records, lives):
        calls.append(len(records))
        real(self, session, records, lives)
        if len(calls) == 3:
            raise RuntimeError("the process dies in the middle of a batch")

    monkeypatch.setattr(module.Writer, "__call__", failing)
    with pytest.raises(RuntimeError):
        importing.import_one(service, path, crashed, batch=4, quiet=True)
    monkeypatch.setattr(module.Writer, "__call__", real)
    partial = counts(crashed, service)
    done = importing.import_one(service, path, crashed, batch=4, quiet=True)
    assert done.this_run == len(sample()) - 8  # two batches were committed before the crash
    assert done.imported == len(sample())
    assert counts(crashed, service) == counts(clean, service) != partial
    again = importing.import_one(service, path, crashed, batch=4, quiet=True)
    assert again.already and again.this_run == 0
    assert counts(crashed, service) == counts(clean, service)


def test_a_resumed_import_keeps_the_as_of_it_began_with_and_refuses_another(tmp_path, monkeypatch):
    path = tmp_path / "history.jsonl"
    write(path, sample())
    began = datetime(2019, 4, 1, tzinfo=UTC)
    url = f"sqlite:///{tmp_path / 'routing'}.db"
    module = __import__("services.routing.importing", fromlist=["Writer"])
    real, calls = module.Writer.__call__, []

    def failing(self, session, records, lives):
        calls.append(len(records))
        real(self, session, records, lives)
        if len(calls) == 2:  # after one batch and its checkpoint
            raise RuntimeError("the process dies in the middle of a batch")

    monkeypatch.setattr(module.Writer, "__call__", failing)
    with pytest.raises(RuntimeError):
        importing.import_one("routing", path, url, batch=4, quiet=True, as_of=began)
    monkeypatch.setattr(module.Writer, "__call__", real)
    os.utime(path, (time.time(), time.time()))  # copied again: the file's time is not the one
    argv = [sys.executable, "-m", "services.cli", "import", str(path), "--service", "routing",
            "--quiet", "--database-url", url]  # fmt: skip
    other = subprocess.run([*argv, "--as-of", "2019-05-01T00:00:00Z"], cwd=ROOT,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert other.returncode == 2
    assert "began with --as-of 2019-04-01T00:00:00+00:00" in other.stderr
    for bad, says in (("tomorrow", "is not a time"), ("2999-01-01", "is in the future")):
        refused = subprocess.run([*argv, "--as-of", bad], cwd=ROOT, capture_output=True,
                                 text=True, timeout=120)  # fmt: skip
        assert refused.returncode == 2 and says in refused.stderr
    done = importing.import_one("routing", path, url, batch=4, quiet=True)
    assert done.as_of == began and done.imported == len(sample())
    engine = make_engine(url)
    with engine.connect() as conn:  # April's deadlines are history, May's are the sweep's
        running = conn.execute(select(clocks).where(clocks.c.stopped_at.is_(None))).all()
    engine.dispose()
    due = [(row.due_at.replace(tzinfo=UTC), row.breached_at) for row in running]
    assert all(breached is not None for at, breached in due if at < began)
    assert all(breached is None for at, breached in due if at >= began)
    assert {at < began for at, _ in due} == {True, False}


def test_kill_9_in_the_middle_and_a_second_run_imports_everything_once(tmp_path):
    records = [dict(record, tracking_id=f"LPR-K{n:06d}") for n in range(3000)
               for record in [sample(28)[n % 28]]]  # fmt: skip
    path = tmp_path / "history.jsonl"
    write(path, records)
    url = f"sqlite:///{tmp_path / 'routing'}.db"
    argv = [sys.executable, "-m", "services.cli", "import", str(path), "--service", "routing",
            "--batch", "50", "--quiet", "--database-url", url]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = make_engine(url)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with engine.connect() as conn:
                done = conn.execute(text("SELECT imported FROM import_checkpoints")).scalar() or 0
        except Exception:
            done = 0
        if done >= 500:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with engine.connect() as conn:
        at_kill = conn.execute(text("SELECT count(*) FROM dispositions")).scalar()
        checkpoint = conn.execute(text("SELECT imported FROM import_checkpoints")).scalar()
    assert 0 < at_kill == checkpoint < len(records)  # the rows and the checkpoint commit together
    finished = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dispositions")).scalar() == len(records)
        hops = conn.execute(text("SELECT count(DISTINCT tracking_id) FROM routing_history"))
        assert hops.scalar() == len(records)
        first_hops = conn.execute(
            text("SELECT count(*) FROM routing_history WHERE kind = 'dispatched'")
        ).scalar()
        assert first_hops == len(records)  # none twice
    engine.dispose()
    summary = [line for line in finished.stderr.splitlines() if line.startswith("IMPORT-SUMMARY")]
    assert json.loads(summary[0].split(" ", 1)[1])["this_run"] == len(records) - at_kill
