"""Oversight at the desk in Chromium: an Inspektorat viewer reads registrations, statistics and
the identity-read log of its government, sees no button to act with, and a POST forged with
its own session is refused by the registry, shown as a plain page, and changes nothing."""

import requests

from tests.browser.desk import add_officer
from tests.browser.test_accessibility import violations
from tests.browser.test_desk_admin import (
    AGENCY_ADMIN,
    COORDINATOR,
    agency_status,
    desk_ready,
    nav,
    register_unit,
    registry_token,
    signed_in,
)
from tests.factories import make_report, wait_for

VIEWER = ("inspektorat.barru.meja", "oversight_viewer", "KAB-73-11-INSPEKTORAT")
CODE = "KAB-73-11-DINKES-PKM-LIPUKASI"


def confidential_report_read_by_the_coordinator(system: dict, system_folder) -> str:
    """A confidential complaint about a primary school in Barru (the regency's own office),
    read at routing's desk by Barru's Kominfo coordinator: intake logs that identity read."""
    body = make_report(
        category_id="pendidikan.sd", location={"region_code": "73.11.01"}, privacy="rahasia"
    )
    filed = requests.post(f"{system['intake']}/reports", json=body, timeout=15)
    assert filed.status_code == 201, filed.text
    tracking_id = filed.json()["tracking_id"]
    add_officer(system_folder, "kominfo.pembaca", *COORDINATOR[1:])
    headers = {"Authorization": f"Bearer {registry_token(system, 'kominfo.pembaca')}"}
    url = f"{system['routing']}/desk/dispositions/{tracking_id}"
    wait_for(lambda: requests.get(url, headers=headers, timeout=15).status_code == 200, 60, 0.5)
    return tracking_id


def test_an_oversight_viewer_reads_without_buttons_and_a_forged_post_is_refused(
    page, portal, system, system_folder
):
    add_officer(system_folder, *VIEWER)
    add_officer(system_folder, "admin.dinkes.pengawasan", *AGENCY_ADMIN[1:])
    token = registry_token(system, "admin.dinkes.pengawasan")
    register_unit(system, token, CODE, "UPT Puskesmas Lipukasi")
    desk_ready(system, VIEWER[0])
    seen = {}

    signed_in(page, portal, VIEWER[0])
    for shown in (
        "Pendaftaran instansi",
        "Statistik",
        "Peringkat",
        "Log perubahan",
        "Log akses identitas",
    ):
        assert nav(page, shown).count() == 1, shown
    assert nav(page, "Petugas").count() == 0  # the registry lets oversight manage nobody

    nav(page, "Pendaftaran instansi").click()
    page.get_by_role("link", name="UPT Puskesmas Lipukasi").click()
    main = page.locator("main")
    assert "Menunggu persetujuan" in main.inner_text()
    assert main.get_by_role("button").count() == 0
    assert "hanya untuk membaca" in main.inner_text()
    seen["registration, read only"] = violations(page)

    # the same POST a coordinator's button sends, with the viewer's own session and CSRF token
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    forged = page.request.post(f"{portal}/desk/registrations/{CODE}/approve", form={"csrf": csrf})
    assert forged.status == 403
    text = forged.text()
    assert "Tindakan ini tidak diizinkan" in text and "tidak ada yang diubah" in text
    assert "Peran Anda tidak mengizinkan ini" in text  # the registry's own words
    assert agency_status(system, token, CODE) == "pending"
    page.goto(f"{portal}/desk/staff")  # typed by hand: the registry refuses the list
    assert page.get_by_role("heading", name="Tindakan ini tidak diizinkan").is_visible()
    seen["refused"] = violations(page)

    nav(page, "Log perubahan").click()  # the registry's audit lines of the government
    this_unit = page.get_by_role("row").filter(has_text=CODE)
    registered = this_unit.filter(has_text="Mendaftarkan instansi")
    assert "admin.dinkes.pengawasan" in registered.first.inner_text()
    # none forged (other tests of this system approve registrations of their own)
    assert this_unit.filter(has_text="Menyetujui pendaftaran").count() == 0
    seen["audit"] = violations(page)

    nav(page, "Statistik").click()
    page.get_by_role("heading", name="Statistik pemerintah: Kabupaten Barru").wait_for()
    assert page.locator("main").get_by_role("button", name="Tampilkan").count() == 1
    read = confidential_report_read_by_the_coordinator(system, system_folder)
    nav(page, "Log akses identitas").click()
    page.get_by_role("heading", name="Log akses identitas pelapor").wait_for()
    page.get_by_label("Nomor pelacakan").fill(read)
    page.get_by_role("button", name="Tampilkan").click()
    line = page.get_by_role("row").filter(has_text=read)
    assert "kominfo.pembaca" in line.inner_text() and "Admin koordinator" in line.inner_text()
    assert "WITA" in line.inner_text()  # the viewer's own time: Barru is in Sulawesi
    assert "Andi" not in page.locator("main").inner_text()  # who was read, never what
    seen["identity reads"] = violations(page)
    page.get_by_label("Nomor pelacakan").fill("bukan-nomor")
    page.get_by_role("button", name="Tampilkan").click()
    assert "Nomor pelacakan" in page.get_by_role("alert").inner_text()  # intake's 422
    seen["identity reads, error"] = violations(page)
    page.goto(f"{portal}/bahasa/en?kembali=/desk/identity-reads")
    page.get_by_role("heading", name="Reporter identity-read log").wait_for()
    assert nav(page, "Agency registrations").count() == 1
    seen["identity reads, in English"] = violations(page)
    assert {name: found for name, found in seen.items() if found} == {}
