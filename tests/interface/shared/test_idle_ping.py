"""A pooled PostgreSQL connection is checked before use only after it sat idle
(shared/idle_ping.py): the database restarted behind an idle pool costs no failed request,
and a connection in use a moment ago is trusted without a round trip."""

import time

import pytest
from sqlalchemy import exc, text

from shared import idle_ping
from shared.db import make_engine
from tests.conftest import free_port
from tests.tcp_proxy import TcpProxy


@pytest.fixture
def through_proxy(request, pg_database):
    """(engine, proxy): an engine of shared.db on a PostgreSQL database behind a TCP relay."""
    proxy = TcpProxy(free_port(), "127.0.0.1", 5432).start()
    request.addfinalizer(proxy.stop)
    url = pg_database().replace(":5432/", f":{proxy.port}/")
    engine = make_engine(url)
    request.addfinalizer(engine.dispose)
    return engine, proxy


def one(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar_one()


def restart(proxy) -> None:
    """Every connection through the relay drops; new ones are accepted again."""
    proxy.stop()
    proxy.start()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(through_proxy):
    engine, proxy = through_proxy
    assert one(engine) == 1
    restart(proxy)
    time.sleep(idle_ping.IDLE_SECONDS + 0.2)
    assert one(engine) == 1  # pinged, found dead, replaced: the caller never saw it


def test_a_connection_used_a_moment_ago_is_not_pinged(through_proxy, monkeypatch):
    monkeypatch.setattr(idle_ping, "IDLE_SECONDS", 60.0)  # the restart below takes a moment
    engine, proxy = through_proxy
    assert one(engine) == 1
    restart(proxy)
    # within the idle window the pool trusts it: the dead connection fails its statement (a
    # ping would have replaced it), and the pool lets it go, so the next one works
    with pytest.raises(exc.OperationalError):
        one(engine)
    assert one(engine) == 1
