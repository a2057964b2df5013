"""question-answering: a question and a context in, answer spans of the context out."""

from pydantic import Field

from typeserve.modeltypes.base import ModelType, TopK, WireModel
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
)
