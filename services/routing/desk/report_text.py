"""The report's own words for the desk, from intake (which alone keeps content and identity).

Routing holds where a report stands; what the reporter wrote, and who they are, stay in intake.
The desk asks intake over RPC (as routing's broker user, on kept connections), with a
timeout, for the report as staff of the holding agency
(or a coordinator) may see it under SPEC §3; intake applies its privacy filter and audit log.
If intake does not answer, the desk shows what routing holds and says the text is unavailable.

The call:

    intake.report_for_staff(tracking_id, agency_code, token)
        token: the staff member's Bearer token, as the desk received it. Intake verifies it
               with the registry's public key and takes the viewer (agency or coordinator)
               and its audit line's who from it: nothing routing says about the person is
               believed, so a caller on the bus cannot ask as a coordinator it is not.
        → privacy.view(record, viewer, JSON) of the report, or None if unknown

    intake.authorise_reporter(tracking_id, credentials)
        credentials: {"report_key", "token", "open311_token"} as the caller sent them
        → True when they prove the caller is the report's reporter (a follow-up's files)

    intake.search_for_staff(text, limit)          → tracking ids whose words match
    intake.duplicates_for_staff(tracking_id, limit)
        → [{"tracking_id", "score", "submitted_at"}]: duplicate candidates, most alike first
"""

from __future__ import annotations

import logging

from shared.rpc import RpcCaller

log = logging.getLogger(__name__)


class ReportUnavailable(Exception):
    """Intake did not answer in time, or cannot answer this call yet."""


class IntakeReports(RpcCaller):
    """``self.report_text.fetch(tracking_id, agency_code, token)``; config INTAKE_RPC_TIMEOUT."""

    def __init__(self):
        super().__init__("intake", timeout_key="INTAKE_RPC_TIMEOUT", default_timeout=3)

    def get_dependency(self, worker_ctx):
        return _Reports(self.methods())


class _Reports:
    def __init__(self, intake):
        self._intake = intake

    def fetch(self, tracking_id: str, agency_code: str, token: str) -> dict | None:
        """The report as intake lets the holder of ``token`` (the Bearer token the desk was
        given) see it."""
        try:
            return self._intake.report_for_staff(tracking_id, agency_code, token)
        except Exception as exc:  # a timeout, intake down, or an intake without the call
            log.warning("report text unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None

    def search(self, text: str, limit: int) -> list[str]:
        """Tracking ids whose title or body holds every word (intake.search_for_staff). The
        words are never logged."""
        try:
            return list(self._intake.search_for_staff(text, limit))
        except Exception as exc:
            log.warning("text search unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None

    def duplicates(self, tracking_id: str, limit: int) -> list[dict]:
        """Duplicate candidates of a report (intake.duplicates_for_staff), before the desk's
        access filter."""
        try:
            return list(self._intake.duplicates_for_staff(tracking_id, limit))
        except Exception as exc:
            log.warning("duplicate candidates unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None

    def proves_reporter(self, tracking_id: str, credentials: dict) -> bool:
        """Whether ``credentials`` prove the caller is the report's reporter, as intake judges
        (intake.authorise_reporter). Never logged: they are keys."""
        try:
            return bool(self._intake.authorise_reporter(tracking_id, credentials))
        except Exception as exc:
            log.warning("reporter proof unavailable from intake (%s)", type(exc).__name__)
            raise ReportUnavailable(type(exc).__name__) from None
