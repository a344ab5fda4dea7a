"""Signing in at the officers' desk: the registry's staff password, the token only in the
session cookie, the officer's name, agency and unread count on the page, idle expiry, logout."""

import re

from playwright.sync_api import expect

from tests.browser.desk import PASSWORD, Officer, add_officer
from tests.browser.desk_steps import file_report, routed, sign_in
from tests.browser.system import another_portal

AGENCY = "PROV-73-DISDIK"


def test_an_officer_signs_in_sees_who_and_where_they_are_and_signs_out(page, portal, system_folder):
    add_officer(system_folder, "masuk.disdik", "liaison", AGENCY)
    page.goto(f"{portal}/desk/dispositions")
    page.get_by_role("heading", name="Masuk ke meja petugas").wait_for()

    sign_in(page, portal, "masuk.disdik", "salah-sandi-sekali")
    assert "Nama pengguna atau kata sandi salah." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Nama pengguna").input_value() == "masuk.disdik"

    sign_in(page, portal, "masuk.disdik")
    page.get_by_role("heading", name="Antrean laporan").wait_for()
    bar = page.locator(".officer-bar").inner_text()
    assert "masuk.disdik" in bar and "Petugas penghubung" in bar
    assert "Dinas Pendidikan Provinsi Sulawesi Selatan" in bar
    assert re.search(r"\d+ pesan belum dibaca", bar)
    # the token is nowhere in the page, and the cookie that holds it is out of scripts' reach
    assert "eyJ" not in page.content()
    cookie = next(c for c in page.context.cookies() if c["name"] == "satupintu_portal")
    assert cookie["httpOnly"] and cookie["sameSite"] in ("Lax", "Strict")
    assert page.evaluate("document.cookie") == ""

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("status")).to_have_text("Anda sudah keluar dari meja petugas.")
    page.goto(f"{portal}/desk/inbox")
    page.get_by_role("heading", name="Masuk ke meja petugas").wait_for()


def test_an_idle_session_sends_the_officer_back_to_sign_in_then_to_the_page(
    page, system, system_folder
):
    add_officer(system_folder, "diam.disdik", "liaison", AGENCY)
    tracking_id = file_report(
        system, "73.11", "Pungutan ujian di SMA", "Siswa diminta iuran ujian."
    )
    api = Officer(system, "diam.disdik")
    routed(api, tracking_id)
    with another_portal(system_folder, system, PORTAL_DESK_IDLE_SECONDS="3") as portal:
        sign_in(page, portal, "diam.disdik")
        page.get_by_role("heading", name="Antrean laporan").wait_for()
        page.goto(f"{portal}/desk/inbox")
        page.get_by_role("heading", name="Kotak masuk instansi").wait_for()
        page.wait_for_timeout(3500)  # idle for longer than the portal allows
        page.reload()
        page.get_by_role("heading", name="Masuk ke meja petugas").wait_for()
        assert "tidak ada aktivitas" in page.get_by_role("status").inner_text()
        sign_in_here(page, "diam.disdik")
        page.get_by_role("heading", name="Kotak masuk instansi").wait_for()
        assert page.url.endswith("/desk/inbox")

        # a form sent once the session has ended is not sent: back to its page after sign-in
        page.goto(f"{portal}/desk/dispositions/{tracking_id}")
        page.get_by_label("Isi tindak lanjut").fill("Sudah kami tangani.")
        page.wait_for_timeout(3500)
        page.get_by_role("button", name="Kirim tindak lanjut").click()
        page.get_by_role("heading", name="Masuk ke meja petugas").wait_for()
        sign_in_here(page, "diam.disdik")
        page.get_by_label("Isi tindak lanjut").wait_for()
        assert page.url.endswith(f"/desk/dispositions/{tracking_id}")
        assert routed(api, tracking_id)["followups"] == []


def sign_in_here(page, username: str) -> None:
    """The sign-in form the desk sent the officer to (it knows where to go back)."""
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_a_desk_post_without_the_csrf_token_is_refused(page, portal, system_folder):
    add_officer(system_folder, "csrf.disdik", "liaison", AGENCY)
    sign_in(page, portal, "csrf.disdik")
    page.get_by_role("heading", name="Antrean laporan").wait_for()
    forged = page.request.post(f"{portal}/desk/inbox/read", form={"ids": "1"})
    assert forged.status == 403
