"""A loaded remote model: each item is one call to the upstream, its answer read by the
protocol and validated as the type's Output (an answer that is not one is a 502)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from typeserve.catalog.spec import ModelSpec
from typeserve.errors import upstream_failed
from typeserve.modeltypes import get_model_type
from typeserve.runtimes.base import LoadedModel
from typeserve.runtimes.remote.protocols import BadAnswer, RemoteProtocol
from typeserve.runtimes.remote.upstream import Upstream
from typeserve.runtimes.typed_outputs import OutputMismatch, to_output


class RemoteModel(LoadedModel):
    max_batch_size = 1

    def __init__(self, spec: ModelSpec, protocol: RemoteProtocol, upstream: Upstream) -> None:
        self.spec = spec
        self.protocol = protocol
        self.upstream = upstream
        self.output_type = get_model_type(spec.type).Output
        self.options = {**spec.options, "labels": spec.labels}

    def predict(self, batch: list[Any]) -> Sequence[BaseModel]:
        return [self.predict_one(item) for item in batch]

    def predict_one(self, item: Any) -> BaseModel:
        response = self.upstream.send(self.protocol.request(self.spec.type, item, self.options))
        try:
            raw = self.protocol.answer(self.spec.type, item, response, self.options)
            return to_output(self.output_type, raw, top_k=getattr(item, "topK", None))
        except (BadAnswer, OutputMismatch) as exc:
            raise upstream_failed(
                "upstream_bad_answer",
                "Upstream answer unusable",
                f"The upstream of {self.spec.id} gave an answer this gateway cannot use: {exc}.",
            ) from None

    def close(self) -> None:
        self.upstream.close()
