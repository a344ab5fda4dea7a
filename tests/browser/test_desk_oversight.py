"""An oversight viewer (the province's Inspektorat) reads a report in its remit and is offered
no action; a follow-up forged with their own session and CSRF token is refused by routing and
changes nothing."""

import re

from tests.browser.desk import Officer, add_officer
from tests.browser.desk_steps import file_report, routed, sign_in


def test_an_oversight_viewer_reads_sees_no_action_and_a_forged_post_is_refused(
    page, portal, system, system_folder
):
    add_officer(system_folder, "itwil.sulsel", "oversight_viewer", "PROV-73-INSPEKTORAT")
    add_officer(system_folder, "lihat.disdik", "liaison", "PROV-73-DISDIK")
    tracking_id = file_report(
        system, "73.11", "Pungutan les tambahan di SMA", "Siswa wajib ikut les berbayar."
    )
    holder = Officer(system, "lihat.disdik")
    routed(holder, tracking_id)

    sign_in(page, portal, "itwil.sulsel")
    assert "Pengawas (hanya membaca)" in page.locator(".officer-bar").inner_text()
    page.get_by_role("link", name=tracking_id).click()
    assert "Siswa wajib ikut les berbayar." in page.locator("main").inner_text()
    assert page.get_by_text("Anda hanya dapat membaca laporan ini.").is_visible()
    assert page.locator("main").get_by_role("button").count() == 0

    csrf = re.search(r'name="csrf" value="([^"]+)"', page.content())[1]  # the sign-out form's
    forged = page.request.post(
        f"{portal}/desk/dispositions/{tracking_id}/followup",
        form={"csrf": csrf, "followup_text": "Ditutup oleh pengawas.", "followup_final": "ya"},
    )
    assert forged.status == 422
    assert "hanya membaca laporan, tidak menindaklanjuti" in forged.text()
    assert routed(holder, tracking_id)["followups"] == []
