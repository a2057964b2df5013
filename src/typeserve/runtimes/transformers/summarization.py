"""summarization on an encoder-decoder: the checkpoint's own summarization prefix (T5's
"summarize: "), batched generation with `maxLength` / `minLength` as new-token bounds."""

from __future__ import annotations

from typing import Any

from typeserve.modeltypes.summarization import SummarizationOutput
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.backend import GenerateOptions
from typeserve.runtimes.transformers.seq2seq import (
    Group,
    decoder_limit,
    default_max_new_tokens,
    group_indices,
    load_generation_config,
    run_groups,
)


class SummarizationAdapter(Adapter[list[Group]]):
    max_batch_size = 8

    def setup(self) -> None:
        params = (getattr(self.config, "task_specific_params", None) or {}).get("summarization") or {}
        self.prefix = str(params.get("prefix", ""))
        self.default_max = default_max_new_tokens(self.config, load_generation_config(self.spec.options["path"]))
        self.limit = decoder_limit(self.config) - 2

    def bounds(self, item: Any) -> tuple[int, int]:
        maximum = min(item.maxLength or self.default_max, self.limit)
        return maximum, min(item.minLength or 0, maximum)

    def preprocess(self, batch: list[Any]) -> list[Group]:
        return [
            Group(
                options=GenerateOptions(max_new_tokens=maximum, min_new_tokens=minimum),
                indices=indices,
                texts=[self.prefix + batch[i].input for i in indices],
            )
            for (maximum, minimum), indices in group_indices(batch, self.bounds).items()
        ]

    def forward(self, prepared: list[Group]) -> list[str]:
        return run_groups(self.backend, self.processor, self.config, prepared, sum(len(g.indices) for g in prepared))

    def postprocess(self, raw: list[str], prepared: list[Group], batch: list[Any]) -> list[SummarizationOutput]:
        return [SummarizationOutput(summary=text) for text in raw]
