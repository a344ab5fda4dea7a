"""The agency's inbox at the desk: a dispatched report's message, its unread count on every
desk page, marked read one at a time and all at once."""

import re

from playwright.sync_api import expect

from tests.browser.desk import add_officer
from tests.browser.desk_steps import file_report, sign_in
from tests.browser.steps import reload_until

AGENCY = "PROV-75-DISDIK"  # Gorontalo's: no other test files a report there
GORONTALO = "75.01"


def unread(page) -> int:
    found = re.search(r"(\d+) pesan belum dibaca", page.locator(".officer-bar").inner_text())
    return int(found[1])


def test_the_inbox_shows_the_agencys_messages_and_marks_them_read(
    page, portal, system, system_folder
):
    add_officer(system_folder, "kotak.disdik.sulbar", "liaison", AGENCY)
    first = file_report(system, GORONTALO, "Iuran OSIS di SMA", "Siswa diminta iuran OSIS bulanan.")
    second = file_report(system, GORONTALO, "Iuran pramuka di SMA", "Siswa diminta iuran pramuka.")
    sign_in(page, portal, "kotak.disdik.sulbar")
    page.goto(f"{portal}/desk/inbox")
    reload_until(page, lambda: page.get_by_role("link", name=second).count() == 1)
    reload_until(page, lambda: page.get_by_role("link", name=first).count() == 1)
    before = unread(page)
    assert before >= 2
    assert (
        "didisposisikan ke Dinas Pendidikan Provinsi Gorontalo" in page.locator("main").inner_text()
    )
    assert "WITA" in page.locator("main .when").first.inner_text()  # Gorontalo keeps WITA

    page.get_by_role("button", name="Tandai sudah dibaca").first.click()
    expect(page.get_by_role("status")).to_have_text("Pesan ditandai sudah dibaca.")
    assert unread(page) == before - 1
    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    assert unread(page) == 0
    assert page.get_by_role("button", name="Tandai sudah dibaca").count() == 0
    page.get_by_role("link", name=first).click()
    page.get_by_role("heading", name="Iuran OSIS di SMA").wait_for()
