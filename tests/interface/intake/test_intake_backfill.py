"""Duplicate keys backfilled for reports filed before they existed (services/intake/backfill.py),
on a real SQLite database filled by a real intake over HTTP: the same keys as submission
stores, none for what cannot have one, resumable after a stop, nothing to do the second time."""

import pytest
import requests
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services import cli
from services.intake import backfill, duplicates
from services.intake.models import duplicate_keys
from services.intake.service import Intake
from shared.db import make_engine
from tests.factories import make_report

SAME = "Sekolah SMA Negeri 1 Barru meminta uang gedung Rp 2.000.000 kepada setiap siswa baru."


class Stopped(Exception):
    """The operator's Ctrl-C, halfway."""


@pytest.fixture
def filed(container_factory, service_config, tmp_path):
    config = service_config("intake", BLOB_DIR=str(tmp_path / "blobs"))
    container = container_factory(Intake, config)
    container.start()
    url = f"http://{config['WEB_SERVER_ADDRESS']}"

    def file(status="awaiting_verification", **overrides) -> str:
        response = requests.post(f"{url}/reports", json=make_report(**overrides), timeout=10)
        assert response.status_code == 201, response.text
        assert response.json()["status"]["code"] == status
        return response.json()["tracking_id"]

    keyed = [file(body=SAME + f" Sudah {n} kali diminta.") for n in range(5)]
    returned = file("returned", body=SAME, event_date=None)  # not submitted to routing
    # an aspiration about a whole province: submitted, but no regency and so no candidates
    province = file(body=SAME, classification="aspiration", location={"region_code": "73"})
    container.stop()
    engine = make_engine(config["DATABASE_URL"])
    yield engine, keyed, returned, province
    engine.dispose()


def keys(engine) -> dict:
    with Session(engine) as session:
        return {row.tracking_id: tuple(row)[1:] for row in session.execute(select(duplicate_keys))}


def test_old_reports_get_the_keys_submission_gives_resuming_after_a_stop(filed):
    engine, keyed, returned, province = filed
    at_submission = keys(engine)
    assert set(at_submission) == set(keyed)  # what intake stores when a report is submitted
    with Session(engine) as session, session.begin():
        session.execute(delete(duplicate_keys))  # as filed before duplicate candidates

    seen = []

    def stop_after_two_batches(done, total):
        seen.append((done, total))
        if len(seen) == 2:
            raise Stopped

    with pytest.raises(Stopped):
        backfill.backfill(engine, batch=2, progress=stop_after_two_batches)
    assert seen == [(2, 5), (4, 5)]  # the returned and the province's report are not counted
    assert len(keys(engine)) == 4  # both batches committed before the stop

    done = backfill.backfill(engine, batch=2, progress=lambda d, t: seen.append((d, t)))
    assert done == {"examined": 1, "stored": 1} and seen[-1] == (1, 1)
    assert keys(engine) == at_submission  # the same regency, family, moment and words
    assert returned not in keys(engine) and province not in keys(engine)
    with Session(engine) as session:
        found, _ = duplicates.candidates(session, keyed[0])
    assert sorted(c["tracking_id"] for c in found) == sorted(keyed[1:])

    assert backfill.backfill(engine) == {"examined": 0, "stored": 0}  # nothing left


def test_the_command_says_what_it_did(filed, capsys):
    engine, keyed, _, _ = filed
    with Session(engine) as session, session.begin():
        session.execute(delete(duplicate_keys).where(duplicate_keys.c.tracking_id == keyed[2]))
    assert cli.main(["backfill-duplicates", "--database-url", str(engine.url), "--batch", "1"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "duplicate keys: 1 stored, 1 reports examined"
    assert "1/1" in out.err and SAME[:20] not in out.err + out.out  # progress, never words
