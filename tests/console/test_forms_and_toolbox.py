"""The parts of a model card derived from data: the Try it form of every model type, and the
FlexGPU rewrite of URLs inside code samples."""

from __future__ import annotations

import httpx
import pytest

from typeserve.console.toolbox import fallback_curl, sample_text, with_tier
from typeserve.console.try_it import try_it_form
from typeserve.modeltypes import MODEL_TYPES

EXPECTED_MODES = {
    "text-classification": "text",
    "fill-mask": "text",
    "summarization": "text",
    "translation": "text",
    "question-answering": "qa",
    "image-classification": "image",
    "image-object-detection": "image",
    "audio-classification": "audio",
    "automatic-speech-recognition": "audio",
    "feature-extraction": "text",
    "token-classification": "text",
    "zero-shot-classification": "text",
    "image-to-text": "image",
    "text-to-speech": "text",
}


@pytest.mark.parametrize("type_name", sorted(MODEL_TYPES))
def test_every_type_gets_a_try_it_form(type_name: str) -> None:
    model_type = MODEL_TYPES[type_name]
    form = try_it_form(model_type)
    assert form.mode == EXPECTED_MODES[type_name]
    if form.mode == "text":
        assert form.text == model_type.example_input["input"]
    if form.mode == "qa":
        assert form.question and form.context
    names = {option.name for option in form.options}
    # Files travel raw, so only the options the type accepts in the query string are offered.
    if form.mode in ("image", "audio"):
        assert names == set(model_type.query_options)
    assert not names & {"input", "question", "context", "imageRef", "audioRef", "Bytes"}


def test_translation_offers_its_language_options() -> None:
    options = {o.name: o for o in try_it_form(MODEL_TYPES["translation"]).options}
    assert options["sourceLanguage"].kind == "string" and options["targetLanguage"].kind == "string"


def test_zero_shot_asks_for_its_labels_and_offers_choices() -> None:
    form = try_it_form(MODEL_TYPES["zero-shot-classification"])
    [labels] = form.required_fields
    assert (labels.name, labels.kind, labels.value) == ("labels", "list", "travel, cooking, sports")
    optional = {o.name: o for o in form.optional_fields}
    assert optional["multiLabel"].choices == ("true", "false")
    assert optional["hypothesisTemplate"].kind == "string"


def test_token_classification_offers_its_aggregations() -> None:
    [aggregation] = try_it_form(MODEL_TYPES["token-classification"]).options
    assert aggregation.choices == ("simple", "none") and not aggregation.required


def test_detection_threshold_is_a_bounded_number() -> None:
    [threshold] = try_it_form(MODEL_TYPES["image-object-detection"]).options
    assert (threshold.name, threshold.kind, threshold.minimum, threshold.maximum) == ("threshold", "number", 0.0, 1.0)


def test_flexgpu_rewrites_only_this_models_url() -> None:
    url = "http://h:1/v1/ent/opencv/1/haarcascade-eye"
    text = f"curl {url}\ncurl {url}2\ncurl {url}/x\nrequests.post('{url}', json=...)\ncurl '{url}?serviceTier=gpuflex'"
    rewritten = with_tier(text, url, "gpuflex")
    assert rewritten.count(f"{url}?serviceTier=gpuflex") == 3
    assert f"{url}2" in rewritten and f"{url}/x" in rewritten
    assert "gpuflex?serviceTier" not in rewritten
    assert with_tier(text, url, "cpuflex") == text


def test_samples_are_read_as_text_or_from_json() -> None:
    assert sample_text(httpx.Response(200, text="curl x", headers={"content-type": "text/plain"})) == "curl x"
    assert sample_text(httpx.Response(200, json={"code": "import x"})) == "import x"
    assert sample_text(httpx.Response(404, json={"detail": "no"})) is None


def test_fallback_curl_sends_a_file_for_media_types() -> None:
    image = fallback_curl(MODEL_TYPES["image-classification"], "http://h/v1/ent/a/1/b")
    assert "--data-binary @image.jpg" in image and "Content-Type: image/jpeg" in image
    text = fallback_curl(MODEL_TYPES["question-answering"], "http://h/v1/ent/a/1/b")
    assert '"question": "Where do I live?"' in text and "$TYPESERVE_API_KEY" in text
