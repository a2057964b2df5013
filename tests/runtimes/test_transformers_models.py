"""Hugging Face checkpoints as typed models, as a user brings them: tiny random-weight
checkpoints are registered with `typeserve models add` (the CLI, on the running server's data
directory), invoked over the live HTTP API, and their answers are checked against the
type's Output schema and its invariants (scores in [0, 1] and sorted, offsets inside the
context, boxes inside the image)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support.http import b64
from tests.support.onnx_export import tiny_onnx_model
from tests.support.server import LiveServer, start_server
from tests.support.tiny_models import tiny_model
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.translation import TranslationOutput

CONTEXT = "My name is Wolfgang and I live in Berlin. " + "The quick brown fox jumps over the lazy dog. " * 60


def wav_bytes(seconds: float = 1.5, rate: int = 16_000) -> bytes:
    import soundfile

    t = np.linspace(0, seconds, int(seconds * rate), endpoint=False, dtype=np.float32)
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.3 * np.sin(2 * np.pi * 440 * t), rate, format="WAV")
    return buffer.getvalue()


def said(result: Any) -> str:
    """What the CLI printed, with rich's line wrapping undone."""
    return " ".join((result.stdout + result.stderr).split())


@pytest.fixture(scope="module")
def hf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("hf-server"))
    yield live
    live.stop()


def sorted_scores(scores: list[float]) -> None:
    assert all(0.0 <= s <= 1.0 for s in scores), scores
    assert scores == sorted(scores, reverse=True), scores


def check_labels(body: dict[str, Any], labels: set[str], top_k: int | None = None) -> None:
    sorted_scores([entry["score"] for entry in body["labels"]])
    assert {entry["label"] for entry in body["labels"]} <= labels
    if top_k is not None:
        assert len(body["labels"]) == top_k


def check_text_classification(body: dict[str, Any], request: dict[str, Any]) -> None:
    check_labels(body, {"NEGATIVE", "POSITIVE", "NEUTRAL"}, request.get("topK", 3))


def check_fill_mask(body: dict[str, Any], request: dict[str, Any]) -> None:
    predictions = body["predictions"]
    assert len(predictions) == request.get("topK", 5)
    sorted_scores([p["score"] for p in predictions])
    for p in predictions:
        assert p["sequence"] == filled(request["input"], "[MASK]", p["token"])


def filled(text: str, marker: str, token: str) -> str:
    """The text with the mask filled, a WordPiece continuation (`##ll`) joining the word before."""
    if token.startswith("##"):
        return text.replace(" " + marker, token[2:])
    return text.replace(marker, token)


def check_question_answering(body: dict[str, Any], request: dict[str, Any]) -> None:
    answers = body["answers"]
    assert 1 <= len(answers) <= request.get("topK", 1)
    sorted_scores([a["score"] for a in answers])
    context = request["context"]
    for a in answers:
        assert 0 <= a["start"] < a["end"] <= len(context)
        assert context[a["start"] : a["end"]] == a["answer"]


def check_summarization(body: dict[str, Any], request: dict[str, Any]) -> None:
    assert isinstance(body["summary"], str)


def check_translation(body: dict[str, Any], request: dict[str, Any]) -> None:
    assert isinstance(body["translation"], str) and body["translation"]
    assert (body["sourceLanguage"], body["targetLanguage"]) == ("en", "de")


def check_image_classification(body: dict[str, Any], request: dict[str, Any]) -> None:
    check_labels(body, {"tabby cat", "rocket", "coffee mug", "astronaut"}, request.get("topK"))


def check_detection(body: dict[str, Any], request: dict[str, Any]) -> None:
    assert (body["width"], body["height"]) == (512, 512)
    assert body["detections"], "threshold 0 keeps every query"
    sorted_scores([d["score"] for d in body["detections"]])
    for d in body["detections"]:
        box = d["box"]
        assert 0 <= box["xmin"] <= box["xmax"] <= 512 and 0 <= box["ymin"] <= box["ymax"] <= 512
        assert d["score"] >= request["threshold"]


def check_audio_classification(body: dict[str, Any], request: dict[str, Any]) -> None:
    check_labels(body, {"speech", "music", "silence"}, 2)


def check_speech(body: dict[str, Any], request: dict[str, Any]) -> None:
    assert isinstance(body["text"], str)
    for segment in body.get("segments") or []:
        assert 0.0 <= segment["start"] <= segment["end"] <= 1.5 + 1e-6


def check_image_to_text(body: dict[str, Any], request: dict[str, Any]) -> None:
    assert isinstance(body["text"], str)
    assert len(body["text"].split()) <= request["maxLength"], "maxLength bounds the generated tokens"
    assert "lines" not in body, "an encoder-decoder reads the whole image without locating lines"


def check_speech_synthesis(body: dict[str, Any], request: dict[str, Any]) -> None:
    import base64

    import soundfile

    assert body["contentType"] == "audio/wav" and body["sampleRate"] == 16_000
    samples, rate = soundfile.read(io.BytesIO(base64.b64decode(body["audio"]["Bytes"])))
    assert rate == 16_000 and len(samples) > 0
    assert body["durationS"] == pytest.approx(len(samples) / rate, abs=1e-3)


CASES: dict[str, tuple[str, dict[str, Any], Callable[[dict[str, Any], dict[str, Any]], None]]] = {
    "bert-text-classification": ("text-classification", {"input": "I love this product!"}, check_text_classification),
    "bert-fill-mask": ("fill-mask", {"input": "Paris is the [MASK] of France.", "topK": 3}, check_fill_mask),
    "bert-question-answering": (
        "question-answering",
        {"question": "Where do I live?", "context": CONTEXT, "topK": 3},
        check_question_answering,
    ),
    "bart-summarization": ("summarization", {"input": CONTEXT, "maxLength": 20, "minLength": 2}, check_summarization),
    "t5-translation": ("translation", {"input": "The house is green."}, check_translation),
    "vit-image-classification": ("image-classification", {"topK": 2}, check_image_classification),
    "yolos-object-detection": ("image-object-detection", {"threshold": 0.0}, check_detection),
    "wav2vec2-audio-classification": ("audio-classification", {"topK": 2}, check_audio_classification),
    "wav2vec2-ctc": ("automatic-speech-recognition", {}, check_speech),
    "whisper": ("automatic-speech-recognition", {"language": "en"}, check_speech),
    "vision-encoder-decoder": ("image-to-text", {"maxLength": 5}, check_image_to_text),
    "vits-text-to-speech": ("text-to-speech", {"input": "go forward ten meters."}, check_speech_synthesis),
}


def full_request(type_name: str, request: dict[str, Any], image: bytes) -> dict[str, Any]:
    media = MODEL_TYPES[type_name].media
    if media == "image":
        return {"imageRef": {"Bytes": b64(image)}, **request}
    if media == "audio":
        return {"audioRef": {"Bytes": b64(wav_bytes())}, **request}
    return request


@pytest.mark.parametrize("name", list(CASES))
def test_checkpoint_added_with_the_cli_answers_its_type(
    hf_server: LiveServer, astronaut_jpeg: bytes, name: str
) -> None:
    type_name, request, check = CASES[name]
    added = hf_server.cli("models", "add", str(tiny_model(name)), check=False)
    assert added.returncode == 0, said(added)
    assert f"Inferred type {type_name}" in said(added)
    assert f"Added local/1/{name}" in said(added)
    body_request = full_request(type_name, request, astronaut_jpeg)
    with hf_server.client() as client:
        response = client.post(f"/v1/ent/local/1/{name}", json=body_request)
        assert response.status_code == 200, response.text
        assert response.headers["X-Model-Id"] == f"local/1/{name}"
        body = response.json()
        MODEL_TYPES[type_name].Output.model_validate(body)
        check(body, body_request)
        card = client.get(f"/v1/models/local/1/{name}").json()
    assert card["type"] == type_name and card["runtime"] == "transformers"
    assert card["source"] == str(tiny_model(name))
    assert card["status"] == "loaded" and card["devices"] == {"cpuflex": "cpu"}
    assert card["loadSeconds"] > 0 and card["memoryBytes"] >= 0
    assert card["license"] == "apache-2.0"
    assert "tiny random-weight checkpoint" in card["card"]
    if MODEL_TYPES[type_name].media == "audio":
        assert card["sampleRate"] == 16_000


def test_text_batches_answer_in_order(hf_server: LiveServer) -> None:
    hf_server.cli("models", "add", str(tiny_model("bert-fill-mask")), "--id", "local/1/batch-fill-mask")
    texts = ["Paris is the [MASK] of France.", "The <mask> is green.", "I love this [MASK]!"]
    with hf_server.client() as client:
        response = client.post("/v1/ent/local/1/batch-fill-mask", json={"input": texts, "topK": 2})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 3
    for text, result in zip(texts, results, strict=True):
        marker = "[MASK]" if "[MASK]" in text else "<mask>"
        assert all(p["sequence"] == filled(text, marker, p["token"]) for p in result["predictions"])


def test_card_shows_checkpoint_labels_languages_and_readme(hf_server: LiveServer) -> None:
    hf_server.cli("models", "add", str(tiny_model("bert-text-classification")), "--id", "acme/2/sentiment")
    with hf_server.client() as client:
        card = client.get("/v1/models/acme/2/sentiment").json()
        listed = client.get("/v1/models", params={"q": "sentiment", "type": "text-classification"}).json()
    assert card["labels"] == ["NEGATIVE", "POSITIVE", "NEUTRAL"]
    assert card["languages"] == ["en"] and card["license"] == "apache-2.0"
    assert card["card"].startswith("# bert-text-classification")
    assert card["description"].startswith("A tiny random-weight checkpoint built by the typeserve tests")
    assert card["status"] == "installed"
    assert "acme/2/sentiment" in [m["id"] for m in listed["models"]]


def test_translation_refuses_a_direction_the_model_lacks(hf_server: LiveServer) -> None:
    hf_server.cli("models", "add", str(tiny_model("t5-translation")), "--id", "local/1/t5-directions")
    with hf_server.client() as client:
        card = client.get("/v1/models/local/1/t5-directions").json()
        response = client.post(
            "/v1/ent/local/1/t5-directions", json={"input": "Hello", "sourceLanguage": "en", "targetLanguage": "fr"}
        )
    assert "Translates en to de" in card["description"]
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "en->de" in response.json()["detail"]


def test_multilingual_translation_takes_both_languages_from_the_request(hf_server: LiveServer) -> None:
    added = hf_server.cli("models", "add", str(tiny_model("mbart50-translation")))
    assert "Inferred type translation" in said(added)
    url = "/v1/ent/local/1/mbart50-translation"
    with hf_server.client() as client:
        card = client.get("/v1/models/local/1/mbart50-translation").json()
        both = client.post(
            url, json={"input": ["The house is green.", "Go forward."], "sourceLanguage": "en", "targetLanguage": "fr"}
        )
        unsaid = client.post(url, json={"input": "The house is green."})
        unknown = client.post(
            url, json={"input": "The house is green.", "sourceLanguage": "en", "targetLanguage": "qq"}
        )
    assert "Multilingual: takes sourceLanguage and targetLanguage" in card["description"]
    assert both.status_code == 200, both.text
    for result in both.json()["results"]:
        TranslationOutput.model_validate(result)
        assert (result["sourceLanguage"], result["targetLanguage"]) == ("en", "fr")
    assert unsaid.status_code == 422 and "give sourceLanguage and targetLanguage" in unsaid.json()["detail"]
    assert unknown.status_code == 422 and "does not know the language 'qq'" in unknown.json()["detail"]


def test_model_added_and_removed_while_the_server_runs(hf_server: LiveServer) -> None:
    model_id = "local/1/comes-and-goes"
    with hf_server.client() as client:
        assert client.get(f"/v1/models/{model_id}").status_code == 404
        hf_server.cli("models", "add", str(tiny_model("bert-text-classification")), "--id", model_id)
        assert client.post(f"/v1/ent/{model_id}", json={"input": "hello"}).status_code == 200
        listed = json.loads(hf_server.cli("models", "list", "--json", "--type", "text-classification").stdout)
        assert model_id in [m["id"] for m in listed]
        again = hf_server.cli(
            "models", "add", str(tiny_model("bert-text-classification")), "--id", model_id, check=False
        )
        assert again.returncode != 0 and "already registered" in said(again)
        removed = hf_server.cli("models", "remove", model_id)
        assert f"Removed {model_id}" in said(removed)
        assert client.get(f"/v1/models/{model_id}").status_code == 404
        gone = client.post(f"/v1/ent/{model_id}", json={"input": "hello"})
        assert gone.status_code == 404 and gone.json()["code"] == "unknown_model"
        assert model_id not in [m["id"] for m in client.get("/v1/models").json()["models"]]


def test_hub_id_found_in_the_local_hugging_face_cache(hf_server: LiveServer, tmp_path: Path) -> None:
    import subprocess
    import sys

    snapshot = tmp_path / "hub" / "models--acme--tiny-bert" / "snapshots" / "0123456789abcdef"
    snapshot.mkdir(parents=True)
    for file in tiny_model("bert-text-classification").iterdir():
        (snapshot / file.name).symlink_to(file)
    (tmp_path / "hub" / "models--acme--tiny-bert" / "refs").mkdir()
    (tmp_path / "hub" / "models--acme--tiny-bert" / "refs" / "main").write_text("0123456789abcdef")
    env = {**hf_server.env, "HF_HUB_CACHE": str(tmp_path / "hub"), "HF_HUB_OFFLINE": "1"}
    command = [
        sys.executable,
        "-m",
        "typeserve",
        "models",
        "add",
        "acme/tiny-bert",
        "--data-dir",
        str(hf_server.data_dir),
    ]
    added = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, said(added)
    assert "Added huggingface/1/acme/tiny-bert" in said(added)
    missing = subprocess.run([*command[:5], "acme/not-there", *command[6:]], env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "typeserve models pull acme/not-there" in said(missing)
    with hf_server.client() as client:
        card = client.get("/v1/models/huggingface/1/acme/tiny-bert").json()
        response = client.post("/v1/ent/huggingface/1/acme/tiny-bert", json={"input": "I love it"})
    assert card["source"] == "https://huggingface.co/acme/tiny-bert"
    assert response.status_code == 200, response.text


ONNX_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "bert-text-classification": (
        "text-classification",
        {"input": ["I love this product!", "A much longer sentence about a terrible film."]},
    ),
    "bert-question-answering": ("question-answering", {"question": "Where do I live?", "context": CONTEXT, "topK": 3}),
    "bart-summarization": (
        "summarization",
        {"input": ["The tower is tall.", "The house is old."], "minLength": 3, "maxLength": 8},
    ),
    "vit-image-classification": ("image-classification", {"topK": 3}),
    "wav2vec2-ctc": ("automatic-speech-recognition", {}),
}


@pytest.mark.parametrize("name", list(ONNX_CASES))
def test_onnx_export_answers_as_the_torch_checkpoint(hf_server: LiveServer, astronaut_jpeg: bytes, name: str) -> None:
    """The same weights through onnxruntime give the same answer as through PyTorch."""
    type_name, request = ONNX_CASES[name]
    body_request = full_request(type_name, request, astronaut_jpeg)
    onnx_id, torch_id = f"local/1/{name}-onnx", f"local/1/{name}-torch"
    exported = str(tiny_onnx_model(name))
    added = hf_server.cli("models", "add", exported, "--runtime", "onnx", "--id", onnx_id, check=False)
    assert added.returncode == 0, said(added)
    hf_server.cli("models", "add", str(tiny_model(name)), "--id", torch_id)
    with hf_server.client() as client:
        from_onnx = client.post(f"/v1/ent/{onnx_id}", json=body_request)
        from_torch = client.post(f"/v1/ent/{torch_id}", json=body_request)
        card = client.get(f"/v1/models/{onnx_id}").json()
    assert from_onnx.status_code == 200, from_onnx.text
    assert card["runtime"] == "onnx" and card["status"] == "loaded"
    assert _close(from_onnx.json(), from_torch.json()), (from_onnx.json(), from_torch.json())


def _close(a: Any, b: Any) -> bool:
    """Equal up to float rounding (onnxruntime and torch sum in different orders)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-5
    return bool(a == b)
