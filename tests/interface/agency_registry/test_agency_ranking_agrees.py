"""GET /competent-agencies and routing's real decision rank agencies the one way
(shared/agencies.py): over the real registry, the real routing and the real RabbitMQ, the
first agency the registry names for a (category, region) is the one routing gives the report
to, and when the registry names none, routing queues it for a coordinator."""

import pytest

from tests.interface.routing.test_routing_desk import (  # noqa: F401 (fixtures)
    keys_fixture,
    next_event,
    routing_events_fixture,
    submit,
    system_fixture,
)

CASES = [
    ("pendidikan.sma", "73.11.01.2002"),  # the province's by law, over the regency's
    ("pendidikan.sd", "73.11.01.2002"),
    ("kesehatan.puskesmas", "73.11.01"),
    ("kesehatan.rumah_sakit", "73.11"),
    ("kesehatan", "73.11"),  # a top-level category: the exact holder first
    ("perbankan_keuangan.sistem_pembayaran", "73.11"),  # national: the exact holder, not OJK
    ("perbankan_keuangan", ""),  # no location
    ("lingkungan_hidup", "73.11.01.2002"),
]


def test_the_registrys_ranking_is_routings_decision(system):
    agreed = []
    for category_id, region_code in CASES:
        query = {"category_id": category_id, "region_code": region_code}
        answer = system.registry_client("GET", "/competent-agencies", params=query)
        assert answer.status_code == 200, answer.text
        items = answer.json()["items"]
        tid = submit(system, category_id=category_id, region_code=region_code)
        routed = next_event(system, "report_routed", tid)
        if items:
            expected = "national" if items[0]["level"] == "national" else "most_local"
            assert (routed["agency_code"], routed["rule"]) == (items[0]["code"], expected), (
                category_id,
                region_code,
                items[:3],
            )
        else:
            pytest.fail(f"the template names no one for {category_id} in {region_code}")
        agreed.append((category_id, region_code, routed["agency_code"]))
    assert len({code for *_, code in agreed}) >= 5, agreed  # the cases reach different agencies
