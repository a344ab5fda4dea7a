"""Two officers on one report: the second, who opened it before the first acted, is told it
changed since they opened it; nothing of either is overwritten, and what they typed is kept."""

from playwright.sync_api import expect

from tests.browser.desk import Officer, add_officer
from tests.browser.desk_steps import file_report, routed, sign_in

BARRU = "73.11"


def test_the_second_officer_sees_the_report_changed_and_keeps_what_they_typed(
    browser, portal, system, system_folder
):
    add_officer(system_folder, "pertama.disdik", "liaison", "PROV-73-DISDIK")
    add_officer(system_folder, "kedua.disdik", "liaison", "PROV-73-DISDIK")
    tracking_id = file_report(
        system, BARRU, "Pungutan buku di SMA", "Siswa diminta membeli buku paket di sekolah."
    )
    api = Officer(system, "pertama.disdik")
    assert routed(api, tracking_id)["agency_code"] == "PROV-73-DISDIK"

    first, second = (browser.new_context(locale="id-ID").new_page() for _ in range(2))
    for page, who in ((first, "pertama.disdik"), (second, "kedua.disdik")):
        sign_in(page, portal, who)
        page.goto(f"{portal}/desk/dispositions/{tracking_id}")
        page.get_by_label("Isi tindak lanjut").wait_for()

    first.get_by_label("Isi tindak lanjut").fill("Kami sudah menegur kepala sekolah.")
    first.get_by_role("button", name="Kirim tindak lanjut").click()
    expect(first.get_by_role("status")).to_have_text("Tindak lanjut terkirim.")
    typed = "Kami akan memanggil komite sekolah."
    second.get_by_label("Isi tindak lanjut").fill(typed)
    second.get_by_role("button", name="Kirim tindak lanjut").click()
    alert = second.get_by_role("alert")
    assert "Laporan ini sudah berubah sejak Anda membukanya" in alert.inner_text()
    assert second.get_by_label("Isi tindak lanjut").input_value() == typed
    assert "Kami sudah menegur kepala sekolah." in second.locator("main").inner_text()
    texts = [f["text"] for f in routed(api, tracking_id)["followups"]]
    assert texts == ["Kami sudah menegur kepala sekolah."]

    # having read what changed, the second officer sends it again: now it is kept
    second.get_by_role("button", name="Kirim tindak lanjut").click()
    expect(second.get_by_role("status")).to_have_text("Tindak lanjut terkirim.")
    texts = [f["text"] for f in routed(api, tracking_id)["followups"]]
    assert texts == ["Kami sudah menegur kepala sekolah.", typed]
    for page in (first, second):
        page.context.close()
