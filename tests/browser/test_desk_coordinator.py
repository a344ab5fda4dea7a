"""A coordinator in review mode at the desk (SPEC §4): the proposals to verify are a view of
the queue; one is confirmed, one postponed with a note for the reporter, one archived as a
duplicate of the first, picked from the candidates the desk offers."""

from playwright.sync_api import expect

from tests.browser.desk import Officer, add_officer
from tests.browser.desk_steps import (
    file_report,
    open_report,
    routed,
    set_verification_mode,
    sign_in,
    token_of,
)
from tests.browser.steps import status_of

COORDINATOR = "PROV-76-DISKOMINFO"  # Sulawesi Barat's: no other browser test reports there
MAMUJU = "76.02"
BODY = "Kepala sekolah SMA negeri meminta uang seragam tiga ratus ribu rupiah kepada siswa baru."


def proposed(system, coordinator, title: str) -> str:
    """A report filed until routing proposes it (its replica learns review mode by an event)."""
    for _ in range(20):
        tracking_id = file_report(system, MAMUJU, title, BODY)
        if routed(coordinator, tracking_id)["proposed_agency_code"]:
            return tracking_id
    raise AssertionError("routing never proposed: review mode not learnt")


def test_a_coordinator_confirms_postpones_and_archives_a_duplicate(
    page, portal, system, system_folder
):
    add_officer(system_folder, "nasional.meja", "national_admin", "KEMENPANRB")
    add_officer(system_folder, "kominfo.sulbar", "coordinator_admin", COORDINATOR)
    admin = token_of(system, "nasional.meja")
    set_verification_mode(system, admin, COORDINATOR, "review")
    try:
        api = Officer(system, "kominfo.sulbar")
        original = proposed(system, api, "Pungutan uang seragam di SMA negeri")
        duplicate = proposed(system, api, "Uang seragam SMA negeri dipungut")
        unclear = proposed(system, api, "Pungutan di sekolah")

        sign_in(page, portal, "kominfo.sulbar")
        page.get_by_role("link", name="Usulan disposisi untuk diverifikasi").click()
        page.get_by_role("heading", name="Usulan disposisi untuk diverifikasi").wait_for()
        for tracking_id in (original, duplicate, unclear):
            assert page.get_by_role("link", name=tracking_id).is_visible()
        assert "Usulan: PROV-76-DISDIK" in page.locator("main").inner_text()

        open_report(page, portal, original)
        assert "Usulan disposisi: PROV-76-DISDIK" in page.locator("main").inner_text()
        page.get_by_role("button", name="Setujui usulan").click()
        expect(page.get_by_role("status")).to_have_text("Usulan disetujui; laporan diteruskan.")
        assert status_of(page) == "Belum ditindaklanjuti"
        assert routed(api, original)["agency_code"] == "PROV-76-DISDIK"

        open_report(page, portal, unclear)
        page.get_by_label("Yang perlu dilengkapi").fill("Sebutkan nama sekolah dan besar pungutan.")
        page.get_by_role("button", name="Tunda laporan").click()
        assert page.get_by_role("status").inner_text().startswith("Laporan ditunda")
        assert status_of(page) == "Dikembalikan"

        page.goto(f"{portal}/desk/dispositions/{duplicate}")
        archive = page.get_by_role("region", name="Arsipkan laporan")
        assert archive.get_by_label("Duplikat laporan lain").is_checked()
        archive.get_by_role("group", name="Laporan asli").get_by_label(original).check()
        archive.get_by_label("Catatan").fill("Sama dengan laporan sebelumnya.")
        archive.get_by_role("button", name="Arsipkan").click()
        expect(page.get_by_role("status")).to_have_text("Laporan diarsipkan.")
        assert status_of(page) == "Diarsipkan"
        detail = routed(api, duplicate)
        assert (detail["archived_reason"], detail["duplicate_of"]) == ("duplicate", original)
        assert page.get_by_role("heading", name="Arsipkan laporan").count() == 0
    finally:
        set_verification_mode(system, admin, COORDINATOR, "auto")
