"""OpenAI's own client with `base_url` = the server's `/openai/v1` and a typeserve key as its
api key: models, audio transcriptions and translations in every response format, embeddings
and speech where the catalog has such models; errors are the native route's problems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.support.server import LiveServer
from tests.support.speech_clips import go_forward_wav
from tests.support.usage import metered

ASR = "cmu/1/pocketsphinx-en-us"


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[openai.OpenAI]:
    # max_retries=0: a refusal must show as the error it is, not as retries.
    with openai.OpenAI(base_url=f"{server.base_url}/openai/v1", api_key=server.admin_key, max_retries=0) as made:
        yield made


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openai") / "goforward.wav"
    path.write_bytes(go_forward_wav())
    return path


def models_of_type(server: LiveServer, type_name: str) -> list[str]:
    with server.client() as native:
        response = native.get("/v1/models", params={"type": type_name})
    listed = response.json()["models"] if response.status_code == 200 else []  # a type not here yet
    return [m["id"] for m in listed if m.get("status") != "unavailable"]


def test_models_lists_what_openai_endpoints_serve(client: openai.OpenAI, server: LiveServer) -> None:
    listed = {model.id for model in client.models.list()}
    assert ASR in listed
    assert "vader/1/sentiment" not in listed  # text classification has no OpenAI endpoint
    assert client.models.retrieve(ASR).owned_by == "cmu"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("vader/1/sentiment")


def test_transcription_as_json_and_text(client: openai.OpenAI, speech: Path) -> None:
    with speech.open("rb") as audio:
        transcript = client.audio.transcriptions.create(model=ASR, file=audio)
    assert transcript.text == "go forward ten meters"
    with speech.open("rb") as audio:
        text = client.audio.transcriptions.create(model=ASR, file=audio, response_format="text", language="en")
    assert str(text).strip() == "go forward ten meters"


def test_transcription_as_verbose_json_has_timed_segments(client: openai.OpenAI, speech: Path) -> None:
    with speech.open("rb") as audio:
        verbose = client.audio.transcriptions.create(model=ASR, file=audio, response_format="verbose_json")
    assert verbose.text == "go forward ten meters"
    segments: list[Any] = verbose.segments or []
    assert [s.text for s in segments] == ["go", "forward", "ten", "meters"]
    assert all(s.start < s.end for s in segments) and verbose.duration == segments[-1].end


@pytest.mark.parametrize("response_format", ["srt", "vtt"])
def test_transcription_as_subtitles(client: openai.OpenAI, speech: Path, response_format: Any) -> None:
    with speech.open("rb") as audio:
        subtitles = str(client.audio.transcriptions.create(model=ASR, file=audio, response_format=response_format))
    lines = subtitles.strip().splitlines()
    if response_format == "vtt":
        assert lines[0] == "WEBVTT"
        assert "00:00:0" in lines[2] and "." in lines[2].split(" --> ")[0]
    else:
        assert lines[0] == "1" and "," in lines[1].split(" --> ")[0]
    assert [line for line in lines if line.isalpha() and line != "WEBVTT"] == ["go", "forward", "ten", "meters"]


def test_translation_by_an_english_only_model(client: openai.OpenAI, speech: Path) -> None:
    with speech.open("rb") as audio:
        translation = client.audio.translations.create(model=ASR, file=audio)
    assert translation.text == "go forward ten meters"


def test_unsupported_fields_and_wrong_models_are_problems(client: openai.OpenAI, speech: Path) -> None:
    with speech.open("rb") as audio, pytest.raises(openai.UnprocessableEntityError) as refused:
        client.audio.transcriptions.create(model=ASR, file=audio, prompt="a robot")
    assert "prompt" in str(refused.value.body)
    with speech.open("rb") as audio, pytest.raises(openai.NotFoundError) as wrong:
        client.audio.transcriptions.create(model="vader/1/sentiment", file=audio)
    assert "text-classification" in str(wrong.value.body)
    with speech.open("rb") as audio, pytest.raises(openai.NotFoundError):
        client.audio.transcriptions.create(model="nobody/1/nothing", file=audio)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=ASR, messages=[{"role": "user", "content": "hi"}])


def test_bad_key_is_401(server: LiveServer, speech: Path) -> None:
    stranger = openai.OpenAI(base_url=f"{server.base_url}/openai/v1", api_key="tsk_wrong", max_retries=0)
    with stranger, speech.open("rb") as audio, pytest.raises(openai.AuthenticationError):
        stranger.audio.transcriptions.create(model=ASR, file=audio)


def test_openai_route_is_metered(server: LiveServer, speech: Path) -> None:
    with server.client() as native:
        response = native.post(
            "/openai/v1/audio/transcriptions", data={"model": ASR}, files={"file": ("a.wav", speech.read_bytes())}
        )
    assert response.status_code == 200, response.text
    assert response.headers["X-Model-Id"] == ASR and response.headers["X-Service-Tier"] == "cpuflex"
    assert metered(server, response.headers["X-Request-Id"]) == (ASR, "cpuflex", 200, 1)


def test_embeddings(client: openai.OpenAI, server: LiveServer) -> None:
    models = models_of_type(server, "feature-extraction")
    if not models:
        pytest.skip("no feature-extraction model in this catalog")
    one = client.embeddings.create(model=models[0], input="The weather is lovely today.")  # base64 by default
    assert len(one.data) == 1 and len(one.data[0].embedding) > 10
    two = client.embeddings.create(model=models[0], input=["a cat", "a dog"], encoding_format="float")
    assert [item.index for item in two.data] == [0, 1]
    assert len(two.data[0].embedding) == len(one.data[0].embedding)
    with server.client() as native:
        direct = native.post(f"/v1/ent/{models[0]}", json={"input": "The weather is lovely today."}).json()
    assert one.data[0].embedding == pytest.approx(direct["embedding"], abs=1e-6)


def test_speech(client: openai.OpenAI, server: LiveServer) -> None:
    models = models_of_type(server, "text-to-speech")
    if not models:
        pytest.skip("no text-to-speech model in this catalog")
    audio = client.audio.speech.create(model=models[0], input="Hello there.", voice="alloy", response_format="wav")
    content = audio.read()
    assert content[:4] == b"RIFF" and content[8:12] == b"WAVE"
    assert httpx.Headers(audio.response.headers)["content-type"].startswith("audio/")
