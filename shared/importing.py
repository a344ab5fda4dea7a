"""Streaming a history file (shared.historical) into one service's database, resumably.

Each service that keeps something of a report has an ``importing`` module with a ``write``
that turns a batch of checked records and their lives into its own rows. ``run`` reads the file
from where the service's checkpoint says it stopped, a line at a time (the file is never held),
and commits each batch together with the checkpoint (the byte offset after its last line), so
a run killed at any point (kill -9 included) goes on where the last commit left it: no record
twice, none lost. A finished file is recognised (its size and the digest of its first MiB) and
not read again. A refused record (shared.historical.check) is counted, with its line number and
reason for the first few, and skipped by every service alike; a line that is not JSON too.
So is a record whose tracking id the service's store already holds (``key``: the column that
names its reports) — from before the import, or from an earlier line of the file — or that an
earlier line of the same batch has: the first line with a tracking id is imported, every later
one refused as ``duplicate_tracking_id``, by each service and on resumption alike. The
checkpoint keeps the import's ``as_of`` too (when the history ends: ``as_of_for``), so every
batch and every resumed run reads the file's lives alike.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import JSON, BigInteger, Column, DateTime, String, Table, select
from sqlalchemy.orm import Session

from shared import historical
from shared.db import aware, utcnow
from shared.progress import rate_bar

BATCH = 2000
EXAMPLES = 5
DUPLICATE = "duplicate_tracking_id"
_CHUNK = 500  # tracking ids per lookup (well under SQLite's bound on parameters)


def checkpoint_table(metadata) -> Table:
    """The table each importing service keeps its checkpoints in (one row per file)."""
    return Table(
        "import_checkpoints",
        metadata,
        Column("source", String(80), primary_key=True),  # the file's identity
        Column("byte_offset", BigInteger, nullable=False),  # bytes read and committed
        Column("lines", BigInteger, nullable=False),
        Column("imported", BigInteger, nullable=False),
        Column("skipped", JSON, nullable=False),  # {"counts": {reason: n}, "examples": [...]}
        Column("as_of", DateTime(timezone=True)),  # when the history ends (historical.life)
        Column("finished_at", DateTime(timezone=True)),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


def identity(path) -> str:
    """The file's size and the sha256 of its first MiB: the same file, wherever it is."""
    with open(path, "rb") as handle:
        head = hashlib.sha256(handle.read(1 << 20)).hexdigest()[:40]
    return f"{os.path.getsize(path)}:{head}"


@dataclass
class Outcome:
    lines: int = 0
    imported: int = 0
    counts: Counter = field(default_factory=Counter)
    examples: list = field(default_factory=list)
    as_of: datetime | None = None
    already: bool = False
    seconds: float = 0.0
    this_run: int = 0  # records read by this run (the rest by an earlier one)

    @property
    def skipped(self) -> int:
        return sum(self.counts.values())

    def refuse(self, line: int, reason: str, tracking_id=None) -> None:
        self.counts[reason] += 1
        if len(self.examples) < EXAMPLES or line < self.examples[-1]["line"]:
            self.examples.append({"line": line, "reason": reason, "tracking_id": tracking_id})
            self.examples.sort(key=lambda example: example["line"])  # the first lines, in order
            del self.examples[EXAMPLES:]


Writer = Callable[[Session, list[dict], list[list[historical.Event]]], None]


def run(
    engine,
    checkpoints: Table,
    path,
    write: Writer,
    key: Column,
    agencies,
    region_exists,
    calendar,
    label: str,
    batch: int = BATCH,
    quiet: bool = False,
    as_of: datetime | None = None,
    escalated_to=historical.nobody,
) -> Outcome:
    """Import ``path`` with ``write``; what was done (by this run and those before it).
    ``as_of``: when the history ends (historical.life), as ``as_of_for`` found it."""
    started = time.perf_counter()
    source = identity(path)
    size = os.path.getsize(path)
    outcome = Outcome()
    with Session(engine) as session:
        row = session.execute(select(checkpoints).where(checkpoints.c.source == source)).first()
    offset = 0
    if row is not None:
        offset, outcome.lines, outcome.imported = row.byte_offset, row.lines, row.imported
        outcome.counts.update(row.skipped.get("counts", {}))
        outcome.examples = list(row.skipped.get("examples", []))
        outcome.as_of = aware(row.as_of)
        if row.finished_at is not None:
            outcome.already = True
            return outcome
    outcome.as_of = as_of
    show = None if quiet else rate_bar(label, size, first=offset)
    records: list[tuple[int, dict]] = []  # (line, checked record)
    life = partial(_lives, agencies=agencies, calendar=calendar, as_of=outcome.as_of,
                   escalated_to=escalated_to)  # fmt: skip
    with open(path, "rb") as handle:
        handle.seek(offset)
        while True:
            raw = handle.readline()
            if raw:
                outcome.lines += 1
                outcome.this_run += 1
                checked = _checked(raw, outcome, agencies, region_exists)
                if checked is not None:
                    records.append((outcome.lines, checked))
            if len(records) >= batch or not raw:
                done = not raw
                _commit(engine, checkpoints, source, handle.tell(), outcome, write, key,
                        records, life, done)  # fmt: skip
                records = []
                if show:
                    show(handle.tell(), outcome.this_run)
                if done:
                    break
    outcome.seconds = time.perf_counter() - started
    return outcome


def _checked(raw: bytes, outcome: Outcome, agencies, region_exists) -> dict | None:
    if not raw.strip():
        outcome.lines -= 1  # a blank line is no record
        outcome.this_run -= 1
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        outcome.refuse(outcome.lines, "not_json")
        return None
    try:
        return historical.check(record, agencies, region_exists)
    except historical.Refused as refused:
        tid = record.get("tracking_id") if isinstance(record, dict) else None
        outcome.refuse(outcome.lines, refused.reason, tid if isinstance(tid, str) else None)
        return None


def _lives(records: list[dict], agencies, calendar, as_of, escalated_to):
    return [historical.life(record, agencies, calendar, as_of, escalated_to) for record in records]


def as_of_for(engine, checkpoints: Table, path, given: datetime | None) -> datetime:
    """When the history in ``path`` ends: the checkpoint's, for an import begun before (a
    different ``given`` is AsOfConflict); else ``given``; else the file's modification time
    (when the export was written), the same for every service and every run."""
    with Session(engine) as session:
        stored = session.execute(
            select(checkpoints.c.as_of).where(checkpoints.c.source == identity(path))
        ).scalar()
    stored = aware(stored)
    if stored is not None and given is not None and given != stored:
        raise AsOfConflict(stored, given)
    return stored or given or _modified(path)


class AsOfConflict(ValueError):
    """An import begun with one ``as_of`` cannot go on with another."""

    def __init__(self, stored: datetime, given: datetime):
        super().__init__(
            f"this file's import began with --as-of {stored.isoformat()}, not {given.isoformat()}"
        )


def _modified(path) -> datetime:
    return datetime.fromtimestamp(os.path.getmtime(path), UTC).replace(microsecond=0)


def _unique(session, key: Column, records: list[tuple[int, dict]], outcome) -> list[dict]:
    """The batch's records but those whose tracking id the store or an earlier line has."""
    tids = list({record["tracking_id"] for _, record in records})
    known = set()
    for start in range(0, len(tids), _CHUNK):
        known.update(session.execute(select(key).where(key.in_(tids[start:start + _CHUNK])))
                     .scalars())  # fmt: skip
    kept = []
    for line, record in records:
        tid = record["tracking_id"]
        if tid in known:
            outcome.refuse(line, DUPLICATE, tid)
        else:
            known.add(tid)
            kept.append(record)
    return kept


def _commit(engine, checkpoints, source, offset, outcome, write, key, records, life,
            done) -> None:  # fmt: skip
    """One transaction: the batch's rows and the checkpoint after it."""
    with Session(engine) as session, session.begin():
        records = _unique(session, key, records, outcome) if records else []
        if records:
            write(session, records, life(records))
        values = {
            "byte_offset": offset,
            "lines": outcome.lines,
            "imported": outcome.imported + len(records),
            "skipped": {"counts": dict(outcome.counts), "examples": outcome.examples},
            "as_of": outcome.as_of,
            "finished_at": utcnow() if done else None,
            "updated_at": utcnow(),
        }
        changed = session.execute(
            checkpoints.update().where(checkpoints.c.source == source).values(**values)
        ).rowcount
        if not changed:
            session.execute(checkpoints.insert().values(source=source, **values))
    outcome.imported += len(records)
