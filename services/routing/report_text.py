"""The report's own words for the desk, from intake (which alone keeps content and identity).

Routing holds where a report stands; what the reporter wrote, and who they are, stay in intake.
The desk asks intake over RPC, with a timeout, for the report as staff of the holding agency
(or a coordinator) may see it under SPEC §3; intake applies its privacy filter and audit log.
If intake does not answer, the desk shows what routing holds and says the text is unavailable.

The call (to be provided by intake):

    intake.report_for_staff(tracking_id, agency_code, viewer, staff)
        viewer: "agency" (holding agency, watchers, oversight) or "coordinator"
        staff:  {"staff_id", "username", "role", "agency_code"} — for intake's audit line
        → privacy.view(record, viewer, JSON) of the report, or None if unknown
"""

from __future__ import annotations

import logging

from nameko.extensions import DependencyProvider
from nameko.standalone.rpc import ClusterRpcProxy

from shared.auth import StaffClaims

log = logging.getLogger(__name__)

COORDINATOR_ROLES = frozenset({"coordinator_admin", "national_admin"})


class ReportUnavailable(Exception):
    """Intake did not answer in time, or cannot answer this call yet."""


class IntakeReports(DependencyProvider):
    """``self.report_text.fetch(tracking_id, agency_code, staff)``; config INTAKE_RPC_TIMEOUT."""

    def setup(self):
        config = self.container.config
        self._config = {"AMQP_URI": config["AMQP_URI"]}
        self._timeout = float(config.get("INTAKE_RPC_TIMEOUT", 3))

    def get_dependency(self, worker_ctx):
        return self

    def fetch(self, tracking_id: str, agency_code: str, staff: StaffClaims) -> dict | None:
        viewer = "coordinator" if staff.role in COORDINATOR_ROLES else "agency"
        who = {
            "staff_id": staff.staff_id,
            "username": staff.username,
            "role": staff.role,
            "agency_code": staff.agency_code,
        }
        try:
            with ClusterRpcProxy(self._config, timeout=self._timeout) as cluster:
                return cluster.intake.report_for_staff(tracking_id, agency_code, viewer, who)
        except Exception as exc:  # a timeout, intake down, or an intake without the call
            log.warning("report text unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None

    def search(self, text: str, limit: int) -> list[str]:
        """Tracking ids whose title or body holds every word (intake.search_for_staff). The
        words are never logged."""
        try:
            with ClusterRpcProxy(self._config, timeout=self._timeout) as cluster:
                return list(cluster.intake.search_for_staff(text, limit))
        except Exception as exc:
            log.warning("text search unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None
