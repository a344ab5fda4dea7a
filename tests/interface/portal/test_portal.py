"""The portal alone in a real container, its upstreams on ports where nothing listens: the
defences that do not need the other services (CSRF, the cookie, headers, a service down)."""

import json
import re
from contextlib import contextmanager

import eventlet
import pytest
import requests
from eventlet import wsgi

from services.portal.service import Portal
from services.portal.session import COOKIE
from tests.conftest import free_port


@pytest.fixture
def portal(container_factory, service_config, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}"
    config = service_config(
        "portal",
        KEYS_DIR=str(tmp_path / "keys"),
        INTAKE_URL=dead,
        ROUTING_URL=dead,
        AGENCY_REGISTRY_URL=dead,
        NOTIFICATION_URL=dead,
        REPORTING_URL=dead,
        UPSTREAM_CONNECT_TIMEOUT=0.5,
    )
    container_factory(Portal, config).start()
    return f"http://{config['WEB_SERVER_ADDRESS']}"


def test_a_service_down_gives_a_friendly_page_and_a_503(portal):
    response = requests.get(f"{portal}/lapor", timeout=10)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Layanan sedang tidak tersedia" in response.text
    assert "Traceback" not in response.text and "127.0.0.1" not in response.text
    health = requests.get(f"{portal}/health", timeout=10)
    assert health.status_code == 503 and health.json()["checks"]["intake"] == "unreachable"


def test_a_post_without_the_session_csrf_token_is_refused(portal):
    browser = requests.Session()
    browser.get(f"{portal}/lacak", timeout=10)  # a page that needs no upstream: sets the token
    assert COOKIE in browser.cookies
    forged = requests.post(
        f"{portal}/lacak/LPR-0000-0000-0000/komentar",
        data={"csrf": "guessed", "comment_text": "x"},
        cookies=browser.cookies,
        timeout=10,
    )
    assert forged.status_code == 403
    assert "Formulir kedaluwarsa" in forged.text


def test_the_session_cookie_is_httponly_lax_encrypted_and_pages_forbid_inline_script(portal):
    response = requests.get(f"{portal}/lacak", timeout=10)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    value = response.cookies[COOKIE]
    assert "csrf" not in value  # encrypted, not merely signed
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    behind_https = requests.get(
        f"{portal}/lacak", headers={"X-Forwarded-Proto": "https"}, timeout=10
    )
    assert "Secure" in behind_https.headers["Set-Cookie"]


def test_a_tampered_cookie_starts_a_fresh_session(portal):
    first = requests.get(f"{portal}/lacak", timeout=10)
    value = first.cookies[COOKIE]
    tampered = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    again = requests.get(f"{portal}/lacak", cookies={COOKIE: tampered}, timeout=10)
    assert again.status_code == 200
    assert again.cookies[COOKIE] != tampered  # a new session, not the forged one


@contextmanager
def serving(app):
    """``app`` (WSGI) on a real HTTP server at a free port: its URL."""
    sock = eventlet.listen(("127.0.0.1", 0))
    server = eventlet.spawn(wsgi.server, sock, app, log_output=False)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.kill()


def portal_against(container_factory, service_config, tmp_path, url: str) -> str:
    """A portal whose every upstream is ``url``, with the province list already read (it is
    read once and kept): its URL."""
    upstreams = ("INTAKE_URL", "ROUTING_URL", "AGENCY_REGISTRY_URL", "NOTIFICATION_URL")
    config = service_config(
        "portal",
        KEYS_DIR=str(tmp_path / "keys"),
        REPORTING_URL=url,
        **{name: url for name in upstreams},
    )
    container_factory(Portal, config).start()
    portal = f"http://{config['WEB_SERVER_ADDRESS']}"
    requests.get(f"{portal}/lapor", timeout=10)
    return portal


@pytest.fixture
def gathering_upstream():
    """A real HTTP server for intake and reporting that holds each request until a second one
    is in flight (or 2 s pass), and records how many it ever held at once."""
    state = {"in_flight": 0, "peak": 0, "paths": []}
    arrived = eventlet.event.Event()

    def app(environ, start_response):
        state["in_flight"] += 1
        state["peak"] = max(state["peak"], state["in_flight"])
        state["paths"].append(environ["PATH_INFO"])
        if state["in_flight"] >= 2 and not arrived.ready():
            arrived.send()
        with eventlet.Timeout(2, False):
            arrived.wait()
        state["in_flight"] -= 1
        body = {"items": [], "by_colour": {}, "regions": []}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    with serving(app) as url:
        yield url, state


def test_the_home_page_asks_for_its_figures_and_recent_reports_at_the_same_time(
    container_factory, service_config, tmp_path, gathering_upstream
):
    url, state = gathering_upstream
    portal = portal_against(container_factory, service_config, tmp_path, url)
    state.update(peak=0, paths=[])

    response = requests.get(f"{portal}/", timeout=10)
    assert response.status_code == 200
    assert sorted(state["paths"]) == ["/public/reports", "/statistics/nation"]
    assert state["peak"] == 2  # one after the other, the server never holds two


def test_option_lists_written_in_python_escape_what_the_services_send():
    from services.portal import options

    hostile = [{"code": '73"><script>', "name": "<b>Barru</b> & co"}]
    markup = str(options.regions(hostile, '73"><script>'))
    assert markup == (
        '<option value="73&#34;&gt;&lt;script&gt;" selected>&lt;b&gt;Barru&lt;/b&gt; &amp; co</option>'
    )
    tree = [{"id": "g", "name": {"id": "<i>Grup</i>", "en": "G"}, "children": []}]
    assert "<i>" not in str(options.categories("id", tree, None))


def test_the_portal_gives_intake_each_visitors_address_for_its_limits(
    container_factory, service_config, tmp_path
):
    """Intake trusts the portal's X-Forwarded-For; the portal, behind its own balancer, names
    the visitor: one visitor's failed logins do not lock out the next."""
    from services.intake.service import Intake

    intake_config = service_config(
        "intake", LOGIN_CLIENT_RATE_LIMIT="2/300", TRUSTED_PROXIES="127.0.0.1"
    )
    container_factory(Intake, intake_config).start()
    config = service_config(
        "portal",
        KEYS_DIR=str(tmp_path / "keys"),
        INTAKE_URL=f"http://{intake_config['WEB_SERVER_ADDRESS']}",
        TRUSTED_PROXIES="127.0.0.1",
    )
    container_factory(Portal, config).start()
    portal = f"http://{config['WEB_SERVER_ADDRESS']}"

    def log_in(visitor, attempt):
        browser = requests.Session()
        headers = {"X-Forwarded-For": visitor}
        page = browser.get(f"{portal}/masuk", headers=headers, timeout=10).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        form = {"csrf": csrf, "login": f"nobody{attempt}", "password": "wrong-one"}
        return browser.post(f"{portal}/masuk", data=form, headers=headers, timeout=10)

    first = [log_in("203.0.113.1", n) for n in range(3)]
    assert [r.status_code for r in first] == [401, 401, 422]
    assert "Coba lagi nanti" in first[-1].text
    assert log_in("203.0.113.2", 3).status_code == 401  # a new visitor, a fresh budget


def test_the_status_tag_escapes_what_the_services_send():
    from services.portal import options

    tag = str(
        options.status_tag("en", {"code": "x", "label": {"en": "<b>Done</b>"}, "colour": '"'})
    )
    assert tag == '<span class="tag tag-&#34;">&lt;b&gt;Done&lt;/b&gt;</span>'
    assert "Belum" in str(options.status_tag("id", {"code": "dispatched"}))


def marking_app(paths: list, max_age: int = 30, slow: float = 0.0):
    """Every upstream as one WSGI app that marks reporting's figures as the public's to keep
    ``max_age`` s, as reporting does, answers them after ``slow`` s, and records the paths it
    was asked in ``paths``."""

    def app(environ, start_response):
        paths.append(environ["PATH_INFO"])
        headers = [("Content-Type", "application/json")]
        if environ["PATH_INFO"].startswith("/statistics/"):
            eventlet.sleep(slow)
            headers.append(("Cache-Control", f"public, max-age={max_age}"))
        start_response("200 OK", headers)
        return [json.dumps({"items": [], "by_colour": {"red": 4}, "regions": []}).encode()]

    return app


@pytest.fixture
def marking_upstream():
    """``marking_app`` on a real HTTP server: its URL, and the paths it was asked."""
    paths = []
    with serving(marking_app(paths)) as url:
        yield url, paths


def test_the_front_page_keeps_the_figures_their_service_lets_it_keep(
    container_factory, service_config, tmp_path, marking_upstream
):
    url, paths = marking_upstream
    portal = portal_against(container_factory, service_config, tmp_path, url)
    paths.clear()

    for _ in range(3):
        assert requests.get(f"{portal}/", timeout=10).status_code == 200
    # the figures once, kept 30 s; the recent reports, which say nothing of keeping, each time
    assert sorted(paths) == ["/public/reports"] * 3 + ["/statistics/nation"]


def test_visitors_arriving_together_ask_reporting_once(container_factory, service_config, tmp_path):
    """The kept figures have just gone stale and reporting is slow to answer: six front pages
    at once make one call for them, and each page shows them."""
    paths = []
    with serving(marking_app(paths, max_age=1, slow=0.5)) as url:
        portal = portal_against(container_factory, service_config, tmp_path, url)
        assert requests.get(f"{portal}/", timeout=10).status_code == 200  # kept for 1 s
        eventlet.sleep(1.1)
        paths.clear()
        pages = list(eventlet.GreenPool(6).imap(
            lambda _: requests.get(f"{portal}/", timeout=10), range(6)
        ))  # fmt: skip
    assert [page.status_code for page in pages] == [200] * 6
    assert paths.count("/statistics/nation") == 1
    for page in pages:
        assert '<li class="count count-red"><span class="n">4</span>' in page.text


def test_the_public_listing_follows_intakes_next_cursor_with_its_filters(
    container_factory, service_config, tmp_path
):
    asked = []

    def app(environ, start_response):
        from urllib.parse import parse_qs

        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = {"items": [], "regions": [], "categories": [], "by_colour": {}}
        if environ["PATH_INFO"] == "/public/reports":
            asked.append(query)
            following = None if query.get("cursor") else "KURSOR-1"
            body = {"items": [], "next": following, "limit": 10}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    with serving(app) as url:
        portal = portal_against(container_factory, service_config, tmp_path, url)
        first = requests.get(f"{portal}/laporan", params={"category": "kesehatan"}, timeout=10)
        assert first.status_code == 200
        links = re.findall(r'<a href="\?([^"]+)" rel="(\w+)">([^<]+)</a>', first.text)
        assert links == [("cursor=KURSOR-1&amp;category=kesehatan", "next", "Berikutnya")]
        second = requests.get(f"{portal}/laporan?cursor=KURSOR-1&category=kesehatan", timeout=10)
        links = re.findall(r'<a href="\?([^"]+)" rel="(\w+)">([^<]+)</a>', second.text)
        assert links == [("category=kesehatan", "first", "Halaman pertama")]
    assert asked[-2:] == [
        {"category": "kesehatan", "limit": "10"},
        {"category": "kesehatan", "cursor": "KURSOR-1", "limit": "10"},
    ]
