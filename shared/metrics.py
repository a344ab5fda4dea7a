"""Prometheus metrics: entrypoint latency and outcomes for every service, with bounded labels.

Labels name a service, an entrypoint (a method name) and a kind; never a report, an agency or
a person. Each process serves its registry at ``/metrics`` (see shared.ops).
"""

from __future__ import annotations

import time
from weakref import WeakKeyDictionary

from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from nameko.timer import Timer
from nameko.web.handlers import HttpRequestHandler
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

ENTRYPOINT_SECONDS = Histogram(
    "satupintu_entrypoint_duration_seconds",
    "Time spent in an entrypoint's worker",
    ["service", "entrypoint", "kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ENTRYPOINT_CALLS = Counter(
    "satupintu_entrypoint_calls_total",
    "Entrypoint calls by outcome",
    ["service", "entrypoint", "kind", "outcome"],
)
EVENTS = Counter(
    "satupintu_events_total",
    "Events received by an event handler, by what became of each: applied, requeued, dead_lettered",
    ["service", "entrypoint", "outcome"],
)
OUTBOX_BACKLOG = Gauge(
    "satupintu_outbox_backlog", "Events committed but not yet published", ["service"]
)
# business counters: labels are channels, levels and statuses, never an agency or a report
REPORTS = Counter(
    "satupintu_reports_total",
    "Report events applied by reporting",
    ["event", "channel", "privacy"],
)
REPORTS_ENTERED = Counter(
    "satupintu_reports_entered_total",
    "Reports that reached a status (each report once per status), as reporting applied them",
    ["status", "channel", "classification", "privacy"],
)
# owned by reporting (set from its figures at scrape); routing keeps the clocks but not this
REPORTS_OVERDUE = Gauge("satupintu_reports_overdue", "Reports past a deadline, by clock", ["clock"])
DELIVERIES = Counter(
    "satupintu_deliveries_total", "Notification deliveries by outcome", ["channel", "outcome"]
)
DELIVERY_REPORTS = Counter(
    "satupintu_delivery_reports_total",
    "Delivery reports from a gateway: delivered, failed, stale (an earlier attempt or settled), "
    "intermediate (buffered, accepted), refused (bad signature)",
    ["channel", "outcome"],
)
DEAD_LETTERS = Gauge(
    "satupintu_dead_letter_queue_depth",
    "Messages waiting in satupintu.dead-letters (the same queue for all services)",
)
# owned by routing: its replica of the agency registry (one process's figures per scrape)
REPLICA_AGENCIES = Gauge("satupintu_replica_agencies", "Agencies in routing's replica")
REPLICA_SNAPSHOT_SECONDS = Gauge(
    "satupintu_replica_snapshot_seconds", "How long routing's last full snapshot read took"
)
OUTBOX_AGE = Gauge(
    "satupintu_outbox_oldest_age_seconds", "Age of the oldest unpublished event", ["service"]
)


def entrypoint_kind(entrypoint) -> str:
    for cls, kind in (
        (HttpRequestHandler, "http"),
        (EventHandler, "event"),
        (Rpc, "rpc"),
        (Timer, "timer"),
    ):
        if isinstance(entrypoint, cls):
            return kind
    return "other"


def exposition() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST


class Metrics(DependencyProvider):
    """Times every worker of the service and counts its outcome."""

    def setup(self):
        self._started = WeakKeyDictionary()

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        entrypoint = worker_ctx.entrypoint
        labels = (self.container.service_name, entrypoint.method_name, entrypoint_kind(entrypoint))
        if started is not None:
            ENTRYPOINT_SECONDS.labels(*labels).observe(time.perf_counter() - started)
        ENTRYPOINT_CALLS.labels(*labels, "error" if exc_info else "ok").inc()

    def get_dependency(self, worker_ctx):
        return self
