"""The whole filing with the keyboard only: every control is reached with Tab, in order."""

from tests.browser.steps import TRACKING_ID

FOCUSED = """() => { const e = document.activeElement;
  return (e.labels && e.labels.length ? e.labels[0].innerText : (e.innerText || '')).trim(); }"""


def tab_to(page, label: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).startswith(label):
            return
    raise AssertionError(f"{label!r} not reached with Tab")


def test_a_report_is_filed_with_the_keyboard_only(page, portal):
    page.goto(f"{portal}/lapor")
    tab_to(page, "Pengaduan")
    page.keyboard.press("Space")
    tab_to(page, "Kategori")
    page.keyboard.type("Sekolah Menengah Atas")
    tab_to(page, "Uraian laporan")
    page.keyboard.type("Sekolah meminta uang gedung dua juta rupiah untuk setiap siswa baru.")
    tab_to(page, "Provinsi")  # the type-ahead: a few letters, Arrow Down, Enter
    page.keyboard.type("sulawesi sel")
    page.get_by_role("option", name="Sulawesi Selatan").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'regency-cari'")
    page.keyboard.type("barru")
    page.get_by_role("option", name="Kabupaten Barru").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'district-cari'")
    tab_to(page, "Tanggal kejadian")
    # headless Chromium's date field is month/day/year whatever the page's language
    page.keyboard.type("11202026")
    tab_to(page, "Periksa laporan")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Periksa kembali laporan Anda").wait_for()
    summary = page.locator("dl.summary").inner_text()
    assert "Kabupaten Barru" in summary and "Sekolah Menengah Atas" in summary
    assert "20 November 2026" in summary
    tab_to(page, "Kirim laporan")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Laporan terkirim").wait_for()
    assert TRACKING_ID.search(page.locator(".tracking-id").inner_text())
