"""One bound on request bodies for every service (shared/web.py, MAX_REQUEST_BYTES): a 5 MB
JSON body is refused with 413 problem+json before it is read, as the attack; intake's
attachment upload alone has its larger allowance. Each service alone in a container on the
real RabbitMQ and SQLite."""

import json
import socket
import threading

import pytest
import requests

from services import service_class

FIVE_MB = 5 * 1024 * 1024
# a POST route of each service that reads a JSON body (reporting has only GETs: a body on one)
ROUTES = {
    "agency_registry": ("POST", "/auth/token"),
    "routing": ("POST", "/desk/dispositions/LPR-2026-0000-0000/decline"),
    "notification": ("POST", "/inbox/LPR-2026-0000-0000/read"),
    "reporting": ("GET", "/stats"),
    "intake": ("POST", "/reports"),
}


def started(container_factory, service_config, service, **overrides):
    config = service_config(service, **overrides)
    container_factory(service_class(service), config).start()
    host, port = config["WEB_SERVER_ADDRESS"].rsplit(":", 1)
    return host, int(port)


def exchange(address, method, path, body: bytes, announced: int | None = None) -> tuple:
    """Send the head announcing ``announced`` bytes (default len(body)) and ``body`` from
    another thread (errors ignored: the server may close early); (status, headers, JSON)."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body) if announced is None else announced}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(address, timeout=5)

    def send():
        try:
            sock.sendall(head + body)
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received = b""
    try:
        while b"\r\n\r\n" not in received or len(received) < _expected(received):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    finally:
        sock.close()
    head_part, _, content = received.partition(b"\r\n\r\n")
    lines = head_part.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(content)


def _expected(received: bytes) -> int:
    head, _, _ = received.partition(b"\r\n\r\n")
    for line in head.decode(errors="replace").split("\r\n"):
        if line.lower().startswith("content-length:"):
            return len(head) + 4 + int(line.split(":")[1])
    return len(received) + 1


def five_mb_of_json() -> bytes:
    return json.dumps({"text": "x" * FIVE_MB}).encode()


def assert_too_large(status, headers, body, limit=64 * 1024):
    assert status == 413
    assert headers["Content-Type"].startswith("application/problem+json")
    assert body["type"] == "urn:satupintu:problem:payload-too-large"
    assert body["title"] == "Isi permintaan terlalu besar / Request body too large"
    assert body["max_bytes"] == limit


@pytest.mark.parametrize("service", sorted(ROUTES))
def test_every_service_refuses_a_5_mb_json_body_with_413(
    container_factory, service_config, service
):
    address = started(container_factory, service_config, service)
    method, path = ROUTES[service]
    assert_too_large(*exchange(address, method, path, five_mb_of_json()))
    # refused on the announcement alone: a server that read (or parsed) the body would wait
    # for the 5 MB that never come, and this would time out
    assert_too_large(*exchange(address, method, path, b"", announced=FIVE_MB))


def test_the_limit_comes_from_the_config(container_factory, service_config):
    address = started(container_factory, service_config, "agency_registry", MAX_REQUEST_BYTES=100)
    small = json.dumps({"username": "siapa", "password": "x" * 120}).encode()
    assert_too_large(*exchange(address, "POST", "/auth/token", small), limit=100)


def test_only_intakes_upload_takes_more(container_factory, service_config):
    host, port = started(container_factory, service_config, "intake")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024)  # 1 MB: above 64 KiB, below 5 MB
    upload = requests.post(
        f"http://{host}:{port}/attachments",
        files={"file": ("foto.png", png, "image/png")},
        timeout=30,
    )
    assert upload.status_code == 201, upload.text
    status, headers, body = exchange((host, port), "POST", "/reports", b"{}", announced=len(png))
    assert_too_large(status, headers, body)
