"""Filing on the portal and following the report: the whole path a citizen takes."""

import re

from playwright.sync_api import expect

from tests.browser.steps import check_and_send, fill_complaint, reload_until, status_of
from tests.browser.system import tiny_png


def test_a_complete_report_with_an_attachment_is_filed_and_seen_dispatched(page, portal, tmp_path):
    photo = tmp_path / "foto-kwitansi.png"
    photo.write_bytes(tiny_png())
    fill_complaint(page, portal, attachment=str(photo))

    page.get_by_role("button", name="Periksa laporan").click()
    summary = page.locator("dl.summary")
    for answer in ("Pengaduan", "Sekolah Menengah Atas", "Kabupaten Barru", "20 November 2026"):
        assert answer in summary.inner_text()
    assert "foto-kwitansi.png" in summary.inner_text()
    page.get_by_role("button", name="Kirim laporan").click()

    tracking_id = re.search(r"LPR-[0-9A-Z-]{14}", page.locator(".tracking-id").inner_text())[0]
    assert "3 hari kerja" in page.content()
    # the key to act on the report stays in the session cookie, never in an address
    assert "key" not in page.url.lower()

    page.get_by_role("link", name="Lihat perkembangan laporan").click()
    assert page.url.endswith(f"/lacak/{tracking_id}")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")
    # SPEC §6: a state senior high school is the province's business
    assert "Dinas Pendidikan Provinsi Sulawesi Selatan" in page.content()
    assert page.get_by_text("Anda melihat laporan ini sebagai pelapornya.").is_visible()
    assert "foto-kwitansi.png" in page.locator("main").inner_text()
    # the reporter's inbox, asked of notification with the report key
    reload_until(page, lambda: "telah diteruskan" in page.locator("#inbox-title + *").inner_text())


def test_someone_with_only_the_tracking_id_sees_the_public_view(page, browser, portal):
    fill_complaint(page, portal)
    tracking_id = check_and_send(page)
    other = browser.new_context().new_page()
    other.goto(f"{portal}/lacak")
    other.get_by_label("Nomor pelacakan").fill(tracking_id.lower())
    other.get_by_role("button", name="Lacak").click()
    assert other.url.endswith(f"/lacak/{tracking_id}")
    assert other.get_by_text("Ini tampilan publik laporan.").is_visible()
    assert other.get_by_role("button", name="Kirim komentar").count() == 0
    other.context.close()


def test_an_incomplete_report_is_returned_and_supplemented(page, portal):
    fill_complaint(page, portal, event_date=None)
    check_and_send(page)
    assert "belum lengkap" in page.content()
    assert page.get_by_text("tanggal kejadian (tidak di masa depan)").is_visible()

    page.get_by_role("link", name="Lengkapi laporan").click()
    assert status_of(page) == "Dikembalikan"  # SPEC §4
    page.get_by_label("Tanggal kejadian").fill("2026-11-21")
    page.get_by_role("button", name="Kirim kelengkapan").click()
    expect(page.get_by_role("status")).to_have_text("Kelengkapan terkirim.")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")


def test_a_future_event_date_is_refused_next_to_its_field_and_nothing_typed_is_lost(page, portal):
    fill_complaint(page, portal, event_date="2099-01-01")
    page.get_by_role("button", name="Periksa laporan").click()
    page.get_by_role("button", name="Kirim laporan").click()

    summary = page.get_by_role("alert")
    assert "Ada yang perlu diperbaiki" in summary.inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "event_date"
    assert "masa depan" in page.locator(".has-error").inner_text()
    assert page.get_by_label("Judul laporan").input_value() == "Pungutan uang gedung di SMA negeri"
    assert page.locator("select#regency").input_value() == "73.11"
    assert page.get_by_role("combobox", name="Kabupaten/kota").input_value() == "Kabupaten Barru"
    assert page.get_by_label("Anonim", exact=True).is_checked()


def test_the_whole_filing_works_with_javascript_disabled(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    fill_complaint(page, portal)
    assert page.locator(".counter").count() == 0  # the script's counter is not there
    tracking_id = check_and_send(page)
    page.goto(f"{portal}/lacak/{tracking_id}")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")
    page.get_by_label("Komentar", exact=True).fill("Sudah seminggu, mohon segera ditindaklanjuti.")
    page.get_by_role("button", name="Kirim komentar").click()
    expect(page.get_by_role("status")).to_have_text("Komentar Anda terkirim.")
    context.close()
