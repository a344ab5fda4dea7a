"""The desk's coordination and oversight pages for `make screenshots`: a Kominfo coordinator of
Kabupaten Barru (registrations, staff, a temporary password, statistics, the province's
ranking) and an Inspektorat viewer (a registration read only, the identity-read log), with a
few reports filed and a registration waiting so the pages have something to show."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.browser.desk import add_officer
from tests.browser.test_desk_admin import register_unit, registry_token, signed_in
from tests.browser.test_desk_oversight_reads import confidential_report_read_by_the_coordinator
from tests.factories import make_report, wait_for

COORDINATOR = ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO")
VIEWER = ("inspektorat.barru", "oversight_viewer", "KAB-73-11-INSPEKTORAT")
ADMIN = ("admin.dinkes.barru", "agency_admin", "KAB-73-11-DINKES")
UNIT = "KAB-73-11-DINKES-PKM-TANETE"
# a primary school in Barru is the regency's education office (SPEC §6); a puskesmas its health
REPORTS = [("pendidikan.sd", "73.11.01"), ("kesehatan.puskesmas", "73.11.02")] * 3


def prepare(urls: dict, folder: Path) -> None:
    for officer in (COORDINATOR, VIEWER, ADMIN):
        add_officer(folder, *officer)
    register_unit(urls, registry_token(urls, ADMIN[0]), UNIT, "UPT Puskesmas Tanete Riaja")
    for category, region in REPORTS:
        body = make_report(category_id=category, location={"region_code": region})
        answer = requests.post(f"{urls['intake']}/reports", json=body, timeout=15)
        assert answer.status_code == 201, answer.text

    def counted():
        card = requests.get(f"{urls['reporting']}/statistics/governments/KAB-73-11", timeout=10)
        return card.ok and card.json()["reports"] >= len(REPORTS)

    wait_for(counted, timeout=60, interval=0.5)
    confidential_report_read_by_the_coordinator(urls, folder)  # a line in the identity log


def shoot(browser, urls: dict, folder: Path, out: Path, widths) -> list[Path]:
    prepare(urls, folder)
    portal = urls["portal"]
    made = []
    for width in widths:
        for who, paths in (
            (
                COORDINATOR,
                [
                    ("meja-pendaftaran", "/desk/registrations"),
                    ("meja-pendaftaran-periksa", f"/desk/registrations/{UNIT}"),
                    ("meja-petugas", "/desk/staff"),
                    ("meja-petugas-baru", "/desk/staff/new"),
                    ("meja-statistik", "/desk/statistics"),
                    ("meja-peringkat", "/desk/rankings"),
                    ("meja-log-perubahan", "/desk/audit"),
                ],
            ),
            (
                VIEWER,
                [
                    ("meja-pengawas-pendaftaran", f"/desk/registrations/{UNIT}"),
                    ("meja-log-identitas", "/desk/identity-reads"),
                ],
            ),
        ):
            page = browser.new_context(
                locale="id-ID", viewport={"width": width, "height": 800}
            ).new_page()
            signed_in(page, portal, who[0])
            for name, path in paths:
                page.goto(portal + path)
                made.append(_snap(page, out, name, width))
            if who is COORDINATOR:
                page.goto(portal + "/desk/staff/new")
                page.get_by_role("button", name="Buat akun").click()
                made.append(_snap(page, out, "meja-petugas-salah", width))
                page.get_by_label("Nama lengkap").fill("Andi Operator Puskesmas")
                page.get_by_label("Nama pengguna").fill(f"operator.tanete.{width}")
                page.get_by_label("Instansi").select_option(value="KAB-73-11-DINKES")
                page.get_by_role("button", name="Buat akun").click()
                made.append(_snap(page, out, "meja-kata-sandi-sementara", width))
            page.context.close()
    return made


def _snap(page, out: Path, name: str, width: int) -> Path:
    path = out / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
