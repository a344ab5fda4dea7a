"""What a person does on the portal, by label and role."""

from __future__ import annotations

import re
import time

TRACKING_ID = re.compile(r"LPR-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
NEXT_REGION = "Tampilkan pilihan wilayah berikutnya"


def choose_place(page, province: str, regency: str) -> None:
    """With script, by the type-ahead; without, the selects and the "next level" button."""
    if page.locator("#province-cari").count():
        type_and_pick(page, "Provinsi", province[:8], province)
        type_and_pick(page, "Kabupaten/kota", regency.split()[-1][:5], regency)
        return
    page.get_by_label("Provinsi").select_option(label=province)
    page.get_by_role("button", name=NEXT_REGION).click()
    page.get_by_label("Kabupaten/kota").select_option(label=regency)


def type_and_pick(page, label: str, letters: str, wanted: str) -> None:
    """A few letters into the type-ahead, then Arrow Down to ``wanted`` and Enter."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.fill("")
    box.press_sequentially(letters, delay=20)
    page.get_by_role("option", name=wanted, exact=True).wait_for()
    for _ in range(30):
        box.press("ArrowDown")
        if active_option(page, box) == wanted:
            break
    assert active_option(page, box) == wanted
    box.press("Enter")
    page.wait_for_function(
        "([id, name]) => { const e = document.getElementById(id);"
        " return e && e.value === name && e.getAttribute('aria-expanded') === 'false'; }",
        arg=[box.get_attribute("id"), wanted],
    )


def active_option(page, box) -> str | None:
    active = box.get_attribute("aria-activedescendant")
    return page.locator(f"#{active}").inner_text() if active else None


def fill_complaint(page, portal: str, event_date: str | None = "2026-11-20", attachment=None):
    """A complaint about a state senior high school in Kabupaten Barru (SPEC §6)."""
    page.goto(f"{portal}/lapor")
    page.get_by_label("Pengaduan").check()
    page.get_by_label("Kategori").select_option(label="Sekolah Menengah Atas")
    page.get_by_label("Judul laporan").fill("Pungutan uang gedung di SMA negeri")
    page.get_by_label("Uraian laporan").fill(
        "Sekolah meminta uang gedung dua juta rupiah untuk setiap siswa baru."
    )
    choose_place(page, "Sulawesi Selatan", "Kabupaten Barru")
    if event_date:
        page.get_by_label("Tanggal kejadian").fill(event_date)
    if attachment:
        page.get_by_label("Lampiran").set_input_files(attachment)
    page.get_by_label("Anonim", exact=True).check()


def check_and_send(page) -> str:
    page.get_by_role("button", name="Periksa laporan").click()
    page.get_by_role("heading", name="Periksa kembali laporan Anda").wait_for()
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", name="Laporan terkirim").wait_for()
    return TRACKING_ID.search(page.locator(".tracking-id").inner_text())[0]


def status_of(page) -> str:
    return page.locator(".tag").first.inner_text()


def reload_until(page, predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen within {timeout}s: {page.url}")
        time.sleep(0.3)
        page.reload()
