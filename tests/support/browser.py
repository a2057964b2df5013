"""What browser tests share: the admin password a server printed, signing in, watching a page
for JavaScript and CSP errors, and screenshots saved as test artifacts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.support.server import LiveServer

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD_LINE = re.compile(r"admin password: (\S+)")


def admin_password(server: LiveServer) -> str:
    """The password the server printed at its first start."""
    match = PASSWORD_LINE.search(server.log)
    assert match, f"the first start printed no admin password:\n{server.log}"
    return match.group(1)


class PageProblems:
    """JavaScript errors and console errors (CSP violations are reported there) on a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # An HTTP error status is logged as "Failed to load resource"; tests assert statuses themselves.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/models.*"))
