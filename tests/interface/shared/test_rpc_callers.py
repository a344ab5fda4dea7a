"""Who may ask intake for a reporter's address, on the real RabbitMQ: intake runs as its own
broker user; notification, routing and an intruder (any user with broker credentials, as
guest/guest was) call it as theirs. The broker vouches for the caller (``user_id``)."""

import json
import time
import uuid

import amqp.exceptions
import eventlet
import pytest
import requests
from kombu import Connection, Exchange, Queue
from nameko.exceptions import RemoteError, RpcTimeout
from nameko.rpc import rpc
from nameko.standalone.rpc import ServiceRpcProxy

from services.intake.service import Intake
from services.notification.service import Notification
from shared.auth import TokenSigner
from shared.rpc import CallerPool, CallerRpcProxy, RpcCaller, Unavailable, rpc_for
from shared.staff_keys import load_private_key_file
from tests.factories import make_report

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)


@pytest.fixture
def users(broker_user):
    return {
        role: broker_user(role)
        for role in ("intake", "notification", "routing", "operator", "portal")
    } | {"intruder": broker_user(None, "intruder")}


@pytest.fixture
def intake(users, container_factory, service_config, rabbit_config):
    # users first: they are deleted after the containers stop
    # no RPC_CALLERS: the roles map to this vhost's users by the prefix, as in production
    config = service_config(
        "intake",
        AMQP_URI=users["intake"][1],
        RPC_CALLERS={},
        BROKER_USER_PREFIX=f"{rabbit_config['vhost']}-",
    )
    container = container_factory(Intake, config)
    container.start()
    return container, f"http://{config['WEB_SERVER_ADDRESS']}"


def file_confidential(base: str) -> str:
    body = make_report(
        privacy="rahasia",
        reporter={"name": "Andi", "phone": "+6281234567890", "email": "andi@example.id"},
    )
    response = requests.post(f"{base}/reports", json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"]


def call(uri: str, method: str, *args, service: str = "intake"):
    with CallerRpcProxy({"AMQP_URI": uri}, timeout=10) as cluster:
        return getattr(cluster[service], method)(*args)


def test_notification_gets_the_address_of_a_confidential_reporter(intake, users):
    _, base = intake
    tracking_id = file_confidential(base)
    assert call(users["notification"][1], "reporter_contact", tracking_id) == {
        "phone": "+6281234567890",
        "email": "andi@example.id",
        "twitter_id": None,
    }


def test_notification_and_the_portal_may_ask_whether_credentials_prove_the_reporter(intake, users):
    _, base = intake
    response = requests.post(f"{base}/reports", json=make_report(privacy="anonim"), timeout=10)
    tracking_id, key = response.json()["tracking_id"], response.json()["report_key"]
    for role in ("notification", "portal"):
        assert call(users[role][1], "authorise_reporter", tracking_id, {"report_key": key})
        assert not call(users[role][1], "authorise_reporter", tracking_id, {"report_key": "x" * 32})
    with pytest.raises(amqp.exceptions.AccessRefused):  # the portal asks nothing else
        call(users["portal"][1], "reporter_contact", tracking_id)


def test_an_intruder_with_broker_credentials_is_refused_the_address(intake, users):
    _, base = intake
    tracking_id = file_confidential(base)
    with pytest.raises(RemoteError) as refused:
        call(users["intruder"][1], "reporter_contact", tracking_id)
    assert refused.value.exc_type == "CallerNotAllowed"
    assert users["intruder"][0] in refused.value.value
    assert "+6281234567890" not in str(refused.value)
    with pytest.raises(RemoteError) as refused:
        call(users["intruder"][1], "report_for_staff", tracking_id, "X", "not-a-token")
    assert refused.value.exc_type == "CallerNotAllowed"
    with pytest.raises(RemoteError) as refused:
        call(users["intruder"][1], "duplicates_for_staff", tracking_id, 20)
    assert refused.value.exc_type == "CallerNotAllowed"
    with pytest.raises(RemoteError) as refused:
        call(users["intruder"][1], "authorise_reporter", tracking_id, {"report_key": "x" * 32})
    assert refused.value.exc_type == "CallerNotAllowed"


def _raw_request(uri: str, method: str, args: list, **properties):
    """Publish an RPC request by hand (as an attacker would) and wait for its answer."""
    reply_key = f"rpc-reply.raw.{uuid.uuid4().hex}"
    with Connection(uri, transport_options={"confirm_publish": True}) as conn:
        channel = conn.channel()
        reply_queue = Queue(
            f"raw-reply-{uuid.uuid4().hex}", RPC_EXCHANGE, routing_key=reply_key, exclusive=True
        )(channel)
        reply_queue.declare()
        conn.Producer(channel=channel).publish(
            {"args": args, "kwargs": {}},
            exchange=RPC_EXCHANGE,
            routing_key=f"intake.{method}",
            reply_to=reply_key,
            correlation_id=uuid.uuid4().hex,
            serializer="json",
            **properties,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            message = reply_queue.get(no_ack=True)
            if message is not None:
                return json.loads(message.body)
            time.sleep(0.05)
    raise AssertionError("no answer")


def test_a_forged_user_id_is_rejected_by_the_broker(intake, users):
    _, base = intake
    tracking_id = file_confidential(base)
    notification_user = users["notification"][0]
    with pytest.raises(amqp.exceptions.PreconditionFailed) as rejected:
        _raw_request(
            users["intruder"][1], "reporter_contact", [tracking_id], user_id=notification_user
        )
    assert "user_id" in str(rejected.value)


def test_a_request_that_does_not_say_who_sends_it_is_refused(intake, users):
    _, base = intake
    tracking_id = file_confidential(base)
    answer = _raw_request(users["intruder"][1], "reporter_contact", [tracking_id])
    assert answer["result"] is None
    assert answer["error"]["exc_type"] == "CallerNotAllowed"
    assert "without user_id" in answer["error"]["value"]


def desk_token(container, role: str = "agency_admin") -> str:
    """A staff token as the registry signs them, for routing to pass on to intake."""
    signer = TokenSigner(load_private_key_file(container.config["STAFF_TOKEN_PRIVATE_KEY_FILE"]))
    return signer.issue("7", "k.barru", role, "KAB-73-11-DISDIK", "KAB-73-11-DISDIK")[0]


def test_routing_may_read_the_report_for_its_desk_but_not_the_reporters_address(intake, users):
    container, base = intake
    tracking_id = file_confidential(base)
    token = desk_token(container)
    seen = call(users["routing"][1], "report_for_staff", tracking_id, "X", token)
    assert seen["tracking_id"] == tracking_id
    assert "reporter_phone" not in seen and "reporter_email" not in seen
    # its duplicate candidates too: ids and scores only (the one report has none)
    assert call(users["routing"][1], "duplicates_for_staff", tracking_id, 20) == []
    # routing's permissions do not let it publish that request at all
    with pytest.raises(amqp.exceptions.AccessRefused):
        call(users["routing"][1], "reporter_contact", tracking_id)


def test_routing_is_refused_by_intake_even_where_the_broker_would_carry_the_call(
    broker_user, users, container_factory, service_config
):
    """The broker's topic permissions and the entrypoint's caller list are two locks: here
    routing's user may publish anything, and intake still says no."""
    routing_user, routing_uri = broker_user(None, "routing-unrestricted")
    config = service_config(
        "intake",
        AMQP_URI=users["intake"][1],
        RPC_CALLERS={"notification": [users["notification"][0]], "routing": [routing_user]},
    )
    container = container_factory(Intake, config)
    container.start()
    tracking_id = file_confidential(f"http://{config['WEB_SERVER_ADDRESS']}")
    with pytest.raises(RemoteError) as refused:
        call(routing_uri, "reporter_contact", tracking_id)
    assert refused.value.exc_type == "CallerNotAllowed"


def test_only_the_operator_lists_and_replays_deliveries(
    users, container_factory, service_config, rabbit_config
):
    config = service_config(
        "notification",
        AMQP_URI=users["notification"][1],
        RPC_CALLERS={},
        BROKER_USER_PREFIX=f"{rabbit_config['vhost']}-",
    )
    container = container_factory(Notification, config)
    container.start()
    assert call(users["operator"][1], "list_deliveries", "dead", service="notification") == []
    assert call(users["operator"][1], "replay_deliveries", [1], service="notification") == 0
    for method, args in (("list_deliveries", ["dead"]), ("replay_deliveries", [[1]])):
        with pytest.raises(RemoteError) as refused:
            call(users["intruder"][1], method, *args, service="notification")
        assert refused.value.exc_type == "CallerNotAllowed"


def test_the_reply_to_one_caller_cannot_be_read_by_another(intake, users):
    """A reply travels on nameko-rpc with the caller's key: notification cannot bind a queue
    to routing's replies (or to every reply) and read what intake answered."""
    for key in ("#", f"rpc-reply.{users['routing'][0]}.*"):
        with Connection(users["notification"][1]) as conn:
            queue = Queue(
                f"rpc.reply-{users['notification'][0]}-{uuid.uuid4().hex}",
                RPC_EXCHANGE,
                routing_key=key,
                exclusive=True,
            )
            with pytest.raises(amqp.exceptions.AccessRefused):
                queue(conn.channel()).declare()


class Slow:
    name = "slow"

    @rpc_for("routing")
    def echo(self, value, delay=0.0):
        eventlet.sleep(delay)
        return value


def test_a_pool_of_kept_connections_answers_refuses_and_drops_what_timed_out(
    users, broker_user, container_factory, rabbit_config
):
    # users that the broker lets publish anything, so that the entrypoint alone decides
    allowed_user, allowed_uri = users["intruder"]
    _, other_uri = broker_user(None, "other")
    container = container_factory(
        Slow, {"AMQP_URI": rabbit_config["AMQP_URI"], "RPC_CALLERS": {"routing": [allowed_user]}}
    )
    container.start()
    pool = CallerPool({"AMQP_URI": allowed_uri}, timeout=0.5)
    try:
        assert pool.call("slow", "echo", 1) == 1
        assert len(pool._idle) == 1
        with pytest.raises(RpcTimeout):
            pool.call("slow", "echo", 2, delay=2)
        assert pool._idle == [], "a connection that timed out is not reused"
        assert pool.call("slow", "echo", 3) == 3
    finally:
        pool.close()
    refusing = CallerPool({"AMQP_URI": other_uri}, timeout=5)
    try:
        with pytest.raises(RemoteError) as refused:
            refusing.call("slow", "echo", 4)
        assert refused.value.exc_type == "CallerNotAllowed"
        assert len(refusing._idle) == 1, "the service answered: the connection is good"
    finally:
        refusing.close()


def test_routing_reads_the_report_for_its_desk_on_kept_connections(intake, users):
    container, base = intake
    tracking_id = file_confidential(base)
    token = desk_token(container)
    pool = CallerPool({"AMQP_URI": users["routing"][1]}, timeout=5)
    try:
        seen = [pool.call("intake", "report_for_staff", tracking_id, "X", token) for _ in range(5)]
        assert {view["tracking_id"] for view in seen} == {tracking_id}
        assert len(pool._idle) == 1, "one connection for five sequential calls"
    finally:
        pool.close()
    assert pool._idle == []


class Asker:
    """A service that asks ``slow`` through the one RPC dependency every service uses."""

    name = "asker"
    slow = RpcCaller("slow", default_timeout=0.5)

    @rpc
    def ask(self, value, delay=0.0):
        try:
            return {"answer": self.slow.echo(value, delay=delay)}
        except Unavailable as exc:
            return {"unavailable": str(exc)}
        except RemoteError as exc:
            return {"refused": exc.exc_type}


def test_the_rpc_dependency_tells_no_answer_from_a_refusal(
    users, broker_user, container_factory, rabbit_config
):
    allowed_user, allowed_uri = users["intruder"]
    _, other_uri = broker_user(None, "other")
    slow = container_factory(
        Slow, {"AMQP_URI": rabbit_config["AMQP_URI"], "RPC_CALLERS": {"routing": [allowed_user]}}
    )
    slow.start()
    asker = container_factory(Asker, {"AMQP_URI": allowed_uri})
    asker.start()
    refused = container_factory(
        type("Refused", (Asker,), {"name": "refused"}), {"AMQP_URI": other_uri}
    )
    refused.start()
    with ServiceRpcProxy("asker", {"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=10) as ask:
        assert ask.ask(1) == {"answer": 1}
        assert ask.ask(2, delay=2) == {"unavailable": "slow.echo: RpcTimeout"}
        assert ask.ask(3) == {"answer": 3}, "a fresh connection after the one that timed out"
    with ServiceRpcProxy("refused", {"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=10) as ask:
        assert ask.ask(4) == {"refused": "CallerNotAllowed"}
    slow.stop()
    with ServiceRpcProxy("asker", {"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=10) as ask:
        assert ask.ask(5) == {"unavailable": "slow.echo: RpcTimeout"}, "no one serves it"
