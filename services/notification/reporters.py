"""Who may read a reporter's inbox: whoever proves to intake that they are the reporter.

A tracking id names a report; it is not a key (SPEC §2). The proof is what intake gave the
reporter: the report key of a report filed without an account (``X-Report-Key``), the
account's sign-in token (``Authorization: Bearer …``) or an Open311 client's token
(``X-Open311-Token``). Notification holds none of them: it asks intake over RPC, with a
timeout, and only headers are read, so a key never travels in a URL or reaches a log line.
"""

from __future__ import annotations

from shared.auth import bearer
from shared.rpc import RpcCaller


class IntakeUnavailable(Exception):
    """Intake did not answer in time: the question cannot be settled now."""


def credentials(request) -> dict | None:
    """{"report_key": …, "token": …, "open311_token": …} from the request's headers, or None
    when it carries none of them."""
    found = {
        "report_key": request.headers.get("X-Report-Key", "").strip() or None,
        "token": bearer(request),
        "open311_token": request.headers.get("X-Open311-Token", "").strip() or None,
    }
    return found if any(found.values()) else None


class ReporterProof(RpcCaller):
    """``self.reporter_proof.proves("LPR-…", credentials)`` → True or False (intake decides);
    ``IntakeUnavailable`` when intake does not answer within RPC_TIMEOUT. Asked as
    notification's own broker user (intake answers only the callers it names), on kept
    connections, so an inbox request opens none of its own."""

    def __init__(self):
        super().__init__("intake")

    def get_dependency(self, worker_ctx):
        return _Proof(super().get_dependency(worker_ctx))


class _Proof:
    def __init__(self, intake):
        self._intake = intake

    def proves(self, tracking_id: str, proof: dict) -> bool:
        try:
            return bool(self._intake.authorise_reporter(tracking_id, proof))
        except Exception as exc:  # intake not running, too slow, failing
            raise IntakeUnavailable(type(exc).__name__) from None
