# ruff: noqa: F811  (the registry fixture, imported, is each test's argument)
"""``satupintu import --agencies registry`` on the real RabbitMQ: the running registry's agencies
— the template and one staff registered — read once from its snapshot over RPC into a file that
every service's import reads, so a record naming the registered agency is imported by each of
them, where the template alone refuses it by every one alike."""

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from services import import_agencies, importing
from services.routing.models import dispositions, readers
from shared.db import make_engine
from tests.history import one, write
from tests.interface.agency_registry.test_agency_registry import (  # noqa: F401 — fixtures
    PUSKESMAS,
    registry,
)

ROOT = Path(__file__).resolve().parents[2]
CODE = PUSKESMAS["code"]


def naming_the_puskesmas(number: int) -> dict:
    record = one(number)
    record["category_id"] = "kesehatan.puskesmas"
    for hop in record["dispositions"]:
        hop["agency_code"] = CODE
    return record


def test_a_registered_agency_is_known_to_every_service_s_import(registry, rabbit_config, tmp_path):
    _, client = registry
    assert client("POST", "/agencies", "dinkes.barru", json=PUSKESMAS).status_code == 201
    history = tmp_path / "history.jsonl"
    records = [naming_the_puskesmas(5), one(6)]  # an open one at the puskesmas; a template one
    write(history, records)
    urls = {service: f"sqlite:///{tmp_path / service}.db" for service in importing.SERVICES}

    for service in importing.SERVICES:  # the template alone: refused by every one alike
        done = importing.import_one(service, history, urls[service], quiet=True)
        assert (done.imported, dict(done.counts)) == (1, {"unknown_agency": 1})

    snapshot = tmp_path / "agencies.jsonl"
    count = import_agencies.snapshot(rabbit_config["AMQP_URI"], snapshot, timeout=30)
    assert count == len(import_agencies.views()) + 1
    assert json.loads(snapshot.read_text().splitlines()[0])["code"]  # the snapshot's own shape
    fresh = {service: f"sqlite:///{tmp_path / service}-2.db" for service in importing.SERVICES}
    for service in importing.SERVICES:
        done = importing.import_one(service, history, fresh[service], quiet=True,
                                    agencies=str(snapshot))  # fmt: skip
        assert (done.imported, done.skipped) == (2, 0)
    engine = make_engine(fresh["routing"])
    with engine.connect() as conn:
        held = conn.execute(select(dispositions.c.agency_code, dispositions.c.coordinator_code)
                            .where(dispositions.c.tracking_id == records[0]["tracking_id"])).one()  # fmt: skip
        escalated = set(conn.execute(select(readers.c.agency_code)
                                     .where(readers.c.tracking_id == records[0]["tracking_id"],
                                            readers.c.kind == "escalated")).scalars())  # fmt: skip
    engine.dispose()
    # the registry's own tree: the puskesmas under Barru's Dinkes, escalated as routing would
    assert tuple(held) == (CODE, "KAB-73-11-DISKOMINFO")
    assert escalated == {"KAB-73-11-DISKOMINFO", "KAB-73-11-INSPEKTORAT", "OMBUDSMAN"}


def test_without_a_registry_the_command_says_so_and_imports_nothing(tmp_path):
    history = tmp_path / "history.jsonl"
    write(history, [one(0)])
    argv = [sys.executable, "-m", "services.cli", "import", str(history), "--quiet"]
    env = {"PATH": "/usr/bin:/bin", "AMQP_URI": "amqp://guest:guest@127.0.0.1:5672/no-such-vhost"}
    away = subprocess.run([*argv, "--agencies", "registry"], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=env)  # fmt: skip
    assert away.returncode == 2
    assert "no snapshot from the registry" in away.stderr
    missing = subprocess.run([*argv, "--agencies", str(tmp_path / "none.jsonl")], cwd=ROOT,
                             capture_output=True, text=True, timeout=60, env=env)  # fmt: skip
    assert missing.returncode == 2 and "no such file" in missing.stderr
