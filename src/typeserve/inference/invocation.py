"""The one way a model is invoked, whoever asks (the HTTP route, the CLI, experiments,
evaluations): find the model → resolve the tier → validate the input as the type's Input →
prepare the items → `engine.infer` → dump the Outputs as the wire answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from typeserve.catalog import Catalog
from typeserve.catalog.spec import ModelSpec
from typeserve.config import Settings
from typeserve.engine import Engine
from typeserve.engine.base import InferenceResult
from typeserve.engine.input_bounds import check_input_sizes
from typeserve.engine.tiers import Tier, resolve_tier
from typeserve.errors import invalid_field, unsupported_media_type
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.base import ModelType
from typeserve.modeltypes.media import MediaLimits
from typeserve.modeltypes.prepare import DEFAULT_SAMPLE_RATE, prepare_items, prepare_raw_media
from typeserve.modeltypes.validation import validate_model


@dataclass(frozen=True)
class RawMedia:
    """A raw image or audio file, with the type's optional fields as unvalidated strings
    (the HTTP edge takes them from the query string)."""

    data: bytes
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """A model found and a tier resolved: what an invocation runs on."""

    spec: ModelSpec
    model_type: ModelType
    tier: Tier


@dataclass(frozen=True)
class InvocationResult:
    body: Any  # the wire answer: one Output, or {"results": [...]} for a list input
    tier: Tier  # the tier that really served it
    spec: ModelSpec
    queue_ms: float
    inference_ms: float
    items: int


class Cancelled(Exception):
    """The caller went away (`until` finished) while its work was queued or running."""


class Inference:
    """Invocations on one catalog and engine; stateless apart from them."""

    def __init__(self, catalog: Catalog, engine: Engine, settings: Settings, media_limits: MediaLimits) -> None:
        self.catalog = catalog
        self.engine = engine
        self.settings = settings
        self.media_limits = media_limits

    def target(self, model_id: str, requested: Tier) -> Target:
        """The model and the tier that will serve it (a fallback, or unavailable)."""
        spec = self.catalog.get(model_id)
        tier = resolve_tier(
            requested,
            has_gpu=self.engine.has_gpu(),
            fallback=self.settings.gpuflex_fallback,
            model_tiers=spec.serving.tiers,
        )
        return Target(spec, get_model_type(spec.type), tier)

    async def find_target(self, model_id: str, requested: Tier) -> Target:
        """`target`, with a registered model's entry read from the database off the event loop
        (the default catalog's entries are in memory)."""
        if self.catalog.is_builtin(model_id):
            return self.target(model_id, requested)
        return await asyncio.to_thread(self.target, model_id, requested)

    def raw_options(self, model_type: ModelType, options: dict[str, str]) -> dict[str, Any]:
        """A raw file's optional fields, validated through the type's Input so that bounds and
        types match the JSON form."""
        if not options:
            return {}
        placeholder = {"imageRef": {"Bytes": "AA=="}} if model_type.media == "image" else {"Bytes": "AA=="}
        validated = validate_model(model_type.Input, {**placeholder, **options})
        return validated.model_dump(include=set(options))

    async def items(self, target: Target, given: Any | RawMedia) -> tuple[list[Any], bool]:
        """The items a runtime predicts on, and whether the input was a list."""
        model_type, spec = target.model_type, target.spec
        rate = spec.sample_rate or DEFAULT_SAMPLE_RATE
        if isinstance(given, RawMedia):
            if model_type.media == "text":
                raise unsupported_media_type(f"{spec.id} is a {model_type.name} model; it takes application/json.")
            options = self.raw_options(model_type, given.options)
            return await prepare_raw_media(model_type, given.data, options, self.media_limits, rate), False
        payload = validate_model(model_type.Input, given)
        return await prepare_items(model_type, payload, self.media_limits, rate)

    async def run(
        self,
        target: Target,
        given: Any | RawMedia,
        *,
        single: bool = False,
        until: Callable[[], Awaitable[None]] | None = None,
    ) -> InvocationResult:
        """Validate, prepare, infer and dump. `single` refuses a list input (a dataset row holds
        one input); `until` cancels the work (and raises Cancelled) when it returns first."""
        items, is_list = await self.items(target, given)
        if single and is_list:
            raise invalid_field("input", "one input, not a list", "input: a row holds one input, not a list")
        return await self.execute(target, items, is_list, until=until)

    async def execute(
        self,
        target: Target,
        items: list[Any],
        is_list: bool,
        *,
        until: Callable[[], Awaitable[None]] | None = None,
    ) -> InvocationResult:
        """Infer on prepared items and dump the Outputs as the wire answer."""
        check_input_sizes(target.spec, items)  # before any engine: the model's cost bound
        result = await self._infer(target, items, until)
        outputs = [output.model_dump(mode="json", exclude_none=True) for output in result.outputs]
        return InvocationResult(
            body={"results": outputs} if is_list else outputs[0],
            tier=result.tier,
            spec=target.spec,
            queue_ms=result.queue_ms,
            inference_ms=result.inference_ms,
            items=len(items),
        )

    async def invoke(self, model_id: str, requested: Tier, given: Any | RawMedia) -> InvocationResult:
        """The whole use case in one call (the CLI, evaluations)."""
        return await self.run(await self.find_target(model_id, requested), given)

    async def _infer(
        self, target: Target, items: list[Any], until: Callable[[], Awaitable[None]] | None
    ) -> InferenceResult:
        spec = target.spec
        work = self.engine.infer(spec, target.tier, items)
        if until is None or (spec.serving.inline and spec.serving.in_process):
            return await work  # an inline model answers at once: nothing to cancel
        inference = asyncio.ensure_future(work)
        watcher = asyncio.ensure_future(until())
        try:
            await asyncio.wait((inference, watcher), return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
        if not inference.done():
            inference.cancel()
            raise Cancelled
        return inference.result()
