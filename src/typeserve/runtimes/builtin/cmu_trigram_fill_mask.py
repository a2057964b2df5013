"""The CMU US English trigram language model that ships with pocketsphinx (`en-us.lm.bin`)
as fill-mask. Candidates are the words of pocketsphinx's CMU pronouncing dictionary that the
language model knows, the most frequent `candidates` of them (by unigram probability,
computed once at load). A candidate's score is the log-probability of the three trigrams
that contain the mask position,

    log P(w | l2 l1) + log P(r1 | l1 w) + log P(r2 | w r1),

with sentence boundaries `<s>` and `</s>` where the context ends, normalised by a softmax
over all candidates. The model is lower-case and knows only English words; the two words on
either side of the mask decide everything."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.fill_mask import MASK_PATTERN, FillMaskOutput, Prediction
from typeserve.runtimes.base import LoadedModel

DEFAULT_CANDIDATES = 20_000
DEFAULT_TOP_K = 5
# pocketsphinx reports log-probabilities in base 1.0001; this turns them into natural logs.
LOG_BASE = math.log(1.0001)
# The floor pocketsphinx gives a word it does not know.
UNKNOWN_WORD_LOGPROB = -536870912
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
CANDIDATE_WORD = re.compile(r"^[a-z]+(?:'[a-z]+)?$")
# Alternative pronunciations are listed as `word(2)`.
ALTERNATIVE_MARK = re.compile(r"\(\d+\)$")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


@dataclass(frozen=True)
class MaskContext:
    """The words around the mask within its sentence, with sentence boundaries."""

    left: tuple[str, ...]  # ends with the word just before the mask; starts with <s> if within reach
    right: tuple[str, ...]  # starts with the word just after the mask; ends with </s> if within reach
    starts_sentence: bool


def mask_context(text: str) -> MaskContext:
    match = MASK_PATTERN.search(text)
    if match is None:
        raise ValueError("no mask token")
    before, after = text[: match.start()].lower(), text[match.end() :].lower()
    # Only the mask's own sentence counts: a trigram never crosses a sentence boundary.
    sentence_starts = [m.end() for m in SENTENCE_END.finditer(before)]
    before = before[sentence_starts[-1] :] if sentence_starts else before
    end = SENTENCE_END.search(after)
    after = after[: end.start()] if end else after
    left = ("<s>", *WORD.findall(before))[-2:]
    right = (*WORD.findall(after), "</s>")[:2]
    return MaskContext(left=left, right=right, starts_sentence=left == ("<s>",))


def dictionary_words(path: str) -> list[str]:
    words: dict[str, None] = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            word = ALTERNATIVE_MARK.sub("", line.split(" ", 1)[0].strip())
            if CANDIDATE_WORD.match(word):
                words[word] = None
    return list(words)


class TrigramFillMask(LoadedModel):
    max_batch_size = 8

    def __init__(self, lm_path: str, dictionary_path: str, candidates: int) -> None:
        from pocketsphinx import NGramModel

        self.lm = NGramModel.readfile(lm_path)
        known = [(self.lm.prob([w]), w) for w in dictionary_words(dictionary_path)]
        known = [(logprob, w) for logprob, w in known if logprob > UNKNOWN_WORD_LOGPROB]
        known.sort(key=lambda pair: (-pair[0], pair[1]))
        self.candidates = [w for _, w in known[:candidates]]

    def log_scores(self, context: MaskContext) -> np.ndarray:
        prob = self.lm.prob
        history = list(reversed(context.left))  # pocketsphinx takes [word, previous, one before]
        l1 = context.left[-1]
        r1 = context.right[0]
        r2 = context.right[1] if len(context.right) > 1 else None
        scores = np.empty(len(self.candidates), dtype=np.float64)
        for i, word in enumerate(self.candidates):
            score = prob([word, *history]) + prob([r1, word, l1])
            if r2 is not None:
                score += prob([r2, r1, word])
            scores[i] = score
        return scores * LOG_BASE

    def fill(self, text: str, top_k: int | None) -> FillMaskOutput:
        context = mask_context(text)
        logits = self.log_scores(context)
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        best = np.argsort(-probabilities, kind="stable")[: top_k or DEFAULT_TOP_K]
        predictions = []
        for index in best:
            token = self.candidates[index]
            shown = token[:1].upper() + token[1:] if context.starts_sentence else token
            predictions.append(
                Prediction(
                    token=token,
                    score=float(min(1.0, max(0.0, probabilities[index]))),
                    sequence=MASK_PATTERN.sub(shown, text, count=1),
                )
            )
        return FillMaskOutput(predictions=predictions)

    def predict(self, batch: list[Any]) -> list[FillMaskOutput]:
        return [self.fill(item.input, item.topK) for item in batch]


def load(spec: ModelSpec, device: str) -> TrigramFillMask:
    from pocketsphinx import get_model_path

    return TrigramFillMask(
        lm_path=get_model_path(spec.options.get("language_model", "en-us/en-us.lm.bin")),
        dictionary_path=get_model_path(spec.options.get("dictionary", "en-us/cmudict-en-us.dict")),
        candidates=int(spec.options.get("candidates", DEFAULT_CANDIDATES)),
    )
