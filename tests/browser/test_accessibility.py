"""axe-core (shipped by axe-playwright-python) finds no WCAG 2.1 A/AA violation on any page,
in either language, with and without errors on the form."""

import requests
from axe_playwright_python.sync_playwright import Axe

from tests.browser.steps import check_and_send, fill_complaint

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(page) -> list:
    result = Axe().run(page, options=WCAG)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]


def test_no_page_has_an_accessibility_violation(page, portal):
    seen = {}
    for path in ("/", "/lapor", "/lacak", "/laporan", "/daftar", "/masuk", "/tidak-ada"):
        page.goto(portal + path)
        seen[path] = violations(page)
    page.goto(f"{portal}/lacak?id=LPR-0000-0000-0000")
    seen["/lacak not found"] = violations(page)
    page.goto(f"{portal}/daftar")
    page.get_by_role("button", name="Daftar").click()
    seen["/daftar errors"] = violations(page)

    fill_complaint(page, portal, event_date="2099-01-01")
    page.get_by_role("button", name="Periksa laporan").click()
    seen["check"] = violations(page)
    page.get_by_role("button", name="Kirim laporan").click()
    seen["/lapor errors"] = violations(page)
    page.get_by_label("Tanggal kejadian").fill("")
    tracking_id = check_and_send(page)
    seen["filed (returned)"] = violations(page)
    page.goto(f"{portal}/lacak/{tracking_id}")
    seen["/lacak own, returned"] = violations(page)
    page.goto(f"{portal}/bahasa/en?kembali=/lapor")
    seen["/lapor in English"] = violations(page)
    assert page.get_by_role("heading", name="File a report").is_visible()
    assert {path: found for path, found in seen.items() if found} == {}


def test_every_main_page_weighs_under_60_kb_with_its_style_and_script(portal):
    assets = sum(
        len(requests.get(f"{portal}/static/{name}", timeout=10).content)
        for name in ("portal.css", "portal.js")
    )
    for path in ("/", "/lapor", "/lacak", "/laporan", "/daftar", "/masuk"):
        html = requests.get(portal + path, timeout=10)
        assert html.status_code == 200
        assert len(html.content) + assets < 60 * 1024, (path, len(html.content), assets)
