"""The desk's pages for `make screenshots`: sign-in, the queue, a report as its liaison and as
the coordinator (every action form), a conflict, and the agency's inbox."""

from __future__ import annotations

from pathlib import Path

from tests.browser.desk import Officer, add_officer
from tests.browser.desk_steps import file_report, routed, sign_in


def shoot_desk(browser, urls: dict, folder: Path, out: Path, widths) -> list[Path]:
    portal = urls["portal"]
    add_officer(folder, "foto.disdik", "liaison", "PROV-73-DISDIK")
    add_officer(folder, "foto.kominfo", "coordinator_admin", "PROV-73-DISKOMINFO")
    tracking_ids = [
        file_report(urls, "73.11", title, body)
        for title, body in (
            ("Pungutan uang gedung di SMA negeri", "Sekolah meminta uang gedung dua juta rupiah."),
            ("Pungutan uang gedung SMA", "Sekolah meminta uang gedung dua juta rupiah per siswa."),
            ("Seragam wajib dibeli di sekolah", "Siswa baru wajib membeli seragam di koperasi."),
        )
    ]
    api = Officer(urls, "foto.disdik")
    for tracking_id in tracking_ids:
        routed(api, tracking_id)
    api(
        "POST",
        f"/desk/dispositions/{tracking_ids[2]}/followups",
        json={"text": "Koperasi sekolah sudah kami tegur.", "field_inspection": True},
    )
    made = []
    for width in widths:
        liaison = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        coordinator = browser.new_context(viewport={"width": width, "height": 800}).new_page()

        def snap(page, name: str, width=width) -> None:
            path = out / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            made.append(path)

        liaison.goto(f"{portal}/desk/login")
        snap(liaison, "meja-masuk")
        sign_in(liaison, portal, "foto.disdik")
        snap(liaison, "meja-antrean")
        liaison.goto(f"{portal}/desk/dispositions/{tracking_ids[2]}")
        snap(liaison, "meja-laporan")
        liaison.goto(f"{portal}/desk/inbox")
        snap(liaison, "meja-kotak-masuk")

        sign_in(coordinator, portal, "foto.kominfo")
        coordinator.goto(f"{portal}/desk/dispositions/{tracking_ids[1]}")
        snap(coordinator, "meja-laporan-koordinator")
        liaison.goto(f"{portal}/desk/dispositions/{tracking_ids[1]}")
        liaison.get_by_label("Isi tindak lanjut").fill(f"Sedang kami periksa ({width}).")
        liaison.get_by_role("button", name="Kirim tindak lanjut").click()
        correct = coordinator.get_by_role("region", name="Koreksi kategori atau wilayah")
        correct.get_by_label("Kategori").select_option(label="Sekolah Menengah Kejuruan")
        correct.get_by_role("button", name="Simpan koreksi").click()
        snap(coordinator, "meja-konflik")
        for page in (liaison, coordinator):
            page.context.close()
    return made
