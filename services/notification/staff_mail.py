"""Email to agency staff beyond the in-app inbox (SPEC §9): on new dispositions, deadlines
approaching and breached, a reporter's comment or "not satisfied".

Each person chooses what they want by email at the registry, which owns staff accounts
(services/agency_registry/staff_mail.py). Per event, one delivery to the agency (recipient
``agency:<code>``, channel email), so it is sent once whatever redelivers the event; at send
time the registry names the agency's staff who chose that topic (``staff_emails``, RPC with
a timeout; unreachable: the delivery waits and is retried), and one message goes to all of
them, each address only in the envelope (``To: undisclosed-recipients``), so no one reads the
others'. None chose it: the delivery is skipped. The mail is Indonesian first, then English.
STAFF_EMAIL: false turns it off.
"""

from __future__ import annotations

from nameko.extensions import DependencyProvider

from services.notification import templates
from services.notification.contacts import ContactUnavailable
from shared.rpc import CallerRpcProxy

# the inbox kinds that may also go by email, and the topic a person chooses them by
TOPIC_OF_KIND = {
    "new_disposition": "new_disposition",
    "manual_dispatch": "new_disposition",
    "deadline_approaching": "deadlines",
    "deadline_breached": "deadlines",
    "reporter_commented": "reporter_replies",
    "reopened_for_agency": "reporter_replies",
}
SEPARATOR = "\n\n-- English --\n\n"


def wanted(config: dict, kind: str) -> bool:
    return kind in TOPIC_OF_KIND and str(config.get("STAFF_EMAIL", True)).lower() != "false"


def bilingual(kind: str, context: dict) -> tuple[str, str]:
    """(subject, text): Indonesian first, English second."""
    indonesian, english = (
        templates.render(kind, "id", context),
        templates.render(kind, "en", context),
    )
    return (
        f"{indonesian['subject']} / {english['subject']}",
        f"{indonesian['text']}{SEPARATOR}{english['text']}",
    )


class StaffAddresses(DependencyProvider):
    """``self.staff_addresses.of("KAB-73-11-DINKES", "deadline_breached")`` → [addresses]."""

    def setup(self):
        self._config = {"AMQP_URI": self.container.config["AMQP_URI"]}
        self._timeout = float(self.container.config.get("RPC_TIMEOUT", 5))

    def of(self, agency_code: str, kind: str) -> list[str]:
        try:
            with CallerRpcProxy(self._config, timeout=self._timeout) as cluster:
                found = cluster.agency_registry.staff_emails(agency_code, TOPIC_OF_KIND[kind])
        except Exception as exc:
            raise ContactUnavailable(type(exc).__name__) from None
        return list(found or ())

    def get_dependency(self, worker_ctx):
        return self
