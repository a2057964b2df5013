"""A model card is data someone else wrote: markup in it is shown as text and never runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says so: a skip on a laptop, a failure under CI
    expect = None

from tests.support.browser import PageProblems, screenshot, sign_in

TITLE = "<script>window.__pwned = 'title'</script>Evil <img src=x onerror=\"window.__pwned = 'title-img'\">"
DESCRIPTION = (
    "<img src=x onerror=\"window.__pwned = 'description'\"><script>window.__pwned = 'script'</script> shown as text"
)
HOSTILE = {
    "models": [
        {
            "id": "evil/1/xss",
            "type": "text-classification",
            "runtime": "builtin",
            "entrypoint": "vader_sentiment",
            "title": TITLE,
            "description": DESCRIPTION,
            "source": "javascript:window.__pwned = 'source'",
            "license": "<b onmouseover=\"window.__pwned = 'license'\">MIT</b>",
            "limits": ["<svg onload=\"window.__pwned = 'svg'\"></svg>"],
            "card": "<iframe src=\"javascript:window.parent.__pwned = 'iframe'\"></iframe>",
            "quality": [{"metric": "<i>accuracy</i>", "value": 0.5, "dataset": "<script>1</script>"}],
            "requires": {"python": ["vaderSentiment"]},
        }
    ]
}
PASSWORD = "correct horse battery staple"


def test_hostile_model_card_stays_inert(browser: Any, make_server: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "hostile.yaml"
    catalog.write_text(yaml.safe_dump(HOSTILE), "utf-8")
    server = make_server(env={"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', "TYPESERVE_ADMIN_PASSWORD": PASSWORD})
    # A configured password is used, and never echoed.
    assert PASSWORD not in server.log and "admin password:" not in server.log

    context = browser.new_context()
    problems = PageProblems()
    dialogs: list[str] = []
    try:
        tab = context.new_page()
        problems.watch(tab)
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sign_in(tab, server.base_url, "admin", PASSWORD)

        tab.goto(f"{server.base_url}/models?q=evil")
        expect(tab.locator(".model-title")).to_have_text(TITLE)
        assert tab.evaluate("window.__pwned") is None

        response = tab.goto(f"{server.base_url}/models/evil/1/xss")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(tab.locator("#model-title")).to_have_text(TITLE)
        expect(tab.locator("#model-description")).to_have_text(DESCRIPTION)
        expect(tab.locator(".facts")).to_contain_text("<b onmouseover=")
        expect(tab.locator(".facts")).to_contain_text("<svg onload=")
        expect(tab.locator(".card-text")).to_contain_text("<iframe src=")
        expect(tab.locator("table.quality")).to_contain_text("<i>accuracy</i>")
        # Nothing the card supplied became an element, and the source is no javascript: link.
        assert tab.locator("main img, main iframe, main svg, main b, main i").count() == 0
        assert tab.locator("main script").count() == 0
        assert tab.locator('a[href^="javascript:"]').count() == 0
        tab.locator(".facts").hover()

        # Try it shows the answer; the model's own text stays text there too.
        tab.get_by_label("Text").fill("<img src=x onerror=\"window.__pwned = 'input'\"> is great")
        tab.get_by_role("button", name="Run").click()
        expect(tab.locator("#try-visual .bars li").first).to_be_visible()
        assert tab.evaluate("window.__pwned") is None
        screenshot(tab, "hostile-model-card")
    finally:
        context.close()
    assert not dialogs, dialogs
    assert not problems.errors, problems.errors
