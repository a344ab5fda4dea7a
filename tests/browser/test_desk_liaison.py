"""A liaison officer at the desk: the queue with its colours, deadlines and filters, then a
report's page, and a final follow-up that the citizen's page shows."""

from playwright.sync_api import expect

from tests.browser.desk import add_officer
from tests.browser.desk_steps import open_report, sign_in
from tests.browser.steps import check_and_send, fill_complaint, reload_until, status_of
from tests.browser.system import tiny_png

AGENCY = "PROV-73-DISDIK"  # SPEC §6: a state senior high school is the province's business


def test_a_liaison_posts_a_final_follow_up_with_a_photo_and_the_citizen_sees_it(
    page, browser, portal, system_folder, tmp_path
):
    fill_complaint(page, portal)
    tracking_id = check_and_send(page)
    page.goto(f"{portal}/lacak/{tracking_id}")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")

    add_officer(system_folder, "penghubung.disdik", "liaison", AGENCY)
    desk = browser.new_context(locale="id-ID").new_page()
    sign_in(desk, portal, "penghubung.disdik")
    line = desk.get_by_role("row").filter(has_text=tracking_id)
    assert "Belum ditindaklanjuti" in line.inner_text()
    assert line.locator(".tag-red").count() == 1  # SPEC §4: not yet followed up is red
    # SPEC §5: five working days for the first follow-up, shown in the agency's WITA
    assert "Tindak lanjut pertama:" in line.inner_text() and "WITA" in line.inner_text()

    open_report(desk, portal, tracking_id)
    main = desk.locator("main").inner_text()
    assert "Sekolah meminta uang gedung dua juta rupiah" in main  # the text, as staff see it
    assert "Riwayat disposisi" in main and "instansi aktif terdekat yang berwenang" in main
    assert desk.get_by_role("heading", name="Setujui usulan disposisi").count() == 0
    assert desk.get_by_role("heading", name="Arsipkan laporan").count() == 0
    desk.get_by_label("Isi tindak lanjut").fill("Pungutan sudah dihentikan; uang dikembalikan.")
    desk.get_by_label("Ini tindak lanjut akhir").check()
    desk.get_by_label("Disertai pemeriksaan lapangan").check()
    photo = tmp_path / "bukti-pengembalian.png"
    photo.write_bytes(tiny_png())
    desk.get_by_label("Lampiran tindak lanjut").set_input_files(str(photo))
    desk.get_by_role("button", name="Kirim tindak lanjut").click()
    expect(desk.get_by_role("status")).to_have_text("Tindak lanjut terkirim.")
    assert status_of(desk) == "Menunggu tanggapan pelapor"
    assert "Pungutan sudah dihentikan; uang dikembalikan." in desk.locator("main").inner_text()
    assert desk.get_by_role("heading", name="Kirim tindak lanjut").count() == 0
    with desk.expect_download() as kept:
        desk.get_by_role("link", name="bukti-pengembalian.png").click()
    assert open(kept.value.path(), "rb").read() == tiny_png()

    reload_until(page, lambda: status_of(page) == "Menunggu tanggapan pelapor")
    assert "Pungutan sudah dihentikan; uang dikembalikan." in page.locator("main").inner_text()
    with page.expect_download() as received:  # the reporter's own view: their key proves it
        page.get_by_role("link", name="bukti-pengembalian.png").click()
    assert open(received.value.path(), "rb").read() == tiny_png()
    stranger = browser.new_context().new_page()
    stranger.goto(f"{portal}/lacak/{tracking_id}")
    assert stranger.get_by_role("link", name="bukti-pengembalian.png").count() == 0
    stranger.context.close()
    desk.context.close()


def test_the_queue_filters_by_status_and_words_and_gives_the_same_as_csv(
    page, portal, system_folder
):
    fill_complaint(page, portal)
    tracking_id = check_and_send(page)
    page.goto(f"{portal}/lacak/{tracking_id}")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")
    add_officer(system_folder, "saring.disdik", "liaison", AGENCY)
    sign_in(page, portal, "saring.disdik")

    page.get_by_label("Status", exact=True).select_option(label="Selesai")
    page.get_by_role("button", name="Saring").click()
    assert "status=completed" in page.url
    assert page.get_by_role("link", name=tracking_id).count() == 0
    page.get_by_label("Status", exact=True).select_option(label="Belum ditindaklanjuti")
    page.get_by_label("Kata dalam laporan").fill("uang gedung")
    page.get_by_role("button", name="Saring").click()
    page.get_by_role("link", name=tracking_id).wait_for()
    assert page.get_by_label("Kata dalam laporan").input_value() == "uang gedung"
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh antrean ini (CSV)").click()
    csv = open(download.value.path(), encoding="utf-8").read()
    assert csv.startswith("tracking_id,status,agency_code")
    assert tracking_id in csv and ",completed," not in csv

    page.get_by_label("Diterima sejak").fill("2026-12-31")
    page.get_by_label("Diterima sampai").fill("2026-01-01")
    page.get_by_role("button", name="Saring").click()
    assert page.get_by_role("link", name=tracking_id).count() == 0
