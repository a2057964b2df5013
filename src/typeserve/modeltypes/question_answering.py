"""question-answering: a question and a context in, answer spans of the context out.

Scored by SQuAD exact match and F1 as the official SQuAD v1.1 evaluation script computes them:
answers are normalised (lower case, punctuation and the articles a/an/the removed, whitespace
collapsed), each prediction scores its best match among the expected answers, and the scores
are averaged over rows."""

import re
import string
from collections import Counter
from typing import Any

from pydantic import Field

from typeserve.modeltypes.base import ModelType, SdkMethod, TopK, TryItView, WireModel
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, first
from typeserve.modeltypes.text import Text


class QuestionAnsweringInput(WireModel):
    question: Text
    context: Text
    topK: int | None = TopK


class Answer(WireModel):
    answer: str
    score: float = Field(ge=0.0, le=1.0)
    start: int = Field(ge=0, description="Character offset of the answer in `context`.")
    end: int = Field(ge=0, description="Character offset just past the answer in `context`.")


class QuestionAnsweringOutput(WireModel):
    answers: list[Answer] = Field(description="Answers sorted best first.")


ARTICLES = re.compile(r"\b(a|an|the)\b")
PUNCTUATION = set(string.punctuation)
best_answer = first("answers", "answer")


def normalize_answer(text: str) -> str:
    """The official script's `normalize_answer`, step for step."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in PUNCTUATION)
    text = ARTICLES.sub(" ", text)
    return " ".join(text.split())


def exact_match(predicted: str, truth: str) -> float:
    return float(normalize_answer(predicted) == normalize_answer(truth))


def token_f1(predicted: str, truth: str) -> float:
    predicted_tokens = normalize_answer(predicted).split()
    truth_tokens = normalize_answer(truth).split()
    common = Counter(predicted_tokens) & Counter(truth_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted_tokens)
    recall = same / len(truth_tokens)
    return 2 * precision * recall / (precision + recall)


def score_answers(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    em = f1 = 0.0
    for output, answers in zip(outputs, expected, strict=True):
        truths = [str(a) for a in answers] if isinstance(answers, list) else [str(answers)]
        predicted = (best_answer(output) if output else None) or ""
        em += max(exact_match(predicted, t) for t in truths)
        f1 += max(token_f1(predicted, t) for t in truths)
    return {"exact_match": em / len(expected), "f1": f1 / len(expected)}


MODEL_TYPE = ModelType(
    name="question-answering",
    title="Question answering",
    description="Finds the span of a context that answers a question.",
    Input=QuestionAnsweringInput,
    Output=QuestionAnsweringOutput,
    media="text",
    example_input={
        "question": "Where do I live?",
        "context": "My name is Wolfgang and I live in Berlin.",
    },
    example_output={"answers": [{"answer": "Berlin", "score": 0.9, "start": 34, "end": 40}]},
    scoring=Scoring(
        expected_field="answer",
        metrics=(MetricInfo("exact_match", "Exact match (SQuAD)", True), MetricInfo("f1", "F1 (SQuAD)", True)),
        scorer=score_answers,
        prediction=best_answer,
    ),
    try_it=TryItView(picture="bars", field="answers", label="answer", title="Answers"),
    sdk=SdkMethod("question_answering", {"question": "question", "context": "context"}),
)
