"""The reporter's address on a channel, asked of intake at send time (RPC, with a timeout).

Events never carry contact details; intake keeps them and answers only this question.
"""

from __future__ import annotations

from shared.rpc import RpcCaller

ADDRESS_FIELD = {"email": "email", "sms": "phone", "twitter_dm": "twitter_id"}


class ContactUnavailable(Exception):
    """Intake did not answer in time: try the delivery again later."""


class ReporterContacts(RpcCaller):
    """``self.contacts.address("LPR-…", "sms")`` → "+62812…" or None (no such address); asked
    on kept connections, so a delivery opens none of its own."""

    def __init__(self):
        super().__init__("intake")

    def get_dependency(self, worker_ctx):
        return _Contacts(self.methods())


class _Contacts:
    def __init__(self, intake):
        self._intake = intake

    def address(self, tracking_id: str, channel: str) -> str | None:
        try:
            contact = self._intake.reporter_contact(tracking_id)
        except Exception as exc:  # no answer in time, or intake failing
            raise ContactUnavailable(type(exc).__name__) from None
        return (contact or {}).get(ADDRESS_FIELD[channel]) or None
