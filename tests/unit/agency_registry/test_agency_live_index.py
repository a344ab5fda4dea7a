"""The registry's competence index built page by page from a real SQLite database (no broker),
and kept level with it by reading what changed a page at a time."""

import pytest
from sqlalchemy.orm import Session

from services.agency_registry import directory
from services.agency_registry.competence import CompetenceIndex
from services.agency_registry.live_index import LiveIndex, build, entry
from services.agency_registry.models import metadata
from services.agency_registry.template import AgencySpec, build_template
from services.agency_registry.template_load import load_template
from shared.db import create_schema, infra, make_engine
from shared.regions import load_regions

QUERIES = [("pendidikan.sma", "73.11"), ("kesehatan", "31.71.01"), ("sosial", ""), ("agama", "51")]


@pytest.fixture(scope="module")
def regions():
    return load_regions(with_villages=False)


@pytest.fixture
def engine(tmp_path, regions):
    engine = make_engine(f"sqlite:///{tmp_path}/registry.db")
    create_schema(engine, infra, metadata)
    with Session(engine) as session, session.begin():
        load_template(session, build_template(regions), regions)
    yield engine
    engine.dispose()


def puskesmas(number: int) -> AgencySpec:
    return AgencySpec(
        f"PKM-{number}",
        f"Puskesmas {number}",
        "unit",
        "KAB-73-11-DINKES",
        ["73.11.01"],
        ["kesehatan.puskesmas"],
    )


def test_the_paged_build_is_the_whole_snapshot(engine):
    with Session(engine) as session:
        whole = directory.snapshot(session)
        paged, revision = build(session, page=997)  # pages that do not divide the registry
    assert revision == whole["revision"]
    index = CompetenceIndex(entry(a) for a in whole["agencies"])
    assert len(paged) == len(index) == len(whole["agencies"]) > 997 * 5
    for category, region in QUERIES:
        assert paged.competent(category, region) == index.competent(category, region)
        assert paged.coordinator(region) == index.coordinator(region)


def test_what_changed_is_read_a_page_at_a_time_and_each_agency_once(engine, regions):
    live = LiveIndex()
    with Session(engine) as session:
        live.current(session)
        before = live.revision
    with Session(engine) as session, session.begin():
        load_template(session, [puskesmas(n) for n in range(120)], regions)
    with Session(engine) as session:
        revision, changed = directory.changed_since(session, before, page=50)
        codes = [agency["code"] for agency in changed]
        assert revision > before
        assert sorted(codes) == sorted(f"PKM-{n}" for n in range(120))  # 50 + 50 + 20, once each
        index = live.current(session)
    assert live.revision == revision
    assert index.competent("kesehatan.puskesmas", "73.11.01")[0]["code"] == "PKM-0"
