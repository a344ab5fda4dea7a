"""The desk with the keyboard only: sign in, find the report in the queue, post a follow-up,
sign out; every control reached with Tab, in order."""

from playwright.sync_api import expect

from tests.browser.desk import PASSWORD, Officer, add_officer
from tests.browser.desk_steps import file_report, routed
from tests.browser.test_keyboard import tab_to

FOCUSED_LINK = "() => document.activeElement.textContent.trim()"


def test_an_officer_works_at_the_desk_with_the_keyboard_only(page, portal, system, system_folder):
    add_officer(system_folder, "papanketik.disdik", "liaison", "PROV-73-DISDIK")
    tracking_id = file_report(
        system, "73.11", "Pungutan perpisahan di SMA", "Siswa kelas dua belas diminta iuran."
    )
    routed(Officer(system, "papanketik.disdik"), tracking_id)

    page.goto(f"{portal}/desk/login")
    tab_to(page, "Nama pengguna")
    page.keyboard.type("papanketik.disdik")
    tab_to(page, "Kata sandi")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Antrean laporan").wait_for()

    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_LINK) == tracking_id:
            break
    else:
        raise AssertionError("the report's link is not reached with Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Kirim tindak lanjut").wait_for()
    tab_to(page, "Isi tindak lanjut", limit=300)
    page.keyboard.type("Kepala sekolah sudah kami panggil.")
    tab_to(page, "Ini tindak lanjut akhir")
    page.keyboard.press("Space")
    tab_to(page, "Kirim tindak lanjut")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Tindak lanjut terkirim.")
    assert routed(Officer(system, "papanketik.disdik"), tracking_id)["followups"][0]["final"]

    for _ in range(10):  # from the top of the page: the skip link, the menu, then sign-out
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_LINK) == "Keluar":
            break
    else:
        raise AssertionError("sign-out is not reached with Tab from the top of the page")
    page.keyboard.press("Enter")  # the sign-out page loads after the press: wait for it
    expect(page.get_by_role("status")).to_have_text("Anda sudah keluar dari meja petugas.")
