"""The one mapping of an absent dependency to 503 (shared/web.py), on the real things: intake
on a SQLite file another process holds locked (the write waits its ?timeout=, then 503, while
reads go on), and a service whose request must publish an event while the broker is away (a
TCP relay in front of RabbitMQ that the test stops: 503 naming the broker, then 200 again)."""

import sqlite3

import requests
from nameko.events import EventDispatcher

from services.intake.service import Intake
from shared.web import http
from tests.conftest import free_port
from tests.factories import make_report
from tests.tcp_proxy import TcpProxy


def assert_unavailable(response, dependency):
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "urn:satupintu:problem:service-unavailable"
    assert problem["dependency"] == dependency and problem["retry_after"] == 5


def test_a_locked_sqlite_file_is_503_for_writes_and_reads_go_on(
    container_factory, service_config, tmp_path
):
    path = tmp_path / "intake.db"
    config = service_config(
        "intake", DATABASE_URL=f"sqlite:///{path}?timeout=0.5", BLOB_DIR=str(tmp_path / "b")
    )
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    first = requests.post(f"{url}/reports", json=make_report(), timeout=10)
    assert first.status_code == 201, first.text
    tracking_id = first.json()["tracking_id"]

    other = sqlite3.connect(path, isolation_level=None)  # another writer, e.g. a backup script
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert_unavailable(
            requests.post(f"{url}/reports", json=make_report(), timeout=10), "database"
        )
        key = {"X-Report-Key": first.json()["report_key"]}
        assert requests.get(f"{url}/reports/{tracking_id}", headers=key, timeout=10).ok
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert requests.post(f"{url}/reports", json=make_report(), timeout=10).status_code == 201


class Announcer:
    """A service whose one route must publish before it answers."""

    name = "announcer"
    dispatch = EventDispatcher()

    @http("POST", "/announce")
    def announce(self, request):
        self.dispatch("announced", {"at": "now"})
        return {"published": True}


def test_a_request_that_must_publish_while_the_broker_is_away_is_503(
    container_factory, rabbit_config
):
    proxy = TcpProxy(free_port(), "127.0.0.1", 5672).start()
    amqp = rabbit_config["AMQP_URI"].replace(":5672/", f":{proxy.port}/")
    assert amqp != rabbit_config["AMQP_URI"]
    address = f"127.0.0.1:{free_port()}"
    container_factory(Announcer, {"AMQP_URI": amqp, "WEB_SERVER_ADDRESS": address}).start()
    url = f"http://{address}/announce"
    try:
        assert requests.post(url, timeout=30).json() == {"published": True}
        proxy.stop()
        assert_unavailable(requests.post(url, timeout=60), "broker")
        proxy.start()
        assert requests.post(url, timeout=60).json() == {"published": True}
    finally:
        proxy.stop()
