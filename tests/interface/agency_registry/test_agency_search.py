"""GET /agencies?q=: the reporter's type-ahead for an agency, on the national template."""

import requests
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.agency_registry.models import agencies
from shared.db import make_engine
from tests.interface.agency_registry.test_agency_registry import start


def test_agencies_are_found_by_words_of_their_name_or_code(
    container_factory, service_config, registry_db, tmp_path
):
    engine = make_engine(registry_db)
    with Session(engine) as session, session.begin():  # one suspended: not offered
        session.execute(
            update(agencies).where(agencies.c.code == "KAB-73-12-DISDIK").values(status="suspended")
        )
    engine.dispose()
    _, client = start(container_factory, service_config, registry_db, tmp_path)

    def search(text, **params):
        response = client("GET", "/agencies", params={"q": text, **params})
        assert response.status_code == 200
        return [item["code"] for item in response.json()["items"]]

    barru = search("pendidikan BARRU")
    assert barru[0] == "KAB-73-11-DISDIK"
    assert all(
        "barru" in item["name"].lower()
        for item in client("GET", "/agencies", params={"q": "pendidikan barru"}).json()["items"]
    )
    assert search("kab-73-11-disdik") == ["KAB-73-11-DISDIK"]
    assert "KAB-73-12-DISDIK" not in search("kab-73-12-disdik")
    assert len(search("dinas", limit=3)) == 3
    assert search("") == [] and search("100%_") == []
    assert requests.get(f"{client.url}/agencies?limit=x", timeout=5).status_code == 200
