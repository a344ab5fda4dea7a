"""The desk's coordination pages in Chromium: a Kominfo coordinator approves an agency's
registration, makes a staff account and resets its password (the old session ends), reads the
government's statistics and the province's ranking with their CSV files; every page passes
axe-core."""

import csv
import io

import requests

from tests.browser.desk import PASSWORD, add_officer
from tests.browser.desk_steps import sign_in
from tests.browser.steps import reload_until
from tests.browser.test_accessibility import violations
from tests.browser.test_keyboard import tab_to
from tests.factories import wait_for

COORDINATOR = ("kominfo.barru.meja", "coordinator_admin", "KAB-73-11-DISKOMINFO")
AGENCY_ADMIN = ("admin.dinkes.barru", "agency_admin", "KAB-73-11-DINKES")


def registry_token(system: dict, username: str) -> str:
    answer = requests.post(
        f"{system['agency_registry']}/auth/token",
        json={"username": username, "password": PASSWORD},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def register_unit(system: dict, token: str, code: str, name: str) -> None:
    """An agency admin registers a puskesmas below its Dinas Kesehatan (pending until a
    coordinator above decides)."""
    answer = requests.post(
        f"{system['agency_registry']}/agencies",
        json={
            "code": code,
            "name": name,
            "kind": "unit",
            "parent_code": "KAB-73-11-DINKES",
            "jurisdictions": ["73.11.01"],
            "competencies": ["kesehatan.puskesmas"],
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text


def desk_ready(system: dict, username: str) -> None:
    """Routing's desk answers the officer: on a system just started, routing loads its copy of
    the registry (18,000 agencies) on the first desk call after a change, longer than the
    portal waits for a page."""
    headers = {"Authorization": f"Bearer {registry_token(system, username)}"}

    def answers():
        try:
            reply = requests.get(
                f"{system['routing']}/desk/dispositions", headers=headers, timeout=30
            )
        except requests.RequestException:
            return False
        return reply.status_code == 200

    wait_for(answers, timeout=120, interval=1)


def agency_status(system: dict, token: str, code: str) -> str:
    answer = requests.get(
        f"{system['agency_registry']}/agencies/{code}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return answer.json()["status"]


def signed_in(page, portal: str, username: str) -> None:
    """Signed in at the desk, on the queue (a first sign-in hashes a password on a busy
    machine: given longer than a click)."""
    sign_in(page, portal, username)
    page.get_by_role("heading", name="Antrean laporan").wait_for(timeout=60000)


def href(page, link: str) -> str:
    return page.get_by_role("link", name=link).get_attribute("href")


def nav(page, name: str):
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


def test_a_coordinator_approves_a_registration_and_manages_staff(
    page, browser, portal, system, system_folder
):
    add_officer(system_folder, *COORDINATOR)
    add_officer(system_folder, *AGENCY_ADMIN)
    admin_token = registry_token(system, AGENCY_ADMIN[0])
    code = "KAB-73-11-DINKES-PKM-TANETE"
    register_unit(system, admin_token, code, "UPT Puskesmas Tanete Riaja")
    desk_ready(system, COORDINATOR[0])
    seen = {}

    signed_in(page, portal, COORDINATOR[0])
    nav(page, "Pendaftaran instansi").click()
    seen["registrations"] = violations(page)
    page.get_by_role("link", name="UPT Puskesmas Tanete Riaja").click()
    assert "Menunggu persetujuan" in page.locator("main").inner_text()
    page.get_by_role("button", name="Tolak pendaftaran").click()  # no reason given
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Alasan penolakan").get_attribute("aria-invalid") == "true"
    seen["registration, reason missing"] = violations(page)
    assert agency_status(system, admin_token, code) == "pending"  # nothing was changed
    page.get_by_role("button", name="Setujui pendaftaran").click()
    assert "Pendaftaran disetujui" in page.get_by_role("status").inner_text()
    assert agency_status(system, admin_token, code) == "active"
    assert "UPT Puskesmas Tanete Riaja" not in page.locator("main").inner_text()

    nav(page, "Petugas").click()
    assert AGENCY_ADMIN[0] in page.locator("main").inner_text()
    seen["staff"] = violations(page)
    page.get_by_role("link", name="Tambah petugas").click()
    page.get_by_role("button", name="Buat akun").click()
    seen["staff form, errors"] = violations(page)
    page.get_by_label("Nama lengkap").fill("Andi Operator Puskesmas")
    page.get_by_label("Nama pengguna").fill("operator.tanete")
    page.get_by_label("Peran").select_option(label="Petugas penghubung")
    # the unit approved a moment ago is one of the coordinator's agencies now
    page.get_by_label("Instansi").select_option(value=code)
    page.get_by_role("button", name="Buat akun").click()
    page.get_by_role("heading", name="Akun petugas dibuat").wait_for()
    first = page.locator("#temporary-password").inner_text().strip()
    assert len(first) == 14
    seen["temporary password"] = violations(page)

    # the new officer's first sign-in asks for a password of their own
    other = browser.new_context(locale="id-ID").new_page()
    other.set_default_timeout(60000)  # three password hashes on a busy machine
    sign_in(other, portal, "operator.tanete", first)
    other.get_by_role("heading", name="Tetapkan kata sandi baru").wait_for()
    assert other.get_by_label("Nama pengguna").input_value() == "operator.tanete"
    seen["new password"] = violations(other)
    other.get_by_label("Kata sandi sementara").fill(first)
    other.get_by_label("Kata sandi baru").fill("puskesmas-tanete-2026")
    other.get_by_role("button", name="Simpan dan masuk").click()
    other.get_by_role("heading", name="Antrean laporan").wait_for()
    assert "Andi Operator Puskesmas" in other.locator(".officer-bar").inner_text()
    assert nav(other, "Petugas").count() == 0  # a liaison manages nobody

    page.goto(f"{portal}/desk/staff")
    page.get_by_role("link", name="Atur ulang kata sandi operator.tanete").click()
    seen["reset, confirm"] = violations(page)
    page.get_by_role("button", name="Ya, atur ulang kata sandi").click()
    page.get_by_role("heading", name="Kata sandi diatur ulang").wait_for()
    second = page.locator("#temporary-password").inner_text().strip()
    assert second != first and len(second) == 14
    # the officer's open session ends: every service refuses the token issued before the reset
    reload_until(
        other,
        lambda: other.get_by_role("heading", name="Masuk ke meja petugas").count() == 1,
    )
    sign_in(other, portal, "operator.tanete", "puskesmas-tanete-2026")
    assert "Nama pengguna atau kata sandi salah." in other.get_by_role("alert").inner_text()
    other.context.close()
    assert {name: found for name, found in seen.items() if found} == {}


def test_a_coordinator_reads_the_statistics_and_the_ranking_with_their_csv(
    page, portal, system_folder
):
    add_officer(system_folder, "statistik.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO")
    seen = {}
    signed_in(page, portal, "statistik.barru")
    nav(page, "Statistik").click()
    page.get_by_role("heading", name="Statistik pemerintah: Kabupaten Barru").wait_for()
    for label in ("Belum ditindaklanjuti", "Proses", "Selesai", "Kepatuhan tenggat"):
        assert label in page.locator("main").inner_text()
    seen["statistics"] = violations(page)
    card = page.request.get(portal + href(page, "Unduh statistik ini (CSV)"))
    assert card.status == 200 and card.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(card.text())))
    assert row["scope.code"] == "KAB-73-11" and "by_colour.red" in row

    page.get_by_label("Dari tanggal").fill("2026-12-31")
    page.get_by_label("Sampai tanggal").fill("2026-01-01")
    page.get_by_role("button", name="Tampilkan").click()
    assert page.get_by_role("alert").is_visible()  # reporting's refusal, on the date field
    seen["statistics, window errors"] = violations(page)

    page.goto(f"{portal}/desk/statistics")
    page.get_by_role("link", name="Lihat peringkat pemerintah di provinsi ini").click()
    page.get_by_role(
        "heading", name="Peringkat kecepatan tanggapan: Provinsi Sulawesi Selatan"
    ).wait_for()
    table = page.get_by_role("table")
    rows = table.locator("tbody tr")
    assert rows.count() == 24  # every regency and city of Sulawesi Selatan (SPEC §6 data)
    assert "Kabupaten Barru" in table.locator("tr.own").inner_text()
    for colour in ("Belum ditindaklanjuti", "Proses", "Selesai"):
        assert table.get_by_role("columnheader", name=colour).count() == 1
    seen["rankings"] = violations(page)
    ranking = page.request.get(portal + href(page, "Unduh peringkat (CSV)"))
    lines = list(csv.DictReader(io.StringIO(ranking.text())))
    assert len(lines) == 24 and {"rank", "score", "by_colour.green"} <= set(lines[0])
    table.get_by_role("link", name="Kabupaten Gowa").click()
    page.get_by_role("heading", name="Statistik pemerintah: Kabupaten Gowa").wait_for()
    assert {name: found for name, found in seen.items() if found} == {}


def test_a_staff_member_is_added_with_the_keyboard_only(page, portal, system_folder):
    add_officer(system_folder, "papan.ketik", "coordinator_admin", "KAB-73-11-DISKOMINFO")
    signed_in(page, portal, "papan.ketik")
    page.goto(f"{portal}/desk/staff/new")
    tab_to(page, "Nama lengkap")
    page.keyboard.type("Rina Dinas Sosial")
    tab_to(page, "Nama pengguna")
    page.keyboard.type("rina.dinsos")
    tab_to(page, "Peran")
    page.keyboard.type("Admin instansi")
    tab_to(page, "Instansi")
    page.keyboard.type("Dinas Sosial")
    tab_to(page, "Buat akun")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Akun petugas dibuat").wait_for()
    assert "rina.dinsos" in page.locator("main").inner_text()
    page.goto(f"{portal}/desk/staff")
    line = page.get_by_role("row").filter(has_text="rina.dinsos")
    assert "Admin instansi" in line.inner_text() and "KAB-73-11-DINSOS" in line.inner_text()
