"""The desk queue in pages, as an officer reads it: 27 reports held by one agency, 25 on the
first page, the rest after "Berikutnya", and back with "Halaman pertama"; every report once,
no page with an accessibility violation."""

from playwright.sync_api import expect

from tests.browser.desk import add_officer
from tests.browser.desk_steps import file_report, sign_in
from tests.browser.steps import reload_until
from tests.browser.test_accessibility import violations

AGENCY = "PROV-74-DISDIK"  # Sulawesi Tenggara's: no other test files a report there
KOLAKA = "74.01"
FILED = 27  # the portal's page holds 25


def shown(page) -> list[str]:
    return page.locator("table.queue tbody td a.mono").all_inner_texts()


def test_an_officer_pages_through_the_queue_and_back(page, portal, system, system_folder, tmp_path):
    add_officer(system_folder, "antrean.disdik.sultra", "liaison", AGENCY)
    filed = {
        file_report(system, KOLAKA, f"Pungutan ke-{n} di SMA", f"Siswa diminta membayar ({n}).")
        for n in range(1, FILED + 1)
    }
    sign_in(page, portal, "antrean.disdik.sultra")
    page.goto(f"{portal}/desk/dispositions")
    total = page.locator(".counts .count").first
    reload_until(page, lambda: total.inner_text().split()[0] == str(FILED), timeout=60)

    first = shown(page)
    assert len(first) == 25
    pages = page.get_by_role("navigation", name="Halaman")
    assert pages.get_by_role("link", name="Halaman pertama").count() == 0
    page.screenshot(path=str(tmp_path / "antrean-halaman-1.png"), full_page=True)
    pages.get_by_role("link", name="Berikutnya").click()
    expect(pages.get_by_role("link", name="Halaman pertama")).to_be_visible()
    second = shown(page)
    assert len(second) == FILED - 25
    assert pages.get_by_role("link", name="Berikutnya").count() == 0
    assert set(first) | set(second) == filed and not set(first) & set(second)
    assert "cursor=" in page.url
    assert violations(page) == []
    page.screenshot(path=str(tmp_path / "antrean-halaman-2.png"), full_page=True)

    pages.get_by_role("link", name="Halaman pertama").click()
    expect(pages.get_by_role("link", name="Berikutnya")).to_be_visible()
    assert shown(page) == first
