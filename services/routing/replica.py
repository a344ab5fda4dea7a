"""Routing's in-memory replica of the agency registry.

Loaded from the registry's snapshot (RPC, with a timeout), kept for the life of the process and
refreshed when the registry's revision changes, so routing goes on deciding while the registry
is down.
"""

from __future__ import annotations

import logging

from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from nameko.standalone.rpc import ClusterRpcProxy

from services.routing.policy import AgencyView, Directory

log = logging.getLogger(__name__)


class RegistryUnavailable(Exception):
    """No replica yet and the registry did not answer in time."""


def to_view(agency: dict) -> AgencyView:
    return AgencyView(
        code=agency["code"],
        name=agency["name"],
        kind=agency["kind"],
        parent_code=agency["parent_code"],
        path=tuple(agency["path"]),
        status=agency["status"],
        jurisdictions=tuple(agency["jurisdictions"]),
        competencies=frozenset(agency["competencies"]),
        is_coordinator=agency["is_coordinator"],
        verification_mode=agency["verification_mode"],
    )


class AgencyReplica(DependencyProvider):
    """``self.agencies.directory()`` → the policy's Directory; config RPC_TIMEOUT."""

    def setup(self):
        self._config = {"AMQP_URI": self.container.config["AMQP_URI"]}
        self._timeout = float(self.container.config.get("RPC_TIMEOUT", 10))
        self._snapshot_timeout = float(self.container.config.get("SNAPSHOT_TIMEOUT", 60))
        self._lock = Semaphore()
        self._directory: Directory | None = None
        self._revision: str | None = None

    def start(self):
        self.container.spawn_managed_thread(self._warm_up, identifier="replica-warm-up")

    def _warm_up(self):
        try:
            self.directory()
        except RegistryUnavailable:
            log.warning("agency replica: registry not reachable at start; will retry on demand")

    def directory(self) -> Directory:
        if self._directory is None:
            with self._lock:
                if self._directory is None:
                    self._load()
        return self._directory

    def refresh(self) -> bool:
        """Reload if the registry's revision moved; True if it did. Keeps the old one on error."""
        try:
            with ClusterRpcProxy(self._config, timeout=self._timeout) as cluster:
                revision = cluster.agency_registry.revision()
        except Exception as exc:
            log.warning("agency replica: revision check failed (%s)", type(exc).__name__)
            return False
        if revision == self._revision:
            return False
        with self._lock:
            self._load()
        return True

    def _load(self) -> None:
        try:
            with ClusterRpcProxy(self._config, timeout=self._snapshot_timeout) as cluster:
                snapshot = cluster.agency_registry.snapshot()
        except Exception as exc:
            raise RegistryUnavailable(type(exc).__name__) from None
        self._directory = Directory(to_view(agency) for agency in snapshot["agencies"])
        self._revision = snapshot["revision"]
        log.info(
            "agency replica loaded: %d agencies, revision %s", len(self._directory), self._revision
        )

    def get_dependency(self, worker_ctx):
        return self
