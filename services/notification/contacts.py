"""The reporter's address on a channel, asked of intake at send time (RPC, with a timeout).

Events never carry contact details; intake keeps them and answers only this question.
"""

from __future__ import annotations

from nameko.extensions import DependencyProvider

from shared.rpc import CallerRpcProxy

ADDRESS_FIELD = {"email": "email", "sms": "phone", "twitter_dm": "twitter_id"}


class ContactUnavailable(Exception):
    """Intake did not answer in time: try the delivery again later."""


class ReporterContacts(DependencyProvider):
    """``self.contacts.address("LPR-…", "sms")`` → "+62812…" or None (no such address)."""

    def setup(self):
        self._config = {"AMQP_URI": self.container.config["AMQP_URI"]}
        self._timeout = float(self.container.config.get("RPC_TIMEOUT", 5))

    def address(self, tracking_id: str, channel: str) -> str | None:
        try:
            with CallerRpcProxy(self._config, timeout=self._timeout) as cluster:
                contact = cluster.intake.reporter_contact(tracking_id)
        except Exception as exc:
            raise ContactUnavailable(type(exc).__name__) from None
        return (contact or {}).get(ADDRESS_FIELD[channel]) or None

    def get_dependency(self, worker_ctx):
        return self
