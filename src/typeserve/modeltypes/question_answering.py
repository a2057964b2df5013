"""question-answering: a question and a context in, answer spans of the context out."""

from typing import Any

from pydantic import Field

from typeserve.modeltypes.base import ModelType, TopK, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import IGNORED, object_inputs, only, sets
from typeserve.modeltypes.compat.v2 import V2Input, V2Signature
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


def hf_answer(output: dict[str, Any], parameters: dict[str, Any]) -> Any:
    """HF's `{answer, score, start, end}`, or a list of them when `top_k` asks for more."""
    answers = output["answers"]
    if int(parameters.get("top_k") or 1) > 1:
        return answers
    return answers[0] if answers else {"answer": "", "score": 0.0, "start": 0, "end": 0}


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
    metrics=("exact_match", "f1"),
    compat=Compatibility(
        hf=HfTask(
            "question-answering",
            object_inputs("question", "context"),
            hf_answer,
            {
                "top_k": sets("topK"),
                "align_to_words": only(True),
                "handle_impossible_answer": only(False),
                "doc_stride": IGNORED,
                "max_question_len": IGNORED,
                "max_seq_len": IGNORED,
            },
        ),
        v2=V2Signature((V2Input("question"), V2Input("context"))),
    ),
)
