"""The synchronous Python SDK: `Client(base_url, api_key)` with one typed method per model type."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

import httpx

from typeserve.client import calls
from typeserve.client.base import DEFAULT_TIMEOUT_S, ClientBase, Invocation
from typeserve.client.calls import Call, Media, OutputT
from typeserve.client.errors import ConnectionFailed
from typeserve.client.retry import RetryPolicy
from typeserve.modeltypes.automatic_speech_recognition import SpeechRecognitionOutput
from typeserve.modeltypes.base import LabelsOutput
from typeserve.modeltypes.feature_extraction import FeatureExtractionOutput
from typeserve.modeltypes.fill_mask import FillMaskOutput
from typeserve.modeltypes.image_object_detection import ObjectDetectionOutput
from typeserve.modeltypes.question_answering import QuestionAnsweringOutput
from typeserve.modeltypes.summarization import SummarizationOutput
from typeserve.modeltypes.token_classification import TokenClassificationOutput
from typeserve.modeltypes.translation import TranslationOutput


class Client(ClientBase):
    """`with Client("http://127.0.0.1:8000", api_key) as client: client.text_classification(...)`"""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        tier: str | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout, retry=retry, tier=tier)
        self._http = http or httpx.Client(base_url=self.base_url, timeout=timeout)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, request: dict[str, Any]) -> httpx.Response:
        headers = {**self._headers(), **request.pop("headers", {})}
        attempt = 1
        while True:
            try:
                response = self._http.request(**request, headers=headers)
            except httpx.TransportError as exc:
                raise ConnectionFailed(f"{self.base_url}: {exc}") from exc
            if not self.retry.should_retry(response.status_code, attempt):
                return self._checked(response, attempt)
            time.sleep(self.retry.delay(attempt, self._retry_after(response)))
            attempt += 1

    def invoke(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Any model with a JSON payload (or a raw file as `content`); answers the JSON body."""
        return (self.invoke_detailed(model, payload, tier=tier, content=content, content_type=content_type)).body

    def invoke_detailed(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Invocation:
        """Like `invoke`, with the tier that served the call, its request id and timings."""
        response = self._send(self._invoke_request(model, payload, tier, content, content_type))
        return Invocation.from_response(response)

    def _typed(self, model: str, call: Call[OutputT], tier: str | None) -> OutputT:
        return call.parse(self.invoke(model, call.payload, tier=tier))

    def models(self, type: str | None = None, *, q: str | None = None, vendor: str | None = None) -> list[Any]:
        """The catalog's model summaries, optionally of one type."""
        request = {"method": "GET", "url": "/v1/models", "params": self._model_query(type, q, vendor)}
        return list((self._send(request)).json()["models"])

    def model(self, model: str) -> Any:
        """A model's card."""
        return (self._send({"method": "GET", "url": f"/v1/models/{model}"})).json()

    def text_classification(
        self, model: str, text: str, *, top_k: int | None = None, tier: str | None = None
    ) -> LabelsOutput:
        return self._typed(model, calls.text_classification(text, top_k), tier)

    def fill_mask(self, model: str, text: str, *, top_k: int | None = None, tier: str | None = None) -> FillMaskOutput:
        return self._typed(model, calls.fill_mask(text, top_k), tier)

    def summarization(
        self,
        model: str,
        text: str,
        *,
        max_length: int | None = None,
        min_length: int | None = None,
        tier: str | None = None,
    ) -> SummarizationOutput:
        return self._typed(model, calls.summarization(text, max_length, min_length), tier)

    def translation(
        self,
        model: str,
        text: str,
        *,
        source_language: str | None = None,
        target_language: str | None = None,
        tier: str | None = None,
    ) -> TranslationOutput:
        return self._typed(model, calls.translation(text, source_language, target_language), tier)

    def question_answering(
        self, model: str, question: str, context: str, *, top_k: int | None = None, tier: str | None = None
    ) -> QuestionAnsweringOutput:
        return self._typed(model, calls.question_answering(question, context, top_k), tier)

    def image_classification(
        self,
        model: str,
        image: Media | None = None,
        *,
        url: str | None = None,
        top_k: int | None = None,
        tier: str | None = None,
    ) -> LabelsOutput:
        return self._typed(model, calls.image_classification(image, url, top_k), tier)

    def object_detection(
        self,
        model: str,
        image: Media | None = None,
        *,
        url: str | None = None,
        threshold: float | None = None,
        tier: str | None = None,
    ) -> ObjectDetectionOutput:
        return self._typed(model, calls.object_detection(image, url, threshold), tier)

    def audio_classification(
        self,
        model: str,
        audio: Media | None = None,
        *,
        url: str | None = None,
        top_k: int | None = None,
        tier: str | None = None,
    ) -> LabelsOutput:
        return self._typed(model, calls.audio_classification(audio, url, top_k), tier)

    def speech_recognition(
        self,
        model: str,
        audio: Media | None = None,
        *,
        url: str | None = None,
        language: str | None = None,
        tier: str | None = None,
    ) -> SpeechRecognitionOutput:
        return self._typed(model, calls.speech_recognition(audio, url, language), tier)

    def feature_extraction(
        self, model: str, text: str, *, normalize: bool | None = None, tier: str | None = None
    ) -> FeatureExtractionOutput:
        """The text's embedding (unit length unless `normalize=False`)."""
        return self._typed(model, calls.feature_extraction(text, normalize), tier)

    def token_classification(
        self, model: str, text: str, *, aggregation: str | None = None, tier: str | None = None
    ) -> TokenClassificationOutput:
        """The named entities in the text, with character offsets (`aggregation="none"`: per token)."""
        return self._typed(model, calls.token_classification(text, aggregation), tier)

    def zero_shot_classification(
        self,
        model: str,
        text: str,
        labels: list[str],
        *,
        multi_label: bool | None = None,
        hypothesis_template: str | None = None,
        tier: str | None = None,
    ) -> LabelsOutput:
        """Every label of `labels` scored for the text, best first."""
        call = calls.zero_shot_classification(text, labels, multi_label, hypothesis_template)
        return self._typed(model, call, tier)
