"""The reporter's answer to a final follow-up (SPEC: "tidak puas" sends the report back to the
agency): filed on the portal, dispatched by routing, finished by an officer at the desk, then
answered "tidak puas" with a reason on /lacak."""

from playwright.sync_api import expect

from tests.browser.desk import Officer, add_officer
from tests.browser.steps import check_and_send, fill_complaint, reload_until, status_of
from tests.browser.test_accessibility import violations
from tests.factories import wait_for

AGENCY = "PROV-73-DISDIK"  # SPEC §6: a state senior high school is the province's business


def test_not_satisfied_after_a_final_follow_up_sends_the_report_back_in_progress(
    page, portal, system, system_folder
):
    fill_complaint(page, portal)
    tracking_id = check_and_send(page)
    page.goto(f"{portal}/lacak/{tracking_id}")
    reload_until(page, lambda: status_of(page) == "Belum ditindaklanjuti")

    add_officer(system_folder, "disdik.sulsel", "liaison", AGENCY)
    officer = Officer(system, "disdik.sulsel")
    final = officer(
        "POST",
        f"/desk/dispositions/{tracking_id}/followups",
        json={"text": "Pungutan sudah dihentikan dan uang dikembalikan.", "final": True},
    )
    assert final.status_code == 201, final.text

    reload_until(page, lambda: status_of(page) == "Menunggu tanggapan pelapor")
    assert "Pungutan sudah dihentikan dan uang dikembalikan." in page.locator("main").inner_text()
    assert violations(page) == []  # the feedback form, as the reporter sees it
    page.get_by_label("Tidak puas").check()
    page.get_by_label("Catatan").fill("Uang gedung belum dikembalikan kepada orang tua siswa.")
    page.get_by_role("button", name="Kirim tanggapan").click()

    expect(page.get_by_role("status")).to_have_text("Terima kasih atas tanggapan Anda.")
    assert violations(page) == []  # with the notice
    # SPEC §4: not satisfied → back in progress, once routing has decided (asynchronously)
    reload_until(page, lambda: status_of(page) == "Proses")
    assert page.get_by_role("button", name="Kirim tanggapan").count() == 0
    assert violations(page) == []  # the report back in progress

    # routing applies the reporter's answer: the desk holds it in progress again, same agency
    detail = wait_for(
        lambda: (
            (d := officer("GET", f"/desk/dispositions/{tracking_id}").json())["status"]["code"]
            == "in_progress"
            and d
        ),
        timeout=30,
    )
    assert detail["agency_code"] == AGENCY
    page.reload()
    assert status_of(page) == "Proses"
    assert "Pelapor menyatakan belum puas." in page.locator("main").inner_text()
