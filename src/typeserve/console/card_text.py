"""What a model card shows of a model's own words: its description as Markdown rendered
safely (markdown-it-py, CommonMark with raw HTML off, so a README's <script> stays text and
the CSP never has to give way), the one-line description that leads the card, the headline
quality figure, and the source as a short labelled link."""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

# "commonmark" with html off: raw HTML in a model README is escaped, links to javascript:
# and data: URLs are refused by markdown-it's own link validation.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_ABBREVIATIONS = ("al.", "e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "no.")
_MARKUP = re.compile(r"[#*_`>\[\]]|\(https?://[^)]*\)")


def render_markdown(text: str) -> Markup:
    # Safe to mark: markdown-it escapes every raw HTML piece (html off).
    return Markup(_MARKDOWN.render(text))


def one_line(description: str, limit: int = 200) -> str:
    """The first sentence of a description's first paragraph, without Markdown marks."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", description)]
    paragraph = next((p for p in paragraphs if p and not p.startswith("#")), "")
    plain = " ".join(_MARKUP.sub("", paragraph).split())
    sentence = first_sentence(plain)
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence: not inside parentheses, not after
    "et al." or "e.g."."""
    for end in _SENTENCE_END.finditer(text):
        before = text[: end.start()]
        if before.count("(") == before.count(")") and not before.lower().endswith(_ABBREVIATIONS):
            return before
    return text


def headline_quality(quality: list[Any]) -> str | None:
    """The first quality figure (the measured one comes first), as "accuracy 0.85"."""
    if not quality:
        return None
    value = float(quality[0].value)
    shown = f"{value:.1f}" if value > 1.0 else f"{value:.2f}"
    return f"{quality[0].metric} {shown}"


def source_parts(source: str) -> tuple[str, str, str]:
    """A source as (link, short label, the words after it): the label keeps the scheme, the
    host and the first two path parts (`https://github.com/opencv/opencv`), the rest of the
    URL stays in the link."""
    match = re.match(r"(https?)://([^/\s]+)(/[^\s?#]*)?\S*", source)
    if not match:
        return "", source, ""
    parts = [p for p in (match.group(3) or "").split("/") if p][:2]
    label = f"{match.group(1)}://" + "/".join([match.group(2), *parts])
    return match.group(0), label, source[match.end() :].strip()
