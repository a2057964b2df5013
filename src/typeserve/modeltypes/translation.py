"""translation: a text in one language in, the text in another out. Scored by corpus BLEU and
chrF, with sacrebleu (its default tokenisation, one reference per row), on its 0-100 scale."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from typeserve.modeltypes.base import ModelType, SdkMethod, TryItView, WireModel
from typeserve.modeltypes.scoring import MetricInfo, Output, Scoring, value_of
from typeserve.modeltypes.text import TextOrList

LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]


class TranslationInput(WireModel):
    input: TextOrList = Field(description="The text to translate, or a list of texts.")
    sourceLanguage: LanguageCode | None = Field(default=None, description="ISO 639-1 code.")
    targetLanguage: LanguageCode | None = Field(default=None, description="ISO 639-1 code.")


class TranslationOutput(WireModel):
    translation: str
    sourceLanguage: str = Field(description="ISO 639-1 code of the input.")
    targetLanguage: str = Field(description="ISO 639-1 code of the translation.")


def score_translations(outputs: list[Output], expected: list[Any]) -> dict[str, float | None]:
    hypotheses = [(output or {}).get("translation") or "" for output in outputs]
    references = [[str(reference) for reference in expected]]
    import sacrebleu  # imported on use: the server imports this module at start

    return {
        "bleu": float(sacrebleu.corpus_bleu(hypotheses, references).score),
        "chrf": float(sacrebleu.corpus_chrf(hypotheses, references).score),
    }


MODEL_TYPE = ModelType(
    name="translation",
    title="Translation",
    description="Translates a text from one language to another.",
    Input=TranslationInput,
    Output=TranslationOutput,
    media="text",
    example_input={"input": "The house is green."},
    example_output={
        "translation": "La casa es verde.",
        "sourceLanguage": "en",
        "targetLanguage": "es",
    },
    scoring=Scoring(
        expected_field="translation",
        metrics=(MetricInfo("bleu", "BLEU", True, "0-100"), MetricInfo("chrf", "chrF", True, "0-100")),
        scorer=score_translations,
        prediction=value_of("translation"),
    ),
    try_it=TryItView(picture="text", field="translation", hint="{sourceLanguage} → {targetLanguage}"),
    sdk=SdkMethod("translation", {"text": "input"}),
    accepts_list=True,
)
