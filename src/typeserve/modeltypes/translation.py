"""translation: a text in one language in, the text in another out."""

from typing import Annotated

from pydantic import Field, StringConstraints

from typeserve.modeltypes.base import ModelType, WireModel
from typeserve.modeltypes.compat import Compatibility, HfTask
from typeserve.modeltypes.compat.hf import IGNORED, language_code, sets, text_inputs
from typeserve.modeltypes.compat.v2 import TEXT_SIGNATURE
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
    metrics=("bleu", "chrf"),
    accepts_list=True,
    compat=Compatibility(
        hf=HfTask(
            "translation",
            text_inputs(),
            lambda output, _: {"translation_text": output["translation"]},
            {
                "src_lang": sets("sourceLanguage", language_code),
                "tgt_lang": sets("targetLanguage", language_code),
                "clean_up_tokenization_spaces": IGNORED,
            },
            wrap_single=True,
        ),
        v2=TEXT_SIGNATURE,
    ),
)
