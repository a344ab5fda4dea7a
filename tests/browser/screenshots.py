"""`make screenshots`: the portal's main pages at 320 and 1280 px into docs/screenshots/,
from the system started as `make run` starts it, with a report filed to show; then the
officers' desk (tests/browser/desk_screenshots.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from shared.config import ROOT
from tests.browser import screenshots_desk_admin as desk_admin
from tests.browser.desk_screenshots import shoot_desk
from tests.browser.steps import check_and_send, fill_complaint
from tests.browser.system import chromium, running_system

OUT = ROOT / "docs" / "screenshots"
WIDTHS = (320, 1280)


def shoot(browser, portal: str) -> list[Path]:
    made = []
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()

        def snap(name: str, page=page, width=width) -> None:
            path = OUT / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            made.append(path)

        fill_complaint(page, portal)
        tracking_id = check_and_send(page)
        snap("terkirim")
        for name, path in (
            ("beranda", "/"),
            ("lapor", "/lapor"),
            ("lacak", f"/lacak/{tracking_id}"),
            ("laporan", "/laporan"),
            ("masuk", "/masuk"),
        ):
            page.goto(portal + path)
            snap(name)
        fill_complaint(page, portal, event_date="2099-01-01")
        page.get_by_role("button", name="Periksa laporan").click()
        snap("periksa")
        page.get_by_role("button", name="Kirim laporan").click()
        snap("lapor-salah")
        page.goto(portal + "/daftar")
        page.get_by_role("button", name="Daftar").click()
        snap("daftar-salah")
        page.context.close()
    return made


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        with running_system(Path(folder)) as urls, chromium() as browser:
            made = shoot(browser, urls["portal"])
            made += shoot_desk(browser, urls, Path(folder), OUT, WIDTHS)
            made += desk_admin.shoot(browser, urls, Path(folder), OUT, WIDTHS)
            for path in made:
                print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
