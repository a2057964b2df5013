"""The default catalog's OCR, speech synthesis, Whisper and YAMNet models through the live
HTTP API, on packaged images and recordings: what a user of each would check first."""

from __future__ import annotations

import base64
import io
from typing import Any

import httpx
import jiwer
import pytest
import soundfile

from tests.support.http import b64
from tests.support.server import LiveServer
from typeserve.experiments.bundled.audio import SOUND_THEME, TESTDATA, raw_pcm_as_wav
from typeserve.experiments.bundled.ocr_data import scikit_image_page
from typeserve.modeltypes.transcripts import normalize_transcript

TESSERACT = "tesseract/1/tesseract-eng"
PP_OCR = "paddlepaddle/1/pp-ocrv4"
WHISPER = "openai/1/whisper-tiny-en"
YAMNET = "google/1/yamnet"
ESPEAK = "espeak/1/espeak-ng"
FLITE = "cmu/1/flite"
PIPER = "piper/1/en-us-joe-medium"
PAGE_SIZE = (384, 191)  # skimage.data.page(), width x height


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Any:
    with server.client(timeout=180) as http:
        yield http


def answer(response: httpx.Response, model_id: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["X-Model-Id"] == model_id
    body: dict[str, Any] = response.json()
    return body


def speech_of(body: dict[str, Any]) -> tuple[Any, int]:
    samples, rate = soundfile.read(io.BytesIO(base64.b64decode(body["audio"]["Bytes"])))
    return samples, int(rate)


# image-to-text


@pytest.mark.parametrize("model_id", [TESSERACT, PP_OCR])
def test_ocr_reads_the_printed_page_line_by_line(client: httpx.Client, model_id: str) -> None:
    page = scikit_image_page()
    body = answer(client.post(f"/v1/ent/{model_id}", content=page.png, headers={"Content-Type": "image/png"}), model_id)
    assert "markers of the coins" in body["text"]
    lines = body["lines"]
    assert len(lines) >= 4 and "\n".join(line["text"] for line in lines) == body["text"]
    width, height = PAGE_SIZE
    tops = []
    for line in lines:
        box = line["box"]
        assert 0 <= box["xmin"] < box["xmax"] <= width and 0 <= box["ymin"] < box["ymax"] <= height, line
        assert 0.0 <= line["score"] <= 1.0
        tops.append(box["ymin"])
    assert tops == sorted(tops), "lines come in reading order, top to bottom"


def test_ocr_refuses_a_language_it_has_no_data_for(client: httpx.Client) -> None:
    request = {"imageRef": {"Bytes": b64(scikit_image_page().png)}, "language": "xh"}
    response = client.post(f"/v1/ent/{TESSERACT}", json=request)
    assert response.status_code == 400 and response.json()["code"] == "unsupported_language", response.text


# automatic-speech-recognition


def test_whisper_transcribes_with_timed_segments_and_language(client: httpx.Client) -> None:
    wav = raw_pcm_as_wav(TESTDATA / "goforward.raw")
    duration = soundfile.info(io.BytesIO(wav)).duration
    body = answer(client.post(f"/v1/ent/{WHISPER}", content=wav, headers={"Content-Type": "audio/wav"}), WHISPER)
    assert normalize_transcript(body["text"]) == "go forward ten meters"
    assert body["language"] == "en"
    assert body["segments"] and " ".join(s["text"] for s in body["segments"]) == body["text"]
    for segment in body["segments"]:
        assert 0.0 <= segment["start"] <= segment["end"] <= duration + 0.01
    refused = client.post(f"/v1/ent/{WHISPER}?language=de", content=wav, headers={"Content-Type": "audio/wav"})
    assert refused.status_code == 400 and refused.json()["code"] == "unsupported_language"


# audio-classification


def test_yamnet_hears_speech_and_a_bell(client: httpx.Client) -> None:
    sentence = (TESTDATA / "librivox" / "sense_and_sensibility_01_austen_64kb-0930.wav").read_bytes()
    speech = answer(client.post(f"/v1/ent/{YAMNET}", content=sentence, headers={"Content-Type": "audio/wav"}), YAMNET)
    assert speech["labels"][0]["label"] == "Speech" and len(speech["labels"]) == 5
    scores = [label["score"] for label in speech["labels"]]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    bell = (SOUND_THEME / "phone-outgoing-calling.oga").read_bytes()
    rings = answer(client.post(f"/v1/ent/{YAMNET}?topK=3", content=bell, headers={"Content-Type": "audio/ogg"}), YAMNET)
    assert len(rings["labels"]) == 3 and "Speech" not in {label["label"] for label in rings["labels"]}


# text-to-speech


@pytest.mark.parametrize("model_id", [ESPEAK, FLITE, PIPER])
def test_synthesized_speech_is_heard_back_by_whisper(client: httpx.Client, model_id: str) -> None:
    body = answer(client.post(f"/v1/ent/{model_id}", json={"input": "Go forward ten meters."}), model_id)
    assert body["contentType"] == "audio/wav"
    samples, rate = speech_of(body)
    assert rate == body["sampleRate"] and body["durationS"] == pytest.approx(len(samples) / rate, abs=1e-3)
    heard = answer(
        client.post(
            f"/v1/ent/{WHISPER}",
            content=base64.b64decode(body["audio"]["Bytes"]),
            headers={"Content-Type": "audio/wav"},
        ),
        WHISPER,
    )
    # Piper samples its voice with noise, so a word may be misheard now and then: one in four at most.
    assert jiwer.wer("go forward ten meters", normalize_transcript(heard["text"])) <= 0.25, heard["text"]


def test_accept_audio_answers_the_file_itself_in_the_format_asked(client: httpx.Client) -> None:
    response = client.post(
        f"/v1/ent/{ESPEAK}", json={"input": "Hello world.", "format": "mp3"}, headers={"Accept": "audio/*"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/mpeg" and response.headers["X-Model-Id"] == ESPEAK
    assert soundfile.info(io.BytesIO(response.content)).duration > 0.3
    as_json = client.post(
        f"/v1/ent/{ESPEAK}", json={"input": "Hello world."}, headers={"Accept": "application/json, audio/*;q=0.5"}
    )
    assert as_json.headers["content-type"].startswith("application/json")
    listed = client.post(f"/v1/ent/{ESPEAK}", json={"input": ["one", "two"]}, headers={"Accept": "audio/wav"})
    assert listed.status_code == 406 and listed.json()["code"] == "not_acceptable", listed.text


def test_speed_voice_and_bounds_of_speech(client: httpx.Client) -> None:
    text = "He might even have been made amiable himself."
    normal = answer(client.post(f"/v1/ent/{FLITE}", json={"input": text}), FLITE)
    fast = answer(client.post(f"/v1/ent/{FLITE}", json={"input": text, "speed": 2.0, "voice": "rms"}), FLITE)
    assert fast["durationS"] < 0.7 * normal["durationS"]
    unknown = client.post(f"/v1/ent/{ESPEAK}", json={"input": text, "voice": "klingon"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_voice"
    too_long = client.post(f"/v1/ent/{ESPEAK}", json={"input": "a " * 1001})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"].startswith("input")
    # 2,000 characters of nine-digit numbers at half speed would be half an hour of speech.
    endless = client.post(f"/v1/ent/{ESPEAK}", json={"input": "999999999 " * 199, "speed": 0.5})
    assert endless.status_code == 413 and "300 s" in endless.json()["detail"], endless.text
    assert client.post(f"/v1/ent/{ESPEAK}", json={"input": "still serving"}).status_code == 200
