"""Each service's schema history (Alembic, services/<name>/migrations), on SQLite and
PostgreSQL: a fresh database upgraded to the head is exactly what models.py says; a database
made before the histories existed keeps its rows and is brought up to date; and each service
is upgraded alone by `satupintu migrate`."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table, inspect, text

from services import DATABASE_SERVICES
from shared import migrations
from shared.config import ROOT
from shared.db import create_schema, infra, make_engine


def metadata_of(service: str) -> MetaData:
    return importlib.import_module(f"services.{service}.models").metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, pg_database):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/service.db"
    return pg_database()


def older_release(
    engine, metadata, dropped: set[tuple[str, str]], later: frozenset[str] = frozenset()
) -> None:
    """The tables as a release before migrations made them: created whole (create_all, no
    alembic_version) but for the ``later`` tables, then without the columns that release did
    not have yet."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # intake's search indexes name its operators
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        infra.create_all(conn)
        metadata.create_all(conn, tables=[t for t in metadata.sorted_tables if t.name not in later])
        for table, column in sorted(dropped):
            conn.execute(text(f'ALTER TABLE {table} DROP COLUMN "{column}"'))


def differences(engine, service: str) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), [infra, metadata_of(service)])


@pytest.mark.parametrize("service", DATABASE_SERVICES)
def test_a_fresh_database_at_the_head_is_what_the_models_say(database_url, service):
    engine = make_engine(database_url)
    try:
        create_schema(engine, infra, metadata_of(service))
        assert differences(engine, service) == []
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == (
                migrations.script_directory(
                    migrations.folder_of(metadata_of(service))
                ).get_current_head()
            )
    finally:
        engine.dispose()


def test_the_check_sees_a_models_change_without_its_migration(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/routing.db")
    try:
        create_schema(engine, infra, metadata_of("routing"))
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE dispositions ADD COLUMN stray VARCHAR(8)"))
        assert differences(engine, "routing") != []
    finally:
        engine.dispose()


def test_a_database_from_before_the_histories_keeps_its_rows_and_is_brought_up(database_url):
    """Notification's tables as an earlier release made them (create_all, no alembic_version,
    a nullable column missing): stamped at the first revision, the column added, rows kept."""
    service = "notification"
    current = metadata_of(service)
    engine = make_engine(database_url)
    try:
        older_release(engine, current, {("deliveries", "claimed_until")})
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO inbox (consumer, event_id, applied_at) "
                    "VALUES ('notification.on_x', 'e1', CURRENT_TIMESTAMP)"
                )
            )
        create_schema(engine, infra, current)
        columns = {c["name"] for c in inspect(engine).get_columns("deliveries")}
        assert "claimed_until" in columns
        with engine.connect() as conn:
            assert conn.execute(text("SELECT event_id FROM inbox")).scalars().all() == ["e1"]
            assert MigrationContext.configure(conn).get_current_revision() is not None
        create_schema(engine, infra, current)  # again: nothing to do, nothing lost
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM inbox")).scalar() == 1
    finally:
        engine.dispose()


def test_metadata_without_a_history_is_created_as_it_stands(tmp_path):
    own = MetaData()
    Table("notes", own, Column("id", String(8), primary_key=True))
    engine = make_engine(f"sqlite:///{tmp_path}/own.db")
    try:
        create_schema(engine, infra, own)
        assert {"notes", "outbox", "inbox"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_satupintu_migrate_upgrades_one_service_alone(tmp_path):
    env = {
        **os.environ,
        "ROUTING_DATABASE_URL": f"sqlite:///{tmp_path}/routing.db",
        "INTAKE_DATABASE_URL": f"sqlite:///{tmp_path}/intake.db",
    }
    answer = subprocess.run(
        [sys.executable, "-m", "services.cli", "migrate", "routing"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert answer.returncode == 0, answer.stderr
    head = migrations.script_directory(
        migrations.folder_of(metadata_of("routing"))
    ).get_current_head()
    assert answer.stdout.startswith(f"routing: schema at revision {head}")
    assert (tmp_path / "routing.db").exists() and not (tmp_path / "intake.db").exists()
    engine = make_engine(f"sqlite:///{tmp_path}/routing.db")
    try:
        assert differences(engine, "routing") == []
    finally:
        engine.dispose()


def test_a_database_from_before_the_histories_gets_the_later_revisions_too(database_url):
    """Intake as the release before migrations made it: no ``timeline.files`` (revision 0002),
    no ``import_checkpoints`` (0003) and, on an older copy, no ``reports.fields_version``
    (already in 0001). The first two are added by their revisions, the last before the stamp;
    nothing is added twice."""
    current = metadata_of("intake")
    engine = make_engine(database_url)
    try:
        older_release(
            engine,
            current,
            {("timeline", "files"), ("reports", "fields_version")},
            later=frozenset({"import_checkpoints"}),
        )
        create_schema(engine, infra, current)
        assert differences(engine, "intake") == []
    finally:
        engine.dispose()
