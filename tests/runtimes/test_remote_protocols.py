"""The remote protocols against the public wire formats they speak: the requests they build
and the answers they read are the documented shapes of the Hugging Face task API, OpenAI's
embeddings and transcriptions, and the Open Inference Protocol (the same shapes the live
tests get from a second typeserve and from KServe)."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
import soundfile
from PIL import Image

from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.media_refs import AudioItem, ImageItem
from typeserve.runtimes.remote.protocols import PROTOCOLS, BadAnswer
from typeserve.runtimes.typed_outputs import to_output

HF, OPENAI, V2 = PROTOCOLS["hf"], PROTOCOLS["openai"], PROTOCOLS["v2"]


def text_item(type_name: str, **fields: object) -> object:
    return get_model_type(type_name).Input.model_validate(fields)


def typed(protocol: object, type_name: str, item: object, answer: httpx.Response, options: dict | None = None) -> dict:
    raw = protocol.answer(type_name, item, answer, options or {})  # type: ignore[attr-defined]
    output = to_output(get_model_type(type_name).Output, raw, top_k=getattr(item, "topK", None))
    return output.model_dump(mode="json", exclude_none=True)


def test_hf_text_classification_payload_and_nested_answer() -> None:
    item = text_item("text-classification", input="I like you", topK=2)
    request = HF.request("text-classification", item, {})
    assert request.json == {"inputs": "I like you", "parameters": {"top_k": 2}}
    answer = httpx.Response(200, json=[[{"label": "NEGATIVE", "score": 0.1}, {"label": "POSITIVE", "score": 0.9}]])
    assert typed(HF, "text-classification", item, answer) == {
        "labels": [{"label": "POSITIVE", "score": 0.9}, {"label": "NEGATIVE", "score": 0.1}]
    }


def test_hf_summarization_translation_and_question_answering_shapes() -> None:
    summary = text_item("summarization", input="long text", maxLength=20)
    assert HF.request("summarization", summary, {}).json == {"inputs": "long text", "parameters": {"max_length": 20}}
    assert typed(HF, "summarization", summary, httpx.Response(200, json=[{"summary_text": "short"}])) == {
        "summary": "short"
    }
    translation = text_item("translation", input="Hello", sourceLanguage="en", targetLanguage="de")
    answer = httpx.Response(200, json=[{"translation_text": "Hallo"}])
    assert typed(HF, "translation", translation, answer) == {
        "translation": "Hallo",
        "sourceLanguage": "en",
        "targetLanguage": "de",
    }
    question = text_item("question-answering", question="Where?", context="I live in Berlin.")
    assert HF.request("question-answering", question, {}).json == {
        "inputs": {"question": "Where?", "context": "I live in Berlin."}
    }
    answer = httpx.Response(200, json={"answer": "Berlin", "score": 0.9, "start": 10, "end": 16})
    assert typed(HF, "question-answering", question, answer)["answers"][0]["answer"] == "Berlin"


def test_hf_media_tasks_send_the_file_and_read_boxes_and_chunks() -> None:
    image = ImageItem(image=Image.new("RGB", (40, 30)))
    request = HF.request("image-object-detection", image, {})
    assert request.headers["Content-Type"] == "image/png" and Image.open(io.BytesIO(request.content)).size == (40, 30)
    boxes = [{"label": "cat", "score": 0.8, "box": {"xmin": 1, "ymin": 2, "xmax": 30, "ymax": 20}}]
    assert typed(HF, "image-object-detection", image, httpx.Response(200, json=boxes)) == {
        "width": 40,
        "height": 30,
        "detections": boxes,
    }
    audio = AudioItem(samples=np.zeros(16_000, dtype="float32"), sample_rate=16_000)
    assert soundfile.info(io.BytesIO(HF.request("automatic-speech-recognition", audio, {}).content)).duration == 1.0
    chunks = {"text": "go forward", "chunks": [{"timestamp": [0.0, 1.0], "text": "go forward"}]}
    assert typed(HF, "automatic-speech-recognition", audio, httpx.Response(200, json=chunks)) == {
        "text": "go forward",
        "segments": [{"start": 0.0, "end": 1.0, "text": "go forward"}],
    }


def test_openai_transcription_is_multipart_and_reads_verbose_json() -> None:
    audio = AudioItem(samples=np.zeros(8_000, dtype="float32"), sample_rate=16_000, language="en")
    request = OPENAI.request("automatic-speech-recognition", audio, {"remote_model": "whisper-1"})
    assert request.path == "/audio/transcriptions"
    assert request.data == {"model": "whisper-1", "response_format": "verbose_json", "language": "en"}
    assert request.files is not None and request.files["file"][0] == "audio.wav"
    verbose = {
        "text": "hello",
        "language": "english",
        "segments": [{"id": 0, "start": 0.0, "end": 0.5, "text": "hello"}],
    }
    assert typed(OPENAI, "automatic-speech-recognition", audio, httpx.Response(200, json=verbose)) == {
        "text": "hello",
        "segments": [{"start": 0.0, "end": 0.5, "text": "hello"}],
    }
    with pytest.raises(BadAnswer, match="no text"):
        OPENAI.answer("automatic-speech-recognition", audio, httpx.Response(200, json={"error": "x"}), {})


def test_v2_tensors_in_and_out() -> None:
    item = text_item("text-classification", input="great")
    request = V2.request("text-classification", item, {"input_name": "text"})
    assert request.path == "/infer"
    assert request.json["inputs"] == [{"name": "text", "datatype": "BYTES", "shape": [1], "data": ["great"]}]
    answer = {
        "model_name": "sentiment",
        "outputs": [
            {"name": "label", "datatype": "BYTES", "shape": [2], "data": ["POSITIVE", "NEGATIVE"]},
            {"name": "score", "datatype": "FP32", "shape": [2], "data": [0.8, 0.2]},
        ],
    }
    assert typed(V2, "text-classification", item, httpx.Response(200, json=answer))["labels"][0] == {
        "label": "POSITIVE",
        "score": 0.8,
    }
    # Scores alone are named by the card's labels, in order.
    scores_only = {"outputs": [{"name": "probabilities", "datatype": "FP32", "shape": [1, 2], "data": [[0.3, 0.7]]}]}
    answer_labels = typed(
        V2, "text-classification", item, httpx.Response(200, json=scores_only), {"labels": ["a", "b"]}
    )
    assert answer_labels == {"labels": [{"label": "b", "score": 0.7}, {"label": "a", "score": 0.3}]}
    image = ImageItem(image=Image.new("RGB", (2, 3), (1, 2, 3)))
    tensor = V2.request("image-classification", image, {"input_name": "pixels"}).json["inputs"][0]
    assert tensor["datatype"] == "UINT8" and tensor["shape"] == [1, 3, 2, 3] and tensor["data"][:3] == [1, 2, 3]
    with pytest.raises(BadAnswer, match="no outputs"):
        V2.answer("text-classification", item, httpx.Response(200, json={"error": "boom"}), {})
    with pytest.raises(BadAnswer, match="not JSON"):
        V2.answer("text-classification", item, httpx.Response(200, text="<html>"), {})
