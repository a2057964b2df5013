"""TextRank (Mihalcea & Tarau 2004, the `summa` implementation) as extractive summarization:
sentences are ranked by PageRank over their word-overlap graph and the best ones are
returned verbatim, in the order they appear in the input.

Length: by default the best fifth of the sentences (at least one). `maxLength` and
`minLength` count words: the best sentences are added while they fit under `maxLength`, and
more are added until `minLength` is reached. If not even the best sentence fits under
`maxLength`, it is cut at that many words (the only case where the summary is not made of
whole input sentences)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.summarization import SummarizationOutput
from typeserve.runtimes.base import LoadedModel

DEFAULT_RATIO = 0.2
# A fallback split for texts TextRank cannot rank (a single sentence, no shared words).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class RankedSentence:
    index: int
    text: str
    score: float

    @property
    def words(self) -> int:
        return len(self.text.split())


def ranked_sentences(text: str, language: str) -> list[RankedSentence]:
    from summa import summarizer

    # ratio=1.0 with scores=True gives every sentence with its score, in document order.
    scored = summarizer.summarize(text, ratio=1.0, scores=True, language=language)
    if not scored:
        # No graph to rank: keep the lead, which is what a reader would take.
        parts = [p.strip() for p in SENTENCE_END.split(text.strip()) if p.strip()]
        return [RankedSentence(i, part, 1.0 / (i + 1)) for i, part in enumerate(parts)]
    return [RankedSentence(i, sentence, float(score)) for i, (sentence, score) in enumerate(scored)]


def select(sentences: list[RankedSentence], max_words: int | None, min_words: int | None) -> list[RankedSentence]:
    """The best sentences: the default share, then fewer to stay under `max_words` or more to
    reach `min_words`; returned in document order."""
    default_count = max(1, round(len(sentences) * DEFAULT_RATIO))
    chosen: list[RankedSentence] = []
    words = 0
    for sentence in sorted(sentences, key=lambda s: (-s.score, s.index)):
        wants_more = len(chosen) < default_count or (min_words is not None and words < min_words)
        if not wants_more:
            break
        if max_words is not None and words + sentence.words > max_words:
            continue
        chosen.append(sentence)
        words += sentence.words
    return sorted(chosen, key=lambda s: s.index)


class TextRankSummarizer(LoadedModel):
    max_batch_size = 16

    def __init__(self, language: str) -> None:
        self.language = language

    def summarize(self, text: str, max_words: int | None, min_words: int | None) -> SummarizationOutput:
        sentences = ranked_sentences(text, self.language)
        chosen = select(sentences, max_words, min_words)
        if not chosen:
            best = max(sentences, key=lambda s: s.score)
            return SummarizationOutput(summary=" ".join(best.text.split()[:max_words]))
        return SummarizationOutput(summary=" ".join(s.text for s in chosen))

    def predict(self, batch: list[Any]) -> list[SummarizationOutput]:
        return [self.summarize(item.input, item.maxLength, item.minLength) for item in batch]


def load(spec: ModelSpec, device: str) -> TextRankSummarizer:
    return TextRankSummarizer(language=spec.options.get("language", "english"))
