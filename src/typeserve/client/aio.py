"""The asynchronous Python SDK: `AsyncClient`, the same methods as `Client`, awaited."""

from __future__ import annotations

import asyncio
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


class AsyncClient(ClientBase):
    """`async with AsyncClient(url, key) as client: await client.text_classification(...)`"""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        retry: RetryPolicy | None = None,
        tier: str | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout, retry=retry, tier=tier)
        self._http = http or httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _send(self, request: dict[str, Any]) -> httpx.Response:
        headers = {**self._headers(), **request.pop("headers", {})}
        attempt = 1
        while True:
            try:
                response = await self._http.request(**request, headers=headers)
            except httpx.TransportError as exc:
                raise ConnectionFailed(f"{self.base_url}: {exc}") from exc
            if not self.retry.should_retry(response.status_code, attempt):
                return self._checked(response, attempt)
            await asyncio.sleep(self.retry.delay(attempt, self._retry_after(response)))
            attempt += 1

    async def invoke(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        """Any model with a JSON payload (or a raw file as `content`); answers the JSON body."""
        return (await self.invoke_detailed(model, payload, tier=tier, content=content, content_type=content_type)).body

    async def invoke_detailed(
        self,
        model: str,
        payload: Any = None,
        *,
        tier: str | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> Invocation:
        """Like `invoke`, with the tier that served the call, its request id and timings."""
        response = await self._send(self._invoke_request(model, payload, tier, content, content_type))
        return Invocation.from_response(response)

    async def _typed(self, model: str, call: Call[OutputT], tier: str | None) -> OutputT:
        return call.parse(await self.invoke(model, call.payload, tier=tier))

    async def models(self, type: str | None = None, *, q: str | None = None, vendor: str | None = None) -> list[Any]:
        """The catalog's model summaries, optionally of one type."""
        request = {"method": "GET", "url": "/v1/models", "params": self._model_query(type, q, vendor)}
        return list((await self._send(request)).json()["models"])

    async def model(self, model: str) -> Any:
        """A model's card."""
        return (await self._send({"method": "GET", "url": f"/v1/models/{model}"})).json()

    async def text_classification(
        self, model: str, text: str, *, top_k: int | None = None, tier: str | None = None
    ) -> LabelsOutput:
        return await self._typed(model, calls.text_classification(text, top_k), tier)

    async def fill_mask(
        self, model: str, text: str, *, top_k: int | None = None, tier: str | None = None
    ) -> FillMaskOutput:
        return await self._typed(model, calls.fill_mask(text, top_k), tier)

    async def summarization(
        self,
        model: str,
        text: str,
        *,
        max_length: int | None = None,
        min_length: int | None = None,
        tier: str | None = None,
    ) -> SummarizationOutput:
        return await self._typed(model, calls.summarization(text, max_length, min_length), tier)

    async def translation(
        self,
        model: str,
        text: str,
        *,
        source_language: str | None = None,
        target_language: str | None = None,
        tier: str | None = None,
    ) -> TranslationOutput:
        return await self._typed(model, calls.translation(text, source_language, target_language), tier)

    async def question_answering(
        self, model: str, question: str, context: str, *, top_k: int | None = None, tier: str | None = None
    ) -> QuestionAnsweringOutput:
        return await self._typed(model, calls.question_answering(question, context, top_k), tier)

    async def image_classification(
        self,
        model: str,
        image: Media | None = None,
        *,
        url: str | None = None,
        top_k: int | None = None,
        tier: str | None = None,
    ) -> LabelsOutput:
        return await self._typed(model, calls.image_classification(image, url, top_k), tier)

    async def object_detection(
        self,
        model: str,
        image: Media | None = None,
        *,
        url: str | None = None,
        threshold: float | None = None,
        tier: str | None = None,
    ) -> ObjectDetectionOutput:
        return await self._typed(model, calls.object_detection(image, url, threshold), tier)

    async def audio_classification(
        self,
        model: str,
        audio: Media | None = None,
        *,
        url: str | None = None,
        top_k: int | None = None,
        tier: str | None = None,
    ) -> LabelsOutput:
        return await self._typed(model, calls.audio_classification(audio, url, top_k), tier)

    async def speech_recognition(
        self,
        model: str,
        audio: Media | None = None,
        *,
        url: str | None = None,
        language: str | None = None,
        tier: str | None = None,
    ) -> SpeechRecognitionOutput:
        return await self._typed(model, calls.speech_recognition(audio, url, language), tier)

    async def feature_extraction(
        self, model: str, text: str, *, normalize: bool | None = None, tier: str | None = None
    ) -> FeatureExtractionOutput:
        """The text's embedding (unit length unless `normalize=False`)."""
        return await self._typed(model, calls.feature_extraction(text, normalize), tier)

    async def token_classification(
        self, model: str, text: str, *, aggregation: str | None = None, tier: str | None = None
    ) -> TokenClassificationOutput:
        """The named entities in the text, with character offsets (`aggregation="none"`: per token)."""
        return await self._typed(model, calls.token_classification(text, aggregation), tier)

    async def zero_shot_classification(
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
        return await self._typed(model, call, tier)
