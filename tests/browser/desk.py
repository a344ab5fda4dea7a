"""An officer of the running system at routing's desk: an account made in the registry's
database the way `satupintu create-admin` makes one, a token from the registry's sign-in, and
calls to the desk API with it."""

from __future__ import annotations

from pathlib import Path

import requests

PASSWORD = "kata-sandi-peramban-123"


def add_officer(folder: Path, username: str, role: str, agency_code: str) -> None:
    from sqlalchemy.orm import Session

    from services.agency_registry import staff
    from services.agency_registry.audit import AuditLog, Who
    from shared.db import make_engine

    engine = make_engine(f"sqlite:///{folder}/agency_registry.db")
    data = {"username": username, "full_name": username, "role": role}
    try:
        with Session(engine) as session, session.begin():
            log = AuditLog(session, Who("test", "test"), None)
            staff.create(
                session, log, None, {**data, "agency_code": agency_code, "password": PASSWORD}
            )
    finally:
        engine.dispose()


class Officer:
    def __init__(self, system: dict, username: str):
        answer = requests.post(
            f"{system['agency_registry']}/auth/token",
            json={"username": username, "password": PASSWORD},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        self.routing = system["routing"]
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(
            method, self.routing + path, headers=self.headers, timeout=15, **kwargs
        )
