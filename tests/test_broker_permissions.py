"""deploy/rabbitmq/permissions.yml against what the services declare (no broker needed: the
regexes are checked here as RabbitMQ applies them, anchored, to each name)."""

import re

import pytest

from shared import broker
from shared.cli import service_class
from shared.config import ROOT, SERVICES
from shared.messaging import DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, service_queues

SPEC = broker.load_permissions()["users"]


def allowed(role: str, kind: str, name: str, user: str | None = None) -> bool:
    permissions, _ = broker.permissions_for(SPEC[role], user or role)
    return re.fullmatch(permissions[kind], name) is not None


def topic(role: str, exchange: str, kind: str, key: str) -> bool:
    _, topics = broker.permissions_for(SPEC[role], role)
    [rule] = [t for t in topics if t["exchange"] == exchange]
    return re.fullmatch(rule[kind], key) is not None


@pytest.mark.parametrize("service", SERVICES)
def test_every_handler_queue_of_a_service_is_within_its_permissions(service):
    for queue in service_queues(service_class(service)):
        for kind in ("configure", "write", "read"):
            assert allowed(service, kind, queue.name), (kind, queue.name)
        assert allowed(service, "configure", queue.exchange.name), queue.exchange.name
        assert allowed(service, "read", queue.exchange.name), queue.exchange.name
        assert allowed(service, "write", DEAD_LETTER_EXCHANGE)
        # and the operator's `satupintu declare` may declare it too
        for kind in ("configure", "write", "read"):
            assert allowed("operator", kind, queue.name), (kind, queue.name)


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_may_touch_another_services_handler_queues(service):
    for other in SERVICES:
        if other == service:
            continue
        for queue in service_queues(service_class(other)):
            for kind in ("configure", "write", "read"):
                assert not allowed(service, kind, queue.name), (service, kind, queue.name)


def test_each_service_reads_only_its_own_rpc_queue_and_reply_queues():
    for service in SERVICES:
        for other in SERVICES:
            mine = other == service
            assert not allowed(service, "read", f"rpc-{other}") or mine
            assert not allowed(service, "read", f"rpc.reply-{other}-0a1b2c") or mine
    assert allowed("routing", "read", "rpc.reply-routing-0a1b2c")
    assert allowed("intake", "read", "rpc-intake")
    assert not allowed("intake", "read", DEAD_LETTER_QUEUE)  # ops read dead letters
    assert allowed("operator", "read", DEAD_LETTER_QUEUE)


def test_only_notification_may_publish_a_request_for_a_reporters_address():
    callers = [
        role
        for role in broker.ROLES
        if "topic" in SPEC[role] and topic(role, "nameko-rpc", "write", "intake.reporter_contact")
    ]
    assert callers == ["notification"]
    assert topic("routing", "nameko-rpc", "write", "intake.report_for_staff")
    assert not topic("notification", "nameko-rpc", "write", "intake.report_for_staff")
    assert topic("routing", "nameko-rpc", "write", "intake.duplicates_for_staff")
    assert not topic("notification", "nameko-rpc", "write", "intake.duplicates_for_staff")
    assert topic("operator", "nameko-rpc", "write", "notification.replay_deliveries")
    assert not topic(
        "reporting" if "topic" in SPEC["reporting"] else "portal",
        "nameko-rpc",
        "write",
        "notification.replay_deliveries",
    )


def test_every_user_on_nameko_rpc_has_its_routing_keys_restricted():
    """Without topic permissions, read on nameko-rpc would let a user bind '#' and read every
    RPC answer (reporters' addresses among them)."""
    for role, spec in SPEC.items():
        names = spec.get("read", []) + spec.get("write", [])
        if any(re.fullmatch(name, "nameko-rpc") for name in names):
            assert "nameko-rpc" in spec.get("topic", {}), role
            assert not topic(role, "nameko-rpc", "read", "#"), role
            assert not topic(role, "nameko-rpc", "read", "rpc-reply.other.0a1b"), role


def test_a_prefixed_user_reads_only_its_own_replies():
    permissions, _ = broker.permissions_for(SPEC["routing"], "t1-routing")
    assert re.fullmatch(permissions["read"], "rpc.reply-t1-routing-0a1b")
    assert not re.fullmatch(permissions["read"], "rpc.reply-routing-0a1b")


def test_regional_users_read_their_own_queue_only():
    permissions = broker.regional_permissions("73.11")
    assert re.fullmatch(permissions["read"], "regional.73.11")
    assert not re.fullmatch(permissions["read"], "regional.73")
    assert not re.fullmatch(permissions["read"], "regional.73X11")
    assert permissions["configure"] == permissions["write"] == "^$"


def test_no_password_and_no_guest_in_the_deployment_files():
    for path in [ROOT / "docker-compose.yml", *sorted((ROOT / "deploy").rglob("*"))]:
        if path.is_file() and path.suffix in (".yml", ".yaml", ".json", ".sh", ".sql", ".conf"):
            text = path.read_text()
            assert "guest" not in text, path
            assert "password_hash" not in text or "example" in path.name, path


def test_who_may_ask_for_a_reporters_proof_and_for_staff_addresses():
    def callers(method):
        return sorted(
            role
            for role in broker.ROLES
            if "topic" in SPEC[role] and topic(role, "nameko-rpc", "write", method)
        )

    # routing asks before it hands a reporter an agency's follow-up file
    assert callers("intake.authorise_reporter") == ["notification", "portal", "routing"]
    # staff addresses, for email to those who chose it, go to notification alone
    assert callers("agency_registry.staff_emails") == ["notification"]
