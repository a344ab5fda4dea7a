"""Schema changes as Alembic migrations: one history per service, in ``services/<name>/migrations/``.

A service's ``models.py`` names its folder on its metadata (``MetaData(info={"migrations":
folder})``). ``upgrade`` brings a database to the newest revision of that history, every
service on its own, so one can be upgraded alone with its data. It runs when a service starts
(``shared.db.Database``), by ``satupintu migrate``, and by every command that opens a service's
database; on PostgreSQL under an advisory lock, so copies starting together do not race.

A database made before the histories existed (tables, no ``alembic_version``) is first given
what the first revision (``0001``, the schema of that release) has and it lacks, as the earlier
start-up did (tables, nullable columns), then stamped at ``0001`` and upgraded from there.

A new revision, after changing a models.py (written next to the others, to be read and
committed): ``satupintu revision routing "what changed"``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, Table, inspect, text

log = logging.getLogger(__name__)

BASELINE = "0001"
LOCK_ID = 7152024
_scripts: dict[Path, ScriptDirectory] = {}


def folder_of(metadata: MetaData) -> Path | None:
    return metadata.info.get("migrations")


def script_directory(folder: Path) -> ScriptDirectory:
    if folder not in _scripts:
        config = Config()
        config.set_main_option("script_location", str(folder))
        _scripts[folder] = ScriptDirectory.from_config(config)
    return _scripts[folder]


def upgrade(engine, folder: Path, metadatas: tuple[MetaData, ...]) -> str | None:
    """The database at ``engine`` upgraded to the head of ``folder``'s history; the revision."""
    script = script_directory(folder)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({LOCK_ID})"))
        current = MigrationContext.configure(conn).get_current_revision()
        if current is None and _has_tables(conn, metadatas):
            _bring_to_baseline(conn, metadatas, _baseline_columns(folder))
            current = BASELINE
            log.info("schema: a database from before migrations, stamped at %s", BASELINE)
            MigrationContext.configure(conn).stamp(script, BASELINE)
        head = script.get_current_head()
        if current == head:
            return head
        _run(conn, script, head)
        log.info("schema: upgraded from %s to %s", current or "nothing", head)
        return head


def _has_tables(conn, metadatas) -> bool:
    present = set(inspect(conn).get_table_names())
    return any(table in present for metadata in metadatas for table in metadata.tables)


def _run(conn, script: ScriptDirectory, destination: str) -> None:
    def steps(revision, _context):
        return script._upgrade_revs(destination, revision)

    with EnvironmentContext(Config(), script, fn=steps, destination_rev=destination) as env:
        env.configure(connection=conn, render_as_batch=True)
        with env.begin_transaction():
            env.run_migrations()


_baselines: dict[Path, dict[str, set[str]]] = {}


def _baseline_columns(folder: Path) -> dict[str, set[str]]:
    """{table: its column and index names} as revision 0001 makes them (run once on an empty
    SQLite)."""
    if folder not in _baselines:
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")
        with engine.begin() as conn:
            _run(conn, script_directory(folder), BASELINE)
        inspector = inspect(engine)
        _baselines[folder] = {
            table: {column["name"] for column in inspector.get_columns(table)}
            | {index["name"] for index in inspector.get_indexes(table)}
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }
        engine.dispose()
    return _baselines[folder]


def _bring_to_baseline(conn, metadatas, baseline: dict[str, set[str]]) -> None:
    """What start-up did before migrations, up to the first revision's shape: its missing
    tables made, its missing nullable columns and indexes added (as models.py defines them)."""
    known = {table.name: table for metadata in metadatas for table in metadata.sorted_tables}
    inspector = inspect(conn)
    present_tables = set(inspector.get_table_names())
    for name, columns in baseline.items():
        table = known[name]
        if name not in present_tables:
            shape = Table(name, MetaData(), *[c.copy() for c in table.columns if c.name in columns])
            shape.create(conn)
            continue
        present = {column["name"] for column in inspector.get_columns(name)}
        for column in table.columns:
            if column.name in columns - present and column.nullable:
                ddl = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {name} ADD COLUMN "{column.name}" {ddl}'))
                log.info("schema: added column %s.%s", name, column.name)
    inspector = inspect(conn)
    for name, columns in baseline.items():
        indexed = {index["name"] for index in inspector.get_indexes(name)}
        for index in known[name].indexes:
            if index.name in columns and index.name not in indexed:
                index.create(conn)


REVISION = '''"""{message}

Revision {revision}, after {down_revision}.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "{revision}"
down_revision = {down_repr}


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def new_revision(metadatas: tuple[MetaData, ...], message: str) -> Path | None:
    """A revision file for what the models have and the history's head lacks (None: nothing),
    in the folder the last metadata names. Written to be read and committed."""
    from sqlalchemy import create_engine

    folder = folder_of(metadatas[-1])
    script = script_directory(folder)
    engine = create_engine("sqlite://")
    if script.get_current_head():
        upgrade(engine, folder, metadatas)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        produced = produce_migrations(context, list(metadatas))
    engine.dispose()
    if produced.upgrade_ops.is_empty():
        return None
    head = script.get_current_head()
    number = f"{int(head) + 1:04d}" if head else BASELINE
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40].strip("_")
    path = folder / "versions" / f"{number}_{slug}.py"
    path.write_text(
        REVISION.format(
            message=message,
            revision=number,
            down_revision=head or "nothing",
            down_repr=repr(head),
            upgrade=_code(produced.upgrade_ops),
            downgrade=_code(produced.downgrade_ops),
        )
    )
    _scripts.pop(folder, None)
    return path


def _code(operations) -> str:
    """The operations as the body of a function (render_python_code indents by four already)."""
    code = render_python_code(operations, render_as_batch=True).rstrip()
    return "\n".join(
        line if not line.strip() or line.startswith("    ") else "    " + line
        for line in code.split("\n")
        if not line.strip().startswith("# ###")
    )
