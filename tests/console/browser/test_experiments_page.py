"""The Experiments pages as a user meets them in Chromium: start a language-id comparison from
a labelled JSONL file, watch it run, read the results (best values highlighted, charts), the
side-by-side rows and the CSV download; problems shown on the form; a hostile name inert."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture says so: a skip on a laptop, a failure under CI
    expect = None

import yaml

from tests.support.browser import PageProblems, admin_password, screenshot, sign_in
from tests.support.server import LiveServer

FASTTEXT = "fasttext/1/language-identification"
LANGID = "langid/1/language-identification"
VADER = "vader/1/sentiment"
FACES = "opencv/1/haarcascade-frontalface"
# langid.py reads "Ich bin müde." as Volapük ("vo"); fastText gets every row right.
ROWS = [
    {"input": "Das ist gut.", "label": "de"},
    {"input": "Ich bin müde.", "label": "de"},
    {"input": "Je suis là.", "label": "fr"},
    {"input": "Hola amigo.", "label": "es"},
    {"input": "Ciao bella.", "label": "it"},
    {"input": "This is fine.", "label": "en"},
]
RUN_TIMEOUT_MS = 180_000


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    return path


def number_in(cell: Any) -> float:
    match = re.match(r"\d+(\.\d+)?", cell.inner_text())
    assert match, cell.inner_text()
    return float(match.group(0))


def start_from_form(page: Any, base_url: str, name: str, models: list[str], data_file: Path) -> None:
    page.goto(f"{base_url}/experiments")
    page.locator("#exp-name").fill(name)
    page.get_by_label("Type").select_option("text-classification")
    for model_id in models:
        page.locator(f'input[name="models"][value="{model_id}"]').check()
    page.get_by_label("Data file (JSONL, CSV or zip)").set_input_files(str(data_file))
    page.get_by_role("button", name="Start experiment").click()


def test_language_id_experiment_from_the_console(page: Any, server: LiveServer, tmp_path: Path) -> None:
    data_file = write_jsonl(tmp_path / "languages.jsonl", ROWS)
    page.goto(f"{server.base_url}/models")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Experiments").click()
    expect(page.get_by_role("heading", name="Experiments", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Experiments")).to_have_attribute("aria-current", "page")

    # Only the chosen type's models are offered.
    page.get_by_label("Type").select_option("image-object-detection")
    expect(page.locator(f'input[value="{FACES}"]')).to_be_visible()
    expect(page.locator(f'input[value="{FASTTEXT}"]')).to_be_hidden()
    page.get_by_label("Type").select_option("text-classification")
    expect(page.locator(f'input[value="{FACES}"]')).to_be_hidden()
    for model_id in (FASTTEXT, LANGID, VADER):
        expect(page.locator(f'input[value="{model_id}"]')).to_be_visible()
    expect(page.get_by_label("CPU")).to_be_checked()
    page.locator("#exp-name").fill("language id, console")
    page.locator(f'input[value="{FASTTEXT}"]').check()
    page.locator(f'input[value="{LANGID}"]').check()
    page.get_by_label("Data file (JSONL, CSV or zip)").set_input_files(str(data_file))
    screenshot(page, "experiments-form")
    page.get_by_role("button", name="Start experiment").click()

    expect(page).to_have_url(re.compile(r"/experiments/[A-Za-z0-9_]+$"))
    experiment_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name="language id, console")).to_be_visible()
    expect(page.locator("#progress li[data-model]")).to_have_count(2)
    screenshot(page, "experiment-progress")
    # The page follows the run by itself and shows the results when it ends.
    expect(page.locator("#exp-status")).to_have_text("completed", timeout=RUN_TIMEOUT_MS)
    for model_id in (FASTTEXT, LANGID):
        item = page.locator(f'#progress li[data-model="{model_id}"]')
        expect(item.locator("[data-progress-text]")).to_have_text(f"{len(ROWS)}/{len(ROWS)}")
        assert item.locator("progress").evaluate("bar => bar.value === bar.max")
    expect(page.get_by_role("button", name="Cancel experiment")).to_have_count(0)

    results = page.locator("table.results")
    fasttext = results.locator(f'tr[data-model="{FASTTEXT}"]')
    langid = results.locator(f'tr[data-model="{LANGID}"]')
    expect(results.locator("thead")).to_contain_text("Accuracy ↑")
    expect(results.locator("thead")).to_contain_text("Macro-F1 ↑")
    expect(results.locator("thead")).to_contain_text("Latency p95 (ms) ↓")
    expect(fasttext.locator('td[data-column="accuracy"]')).to_contain_text("1.000")
    expect(langid.locator('td[data-column="accuracy"]')).to_contain_text("0.833")
    # The best accuracy is highlighted, the other is not.
    expect(fasttext.locator('td[data-column="accuracy"]')).to_have_class("best")
    expect(langid.locator('td[data-column="accuracy"]')).not_to_have_class("best")
    # Latency: lower is better, so the highlighted p50 is the smaller one.
    p50 = {m: number_in(results.locator(f'tr[data-model="{m}"] td[data-column="p50"]')) for m in (FASTTEXT, LANGID)}
    if p50[FASTTEXT] != p50[LANGID]:
        quicker = min(p50, key=lambda m: p50[m])
        expect(results.locator(f'tr[data-model="{quicker}"] td[data-column="p50"]')).to_have_class("best")
    for column in ("p95", "throughput", "errors"):
        expect(fasttext.locator(f'td[data-column="{column}"]')).not_to_be_empty()
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(2)
    expect(charts.nth(0).locator("figcaption")).to_have_text("Accuracy (higher is better)")
    expect(charts.nth(0).locator("rect.bar-rect")).to_have_count(2)
    expect(charts.nth(1).locator("rect.bar-rect")).to_have_count(4)  # p50 and p95 per model
    wide = charts.nth(0).locator(f'rect[data-model="{FASTTEXT}"]').get_attribute("width")
    narrow = charts.nth(0).locator(f'rect[data-model="{LANGID}"]').get_attribute("width")
    assert float(wide or 0) > float(narrow or 0) > 0
    screenshot(page, "experiment-results")

    # The side-by-side rows.
    rows_table = page.locator("#rows table.rows")
    expect(rows_table).to_be_hidden()
    page.get_by_text("Side-by-side rows").click()
    expect(rows_table).to_be_visible()
    expect(rows_table.locator("tbody tr")).to_have_count(len(ROWS))
    tired = rows_table.locator("tbody tr", has_text="Ich bin müde.")
    expect(tired.locator("td.answer.right")).to_contain_text("de")
    expect(tired.locator("td.answer.wrong")).to_contain_text("vo")
    rows_table.scroll_into_view_if_needed()
    screenshot(page, "experiment-rows")

    # The CSV download holds every row with both models' predictions.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Results as CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"{experiment_id}-results.csv"
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    header, body = lines[0], lines[1:]
    assert header[:4] == ["row", "id", "input", "expected"]
    assert f"{FASTTEXT} prediction" in header and f"{LANGID} prediction" in header
    assert [line[2] for line in body] == [row["input"] for row in ROWS]
    assert [line[3] for line in body] == [row["label"] for row in ROWS]
    assert [line[header.index(f"{FASTTEXT} prediction")] for line in body] == [row["label"] for row in ROWS]
    assert body[1][header.index(f"{LANGID} prediction")] == "vo"
    with page.expect_download() as json_info:
        page.get_by_role("link", name="Results as JSON").click()
    report = json.loads(Path(json_info.value.path()).read_text("utf-8"))
    assert report["id"] == experiment_id and report["status"] == "completed"

    # The list shows it, finished.
    page.goto(f"{server.base_url}/experiments")
    listed = page.locator(f'tr[data-experiment-id="{experiment_id}"]')
    expect(listed.get_by_role("link")).to_have_text("language id, console")
    expect(listed).to_contain_text("text-classification")
    expect(listed).to_contain_text(FASTTEXT)
    expect(listed.locator("[data-status]")).to_have_text("completed")
    expect(listed.locator("[data-progress-text]")).to_have_text(f"{2 * len(ROWS)}/{2 * len(ROWS)}")
    screenshot(page, "experiments-list")

    # On a phone: nothing scrolls sideways.
    phone = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
    )
    try:
        tab = phone.new_page()
        sign_in(tab, server.base_url, "admin", admin_password(server))
        pages = [("/experiments", "phone-experiments"), (f"/experiments/{experiment_id}", "phone-experiment")]
        for path, name in pages:
            tab.goto(server.base_url + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px on a phone"
            screenshot(tab, name)
    finally:
        phone.close()


def test_problems_show_on_the_form(page: Any, server: LiveServer, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"input": "fine", "label": "en"}\nthis is not json\n', "utf-8")
    start_from_form(page, server.base_url, "broken file", [FASTTEXT, LANGID], broken)
    expect(page).to_have_url(f"{server.base_url}/experiments")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Data file:")
    expect(alert).to_contain_text("Line 2")
    # What was chosen is kept.
    expect(page.locator("#exp-name")).to_have_value("broken file")
    expect(page.locator(f'input[value="{LANGID}"]')).to_be_checked()
    screenshot(page, "experiments-form-error")

    page.get_by_role("button", name="Start experiment").click()  # no file this time
    expect(page.get_by_role("alert")).to_contain_text("Data file: choose a JSONL, CSV or zip file")

    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n", "utf-8")
    start_from_form(page, server.base_url, "", [FASTTEXT], notes)
    expect(page.get_by_role("alert")).to_have_text("Data file: the file's name must end in .jsonl, .csv or .zip.")


def test_form_works_without_javascript(browser: Any, server: LiveServer, tmp_path: Path) -> None:
    data_file = write_jsonl(tmp_path / "two.jsonl", ROWS[:2])
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        sign_in(tab, server.base_url, "admin", admin_password(server))
        # Every type's models are listed; mixing types is refused with a clear message.
        start_from_form(tab, server.base_url, "mixed", [FASTTEXT, FACES], data_file)
        alert = tab.get_by_role("alert")
        expect(alert).to_contain_text("Models: Every model of a text-classification experiment must be of that type")
        expect(alert).to_contain_text(f"{FACES} is image-object-detection")
        screenshot(tab, "experiments-mixed-types-no-javascript")

        start_from_form(tab, server.base_url, "without javascript", [FASTTEXT], data_file)
        expect(tab).to_have_url(re.compile(r"/experiments/[A-Za-z0-9_]+$"))
        # Reading works too: the page refreshes itself until the results are there.
        expect(tab.locator("#exp-status")).to_have_text("completed", timeout=RUN_TIMEOUT_MS)
        expect(tab.locator(f'table.results tr[data-model="{FASTTEXT}"] td[data-column="accuracy"]')).to_have_text(
            "1.000"
        )
        tab.get_by_text("Side-by-side rows").click()
        expect(tab.locator("#rows table.rows tbody tr")).to_have_count(2)
        expect(tab.locator("#rows table.rows")).to_be_visible()
    finally:
        context.close()


HOSTILE_NAME = "<script>window.__pwned = 'name'</script><img src=x onerror=\"window.__pwned = 'img'\"> sentiment"


def test_hostile_experiment_name_is_shown_inert(page: Any, server: LiveServer, tmp_path: Path) -> None:
    data_file = write_jsonl(tmp_path / "one.jsonl", [{"input": "What a lovely day!", "label": "POSITIVE"}])
    start_from_form(page, server.base_url, HOSTILE_NAME, [VADER], data_file)
    expect(page).to_have_url(re.compile(r"/experiments/[A-Za-z0-9_]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_NAME)
    expect(page.locator("#exp-status")).to_have_text("completed", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main script, main img").count() == 0
    screenshot(page, "experiment-hostile-name")
    page.goto(f"{server.base_url}/experiments")
    expect(page.get_by_role("link", name=HOSTILE_NAME)).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main script, main img").count() == 0


SLEEPER = "test/1/experiment-sleeper"
SLOW_PASSWORD = "slow and steady wins"


def test_progress_follows_a_slow_run_the_limit_shows_and_cancel_stops_it(
    browser: Any, make_server: Any, tmp_path: Path
) -> None:
    from tests.support.predictor_specs import predictor_spec

    catalog = tmp_path / "sleeper.yaml"
    sleeper = predictor_spec(SLEEPER, "Sleeper", max_batch_size=1, timeout_s=30, options={"max_batch_size": 1})
    catalog.write_text(yaml.safe_dump({"models": [sleeper]}), "utf-8")
    server = make_server(
        env={
            "TYPESERVE_CATALOG_FILES": f'["{catalog}"]',
            "TYPESERVE_ADMIN_PASSWORD": SLOW_PASSWORD,
            "TYPESERVE_EXPERIMENT_MAX_RUNNING_PER_USER": "1",
        }
    )
    data_file = write_jsonl(tmp_path / "slow.jsonl", [{"input": f"sleep 0.4 #{i}", "label": "x"} for i in range(40)])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems = PageProblems()
    try:
        page = context.new_page()
        problems.watch(page)
        sign_in(page, server.base_url, "admin", SLOW_PASSWORD)
        start_from_form(page, server.base_url, "slow one", [SLEEPER], data_file)
        expect(page).to_have_url(re.compile(r"/experiments/[A-Za-z0-9_]+$"))
        page.evaluate("window.__samePage = true")
        # The bar moves while the page stays put (polling, not reloading).
        bar = page.locator(f'#progress li[data-model="{SLEEPER}"] progress')
        page.wait_for_function("bar => bar.value >= 3 && bar.value < bar.max", arg=bar.element_handle(), timeout=60_000)
        expect(page.locator("#exp-status")).to_have_text("running")
        expect(page.locator(f'#progress li[data-model="{SLEEPER}"] [data-progress-text]')).to_have_text(
            re.compile(r"^\d+/40$")
        )
        assert page.evaluate("window.__samePage") is True
        screenshot(page, "experiment-running")

        # A second one is over the per-user limit: the form says so.
        other = context.new_page()
        problems.watch(other)
        start_from_form(other, server.base_url, "one too many", [SLEEPER], data_file)
        expect(other.get_by_role("alert")).to_contain_text("the limit is 1")
        expect(other.locator("#experiment-list [data-status]").first).to_have_text("running")
        screenshot(other, "experiments-too-many")
        other.close()

        page.get_by_role("button", name="Cancel experiment").click()
        expect(page.locator("#exp-status")).to_have_text("cancelled")
        expect(page.get_by_role("button", name="Cancel experiment")).to_have_count(0)
        expect(page.get_by_text("The experiment was cancelled before every row was answered")).to_be_visible()
        done = int(page.locator("table.results td[data-label='Rows']").inner_text().split("/")[0])
        assert 3 <= done < 40
        screenshot(page, "experiment-cancelled")

        # The side-by-side rows come a page at a time.
        page.get_by_text("Side-by-side rows (40)").click()
        rows = page.locator("#rows table.rows tbody tr")
        expect(rows).to_have_count(25)
        expect(page.locator("#rows")).to_contain_text("Rows 1\u201325 of 40")
        expect(rows.last.locator("td.answer")).to_contain_text("not answered")
        page.get_by_role("link", name="Next rows →").click()
        expect(page).to_have_url(re.compile(r"\?rowsOffset=25#rows$"))
        expect(rows).to_have_count(15)
        expect(rows.first.locator("td").first).to_have_text("26")
        expect(page.get_by_role("link", name="← Previous rows")).to_be_visible()
    finally:
        context.close()
    assert not problems.errors, problems.errors
