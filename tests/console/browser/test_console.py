"""The console as a user meets it in Chromium: sign in, find a model, switch the tier, try
models on text and on an image, manage API keys, read usage, on a desktop and a phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says so: a skip on a laptop, a failure under CI
    expect = None

from tests.support.browser import PageProblems, admin_password, screenshot
from tests.support.server import LiveServer

VADER = "vader/1/sentiment"
FACES = "opencv/1/haarcascade-frontalface"
# A default model that computes on the GPU when there is one, so its card offers FlexGPU
# (VADER is CPU-only code: its card offers cpuflex alone).
GPU_MODEL = "sentence-transformers/1/minilm-answer-selection"


def test_sign_in_is_required_and_wrong_password_is_refused(context: Any, server: LiveServer) -> None:
    tab = context.new_page()
    tab.goto(f"{server.base_url}/apikeys")
    expect(tab).to_have_url(re.compile(r"/signin\?next=%2Fapikeys$"))
    tab.get_by_label("Username").fill("admin")
    tab.get_by_label("Password").fill("not the password")
    tab.get_by_role("button", name="Sign in").click()
    expect(tab.get_by_role("alert")).to_have_text("Wrong username or password.")
    screenshot(tab, "signin-refused")
    tab.get_by_label("Password").fill(admin_password(server))
    tab.get_by_role("button", name="Sign in").click()
    # Back where the user was going, signed in.
    expect(tab).to_have_url(f"{server.base_url}/apikeys")
    expect(tab.get_by_role("heading", name="API Keys", exact=True)).to_be_visible()
    tab.get_by_role("button", name="Sign out").click()
    expect(tab).to_have_url(re.compile(r"/signin$"))
    tab.goto(f"{server.base_url}/models")
    expect(tab).to_have_url(re.compile(r"/signin\?next="))


def test_find_a_model_by_search_and_filters(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models")
    screenshot(page, "models")
    page.get_by_role("searchbox").fill("sentiment")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".model-item")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("VADER sentiment")
    expect(results.first.locator(".badge")).to_have_text("text-classification")
    expect(results.first).to_contain_text("runtime: builtin")
    expect(results.first.locator(".status")).to_have_text(re.compile("loaded|installed"))
    # Counts per type follow the search.
    expect(page.locator('.type-counts a[data-type="text-classification"] .count')).to_have_text("1")
    expect(page.locator('.type-counts a[data-type="image-object-detection"] .count')).to_have_text("0")
    screenshot(page, "models-search")

    page.goto(f"{server.base_url}/models?type=image-object-detection&vendor=opencv")
    expect(page.locator(".model-item")).to_have_count(5)
    expect(page.locator(".model-item .badge").first).to_have_text("image-object-detection")

    page.goto(f"{server.base_url}/models")
    page.get_by_role("searchbox").fill("sentiment")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="VADER sentiment").click()
    expect(page.get_by_role("heading", name="VADER sentiment")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("MIT")
    expect(page.locator(".facts")).to_contain_text("https://github.com/cjhutto/vaderSentiment")
    expect(page.locator("table.fields").first).to_contain_text("input")


def test_flexgpu_switch_rewrites_the_url_and_samples(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{GPU_MODEL}")
    cpu_url = f"{server.base_url}/v1/ent/{GPU_MODEL}"
    url = page.locator("#api-url")
    curl = page.locator("#sample-curl")
    expect(url).to_have_text(cpu_url)
    expect(curl).to_contain_text(server.base_url)
    expect(curl).to_contain_text(f"MODEL_ID={GPU_MODEL}")
    expect(curl).to_contain_text("TIER=cpuflex")

    page.get_by_role("button", name="FlexGPU").click()
    expect(url).to_have_text(f"{cpu_url}?serviceTier=gpuflex")
    expect(curl).to_contain_text("TIER=gpuflex")  # the sample now calls the GPU tier by default
    expect(page.get_by_role("button", name="FlexGPU")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "model-card-flexgpu")
    page.locator("#full-programs summary").click()  # the full programs are folded
    defaults = {
        "Python": 'tier, positional = "gpuflex"',
        "JavaScript": 'let tier = "gpuflex"',
        "Java": 'String tier = "gpuflex"',
    }
    for label, default in defaults.items():
        page.get_by_role("tab", name=label, exact=True).click()
        expect(page.locator(f"#sample-{label.lower()}")).to_contain_text(default)

    page.get_by_role("button", name="CPU").click()
    expect(url).to_have_text(cpu_url)
    page.get_by_role("tab", name="curl").click()
    expect(curl).to_contain_text("TIER=cpuflex")
    screenshot(page, "model-card")


def test_card_reads_without_javascript(browser: Any, server: LiveServer) -> None:
    from tests.support.browser import sign_in

    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        sign_in(tab, server.base_url, "admin", admin_password(server))
        tab.goto(f"{server.base_url}/models/{GPU_MODEL}")
        tab.get_by_role("button", name="FlexGPU").click()
        expect(tab.locator("#api-url")).to_have_text(f"{server.base_url}/v1/ent/{GPU_MODEL}?serviceTier=gpuflex")
        # Every sample is shown, one after another, when tabs cannot work (folded, as with JavaScript).
        tab.locator("#full-programs summary").click()
        expect(tab.locator("#panel-curl")).to_be_visible()
        expect(tab.locator("#panel-java")).to_be_visible()
        # Controls that need JavaScript are not offered.
        expect(tab.locator("#try-it")).to_be_hidden()
        expect(tab.get_by_text("Try it needs JavaScript")).to_be_visible()
        screenshot(tab, "model-card-no-javascript")
    finally:
        context.close()


def test_try_it_on_text_shows_json_and_bars(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/{VADER}")
    expect(page.get_by_text("Try it needs JavaScript")).to_be_hidden()
    page.get_by_label("Text").fill("I love this wonderful, sunny day!")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"))
    bars = page.locator("#try-visual .bars li")
    expect(bars.first.locator(".bar-label")).to_have_text("POSITIVE")
    expect(bars).to_have_count(3)
    width = page.locator("#try-visual .bar").first.evaluate("bar => bar.getBoundingClientRect().width")
    assert width > 50, "the best label's bar is drawn"
    expect(page.locator("#try-json")).to_contain_text('"label": "POSITIVE"')
    page.locator("#try-result").scroll_into_view_if_needed()
    screenshot(page, "try-it-text")


def test_try_it_highlights_named_entities_in_the_text(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/spacy/1/en-core-web-sm")
    page.get_by_label("Text").fill("Angela Merkel flew from Berlin to Paris.")
    # The first call loads the model: seconds on a busy machine.
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"), timeout=120_000)
    marks = page.locator("#try-visual .entities mark.entity")
    expect(marks).to_have_count(3)
    expect(marks.nth(0)).to_have_attribute("data-entity", "PERSON")
    expect(marks.nth(1)).to_contain_text("Berlin")
    expect(page.locator("#try-visual .entities")).to_contain_text("flew from")
    expect(page.locator("#try-json")).to_contain_text('"entity": "GPE"')
    page.locator("#try-result").scroll_into_view_if_needed()
    screenshot(page, "try-it-entities")


def test_try_it_zero_shot_takes_labels_and_draws_bars(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/models/sentence-transformers/1/minilm-zero-shot")
    page.get_by_label("Text").fill("The team won the football match.")
    page.get_by_label("labels (comma-separated)").fill("cooking, sports, politics")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text(re.compile(r"^200 in \d+ ms on cpuflex$"), timeout=120_000)
    bars = page.locator("#try-visual .bars li")
    expect(bars).to_have_count(3)
    expect(bars.first.locator(".bar-label")).to_have_text("sports")
    screenshot(page, "try-it-zero-shot")


def test_try_it_on_an_image_draws_the_boxes(
    page: Any, server: LiveServer, astronaut_jpeg: bytes, tmp_path: Path
) -> None:
    image = tmp_path / "astronaut.jpg"
    image.write_bytes(astronaut_jpeg)
    page.goto(f"{server.base_url}/models/{FACES}")
    page.get_by_label("Image file").set_input_files(str(image))
    page.get_by_role("button", name="Run").click()
    picture = page.locator("#try-visual svg.detections")
    expect(picture).to_have_attribute("data-count", "1")
    expect(picture.locator("image")).to_have_count(1)
    box = picture.locator("rect.box")
    expect(box).to_have_count(1)
    x, y = float(box.get_attribute("x") or -1), float(box.get_attribute("y") or -1)
    # Eileen Collins' face sits around x 180-270, y 65-160 in the astronaut image.
    assert 150 <= x <= 230 and 40 <= y <= 120, (x, y)
    expect(picture.locator("text.box-label")).to_contain_text("face")
    expect(page.locator("#try-json")).to_contain_text('"detections"')
    assert box.bounding_box()["width"] > 40, "the box is drawn at a visible size"
    page.locator("#try-result").scroll_into_view_if_needed()
    screenshot(page, "try-it-image")


def test_try_it_shows_a_clear_error_for_a_bad_file(page: Any, server: LiveServer, tmp_path: Path) -> None:
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("these are words, not pixels")
    page.goto(f"{server.base_url}/models/{FACES}")
    page.get_by_label("Image file").set_input_files(str(not_an_image))
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#try-status")).to_have_text("Failed with 400")
    expect(page.locator("#try-visual .error-text")).to_contain_text("400")
    expect(page.locator("#try-json")).to_contain_text('"status": 400')
    expect(page.locator("#try-json")).not_to_contain_text("Traceback")
    screenshot(page, "try-it-error")
    # The server keeps serving.
    with server.client() as client:
        assert client.post(f"/v1/ent/{VADER}", json={"input": "still fine"}).status_code == 200


def test_api_key_created_used_and_revoked(page: Any, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/apikeys")
    page.get_by_role("button", name="Create API key").click()
    page.get_by_label("Name").fill("browser <b>test</b> key")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_text("It will not be shown again")).to_be_visible()
    secret = page.locator("#new-secret").inner_text().strip()
    assert re.fullmatch(r"tsk_[0-9a-f]+_[A-Za-z0-9_-]{22,}", secret), secret
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    screenshot(page, "apikeys-created")

    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        bearer = {"Authorization": f"Bearer {secret}"}
        used = client.post(f"/v1/ent/{VADER}", json={"input": "What a great key!"}, headers=bearer)
        assert used.status_code == 200, used.text

        page.goto(f"{server.base_url}/apikeys")
        expect(page.locator("#new-secret")).to_have_count(0)  # shown once only
        row = page.locator("tr", has_text="browser <b>test</b> key")
        expect(row).to_contain_text("invoke")
        expect(row.locator(".state")).to_have_text("active")
        key_id = row.get_attribute("data-key-id")
        expect(row).to_contain_text(f"tsk_{key_id}")
        screenshot(page, "apikeys")
        row.get_by_role("button", name=re.compile("^Revoke")).click()
        expect(page.get_by_role("status")).to_have_text(f"Key {key_id} was revoked.")
        expect(page.locator(f'tr[data-key-id="{key_id}"] .state')).to_have_text("revoked")

        refused = client.post(f"/v1/ent/{VADER}", json={"input": "Still there?"}, headers=bearer)
        assert refused.status_code == 401, refused.text
        assert "revoked" in refused.json()["detail"]


def test_api_key_with_scopes_and_expiry(page: Any, server: LiveServer) -> None:
    last_day = (datetime.now(UTC) + timedelta(days=3)).date()
    page.goto(f"{server.base_url}/apikeys")
    page.get_by_role("button", name="Create API key").click()
    page.get_by_label("Name").fill("nightly experiments")
    page.get_by_role("checkbox", name="invoke").uncheck()
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Scopes: choose at least one.")
    # The form stays open with what was typed.
    expect(page.get_by_label("Name")).to_have_value("nightly experiments")
    page.get_by_role("checkbox", name="invoke").check()
    page.get_by_role("checkbox", name="experiments").check()
    page.get_by_label("Expires after (optional)").fill(last_day.isoformat())
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_text("It will not be shown again")).to_be_visible()
    row = page.locator("tr", has_text="nightly experiments")
    expect(row).to_contain_text("invoke, experiments")
    # The key works through the end of the chosen day (UTC).
    expect(row).to_contain_text(f"{last_day + timedelta(days=1):%Y-%m-%d} 00:00")
    secret = page.locator("#new-secret").inner_text().strip()
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        listed = client.get("/v1/apikeys", headers={"Authorization": f"Bearer {server.admin_key}"}).json()["keys"]
        [mine] = [k for k in listed if secret.startswith(k["prefix"] + "_")]
        assert mine["scopes"] == ["invoke", "experiments"] and mine["expiresAt"].startswith(
            f"{last_day + timedelta(days=1):%Y-%m-%d}T00:00:00"
        )


def test_usage_shows_requests_per_model_and_key(page: Any, server: LiveServer) -> None:
    with server.client() as client:
        for text in ("good", "bad", "fine"):
            assert client.post(f"/v1/ent/{VADER}", json={"input": text}).status_code == 200
        assert client.post(f"/v1/ent/{VADER}", json={"wrong": 1}).status_code == 422
    page.goto(f"{server.base_url}/usage")
    expect(page.locator("figure.chart")).to_have_count(3)
    row = page.locator(".usage-table tr", has_text=VADER)
    cells = row.locator("td")
    assert int(cells.nth(1).inner_text()) >= 4 and int(cells.nth(2).inner_text()) >= 1
    expect(page.locator(f'polyline[data-series="{VADER}"]')).to_have_count(3)
    screenshot(page, "usage")
    page.get_by_label("Per").select_option("key")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".usage-table")).to_contain_text("first admin key")
    screenshot(page, "usage-per-key")


def test_pages_fit_a_phone(browser: Any, server: LiveServer) -> None:
    from tests.support.browser import sign_in

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2)
    problems = PageProblems()
    try:
        tab = context.new_page()
        problems.watch(tab)
        sign_in(tab, server.base_url, "admin", admin_password(server))
        for path, name in [
            ("/models", "phone-models"),
            (f"/models/{FACES}", "phone-model-card"),
            ("/apikeys", "phone-apikeys"),
            ("/usage", "phone-usage"),
        ]:
            tab.goto(server.base_url + path)
            # clientWidth, not innerWidth: a phone zooms out to fit a too-wide page.
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px on a phone"
            screenshot(tab, name)
    finally:
        context.close()
    assert not problems.errors, problems.errors
