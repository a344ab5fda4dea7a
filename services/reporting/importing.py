"""Reporting's share of a history import (``satupintu import``, shared.importing): each
report's life (shared.historical.life) goes into the journal as the events it would have
received, and is folded into ``reports``, ``dispatches`` and ``figures`` with the same fold and
contributions the live handlers and the rebuild use, a batch at a time (the figures are added
to, so what was there before stays counted). Nothing is published or consumed: the imported
events are journal rows only. A later ``satupintu rebuild-reporting`` gives the same figures.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from services.reporting import facts, figures, places, placing, rows
from services.reporting.indicators import contributions
from services.reporting.models import dispatches, import_checkpoints, journal, metadata, reports
from services.reporting.rebuild import KnownPlaces
from shared import bulk
from shared.db import utcnow

CHECKPOINTS = import_checkpoints
METADATA = metadata
# a tracking id here is in the store: a later line with it is refused
STORED_TRACKING_IDS = reports.c.tracking_id
_JOURNAL = ["event_id", "event_type", "aggregate_id", "occurred_at", "body", "applied_at"]
_REPORT_COLUMNS = [column.name for column in reports.columns]
_HOP_COLUMNS = [column.name for column in dispatches.columns]


_TIMES = frozenset({datetime, date})


def wire(body: dict) -> dict:
    """A body as it travels (datetimes as ISO strings), as the journal keeps it."""
    return {key: value.isoformat() if type(value) in _TIMES else value
            for key, value in body.items()}  # fmt: skip


class Writer:
    """``write(session, records, lives)`` for shared.importing.run."""

    def __init__(self):
        self.places = None

    def __call__(self, session, records: list[dict], lives: list) -> None:
        if self.places is None:
            self.places = KnownPlaces(session)
        applied = utcnow()
        journal_rows, report_rows, hop_rows = [], [], []
        delta: dict = {}
        parents: dict = {}
        names: dict = {}
        placed: dict = {}
        for record, life in zip(records, lives, strict=True):
            tid = record["tracking_id"]
            events = []
            for event in life:
                body = wire(event.body)
                journal_rows.append(
                    (event.event_id, event.event_type, tid, event.occurred_at, body, applied)
                )
                # the fold reads times as datetimes or ISO strings alike: the body as made
                events.append(facts.Event(event.event_type, event.event_id, event.occurred_at,
                                          event.body))  # fmt: skip
            report = facts.fold(tid, events)
            row, hops = rows.rows_of(report, self.places.place_of)
            report_rows.append(tuple(getattr(row, name) for name in _REPORT_COLUMNS))
            hop_rows += [tuple(getattr(hop, name) for name in _HOP_COLUMNS) for hop in hops]
            added, found = contributions(row, hops)
            parents.update(found)
            for key, values in added.items():
                target = delta.setdefault(key, {})
                for index, value in values.items():
                    target[index] = target.get(index, 0) + value
            report_names, report_places = placing.carried(report)
            for code, name in report_names.items():
                if name:
                    names.setdefault(code, name)
            placed.update(report_places)
        bulk.insert(session, journal, _JOURNAL, _json_bodies(session, journal_rows))
        bulk.insert(session, reports, _REPORT_COLUMNS, report_rows)
        bulk.insert(session, dispatches, _HOP_COLUMNS, hop_rows)
        figures.add_all(session, delta, parents)
        fresh_names, fresh_places = self.places.news(names, placed)
        placing.remember(session, fresh_names, fresh_places)
        for code, place in fresh_places.items():
            self.places._rows[code] = (0, None, place)
        for code in fresh_names:
            self.places._rows.setdefault(code, (0, None, places.Place(None, None)))


def _json_bodies(session, journal_rows):
    return [(*row[:4], json.dumps(row[4]), row[5]) for row in journal_rows]
