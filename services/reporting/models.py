"""Tables reporting owns: the journal of every event it applied, and what is built from it.

``journal`` is the source of truth; ``reports``, ``dispatches``, ``figures`` and ``agencies``
are projections that ``satupintu rebuild-reporting`` recreates from it.
"""

from pathlib import Path

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)

from services.reporting.indicators import COLUMNS
from shared.importing import checkpoint_table

# its schema's history: services/reporting/migrations (shared.migrations)
metadata = MetaData(info={"migrations": Path(__file__).parent / "migrations"})

journal = Table(
    "journal",
    metadata,
    Column("event_id", String(32), primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("aggregate_id", String(64), nullable=False, index=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("body", JSON, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=True),
)

# One row per report: the fold of its events (services.reporting.rows.ReportRow).
reports = Table(
    "reports",
    metadata,
    Column("tracking_id", String(32), primary_key=True),
    Column("day", Date, nullable=False),
    Column("status", String(32)),
    Column("classification", String(32)),
    Column("category_id", String(96)),
    Column("region_code", String(16)),
    Column("privacy", String(16)),
    Column("channel", String(16)),
    Column("agency_code", String(64), index=True),
    Column("agency_name", String(255)),
    Column("government_code", String(64)),
    Column("province_code", String(64)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("first_routed_at", DateTime(timezone=True)),
    Column("completed_at", DateTime(timezone=True)),
    Column("verification_seconds", BigInteger),
    Column("first_followup_seconds", BigInteger),
    Column("completion_seconds", BigInteger),
    Column("first_followup_settled", Boolean, nullable=False),
    Column("first_followup_on_time", Boolean, nullable=False),
    Column("resolution_settled", Boolean, nullable=False),
    Column("resolution_on_time", Boolean, nullable=False),
    Column("overdue_verification", Boolean, nullable=False),
    Column("overdue_first_followup", Boolean, nullable=False),
    Column("overdue_resolution", Boolean, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("reopened", Boolean, nullable=False),
    Column("feedback", Boolean, nullable=False),
    Column("satisfied", Boolean, nullable=False),
    Column("completed_silent", Boolean, nullable=False),
    Column("visited", Integer, nullable=False),
)

# a card's or a ranking's exact quantiles read one scope's durations over a range of days,
# from the index alone (the durations are in it)
_DURATIONS = (
    reports.c.verification_seconds,
    reports.c.first_followup_seconds,
    reports.c.completion_seconds,
)
Index("ix_reports_day_durations", reports.c.day, *_DURATIONS)
for _scope in ("agency_code", "government_code", "province_code"):
    Index(f"ix_reports_{_scope}_durations", reports.c[_scope], reports.c.day, *_DURATIONS)

# Every agency that held a report, hop by hop (decline rate; re-attribution when an agency moves).
dispatches = Table(
    "dispatches",
    metadata,
    Column("tracking_id", String(32), primary_key=True),
    Column("hop", Integer, primary_key=True),
    Column("agency_code", String(64), nullable=False, index=True),
    Column("government_code", String(64)),
    Column("province_code", String(64)),
    Column("day", Date, nullable=False),
    Column("manual", Boolean, nullable=False),
    Column("declined", Boolean, nullable=False),
)

# Sums per scope (a agency, g government, p province, n nation), grain (d day, m month) and day
# (the first of the month for grain m): services.reporting.indicators.COLUMNS.
figures = Table(
    "figures",
    metadata,
    Column("scope_kind", String(1), primary_key=True),
    Column("scope_code", String(64), primary_key=True),
    Column("grain", String(1), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("parent_code", String(64)),
    *(
        Column(name, BigInteger, nullable=False, server_default=text("0"), default=0)
        for name in COLUMNS
    ),
)
Index(
    "ix_figures_parent",
    figures.c.scope_kind,
    figures.c.parent_code,
    figures.c.grain,
    figures.c.day,
)
Index("ix_figures_grain", figures.c.scope_kind, figures.c.grain, figures.c.day)

# What the registry's events said about each agency (the highest version wins), and names
# routing gave agencies the registry never announced (version 0: the template loads silently).
agencies = Table(
    "agencies",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(255)),
    Column("kind", String(32)),
    Column("path", JSON),
    Column("status", String(16)),
    Column("version", Integer, nullable=False),
    Column("government_code", String(64)),
    Column("province_code", String(64)),
)

PROJECTIONS = (reports, dispatches, figures, agencies)

# where each history import (satupintu import, shared.importing) stopped, in this database
import_checkpoints = checkpoint_table(metadata)
