"""axe-core finds no WCAG 2.1 A/AA violation on any desk page: sign-in (and its error), the
queue (and a refused filter), a report as a liaison and as a coordinator (every action form,
a conflict), the inbox; and the queue in English."""

from tests.browser.desk import Officer, add_officer
from tests.browser.desk_steps import file_report, routed, sign_in
from tests.browser.test_accessibility import violations


def test_no_desk_page_has_an_accessibility_violation(page, browser, portal, system, system_folder):
    add_officer(system_folder, "axe.disdik", "liaison", "PROV-73-DISDIK")
    add_officer(system_folder, "axe.kominfo", "coordinator_admin", "PROV-73-DISKOMINFO")
    tracking_id = file_report(
        system, "73.11", "Pungutan seragam di SMA", "Siswa diminta membayar seragam di sekolah."
    )
    routed(Officer(system, "axe.disdik"), tracking_id)
    seen = {}
    page.goto(f"{portal}/desk/login")
    seen["login"] = violations(page)
    sign_in(page, portal, "axe.disdik", "bukan-sandinya")
    seen["login refused"] = violations(page)

    sign_in(page, portal, "axe.disdik")
    page.get_by_role("link", name=tracking_id).wait_for()
    seen["queue"] = violations(page)
    page.goto(f"{portal}/desk/dispositions?from=2026-13-45")
    seen["queue refused filter"] = violations(page)
    page.goto(f"{portal}/desk/dispositions/{tracking_id}")
    seen["report, liaison"] = violations(page)
    page.get_by_role("button", name="Kirim tindak lanjut").click()  # nothing written
    seen["report, follow-up refused"] = violations(page)
    page.goto(f"{portal}/desk/inbox")
    seen["inbox"] = violations(page)

    coordinator = browser.new_context(locale="id-ID").new_page()
    sign_in(coordinator, portal, "axe.kominfo")
    coordinator.goto(f"{portal}/desk/dispositions/{tracking_id}")
    coordinator.get_by_role("heading", name="Arsipkan laporan").wait_for()
    seen["report, coordinator"] = violations(coordinator)
    page.goto(f"{portal}/desk/dispositions/{tracking_id}")
    page.get_by_label("Isi tindak lanjut").fill("Sudah kami periksa.")
    page.get_by_role("button", name="Kirim tindak lanjut").click()
    coordinator.get_by_label("Yang perlu dilengkapi").fill("Sebutkan nama sekolahnya.")
    coordinator.get_by_role("button", name="Tunda laporan").click()
    coordinator.get_by_role("alert").first.wait_for()
    seen["report, conflict"] = violations(coordinator)
    coordinator.goto(f"{portal}/desk/dispositions?queue=proposals")
    seen["proposals"] = violations(coordinator)
    coordinator.goto(f"{portal}/bahasa/en?kembali=/desk/dispositions")
    coordinator.get_by_role("heading", name="Report queue").wait_for()
    seen["queue in English"] = violations(coordinator)
    coordinator.context.close()
    assert {name: found for name, found in seen.items() if found} == {}
