"""A model's own words on its card: Markdown rendered with raw HTML kept as text, the one line
that leads the card, the headline quality figure and the short source label."""

from __future__ import annotations

from typeserve.catalog.spec import QualityFigure
from typeserve.console.card_text import headline_quality, one_line, render_markdown, source_parts


def test_markdown_is_rendered_and_raw_html_stays_text() -> None:
    html = str(render_markdown("### Preprocessing\n\n`lower()` <script>alert(1)</script> [x](javascript:alert(1))"))
    assert "<h3>Preprocessing</h3>" in html and "<code>lower()</code>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_one_line_is_the_first_sentence_without_markup() -> None:
    assert one_line("## Title\n\nA **fast** model (Forcada et al. 2011). It does more.") == (
        "A fast model (Forcada et al. 2011)."
    )
    assert len(one_line("word " * 100)) <= 200


def test_headline_and_source() -> None:
    figures = [
        QualityFigure(metric="accuracy", value=0.853, dataset="reviews"),
        QualityFigure(metric="f1", value=0.5, dataset="x"),
    ]
    assert headline_quality(figures) == "accuracy 0.85"
    assert headline_quality([QualityFigure(metric="bleu", value=52.04, dataset="pairs")]) == "bleu 52.0"
    assert headline_quality([]) is None
    link, label, rest = source_parts("https://github.com/opencv/opencv/tree/4.x/data/haarcascades (PyPI opencv)")
    assert (link, label, rest) == (
        "https://github.com/opencv/opencv/tree/4.x/data/haarcascades",
        "https://github.com/opencv/opencv",
        "(PyPI opencv)",
    )
    assert source_parts("javascript:alert(1)") == ("", "javascript:alert(1)", "")
