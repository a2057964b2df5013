"""Browser fixtures: Debian's Chromium driven by Playwright for Python (no browser download),
a page signed in to a real server's console, and screenshots saved as test artifacts. Every
page is watched for JavaScript errors and Content-Security-Policy violations."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import PageProblems, admin_password, sign_in
from tests.support.server import LiveServer
from tests.support.services import missing_service

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope: a Playwright sync session keeps an event loop running in the main thread,
# which would break asyncio.run() in the tests that follow.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("Playwright for Python is not installed (pip install playwright)")
    executable = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        missing_service("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(context: Any, server: LiveServer, problems: PageProblems) -> Iterator[Any]:
    """A page signed in as `admin`; the test fails if any page it visits raised an error."""
    tab = context.new_page()
    problems.watch(tab)
    sign_in(tab, server.base_url, "admin", admin_password(server))
    yield tab
    assert not problems.errors, problems.errors
