"""The portal's HTTP client against real sockets: kept-alive reuse, a connection the service
closed while idle, chunked answers, and a service that is not there."""

import eventlet
import pytest
from eventlet import wsgi

from services.portal.wire import Connections, WireError
from tests.conftest import free_port


@pytest.fixture
def server():
    seen = {"peers": set(), "bodies": []}

    def app(environ, start_response):
        seen["peers"].add(environ["REMOTE_PORT"])
        seen["bodies"].append(environ["wsgi.input"].read())
        if environ["PATH_INFO"] == "/chunked":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return iter([b"one ", b"two ", b"three"])
        body = environ["PATH_INFO"].encode() + b"?" + environ.get("QUERY_STRING", "").encode()
        start_response("201 Created", [("Content-Length", str(len(body))), ("X-Seen", "yes")])
        return [body]

    sock = eventlet.listen(("127.0.0.1", 0))
    thread = eventlet.spawn(wsgi.server, sock, app, log_output=False)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    thread.kill()


def test_answers_come_back_whole_over_one_kept_alive_connection(server):
    url, seen = server
    wire = Connections(timeout=(1, 2))
    for n in range(3):
        status, headers, body = wire.request("GET", f"{url}/reports/{n}?a=1", {}, None)
        assert (status, body, headers["x-seen"]) == (201, f"/reports/{n}?a=1".encode(), "yes")
    assert wire.request("POST", f"{url}/p", {"Content-Type": "text/plain"}, b"hello")[0] == 201
    assert seen["bodies"][-1] == b"hello"
    assert wire.request("GET", f"{url}/chunked", {}, None)[2] == b"one two three"
    assert len(seen["peers"]) == 1


def test_a_connection_the_service_closed_while_idle_is_replaced():
    """A server that answers one request per connection and then hangs up without saying so."""
    listener = eventlet.listen(("127.0.0.1", 0))
    accepted = []

    def serve():
        while True:
            conn, _ = listener.accept()
            accepted.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            conn.close()

    thread = eventlet.spawn(serve)
    wire = Connections(timeout=(1, 2))
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        answers = [wire.request("GET", url, {}, None)[2] for _ in range(3)]
    finally:
        thread.kill()
    assert answers == [b"ok"] * 3 and len(accepted) == 3


def test_a_service_that_is_not_there_or_says_nothing_is_a_wire_error():
    wire = Connections(timeout=(0.5, 0.5))
    with pytest.raises(WireError):
        wire.request("GET", f"http://127.0.0.1:{free_port()}/", {}, None)
    silent = eventlet.listen(("127.0.0.1", 0))
    with pytest.raises(WireError):
        wire.request("GET", f"http://127.0.0.1:{silent.getsockname()[1]}/", {}, None)
