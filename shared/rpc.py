"""RPC that knows who is calling.

RabbitMQ refuses a message whose ``user_id`` property is not the connection's own user, so
``user_id`` on a request names the caller as the broker authenticated it. Both halves:

    from shared.rpc import rpc_for, CallerRpcProxy

    @rpc_for("notification")              # called side: anyone else gets CallerNotAllowed
    def reporter_contact(self, tracking_id): ...

    with CallerRpcProxy(config, timeout=5) as cluster:   # calling side, ClusterRpcProxy's shape
        cluster.intake.reporter_contact("LPR-…")

    intake = RpcCaller("intake")                # or, in a service, on kept connections:
    self.intake.reporter_contact("LPR-…")       # Unavailable when no answer comes in time

Callers are named by role (``notification``, ``routing``, ``operator``, ``portal``…). A role is
the broker user of the same name, after ``BROKER_USER_PREFIX`` (config, else environment); the
config key ``RPC_CALLERS`` (``{"notification": ["user-a", "user-b"]}``) names the users of a
role outright, so a test or a deployment with other user names can say who is who.
"""

from __future__ import annotations

import logging
import os
import uuid
from urllib.parse import unquote, urlparse

from kombu import Queue
from nameko.exceptions import RemoteError
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc, ServiceProxy, get_rpc_exchange
from nameko.standalone.rpc import SingleThreadedReplyListener, StandaloneProxyBase

log = logging.getLogger(__name__)

REPLY_KEY_PREFIX = "rpc-reply"


class Unavailable(Exception):
    """No answer: the callee is not running, too slow, or the broker is away. A service that
    answered with an error raises nameko's ``RemoteError`` instead."""


class CallerNotAllowed(Exception):
    """The caller's broker user may not call this method (or did not say who it is)."""


def amqp_username(amqp_uri: str) -> str:
    """The user an AMQP URI logs in as (``guest`` when it names none, as kombu does)."""
    return unquote(urlparse(amqp_uri).username or "guest")


def broker_user_prefix(config: dict) -> str:
    return str(config.get("BROKER_USER_PREFIX") or os.environ.get("BROKER_USER_PREFIX") or "")


def role_users(config: dict, role: str) -> frozenset[str]:
    """The broker users that act as ``role``: from RPC_CALLERS, else the role's own user."""
    named = (config.get("RPC_CALLERS") or {}).get(role)
    if named:
        return frozenset([named] if isinstance(named, str) else named)
    return frozenset({broker_user_prefix(config) + role})


class CallerRpc(Rpc):
    """An RPC entrypoint served only to the broker users of the given roles."""

    def __init__(self, *roles: str, **kwargs):
        if not roles:
            raise ValueError("rpc_for needs at least one caller role")
        self.roles = roles
        super().__init__(**kwargs)

    def setup(self):
        config = self.container.config
        self.allowed = frozenset().union(*(role_users(config, role) for role in self.roles))
        super().setup()

    def handle_message(self, body, message):
        caller = message.properties.get("user_id")
        if caller not in self.allowed:
            log.warning(
                "refused %s.%s to broker user %r",
                self.container.service_name,
                self.method_name,
                caller,
            )
            # raised here, before a worker exists: RpcConsumer replies with the error and acks
            raise CallerNotAllowed(
                f"{self.container.service_name}.{self.method_name} does not answer "
                + (f"broker user {caller!r}" if caller else "a request without user_id")
                + f" (callers: {', '.join(sorted(self.roles))})"
            )
        super().handle_message(body, message)


rpc_for = CallerRpc.decorator


class _CallerReplyListener(SingleThreadedReplyListener):
    """A reply queue only its owner can bind: named and keyed after the caller's user."""

    def setup(self):
        user = self.container.service_name
        reply_id = uuid.uuid4().hex
        self.routing_key = f"{REPLY_KEY_PREFIX}.{user}.{reply_id}"
        self.queue = Queue(
            f"rpc.reply-{user}-{reply_id}",
            exchange=get_rpc_exchange(self.container.config),
            routing_key=self.routing_key,
            exclusive=True,
            auto_delete=True,
        )
        self.queue_consumer.register_provider(self)


class _Cluster:
    def __init__(self, worker_ctx, reply_listener, user_id: str):
        self._worker_ctx = worker_ctx
        self._reply_listener = reply_listener
        self._user_id = user_id
        self._proxies: dict[str, ServiceProxy] = {}

    def __getattr__(self, name: str) -> ServiceProxy:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._proxies:
            self._proxies[name] = ServiceProxy(
                self._worker_ctx, name, self._reply_listener, user_id=self._user_id
            )
        return self._proxies[name]

    def __getitem__(self, name: str) -> ServiceProxy:
        return getattr(self, name)


class CallerRpcProxy(StandaloneProxyBase):
    """ClusterRpcProxy whose requests carry ``user_id`` (the AMQP_URI's user); timeout required."""

    def __init__(self, config: dict, timeout: float, context_data: dict | None = None):
        if not timeout or timeout <= 0:
            raise ValueError("an RPC needs a timeout")
        user = amqp_username(config["AMQP_URI"])

        class Container(StandaloneProxyBase.ServiceContainer):
            service_name = user

        self.ServiceContainer = Container
        super().__init__(
            config, context_data, timeout=timeout, reply_listener_cls=_CallerReplyListener
        )
        self._proxy = _Cluster(self._worker_ctx, self._reply_listener, user)


class CallerPool:
    """Started CallerRpcProxy connections kept for the next call (a connection and reply queue
    per call costs ~15 ms; a kept one ~3 ms). One per concurrent caller, at most ``size`` idle.
    A connection that failed (timeout, broker gone) is closed, never reused; a remote error
    (the service answered) leaves it good."""

    def __init__(self, config: dict, timeout: float, size: int = 10):
        self._config = {"AMQP_URI": config["AMQP_URI"]}
        self._timeout = timeout
        self._size = size
        self._idle: list[tuple[CallerRpcProxy, _Cluster]] = []
        CallerRpcProxy(self._config, timeout)  # a bad timeout fails now, not at the first call

    def call(self, service: str, method: str, *args, **kwargs):
        try:
            proxy, cluster = self._idle.pop()
        except IndexError:
            proxy = CallerRpcProxy(self._config, self._timeout)
            cluster = proxy.start()
        try:
            result = getattr(cluster[service], method)(*args, **kwargs)
        except RemoteError:
            self._keep(proxy, cluster)
            raise
        except BaseException:
            self._discard(proxy)
            raise
        self._keep(proxy, cluster)
        return result

    def close(self) -> None:
        while self._idle:
            self._discard(self._idle.pop()[0])

    def _keep(self, proxy: CallerRpcProxy, cluster: _Cluster) -> None:
        if len(self._idle) < self._size:
            self._idle.append((proxy, cluster))
        else:
            self._discard(proxy)

    @staticmethod
    def _discard(proxy: CallerRpcProxy) -> None:
        try:
            proxy.stop()
        except Exception:  # its connection is already gone
            pass


class RpcCaller(DependencyProvider):
    """``intake = RpcCaller("intake")`` → ``self.intake.report_for_staff(...)`` in a worker,
    as the service's own broker user, on kept connections, with the timeout of config
    ``timeout_key`` (default ``RPC_TIMEOUT``, else ``default_timeout`` seconds). A call that
    gets no answer raises ``Unavailable``; one the callee refused, ``RemoteError``.

    The one way a service asks another: a subclass may give the calls a narrower shape by
    overriding ``get_dependency`` around ``self.methods()``."""

    def __init__(self, service: str, timeout_key: str = "RPC_TIMEOUT", default_timeout=5.0):
        self.service = service
        self.timeout_key = timeout_key
        self.default_timeout = default_timeout

    def setup(self):
        config = self.container.config
        timeout = float(config.get(self.timeout_key) or self.default_timeout)
        self.pool = CallerPool(config, timeout, size=int(config.get("max_workers", 10)))

    def stop(self):
        self.pool.close()

    def kill(self):
        self.pool.close()

    def methods(self) -> _Methods:
        return _Methods(self.pool, self.service)

    def get_dependency(self, worker_ctx):
        return self.methods()


class _Methods:
    def __init__(self, pool: CallerPool, service: str):
        self._pool = pool
        self._service = service

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)

        def call(*args, **kwargs):
            try:
                return self._pool.call(self._service, method, *args, **kwargs)
            except RemoteError:
                raise
            except Exception as exc:  # a timeout, the broker away, no such service running
                raise Unavailable(f"{self._service}.{method}: {type(exc).__name__}") from None

        return call
