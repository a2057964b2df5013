"""The console as a model hub, in Chromium: a card leads with what the model is, how good it
is and Try it (a sample file one click away), then a short request, with the full programs
folded; Markdown in a card is rendered, raw HTML in it stays text; the FlexGPU switch and the
experiments form say why gpuflex is unavailable on a host without a GPU; the explorer ranks id
and title matches first and shows each model's description and quality. Every page is
photographed at desktop and phone width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says so: a skip on a laptop, a failure under CI
    expect = None

from tests.support.browser import PageProblems, screenshot, sign_in
from tests.support.server import LiveServer

VADER = "vader/1/sentiment"
FACES = "opencv/1/haarcascade-frontalface"
GPU_MODEL = "sentence-transformers/1/minilm-answer-selection"  # offered on gpuflex
PHONE = {"width": 390, "height": 844}
PASSWORD = "a model hub password"
MARKDOWN_MODEL = {
    "models": [
        {
            "id": "docs/1/markdown-card",
            "type": "text-classification",
            "runtime": "builtin",
            "entrypoint": "vader_sentiment",
            "title": "Markdown card",
            "description": "A **sentiment** model. It has a README.\n\n### Preprocessing\n\nLower-cases `text` first."
            "\n\n<script>window.__pwned = 1</script>",
            "source": "https://github.com/cjhutto/vaderSentiment/tree/master/vaderSentiment (PyPI vaderSentiment)",
            "license": "MIT",
            "requires": {"python": ["vaderSentiment"]},
        }
    ]
}


def test_card_leads_with_the_model_and_try_it(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{VADER}")
    expect(page.get_by_role("heading", name="VADER sentiment", level=1)).to_be_visible()
    hero = page.locator(".card-hero")
    expect(hero.locator(".badge")).to_have_text("text-classification")
    lede = page.locator("#model-lede")
    expect(lede).to_be_visible()
    assert "\n" not in lede.inner_text() and len(lede.inner_text()) <= 200
    expect(page.locator("#headline-quality")).to_contain_text(re.compile(r"accuracy \d\.\d\d"))
    # Try it comes before the request, which comes before the details and the full programs.
    order = [page.locator(s).bounding_box()["y"] for s in ("#try-it", "#api", "#about", "#toolbox")]
    assert order == sorted(order), order
    expect(page.get_by_label("Text")).to_have_value("I love this product!")
    curl = page.locator("#quick-curl")
    expect(curl).to_contain_text(f"'{server.base_url}/v1/ent/{VADER}'")
    assert curl.inner_text().count("\n") == 0, "the curl request is one line"
    python = page.locator("#quick-python").inner_text()
    assert python.strip().count("\n") == 2 and "client.text_classification(" in python, python
    expect(page.locator("#full-programs")).not_to_have_attribute("open", "")
    expect(page.locator("#sample-curl")).to_be_hidden()
    page.locator("#full-programs summary").click()
    expect(page.locator("#sample-curl")).to_be_visible()
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"))
    screenshot(page, "hub-model-card")


def test_a_sample_image_is_one_click_away(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{FACES}")
    page.get_by_role("button", name="Try a sample image").click()
    picture = page.locator("#try-visual svg.detections")
    expect(picture).to_have_attribute("data-count", "1")
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms"))
    screenshot(page, "hub-sample-image")


def test_flexgpu_says_why_it_is_unavailable_without_a_gpu(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{GPU_MODEL}")
    state = page.locator("#gpu-state")
    expect(state).to_contain_text("this deployment has no GPU")
    expect(state).to_contain_text("503 tier_unavailable")
    page.get_by_role("button", name="FlexGPU").click()
    expect(page.locator("#tier-hint")).not_to_contain_text("Served on the GPU tier")
    expect(page.locator("#quick-python")).to_contain_text('tier="gpuflex"')
    screenshot(page, "hub-flexgpu-unavailable")

    page.goto(f"{server.base_url}/experiments")
    expect(page.locator("#exp-gpu-state")).to_contain_text("this deployment has no GPU")
    expect(page.locator('input[name="tier"][value="gpuflex"]')).to_be_disabled()
    expect(page.locator('input[name="tier"][value="cpuflex"]')).to_be_checked()
    screenshot(page, "hub-experiments-no-gpu")


def test_explorer_ranks_title_matches_first_and_sorts_by_title(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models?q=face")
    titles = page.locator(".model-item .model-title").all_inner_texts()
    ids = page.locator(".model-item .model-id").all_inner_texts()
    fasttext = ids.index("fasttext/1/language-identification") if "fasttext/1/language-identification" in ids else None
    title_matches = [i for i, (t, m) in enumerate(zip(titles, ids, strict=True)) if "face" in (t + m).lower()]
    assert title_matches and title_matches == list(range(len(title_matches))), (titles, ids)
    if fasttext is not None:
        assert fasttext > max(title_matches)
    first_rank = titles[: len(title_matches)]
    assert first_rank == sorted(first_rank, key=str.casefold), first_rank
    item = page.locator(".model-item").first
    expect(item.locator(".explorer-item-lede")).not_to_be_empty()
    page.goto(f"{server.base_url}/models")
    all_titles = page.locator(".model-item .model-title").all_inner_texts()
    assert all_titles == sorted(all_titles, key=str.casefold)
    expect(page.locator(".explorer-quality").first).to_be_visible()
    screenshot(page, "hub-explorer-face")


def test_markdown_card_is_rendered_and_raw_html_stays_text(browser: Any, make_server: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "markdown.yaml"
    catalog.write_text(yaml.safe_dump(MARKDOWN_MODEL), "utf-8")
    server = make_server(env={"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', "TYPESERVE_ADMIN_PASSWORD": PASSWORD})
    context = browser.new_context()
    problems = PageProblems()
    try:
        tab = context.new_page()
        problems.watch(tab)
        sign_in(tab, server.base_url, "admin", PASSWORD)
        response = tab.goto(f"{server.base_url}/models/docs/1/markdown-card")
        assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
        description = tab.locator("#model-description")
        expect(description.locator("h3")).to_have_text("Preprocessing")
        expect(description.locator("strong")).to_have_text("sentiment")
        expect(description.locator("code")).to_have_text("text")
        expect(description).to_contain_text("<script>window.__pwned = 1</script>")
        assert tab.locator("main script").count() == 0 and tab.evaluate("window.__pwned") is None
        expect(tab.locator("#model-lede")).to_have_text("A sentiment model.")
        source = tab.locator(".facts a.source-link")
        expect(source).to_have_text("https://github.com/cjhutto/vaderSentiment")
        expect(source).to_have_attribute("href", "https://github.com/cjhutto/vaderSentiment/tree/master/vaderSentiment")
        screenshot(tab, "hub-markdown-card")
    finally:
        context.close()
    assert not problems.errors, problems.errors


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_at_desktop_and_phone_width(
    browser: Any, server: LiveServer, width: str, problems: PageProblems
) -> None:
    from tests.support.browser import admin_password

    viewport = PHONE if width == "phone" else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport)
    try:
        tab = context.new_page()
        problems.watch(tab)
        tab.goto(f"{server.base_url}/signin")
        screenshot(tab, f"page-signin-{width}")
        sign_in(tab, server.base_url, "admin", admin_password(server))
        pages = {
            "models": "/models",
            "card-text": f"/models/{VADER}",
            "card-image": f"/models/{FACES}",
            "card-audio": "/models/cmu/1/pocketsphinx-en-us",
            "apikeys": "/apikeys",
            "experiments": "/experiments",
            "usage": "/usage",
        }
        for name, path in pages.items():
            tab.goto(f"{server.base_url}{path}")
            # Nothing is wider than the screen: no sideways scrolling of the whole page.
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than a {width} screen"
            screenshot(tab, f"page-{name}-{width}")
    finally:
        context.close()
    assert not problems.errors, problems.errors
