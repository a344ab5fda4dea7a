"""Figures for the event envelope, in process (prints them; not a test).

Times, per event, what a producer pays to publish (``new_event`` + ``.wire``: the body checked
against its schema, the envelope built) and what a consumer pays on receipt (``from_wire``: the
envelope parsed, the body loaded by its schema), for a report_submitted as intake sends it and a
report_routed as routing's dispatch sends it. Median and best of the rounds, in microseconds.

    .venv/bin/python bench/events.py [-n 5000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared import events  # noqa: E402

NOW = datetime(2026, 11, 24, 3, 15, 42, 123456, tzinfo=UTC)

SUBMITTED = {  # services/intake/filing.py _emit_submitted
    "tracking_id": "LPR-7K3M9QX2",
    "classification": "complaint",
    "category_id": "pendidikan.sma",
    "region_code": "73.11",
    "target_agency_code": None,
    "privacy": "public",
    "channel": "web",
    "language": "id",
    "title": "Pungutan di SMA negeri",
    "submitted_at": NOW,
    "supervision": False,
}

ROUTED = {  # services/routing/lifecycle/dispatching.py dispatch
    "tracking_id": "LPR-7K3M9QX2",
    "agency_code": "PROV-73-DISDIK",
    "agency_name": "Dinas Pendidikan Provinsi Sulawesi Selatan",
    "rule": "category_level",
    "trace": [
        "category pendidikan.sma is handled at province level",
        "region 73.11 lies in province 73",
        "PROV-73-DISDIK holds pendidikan.sma for province 73",
    ],
    "category_id": "pendidikan.sma",
    "region_code": "73.11",
    "privacy": "public",
    "channel": "web",
    "language": "id",
    "routed_at": NOW,
    "kind": "dispatched",
    "previous_agency_code": None,
    "watchers": [],
    "first_followup_due_at": NOW + timedelta(days=5),
    "resolution_due_at": NOW + timedelta(days=60),
    "version": 1,
    "agency_government_code": None,
    "agency_province_code": "73",
}

BODIES = {"report_submitted": SUBMITTED, "report_routed": ROUTED}


def per_event(fn, n: int, rounds: int) -> tuple[float, float]:
    """(median, best) microseconds per call of ``fn`` over ``rounds`` rounds of ``n`` calls."""
    figures = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        figures.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(figures), min(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"{args.rounds} rounds of {args.n}"
    )
    print(f"{'event':<18} {'step':<20} {'median µs':>10} {'best µs':>9}")
    for event_type, body in BODIES.items():
        # what the broker hands a consumer: the published envelope, through JSON
        payload = json.loads(json.dumps(events.new_event(event_type, "LPR-1", body, "c").wire))

        def publish(event_type=event_type, body=body):
            return events.new_event(event_type, "LPR-1", body, "c").wire

        def receive(payload=payload):
            return events.from_wire(payload)

        for step, fn in (("new_event + wire", publish), ("from_wire", receive)):
            median, best = per_event(fn, args.n, args.rounds)
            print(f"{event_type:<18} {step:<20} {median:>10.1f} {best:>9.1f}")


if __name__ == "__main__":
    main()
