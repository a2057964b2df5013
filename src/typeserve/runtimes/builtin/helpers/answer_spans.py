"""Candidate answer spans of a context, each with its character offsets, for extractive
question answering by similarity: the sentences, and inside a sentence its clauses (split at
punctuation and at conjunctions and relative words) and the short word windows left once
the question's own words are taken out (an answer is usually the part of a sentence the
question does not already say)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? followed by a space or the end (so 3.5 and 21,000 stay whole).
SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s)|$)", re.DOTALL)
CLAUSE_BREAK = re.compile(
    r"\s*[,;:()\u2013\u2014]\s*|\s+(?:and|but|or|because|while|which|who|where|when|that|after|before|since)\s+",
    re.IGNORECASE,
)
TOKEN = re.compile(r"[\w'\u2019-]+")
# Function words: an answer span neither starts nor ends with one.
STOPWORD_TEXT = """
a an the of in on at to for by with from up out into over is are was were be been being has have had
do does did what which who whom whose when where why how many much it its this that these those they
them their he she his her we our you your i my me and or but not no nor as so than then there also
although though very can could will would should may might must
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())
# A window stops at clause punctuation (but a thousands separator, as in 21,000, is no break).
CLAUSE_PUNCTUATION = re.compile(r"[,;:](?!\d)")
MAX_WINDOW_WORDS = 6


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "sentence", "clause" or "window"

    def text(self, context: str) -> str:
        return context[self.start : self.end]


def trimmed(context: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding spaces and trailing punctuation."""
    while start < end and not context[start].isalnum():
        start += 1
    while end > start and not context[end - 1].isalnum():
        end -= 1
    return start, end


def content_words(text: str) -> set[str]:
    return {t.lower() for t in TOKEN.findall(text) if t.lower() not in STOPWORDS}


def sentence_spans(context: str) -> list[Span]:
    spans = []
    for sentence in SENTENCE.finditer(context):
        start, end = trimmed(context, sentence.start(), sentence.end())
        if end > start:
            spans.append(Span(start, end, "sentence"))
    return spans


def inner_spans(context: str, sentence: Span, question: str) -> list[Span]:
    """The clauses of one sentence and the short windows of the words the question does not use."""
    spans: dict[tuple[int, int], Span] = {(sentence.start, sentence.end): sentence}

    def add(start: int, end: int, kind: str) -> None:
        start, end = trimmed(context, start, end)
        if end > start and (start, end) not in spans:
            spans[(start, end)] = Span(start, end, kind)

    clause_start = sentence.start
    for split in CLAUSE_BREAK.finditer(context, sentence.start, sentence.end):
        add(clause_start, split.start(), "clause")
        clause_start = split.end()
    add(clause_start, sentence.end, "clause")
    asked = content_words(question)
    tokens = list(TOKEN.finditer(context, sentence.start, sentence.end))
    run: list[re.Match[str]] = []
    for token in [*tokens, None]:
        if token is not None and token.group().lower() not in asked:
            run.append(token)
            continue
        for i in range(len(run)):
            for j in range(i, min(len(run), i + MAX_WINDOW_WORDS)):
                first, last = run[i], run[j]
                # An answer neither starts nor ends with a function word, nor spans a clause break.
                if first.group().lower() in STOPWORDS or last.group().lower() in STOPWORDS:
                    continue
                if CLAUSE_PUNCTUATION.search(context, first.start(), last.end()):
                    break
                add(first.start(), last.end(), "window")
        run = []
    del spans[(sentence.start, sentence.end)]
    return list(spans.values())
