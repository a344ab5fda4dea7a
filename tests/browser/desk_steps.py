"""What an officer does at the desk on the portal, by label and role."""

from __future__ import annotations

import time

import requests

from tests.browser.desk import PASSWORD


def sign_in(page, portal: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{portal}/desk/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def open_report(page, portal: str, tracking_id: str) -> None:
    """From the queue, as an officer would: the report's line, then its page."""
    page.goto(f"{portal}/desk/dispositions")
    page.get_by_role("link", name=tracking_id).click()
    page.get_by_text(tracking_id, exact=True).first.wait_for()


def token_of(system: dict, username: str, password: str = PASSWORD) -> str:
    answer = requests.post(
        f"{system['agency_registry']}/auth/token",
        json={"username": username, "password": password},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def set_verification_mode(system: dict, admin_token: str, coordinator: str, mode: str) -> None:
    answer = requests.patch(
        f"{system['agency_registry']}/agencies/{coordinator}",
        json={"verification_mode": mode},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def file_report(system: dict, region_code: str, title: str, body: str) -> str:
    """A complete complaint about a state senior high school, filed at intake's API."""
    answer = requests.post(
        f"{system['intake']}/reports",
        json={
            "classification": "complaint",
            "category_id": "pendidikan.sma",
            "title": title,
            "body": body,
            "privacy": "public",
            "language": "id",
            "channel": "web",
            "event_date": "2026-11-20",
            "location": {"region_code": region_code},
            "reporter": {"name": "Rahmat", "phone": "081299990002"},
        },
        timeout=10,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["tracking_id"]


def routed(officer, tracking_id: str, timeout: float = 30.0) -> dict:
    """The desk's detail once routing has decided (dispatched, proposed or queued)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = officer("GET", f"/desk/dispositions/{tracking_id}")
        if answer.status_code == 200:
            detail = answer.json()
            if (
                detail["proposed_agency_code"]
                or detail["status"]["code"] != "awaiting_verification"
            ):
                return detail
        time.sleep(0.3)
    raise AssertionError(f"{tracking_id} not routed within {timeout}s")
