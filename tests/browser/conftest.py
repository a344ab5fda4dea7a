"""Real: every service as a process (the launcher), RabbitMQ, SQLite, Debian's Chromium.
Nothing is faked; pages are driven by label and role, as a person would."""

import pytest

from tests.browser.system import CHROMIUM, chromium, running_system


@pytest.fixture(scope="session")
def system_folder(tmp_path_factory):
    """Where the running system keeps its SQLite files and keys."""
    return tmp_path_factory.mktemp("browser-system")


@pytest.fixture(scope="session")
def system(system_folder):
    with running_system(system_folder) as urls:
        yield urls


@pytest.fixture(scope="session")
def browser():
    import os

    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: make test installs it"
    with chromium() as browser:
        yield browser


@pytest.fixture
def portal(system):
    return system["portal"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
