"""The type-ahead on /lapor, in Chromium at 320 px: a few letters, a pick with the keyboard,
for each level of the location and for the agency; filed; axe-core finds nothing with a list
open. Without script the selects do the same (test_filing's JavaScript-disabled filing)."""

import re

from tests.browser.steps import TRACKING_ID, active_option, type_and_pick
from tests.browser.test_accessibility import violations


def test_the_place_and_the_agency_are_picked_by_typing_and_filed(browser, portal):
    context = browser.new_context(locale="id-ID", viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{portal}/lapor")
    assert page.get_by_role("button", name="Tampilkan pilihan wilayah berikutnya").is_hidden()
    page.get_by_label("Pengaduan").check()
    page.get_by_label("Kategori").select_option(label="Sekolah Dasar")
    page.get_by_label("Uraian laporan").fill(
        "Kepala sekolah memungut biaya seragam di luar aturan."
    )

    province = page.get_by_role("combobox", name="Provinsi", exact=True)
    province.press_sequentially("sulawesi", delay=20)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert province.get_attribute("aria-expanded") == "true"
    assert set(listbox.get_by_role("option").all_inner_texts()) >= {
        "Sulawesi Selatan",
        "Sulawesi Utara",
    }
    box = listbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320  # fits a 320 px screen
    assert violations(page) == []  # with the list open
    province.press("Escape")
    assert listbox.is_hidden() and province.get_attribute("aria-expanded") == "false"

    type_and_pick(page, "Provinsi", "sulawesi sel", "Sulawesi Selatan")
    type_and_pick(page, "Kabupaten/kota", "barr", "Kabupaten Barru")
    type_and_pick(page, "Kecamatan", "tanete ri", "Tanete Riaja")
    assert page.locator("select#district").input_value() == "73.11.01"

    agency = page.get_by_role("combobox", name=re.compile("Kode instansi tujuan"))
    agency.press_sequentially("pendidikan barru", delay=20)
    wanted = page.get_by_role("option", name=re.compile(r"\(KAB-73-11-DISDIK\)"))
    wanted.wait_for()
    assert violations(page) == []
    while active_option(page, agency) != wanted.inner_text():
        agency.press("ArrowDown")
    agency.press("Enter")
    assert agency.input_value() == "KAB-73-11-DISDIK"

    page.get_by_role("button", name="Periksa laporan").click()
    summary = page.locator("dl.summary").inner_text()
    assert "Kabupaten Barru" in summary and "Tanete Riaja" in summary
    assert "KAB-73-11-DISDIK" in summary
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Laporan terkirim").wait_for()
    assert TRACKING_ID.search(page.locator(".tracking-id").inner_text())
    context.close()
