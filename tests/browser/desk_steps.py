"""What an officer does at the desk on the portal, by label and role."""

from __future__ import annotations

from tests.browser.desk import PASSWORD


def sign_in(page, portal: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{portal}/desk/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
