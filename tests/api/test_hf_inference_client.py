"""Hugging Face's own `InferenceClient`, pointed at `/hf-inference/models/{model id}` with a
typeserve key as its token, calls every task that matches a typeserve type: once with the
plain input (raw files with no Content-Type for media) and once with parameters, and gets
answers it parses in HF's shapes. The client runs in its own process, with its hub look-ups
and telemetry off and HF_ENDPOINT on a closed loopback port: nothing leaves loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import LiveServer, free_port
from tests.support.speech_clips import go_forward_wav
from tests.support.usage import metered

CLIENT_SCRIPT = Path(__file__).parent / "clients" / "hf_calls.py"
LONG_TEXT = (
    "The city opened its new tram line on Monday after three years of building. Thousands of people rode "
    "the trams on the first day. Shop owners complained about the long construction work. The mayor rode "
    "the first tram with a group of school children. The line connects the station with the university."
)
CONTEXT = "My name is Wolfgang and I live in Berlin. I work as an engineer at a small company."


def client_environment(tmp_path: Path) -> dict[str, str]:
    """What a user's machine would have, minus the network: a scratch HF_HOME, no telemetry,
    online mode (offline mode refuses even custom URLs), the Hub on a port nobody listens on."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env.update(
        HF_HOME=str(tmp_path / "hf-home"),
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_OFFLINE="0",
        HF_ENDPOINT=f"http://127.0.0.1:{free_port()}",
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


def run_calls(calls: list[dict[str, Any]], tmp_path: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, str(CLIENT_SCRIPT)],
        input=json.dumps({"calls": calls}),
        capture_output=True,
        text=True,
        env=client_environment(tmp_path),
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


def servable(server: LiveServer, type_name: str) -> str | None:
    """The first model of the type this server can run, or None (types and models land at
    different times; a type without a model here has its tests skipped)."""
    with server.client() as client:
        response = client.get("/v1/models", params={"type": type_name})
    models = response.json()["models"] if response.status_code == 200 else []
    return next((m["id"] for m in models if m.get("status") != "unavailable"), None)


def text_image(text: str) -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (640, 120), "white")
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    ImageDraw.Draw(image).text((20, 30), text, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def new_type_calls(server: LiveServer, folder: Path, call: Any, media: Any) -> list[dict[str, Any]]:
    """Calls for the types whose models may not be in every catalog."""
    calls: list[dict[str, Any]] = []
    if model := servable(server, "feature-extraction"):
        calls += [
            call("feature-extraction", model, "feature_extraction", "The weather is lovely today."),
            call("feature-extraction+", model, "feature_extraction", "The weather is lovely today.", normalize=False),
        ]
    if model := servable(server, "token-classification"):
        calls += [
            call("token-classification", model, "token_classification", CONTEXT),
            call("token-classification+", model, "token_classification", CONTEXT, aggregation_strategy="none"),
        ]
    if model := servable(server, "zero-shot-classification"):
        labels = ["travel", "cooking", "sports"]
        text = "I booked a flight and a hotel in Lisbon."
        calls += [
            call("zero-shot-classification", model, "zero_shot_classification", text, labels),
            call(
                "zero-shot-classification+",
                model,
                "zero_shot_classification",
                text,
                labels,
                multi_label=True,
                hypothesis_template="This text is about {}.",
            ),
        ]
    if model := servable(server, "image-to-text"):
        page = folder / "words.png"
        page.write_bytes(text_image("Hello world"))
        # The client's image_to_text takes no parameters: a raw file and a path (typed by its suffix).
        calls += [
            media("image-to-text", model, "image_to_text", page, raw=True),
            media("image-to-text+", model, "image_to_text", page, raw=False),
        ]
    if model := servable(server, "text-to-speech"):
        calls += [
            call("text-to-speech", model, "text_to_speech", "Hello there, this is a test."),
            call("text-to-speech+", model, "text_to_speech", "Hello there, this is a test.", extra_body={"speed": 2.0}),
        ]
    return calls


@pytest.fixture(scope="module")
def answers(server: LiveServer, tmp_path_factory: pytest.TempPathFactory, astronaut_jpeg: bytes) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hf-client")
    image = folder / "astronaut.jpg"
    image.write_bytes(astronaut_jpeg)
    speech = folder / "goforward.wav"
    speech.write_bytes(go_forward_wav())

    def url(model_id: str) -> str:
        return f"{server.base_url}/hf-inference/models/{model_id}"

    def call(name: str, model_id: str, method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {
            "name": name,
            "url": url(model_id),
            "token": server.admin_key,
            "method": method,
            "args": list(args),
            "kwargs": kwargs,
        }

    def media(name: str, model_id: str, method: str, path: Path, raw: bool, **kwargs: Any) -> dict[str, Any]:
        entry = call(name, model_id, method, None, **kwargs)
        entry["files"] = {"0": str(path)}
        entry["bytes_args"] = [0] if raw else []  # raw bytes: sent with no Content-Type at all
        return entry

    calls = [
        call("text-classification", "vader/1/sentiment", "text_classification", "I love this product!"),
        call("text-classification+", "vader/1/sentiment", "text_classification", "I hate this.", top_k=1),
        call("fill-mask", "cmu/1/en-us-trigram", "fill_mask", "Paris is the [MASK] of France."),
        call("fill-mask+", "cmu/1/en-us-trigram", "fill_mask", "I would like a cup of [MASK].", top_k=2),
        call("summarization", "summa/1/textrank", "summarization", LONG_TEXT),
        call("summarization+", "summa/1/textrank", "summarization", LONG_TEXT, generate_parameters={"max_length": 12}),
        call("translation", "apertium/1/eng-spa", "translation", "The house is green."),
        call(
            "translation+",
            "apertium/1/eng-spa",
            "translation",
            "The house is green.",
            src_lang="en_XX",
            tgt_lang="es_XX",
        ),
        call(
            "question-answering",
            "sentence-transformers/1/minilm-answer-selection",
            "question_answering",
            "Where do I live?",
            CONTEXT,
        ),
        call(
            "question-answering+",
            "sentence-transformers/1/minilm-answer-selection",
            "question_answering",
            "Where do I live?",
            CONTEXT,
            top_k=2,
        ),
        media("image-classification", "google/1/efficientnet-lite0", "image_classification", image, raw=True),
        media(
            "image-classification+", "google/1/efficientnet-lite0", "image_classification", image, raw=False, top_k=3
        ),
        media("object-detection", "opencv/1/haarcascade-frontalface", "object_detection", image, raw=True),
        media(
            "object-detection+",
            "opencv/1/haarcascade-frontalface",
            "object_detection",
            image,
            raw=False,
            threshold=0.99,
        ),
        media("audio-classification", "silero/1/vad", "audio_classification", speech, raw=True),
        media("audio-classification+", "silero/1/vad", "audio_classification", speech, raw=False, top_k=1),
        media(
            "automatic-speech-recognition", "cmu/1/pocketsphinx-en-us", "automatic_speech_recognition", speech, raw=True
        ),
        media(
            "automatic-speech-recognition+",
            "cmu/1/pocketsphinx-en-us",
            "automatic_speech_recognition",
            speech,
            raw=False,
            extra_body={"return_timestamps": True},
        ),
        {**call("url-as-model", "vader/1/sentiment", "text_classification", "I love this product!"), "as_model": True},
        *new_type_calls(server, folder, call, media),
        # Refusals: a parameter that would change the answer, a wrong key, an unknown model.
        call("refused-parameter", "vader/1/sentiment", "text_classification", "I love it", function_to_apply="sigmoid"),
        {**call("bad-key", "vader/1/sentiment", "text_classification", "I love it"), "token": "tsk_nope"},
        call("unknown-model", "nobody/1/nothing", "text_classification", "I love it"),
    ]
    return run_calls(calls, folder)


def answer(answers: dict[str, Any], name: str) -> Any:
    assert "answer" in answers[name], answers[name]
    return answers[name]["answer"]


def assert_labels(labels: list[dict[str, Any]], count: int | None = None) -> None:
    assert labels and all(set(label) == {"label", "score"} for label in labels), labels
    scores = [label["score"] for label in labels]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    if count is not None:
        assert len(labels) == count


def test_text_classification(answers: dict[str, Any]) -> None:
    assert_labels(answer(answers, "text-classification"))
    assert answer(answers, "text-classification")[0]["label"] == "POSITIVE"
    assert_labels(answer(answers, "text-classification+"), count=1)
    assert answer(answers, "text-classification+")[0]["label"] == "NEGATIVE"
    assert answer(answers, "url-as-model") == answer(answers, "text-classification")


def test_fill_mask(answers: dict[str, Any]) -> None:
    for name in ("fill-mask", "fill-mask+"):
        predictions = answer(answers, name)
        assert predictions and all({"score", "token_str", "sequence"} <= set(p) for p in predictions)
        assert all(p["token_str"] in p["sequence"] and "[MASK]" not in p["sequence"] for p in predictions)
    assert len(answer(answers, "fill-mask+")) == 2


def test_summarization(answers: dict[str, Any]) -> None:
    full, short = answer(answers, "summarization"), answer(answers, "summarization+")
    assert full["summary_text"] and short["summary_text"]
    assert len(short["summary_text"].split()) <= 12 < len(LONG_TEXT.split())


def test_translation(answers: dict[str, Any]) -> None:
    for name in ("translation", "translation+"):
        assert "casa" in answer(answers, name)["translation_text"].lower()


def test_question_answering(answers: dict[str, Any]) -> None:
    best = answer(answers, "question-answering")
    assert best["answer"] and CONTEXT[best["start"] : best["end"]] == best["answer"]
    several = answer(answers, "question-answering+")
    assert isinstance(several, list) and len(several) == 2 and several[0] == best


def test_image_classification(answers: dict[str, Any]) -> None:
    assert_labels(answer(answers, "image-classification"))
    assert_labels(answer(answers, "image-classification+"), count=3)


def test_object_detection(answers: dict[str, Any]) -> None:
    faces = answer(answers, "object-detection")
    assert faces and all(set(face) == {"score", "label", "box"} for face in faces)
    assert set(faces[0]["box"]) == {"xmin", "ymin", "xmax", "ymax"}
    assert len(answer(answers, "object-detection+")) <= len(faces)


def test_audio_classification(answers: dict[str, Any]) -> None:
    assert answer(answers, "audio-classification")[0]["label"] == "speech"
    assert_labels(answer(answers, "audio-classification+"), count=1)


def test_automatic_speech_recognition(answers: dict[str, Any]) -> None:
    plain = answer(answers, "automatic-speech-recognition")
    assert plain == {"text": "go forward ten meters"}
    timed = answer(answers, "automatic-speech-recognition+")
    assert [chunk["text"] for chunk in timed["chunks"]] == ["go", "forward", "ten", "meters"]
    assert all(len(chunk["timestamp"]) == 2 for chunk in timed["chunks"])


def test_refusals_are_problems(answers: dict[str, Any]) -> None:
    refused = answers["refused-parameter"]
    assert refused["status"] == 422 and "parameters.function_to_apply" in refused["body"], refused
    assert answers["bad-key"]["status"] == 401
    assert answers["unknown-model"]["status"] == 404


def test_hf_route_meters_and_reports_like_the_native_route(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post(
            "/hf-inference/models/vader/1/sentiment?serviceTier=cpuflex", json={"inputs": ["good", "bad"]}
        )
        assert response.status_code == 200, response.text
        assert response.headers["X-Model-Id"] == "vader/1/sentiment"
        assert response.headers["X-Service-Tier"] == "cpuflex" and "inference;dur=" in response.headers["Server-Timing"]
        assert [labels[0]["label"] for labels in response.json()] == ["POSITIVE", "NEGATIVE"]
        assert metered(server, response.headers["X-Request-Id"]) == ("vader/1/sentiment", "cpuflex", 200, 2)
        image = client.post("/hf-inference/models/google/1/efficientnet-lite0", content=b"RIFF\x00\x00\x00\x00WAVE")
        assert image.status_code == 415 and image.headers["content-type"] == "application/problem+json"
        assert metered(server, image.headers["X-Request-Id"])[2] == 415
        unknown = client.post("/hf-inference/models/vader/1/sentiment?topK=1", json={"inputs": "good"})
        assert unknown.status_code == 422 and "topK" in unknown.json()["detail"]


def new_type_answer(answers: dict[str, Any], name: str) -> Any:
    if name not in answers:
        pytest.skip(f"no servable {name} model in this catalog")
    return answer(answers, name)


def test_feature_extraction(answers: dict[str, Any]) -> None:
    normalized = new_type_answer(answers, "feature-extraction")
    raw = new_type_answer(answers, "feature-extraction+")
    assert normalized["dtype"] == "float32" and normalized["shape"][0] == 1 and normalized["shape"][1] > 10
    vector = normalized["ndarray"][0]
    assert abs(sum(x * x for x in vector) - 1.0) < 1e-3
    assert raw["shape"] == normalized["shape"]


def test_token_classification(answers: dict[str, Any]) -> None:
    grouped = new_type_answer(answers, "token-classification")
    assert grouped and all({"entity_group", "score", "word", "start", "end"} <= set(e) for e in grouped)
    assert all(CONTEXT[e["start"] : e["end"]] == e["word"] for e in grouped)
    tokens = new_type_answer(answers, "token-classification+")
    assert tokens and all("entity" in e for e in tokens)


def test_zero_shot_classification(answers: dict[str, Any]) -> None:
    single = new_type_answer(answers, "zero-shot-classification")
    assert_labels(single, count=3)
    assert single[0]["label"] == "travel" and abs(sum(label["score"] for label in single) - 1) < 1e-3
    assert_labels(new_type_answer(answers, "zero-shot-classification+"), count=3)


def test_image_to_text(answers: dict[str, Any]) -> None:
    for name in ("image-to-text", "image-to-text+"):
        assert "hello" in new_type_answer(answers, name)["generated_text"].lower()


def test_text_to_speech(answers: dict[str, Any]) -> None:
    normal = new_type_answer(answers, "text-to-speech")
    fast = new_type_answer(answers, "text-to-speech+")
    assert normal["head"] == b"RIFF".hex() and fast["head"] == b"RIFF".hex()
    assert fast["bytes"] < normal["bytes"]
