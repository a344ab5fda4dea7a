# ruff: noqa: F811  (the open311 fixture, imported, is each test's argument)
"""A real Open311 client library (PyPI ``georeport`` 0.3.1) against intake on the real
RabbitMQ and SQLite, in JSON and XML. georeport has no call for discovery, POST or the
page/page_size extension, so those go over plain HTTP as any other client sends them."""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from tests.factories import make_report
from tests.interface.intake.test_intake_open311 import FORM, dispatch, open311  # noqa: F401  (fixture)

FORMATS = ("json", "xml")
WHERE = ("address_id", "address_string", "lat", "long")


def lat_long_form(key: str, **where) -> dict:
    """FORM without any location but ``where``."""
    form = {k: v for k, v in FORM.items() if k not in WHERE}
    return {**form, "api_key": key, **where}


def test_discovery_points_clients_to_the_v2_endpoint(open311):
    _, _, url, _ = open311
    base = url.removesuffix("/v2")
    document = requests.get(f"{base}/discovery.json", timeout=5).json()
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == url and endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert document["changeset"] and document["contact"] and document["key_service"]

    xml = xmltodict.parse(requests.get(f"{base}/discovery.xml", timeout=5).content)
    endpoint = xml["discovery"]["endpoints"]["endpoint"]
    assert endpoint["url"] == url
    assert endpoint["formats"]["format"] == ["application/json", "text/xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_reads_the_services_and_a_service_definition(open311, fmt):
    _, _, url, _ = open311
    client = GeoReport(url, output_format=fmt)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"pendidikan.sma", "pungutan_liar.sekolah", "infrastruktur.drainase"} <= codes

    definition = client.get_service_definition("pungutan_liar.sekolah")
    assert definition["service_code"] == "pungutan_liar.sekolah"
    attributes = definition["attributes"]
    attributes = attributes["attribute"] if fmt == "xml" else attributes
    by_code = {a["code"]: a for a in attributes}
    assert set(by_code) == {"classification", "event_date", "privacy", "parties"}
    # pungli is supervision: who is involved is required (SPEC §4)
    assert str(by_code["parties"]["required"]).lower() == "true"


@pytest.mark.parametrize("fmt", FORMATS)
def test_our_jurisdiction_id_is_accepted_and_another_is_the_specs_404(open311, fmt):
    _, _, url, key = open311
    ours = GeoReport(url, jurisdiction="satupintu", output_format=fmt)
    assert any(s["service_code"] == "pendidikan.sma" for s in ours.get_service_list())
    theirs = GeoReport(url, jurisdiction="cityofchicago.org", output_format=fmt)
    with pytest.raises(requests.HTTPError) as refused:
        theirs.get_service_list()
    assert refused.value.response.status_code == 404
    assert "jurisdiction_id" in refused.value.response.text
    posted = requests.post(
        f"{url}/requests.{fmt}",
        data={**FORM, "api_key": key, "jurisdiction_id": "cityofchicago.org"},
        timeout=5,
    )
    assert posted.status_code == 404 and "jurisdiction_id" in posted.text
    with_ours = {**FORM, "api_key": key, "jurisdiction_id": "satupintu"}
    assert requests.post(f"{url}/requests.{fmt}", data=with_ours, timeout=5).status_code == 201


def test_an_address_string_naming_the_city_files_a_complete_request(open311):
    container, routing, url, key = open311
    form = lat_long_form(key, address_string="Jl. Jend. Sudirman, Makassar")
    created = requests.post(f"{url}/requests.json", data=form, timeout=5)
    assert created.status_code == 201, created.text
    [answer] = created.json()
    assert answer["service_notice"].startswith("Laporan diterima")
    tid = answer["service_request_id"]
    own = requests.get(
        url.replace("/open311/v2", f"/reports/{tid}"),
        headers={"X-Open311-Token": answer["token"]},
        timeout=5,
    ).json()
    assert own["region_code"] == "73.71" and own["status"]["code"] == "awaiting_verification"

    dispatch(container, routing, tid)
    for fmt in FORMATS:
        shown = GeoReport(url, output_format=fmt).get_service_request(tid)
        assert shown["service_request_id"] == tid
        assert shown["address_id"] == "73.71"
        assert shown["address"] == "Jl. Jend. Sudirman, Makassar"
        # "service_request_id … overrides all other arguments": an open one, asked as closed
        listed = GeoReport(url, output_format=fmt).get_service_requests(
            service_request_id=tid, status="closed", service_code="pendidikan"
        )
        listed = [listed] if isinstance(listed, dict) else listed  # xmltodict: one is a dict
        assert [r["service_request_id"] for r in listed] == [tid]


def test_coordinates_alone_file_a_complete_request_in_their_city(open311):
    """-5.1477, 119.4327 is in Kota Makassar (73.71): the request is complete, not returned,
    and the point is kept as sent."""
    container, routing, url, key = open311
    form = lat_long_form(key, lat="-5.1477", long="119.4327")
    created = requests.post(f"{url}/requests.json", data=form, timeout=5)
    assert created.status_code == 201, created.text
    [answer] = created.json()
    assert answer["service_notice"].startswith("Laporan diterima")
    assert "Kota Makassar, Sulawesi Selatan (73.71)" in answer["service_notice"]
    tid = answer["service_request_id"]
    own = requests.get(
        url.replace("/open311/v2", f"/reports/{tid}"),
        headers={"X-Open311-Token": answer["token"]},
        timeout=5,
    ).json()
    assert own["status"]["code"] == "awaiting_verification" and own["region_code"] == "73.71"
    assert (own["latitude"], own["longitude"]) == (-5.1477, 119.4327)
    dispatch(container, routing, tid)
    for fmt in FORMATS:
        shown = GeoReport(url, output_format=fmt).get_service_request(tid)
        assert shown["address_id"] == "73.71"
        assert float(shown["lat"]) == -5.1477 and float(shown["long"]) == 119.4327


def test_coordinates_far_from_every_place_locate_nothing(open311):
    _, _, url, key = open311
    form = lat_long_form(key, lat="-8.0", long="105.0")  # the Indian Ocean off Java
    [answer] = requests.post(f"{url}/requests.json", data=form, timeout=5).json()
    assert answer["service_notice"].startswith("Laporan dikembalikan")
    assert "lokasi kejadian" in answer["service_notice"]


def test_requests_come_in_pages_newest_first(open311):
    container, routing, url, key = open311
    filed = []
    for n in range(3):
        form = {**FORM, "api_key": key, "description": f"{FORM['description']} Laporan {n}."}
        tid = requests.post(f"{url}/requests.json", data=form, timeout=5).json()[0][
            "service_request_id"
        ]
        dispatch(container, routing, tid)
        filed.append(tid)
    newest_first = filed[::-1]
    for fmt in FORMATS:
        everything = GeoReport(url, output_format=fmt).get_service_requests()
        assert [r["service_request_id"] for r in everything] == newest_first
    pages = [
        requests.get(
            f"{url}/requests.json", params={"page": page, "page_size": 2}, timeout=5
        ).json()
        for page in (1, 2, 3)
    ]
    assert [[r["service_request_id"] for r in page] for page in pages] == [
        newest_first[:2],
        newest_first[2:],
        [],
    ]
    for bad in ({"page_size": "0"}, {"page_size": "1001"}, {"page": "-1"}, {"page": "x"}):
        refused = requests.get(f"{url}/requests.xml", params=bad, timeout=5)
        assert refused.status_code == 400 and "page" in refused.text


def test_media_url_never_shows_a_reporters_attachment(open311):
    """Attachments are the reporter's alone: a public report with a photo lists no media_url,
    and nothing in the answer names the attachment."""
    container, routing, url, _ = open311
    base = url.removesuffix("/open311/v2")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    meta = requests.post(
        f"{base}/attachments", files={"file": ("jalan.png", png, "image/png")}, timeout=5
    ).json()
    filed = requests.post(f"{base}/reports", json=make_report(attachments=[meta["id"]]), timeout=5)
    tid = filed.json()["tracking_id"]
    dispatch(container, routing, tid)
    for fmt in FORMATS:
        shown = GeoReport(url, output_format=fmt).get_service_request(tid)
        assert shown["service_request_id"] == tid
        assert not shown["media_url"]
        answer = requests.get(f"{url}/requests/{tid}.{fmt}", timeout=5).text
        assert meta["id"] not in answer and "jalan.png" not in answer
