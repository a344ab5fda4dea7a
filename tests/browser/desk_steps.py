"""What an officer does at the desk on the portal, by label and role."""

from __future__ import annotations

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
