"""What bench/pipeline.py needs around the processes it measures: their CPU time, the broker's,
fresh PostgreSQL databases, and a vhost of its own on the broker."""

from __future__ import annotations

import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

MANAGEMENT = "http://guest:guest@127.0.0.1:15672/api"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TICKS = os.sysconf("SC_CLK_TCK")
STARTED = re.compile(r"satupintu: started (\w+) \(pid (\d+)\)")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat), None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def broker_pid() -> int | None:
    """The RabbitMQ node's process (beam.smp), if this machine runs it and lets us read it."""
    return next(iter(named_pids("beam.smp")), None)


def named_pids(command: str) -> list[int]:
    """Every process whose command name is ``command`` that we may read."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == command:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def launched_pids(log_text: str) -> dict[str, int]:
    """{service: pid} from the launcher's "started" lines (the last one wins after a restart)."""
    return {service: int(pid) for service, pid in STARTED.findall(log_text)}


class CpuWindow:
    """CPU seconds each named process spent between ``start()`` and ``stop()``; with
    ``database_server``, also PostgreSQL's processes together (its backends serve whoever else
    uses the server too; one that ends within the window takes its share with it)."""

    def __init__(self, pids: dict[str, int], database_server: bool = False):
        self.pids = dict(pids)
        broker = broker_pid()
        if broker is not None:
            self.pids["broker (beam.smp)"] = broker
        self.database_server = database_server
        self.before: dict[str, float] = {}
        self.server_before: dict[int, float] = {}
        self.spent: dict[str, float] = {}

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        if self.database_server:
            self.server_before = self._server()

    def stop(self) -> dict[str, float]:
        for name, pid in self.pids.items():
            now, then = cpu_seconds(pid), self.before.get(name)
            if now is not None and then is not None:
                self.spent[name] = now - then
        if self.database_server:
            self.spent["postgres server"] = sum(
                now - self.server_before.get(pid, 0.0) for pid, now in self._server().items()
            )
        return self.spent

    @staticmethod
    def _server() -> dict[int, float]:
        seconds = {pid: cpu_seconds(pid) for pid in named_pids("postgres")}
        return {pid: value for pid, value in seconds.items() if value is not None}


def fresh_vhost(name: str) -> str:
    requests.delete(f"{MANAGEMENT}/vhosts/{name}", timeout=10)
    requests.put(f"{MANAGEMENT}/vhosts/{name}", timeout=10).raise_for_status()
    requests.put(
        f"{MANAGEMENT}/permissions/{name}/guest",
        timeout=10,
        json={"configure": ".*", "write": ".*", "read": ".*"},
    ).raise_for_status()
    return f"amqp://guest:guest@127.0.0.1:5672/{name}"


def drop_vhost(name: str) -> None:
    requests.delete(f"{MANAGEMENT}/vhosts/{name}", timeout=10)


@contextmanager
def pg_databases(names: list[str]):
    """{name: URL} of fresh PostgreSQL databases on 127.0.0.1:5432, dropped afterwards."""
    import psycopg2

    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    run = uuid.uuid4().hex[:8]
    made = {name: f"satupintu_bench_{run}_{name}" for name in names}
    try:
        with admin.cursor() as cursor:
            for database in made.values():
                cursor.execute(f'CREATE DATABASE "{database}"')
        yield {name: f"postgresql://postgres@127.0.0.1:5432/{db}" for name, db in made.items()}
    finally:
        with admin.cursor() as cursor:
            for database in made.values():
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
