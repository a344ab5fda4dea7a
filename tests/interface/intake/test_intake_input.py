"""Bad input at the HTTP door gets a 4xx problem naming the field and changes nothing;
attachments, rate limits and the OpenAPI document. Real RabbitMQ and SQLite."""

import pytest
import requests
from kombu import Connection

from services.intake.service import Intake
from tests.factories import drain, make_report, row_counts, watch

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def config(service_config, tmp_path):
    return service_config(
        "intake",
        BLOB_DIR=str(tmp_path / "blobs"),
        ATTACHMENT_MAX_BYTES=1024,
        HTTP_RATE_LIMIT="40/60",
    )


@pytest.fixture
def intake(container_factory, config, rabbit_config):
    container_factory(Intake, config).start()
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        yield f"http://{config['WEB_SERVER_ADDRESS']}", watch(conn, "intake", "report_submitted")


def bilingual(message: str) -> bool:
    """Indonesian first, English second: "… / …", two different, non-empty halves."""
    halves = message.split(" / ")
    return len(halves) == 2 and all(h.strip() for h in halves) and halves[0] != halves[1]


def count(url):
    return requests.get(f"{url}/public/reports", params={"status": "dispatched"}, timeout=5).json()[
        "total"
    ]


@pytest.mark.parametrize(
    "overrides, fields",
    [
        ({"location": "Barru"}, {"location"}),
        ({"parties": {"name": "x"}}, {"parties"}),
        ({"event_date": "20-11-2026"}, {"event_date"}),
        ({"event_date": "2999-01-01"}, {"event_date"}),
        ({"location": {"region_code": "73.11", "latitude": 91}}, {"location.latitude"}),
        ({"attachments": ["not-an-id"]}, {"attachments.0"}),
        ({"on_behalf_of": {"name": "Pak Darman", "nik": "123"}}, {"on_behalf_of.nik"}),
        ({"channel": "sms"}, {"channel"}),
        ({"privacy": "rahasia banget"}, {"privacy"}),
        ({"target_agency_code": "x y"}, {"target_agency_code"}),
        ({"surprise": 1}, {"surprise"}),
        ({"reporter": {"phone": "call me"}}, {"reporter.phone"}),
    ],
)
def test_each_bad_field_is_named_and_nothing_is_stored(intake, config, overrides, fields):
    url, submitted = intake
    before = row_counts(config["DATABASE_URL"])
    assert before["reports"] == 0 and "outbox" in before  # intake's own tables, read as they are
    response = requests.post(f"{url}/reports", json=make_report(**overrides), timeout=5)
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert {error["field"] for error in response.json()["errors"]} == fields
    messages = [error["message"] for error in response.json()["errors"]]
    assert all(bilingual(message) for message in messages), messages
    assert drain(submitted) == []
    assert row_counts(config["DATABASE_URL"]) == before


def test_a_huge_body_is_refused_before_it_is_read(intake, config):
    url, submitted = intake
    before = row_counts(config["DATABASE_URL"])
    huge = make_report(body="a " * 40_000)
    response = requests.post(f"{url}/reports", json=huge, timeout=5)
    assert response.status_code == 413
    assert response.json()["type"].endswith("payload-too-large")
    assert drain(submitted) == []
    assert row_counts(config["DATABASE_URL"]) == before


def test_indonesian_privacy_names_and_on_behalf_of_are_accepted(intake):
    url, _ = intake
    response = requests.post(
        f"{url}/reports",
        json=make_report(
            privacy="anonim", on_behalf_of={"name": "Pak Darman", "relation": "RT 02"}
        ),
        timeout=5,
    )
    assert response.status_code == 201
    tracked = requests.get(
        f"{url}/reports/{response.json()['tracking_id']}",
        headers={"X-Report-Key": response.json()["report_key"]},
        timeout=5,
    ).json()
    assert tracked["privacy"] == "anonymous"
    assert tracked["on_behalf_of"]["name"] == "Pak Darman"  # the reporter sees whom they filed for


def test_attachments_are_checked_stored_and_attached_once(intake):
    url, _ = intake
    uploaded = requests.post(
        f"{url}/attachments", files={"file": ("../../foto kelas.png", PNG, "image/png")}, timeout=5
    )
    assert uploaded.status_code == 201, uploaded.text
    meta = uploaded.json()
    assert meta["name"] == "foto kelas.png" and meta["size"] == len(PNG)

    filed = requests.post(f"{url}/reports", json=make_report(attachments=[meta["id"]]), timeout=5)
    tid, key = filed.json()["tracking_id"], {"X-Report-Key": filed.json()["report_key"]}
    shown = requests.get(f"{url}/reports/{tid}", headers=key, timeout=5).json()["attachments"]
    assert shown == [{key: meta[key] for key in ("id", "name", "media_type", "size", "sha256")}]
    path = f"{url}/reports/{tid}/attachments/{meta['id']}"
    download = requests.get(path, headers=key, timeout=5)
    assert download.content == PNG and download.headers["X-Content-Type-Options"] == "nosniff"
    # the tracking id and the attachment id are not keys: no file without the report key
    for headers in ({}, {"X-Report-Key": "guess"}):
        refused = requests.get(path, headers=headers, timeout=5)
        assert refused.status_code == 404 and PNG not in refused.content
    in_query = requests.get(path, params={"report_key": key["X-Report-Key"]}, timeout=5)
    assert in_query.status_code == 404  # a key is never read from a URL

    reused = requests.post(f"{url}/reports", json=make_report(attachments=[meta["id"]]), timeout=5)
    assert reused.status_code == 422 and reused.json()["errors"][0]["field"] == "attachments"
    unknown = requests.post(f"{url}/reports", json=make_report(attachments=["0" * 32]), timeout=5)
    assert unknown.status_code == 422


@pytest.mark.parametrize(
    "upload, status",
    [
        (("x.exe", b"MZ\x90\x00", "application/octet-stream"), 415),
        (("fake.png", b"GIF89a....", "image/png"), 415),  # the bytes are not a PNG
        (("big.png", PNG + b"\x00" * 2048, "image/png"), 413),
    ],
)
def test_bad_uploads_are_refused(intake, upload, status):
    url, _ = intake
    response = requests.post(f"{url}/attachments", files={"file": upload}, timeout=5)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/problem+json")
    missing = requests.post(f"{url}/attachments", files={"other": upload}, timeout=5)
    assert missing.status_code in (413, 422)


def test_http_senders_are_rate_limited(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "b"), HTTP_RATE_LIMIT="3/60")
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"
    codes = [
        requests.post(f"{url}/reports", json=make_report(), timeout=5).status_code for _ in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    refused = requests.post(f"{url}/reports", json=make_report(), timeout=5).json()
    assert refused["type"].endswith("too-many-requests") and refused["retry_after"] >= 1
    assert requests.get(f"{url}/public/reports", timeout=5).status_code == 200  # reads are not


@pytest.mark.parametrize("trusted", ["127.0.0.1", ""])
def test_a_trusted_proxy_names_each_client_and_a_stranger_cannot(
    container_factory, service_config, tmp_path, trusted
):
    """Behind the portal (a trusted proxy) each visitor has their own budget; when the peer is
    not trusted, its X-Forwarded-For changes nothing."""
    config = service_config(
        "intake", BLOB_DIR=str(tmp_path / "b"), HTTP_RATE_LIMIT="2/60", TRUSTED_PROXIES=trusted
    )
    container_factory(Intake, config).start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"

    def file(visitor):
        headers = {"X-Forwarded-For": visitor}
        return requests.post(f"{url}/reports", json=make_report(), headers=headers, timeout=5)

    first = [file("203.0.113.1").status_code for _ in range(3)]
    assert first == [201, 201, 429]
    other = file("203.0.113.2").status_code
    forged = file("6.6.6.6, 203.0.113.1").status_code  # a client's own left part is skipped
    assert (other, forged) == ((201, 429) if trusted else (429, 429))


def test_the_openapi_document_describes_the_api(intake):
    url, _ = intake
    document = requests.get(f"{url}/openapi.json", timeout=5).json()
    assert document["openapi"].startswith("3.")
    assert {"/reports", "/reporters", "/login", "/channels/sms/inbound", "/public/reports"} <= set(
        document["paths"]
    )
    assert "Registration" in document["components"]["schemas"]
