"""Tables routing owns: who holds each report now, every hop it took, the agencies' answers
(follow-ups, declines), who else may read it, and its clocks.

A change here comes with a migration (``satupintu revision routing "…"``, shared.migrations).
"""

from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.importing import checkpoint_table

# its schema's history: services/routing/migrations (shared.migrations)
metadata = MetaData(info={"migrations": Path(__file__).parent / "migrations"})

# One row per report: the agency holding it now. The primary key is what makes a report
# routed once, whatever the broker redelivers; every change of holder or status is a
# conditional update on ``version``, so two changes can never both win.
dispositions = Table(
    "dispositions",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    # the holder (its reports are read from ix_dispositions_agency_received and _due)
    Column("agency_code", String(64), nullable=False),
    Column("category_id", String(96), nullable=False),
    Column("region_code", String(16), nullable=False),
    Column("privacy", String(16), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("routed_at", DateTime(timezone=True), nullable=False),  # when the holder got it
    Column("agency_name", String(255)),
    Column("classification", String(32)),
    Column("channel", String(16)),
    Column("language", String(8)),
    Column("title", String(300)),  # as the public may read it: None for confidential reports
    Column("supervision", Boolean),
    Column("target_agency_code", String(64)),  # named by the reporter
    Column("proposed_agency_code", String(64)),  # review mode: what routing proposes
    Column("proposed_rule", String(32)),
    Column("proposed_trace", JSON),
    Column("coordinator_code", String(64)),  # who verifies / dispatches by hand
    Column("queue_reason", String(32)),  # in a coordinator's manual queue: why
    Column("received_at", DateTime(timezone=True)),  # complete submission
    Column("field_inspection", Boolean),
    Column("unsatisfied_rounds", Integer),
    Column("version", Integer),
    Column("updated_at", DateTime(timezone=True)),
    Column("archived_reason", String(32)),  # archived at the desk: why
    Column("duplicate_of", String(24)),  # archived as a duplicate: the original
    # kept by clocks.start/stop in the same transaction: the earliest deadline of a running
    # clock (the desk's sort=due), and of a running clock whose breach makes it overdue
    Column("next_due_at", DateTime(timezone=True)),
    Column("overdue_at", DateTime(timezone=True)),
)
# the desk's pages newest (or oldest) first, the tracking id breaking ties (listing.py): of
# the whole tree, and of one agency's reports; the status and overdue_at beside, so that the
# desk's totals per status, and its overdue filter, are read from the index alone
Index("ix_dispositions_received_id", dispositions.c.received_at, dispositions.c.tracking_id)
Index(
    "ix_dispositions_agency_received",
    dispositions.c.agency_code,
    dispositions.c.received_at,
    dispositions.c.tracking_id,
    dispositions.c.status,
    dispositions.c.overdue_at,
)
# the desk's sort=due of one agency's reports, and of the whole tree, read in order (listing.py)
Index(
    "ix_dispositions_agency_due",
    dispositions.c.agency_code,
    dispositions.c.next_due_at,
    dispositions.c.tracking_id,
)
Index("ix_dispositions_due_id", dispositions.c.next_due_at, dispositions.c.tracking_id)
# the desk's sort=updated / -updated: of the whole tree (and of many agencies, read in order
# and filtered), and of one agency's reports
Index("ix_dispositions_updated_id", dispositions.c.updated_at, dispositions.c.tracking_id)
Index(
    "ix_dispositions_agency_updated",
    dispositions.c.agency_code,
    dispositions.c.updated_at,
    dispositions.c.tracking_id,
)

routing_history = Table(
    "routing_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("agency_code", String(64), nullable=False),  # the holder after this hop
    Column("rule", String(32), nullable=False),
    Column("trace", JSON, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    # dispatched | proposed | queued | redispatched | referred | escalated
    Column("kind", String(16)),
    Column("from_agency_code", String(64)),
    Column("proposed_agency_code", String(64)),
    Column("actor", String(64)),  # a staff username; "routing" for the rules and the clocks
    Column("actor_agency_code", String(64)),
    Column("note", Text),
)

declines = Table(
    "declines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("agency_code", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("suggested_agency_code", String(64)),
    Column("staff_id", String(64)),
    Column("staff_username", String(64)),
    Column("idempotency_key", String(128)),
    Column("declined_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("tracking_id", "idempotency_key", name="uq_declines_key"),
)

followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("agency_code", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("field_inspection", Boolean, nullable=False),
    Column("staff_id", String(64)),
    Column("staff_username", String(64)),
    Column("idempotency_key", String(128)),
    Column("posted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("tracking_id", "idempotency_key", name="uq_followups_key"),
)

# The files (photos, letters) an agency attached to a follow-up; the bytes are in routing's
# blob store under their sha256 (shared/blobs.py). An id is random: it names, it opens nothing.
followup_files = Table(
    "followup_files",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("followup_id", Integer, nullable=False, index=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("position", Integer, nullable=False),  # the order they were attached in
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),  # shared.blob_sweep asks
)

# Every correction of what a report is about (category, region, classification, privacy):
# who made it, and the fields before and after.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False, index=True),
    Column("staff_id", String(64)),
    Column("staff_username", String(64), nullable=False),
    Column("staff_agency_code", String(64)),
    Column("before", JSON, nullable=False),
    Column("after", JSON, nullable=False),
    Column("rerouted", Boolean, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Read-only access beside the holder: watchers (supervision categories) and the coordinators
# and oversight bodies a report was escalated to.
readers = Table(
    "readers",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("agency_code", String(64), primary_key=True, index=True),
    Column("kind", String(16), primary_key=True),  # watcher | escalated
    Column("since", DateTime(timezone=True), nullable=False),
)

# One row per (report, clock). A restart (a new holder, a longer resolution clock) bumps
# ``seq``; the sweep's conditional updates name the seq they saw, so a clock restarted under
# it is not acted on.
clocks = Table(
    "clocks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_id", String(24), nullable=False),
    Column("clock", String(16), nullable=False),
    Column("agency_code", String(64), nullable=False),
    Column("zone", String(64), nullable=False),
    Column("days", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("remind_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("reminded_at", DateTime(timezone=True)),
    Column("breached_at", DateTime(timezone=True)),
    Column("stopped_at", DateTime(timezone=True)),
    Column("seq", Integer, nullable=False),
    UniqueConstraint("tracking_id", "clock", name="uq_clocks_report_clock"),
)
Index("ix_clocks_due", clocks.c.stopped_at, clocks.c.breached_at, clocks.c.due_at)
Index("ix_clocks_remind", clocks.c.stopped_at, clocks.c.reminded_at, clocks.c.remind_at)
# a report's earliest running deadline (dispositions.next_due_at), read from the index alone
Index(
    "ix_clocks_running_due",
    clocks.c.tracking_id,
    clocks.c.due_at,
    postgresql_where=clocks.c.stopped_at.is_(None),
    sqlite_where=clocks.c.stopped_at.is_(None),
)

# Reports closed (withdrawn, archived) before or after routing saw them: a late or repeated
# report_submitted for one of them is not routed.
closed_reports = Table(
    "closed_reports",
    metadata,
    Column("tracking_id", String(24), primary_key=True),
    Column("reason", String(32), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False),
)

# where each history import (satupintu import, shared.importing) stopped, in this database
import_checkpoints = checkpoint_table(metadata)
