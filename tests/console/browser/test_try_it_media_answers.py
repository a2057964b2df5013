"""Try it on the media answers of the OCR and speech synthesis models, in Chromium: the
recognised lines drawn as boxes on the image the user chose, and a player for the speech."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says so: a skip on a laptop, a failure under CI
    expect = None

from tests.support.browser import screenshot
from tests.support.server import LiveServer
from typeserve.experiments.bundled.ocr_data import scikit_image_page

TESSERACT = "tesseract/1/tesseract-eng"
PIPER = "piper/1/en-us-joe-medium"


def test_try_it_draws_the_recognised_lines_on_the_image(page: Any, server: LiveServer, tmp_path: Path) -> None:
    image = tmp_path / "page.png"
    image.write_bytes(scikit_image_page().png)
    page.goto(f"{server.base_url}/models/{TESSERACT}")
    page.get_by_label("Image file").set_input_files(str(image))
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"), timeout=60_000)
    picture = page.locator("#try-visual svg.detections")
    expect(picture).to_have_attribute("viewBox", "0 0 384 191")
    count = int(picture.get_attribute("data-count") or 0)
    assert count >= 4, "a box per recognised line"
    expect(picture.locator("rect.box")).to_have_count(count)
    expect(picture.locator("text.box-label").nth(1)).to_contain_text("markers of the coins")
    expect(page.locator("#try-visual .transcript")).to_contain_text("markers of the coins")
    page.locator("#try-result").scroll_into_view_if_needed()
    screenshot(page, "try-it-ocr")


def test_try_it_plays_the_synthesized_speech(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{PIPER}")
    page.get_by_label("Text").fill("Go forward ten meters.")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"), timeout=60_000)
    player = page.locator("#try-visual audio.answer-audio")
    expect(player).to_have_count(1)
    assert player.get_attribute("src", timeout=5_000).startswith("blob:")
    # The browser decodes the WAV: its duration is the answer's.
    page.wait_for_function("a => a.readyState >= 1", arg=player.element_handle(), timeout=10_000)
    duration = player.evaluate("a => a.duration")
    assert 1.0 < duration < 3.0, duration
    expect(page.locator("#try-visual .hint")).to_contain_text("22050 Hz (audio/wav)")
    page.locator("#try-result").scroll_into_view_if_needed()
    screenshot(page, "try-it-speech")
