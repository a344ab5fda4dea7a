"""An answer larger than eventlet's write buffer leaves at once on a kept-alive connection:
with Nagle's algorithm on, its body waited for the client's delayed ACK, 40 ms every time."""

import http.client
import time

from services.intake.service import Intake


def test_a_large_answer_on_a_kept_alive_connection_does_not_wait_for_a_delayed_ack(
    container_factory, service_config, tmp_path
):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"))
    container_factory(Intake, config).start()
    connection = http.client.HTTPConnection(config["WEB_SERVER_ADDRESS"], timeout=10)
    times = []
    for _ in range(15):
        started = time.perf_counter()
        connection.request("GET", "/openapi.json")
        body = connection.getresponse().read()
        times.append((time.perf_counter() - started) * 1000)
    assert len(body) > 20 * 1024  # past the 16 KiB buffer: headers and body sent apart
    assert min(times) < 35, sorted(times)  # each one took 40 ms or more before
