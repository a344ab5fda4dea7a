"""A visitor reads the public reports page after page: "Berikutnya" leads to older reports,
none shown twice, the category chosen kept; each page passes axe-core."""

import time
from datetime import date

import requests
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

TITLE = "Jalan rusak di depan sekolah"


def test_a_visitor_follows_the_next_pages_of_the_public_reports(page, portal, system, tmp_path):
    for i in range(25):  # more than one page (20) of dispatched public reports
        requests.post(
            f"{system['intake']}/reports",
            json={
                "classification": "complaint",
                "category_id": "pendidikan.sma",
                "title": f"{TITLE} {i}",
                "body": "Jalan di depan sekolah rusak dan berbahaya bagi murid.",
                "event_date": date.today().isoformat(),
                "location": {"region_code": "73.11"},
                "privacy": "public",
            },
            timeout=30,
        ).raise_for_status()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # public once routing has dispatched them
        listed = requests.get(
            f"{system['intake']}/public/reports",
            params={"category": "pendidikan.sma", "limit": 100},
            timeout=10,
        ).json()["items"]
        if sum(TITLE in item["title"] for item in listed) >= 25:
            break
        time.sleep(0.5)
    page.goto(f"{portal}/laporan")
    page.get_by_label("Kategori").select_option("pendidikan.sma")
    page.get_by_role("button", name="Saring").click()
    seen = []
    for _ in range(10):
        titles = page.get_by_role("link", name=TITLE).all_inner_texts()
        seen += titles
        assert violations(page) == []
        following = page.get_by_role("link", name="Berikutnya")
        if following.count() == 0:
            break
        following.click()
        expect(page.get_by_role("link", name="Halaman pertama")).to_be_visible()
        assert "pendidikan.sma" in page.url  # the filter is kept
    page.screenshot(path=str(tmp_path / "laporan-halaman-akhir.png"), full_page=True)
    mine = [title for title in seen if title.startswith(TITLE)]
    assert len(mine) == len(set(mine)) >= 25  # every one, none twice, over more than one page
