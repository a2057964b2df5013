"""translation on an encoder-decoder. A bilingual checkpoint translates its one direction
(`sourceLanguage` / `targetLanguage` in the request must agree with it); T5-style
checkpoints pick the direction's prefix; multilingual checkpoints (M2M100, mBART-50, NLLB)
take both languages from the request and force the target language token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from typeserve.errors import Problem, invalid_input
from typeserve.modeltypes.translation import TranslationOutput
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.backend import GenerateOptions
from typeserve.runtimes.transformers.languages import Pair, language_tokens, t5_pairs
from typeserve.runtimes.transformers.seq2seq import (
    Group,
    decoder_limit,
    default_max_new_tokens,
    group_indices,
    load_generation_config,
    run_groups,
)


def unsupported(detail: str) -> Problem:
    return invalid_input("unsupported_language", "Language not supported by this model", detail)


@dataclass(frozen=True)
class Direction:
    pair: Pair
    source_token: str | None = None
    target_token: str | None = None


@dataclass
class DirectionGroup(Group):
    pair: Pair = field(default_factory=lambda: Pair("", ""))


class TranslationAdapter(Adapter[list[DirectionGroup]]):
    max_batch_size = 8

    def setup(self) -> None:
        options = self.spec.options
        self.pairs = t5_pairs(self.config.to_dict())
        if options.get("source_language") and options.get("target_language"):
            fixed = Pair(options["source_language"], options["target_language"])
            self.pairs = [p for p in self.pairs if (p.source, p.target) == (fixed.source, fixed.target)] or [fixed]
        self.language_tokens = language_tokens(self.processor)
        self.max_new_tokens = min(
            default_max_new_tokens(self.config, load_generation_config(options["path"])), decoder_limit(self.config) - 2
        )

    def direction(self, item: Any) -> Direction:
        """The direction an item asks for, or a 422 that says which ones the model offers."""
        wanted_source, wanted_target = item.sourceLanguage, item.targetLanguage
        if self.pairs:
            for pair in self.pairs:
                if wanted_source in (None, pair.source) and wanted_target in (None, pair.target):
                    return Direction(pair)
            offered = ", ".join(f"{p.source}->{p.target}" for p in self.pairs)
            asked = f"{wanted_source or '?'}->{wanted_target or '?'}"
            raise unsupported(f"{self.spec.id} translates {offered}; the request asks for {asked}.")
        if not self.language_tokens:
            raise unsupported(f"{self.spec.id} does not say which languages it translates.")
        source = wanted_source or self.spec.options.get("default_source_language")
        if not source or not wanted_target:
            raise unsupported(f"{self.spec.id} is multilingual: give sourceLanguage and targetLanguage (ISO 639-1).")
        for code in (source, wanted_target):
            if code not in self.language_tokens:
                known = ", ".join(sorted(self.language_tokens))
                raise unsupported(f"{self.spec.id} does not know the language {code!r}; it knows {known}.")
        return Direction(Pair(source, wanted_target), self.language_tokens[source], self.language_tokens[wanted_target])

    def preprocess(self, batch: list[Any]) -> list[DirectionGroup]:
        groups = []
        for direction, indices in group_indices(batch, self.direction).items():
            options = GenerateOptions(max_new_tokens=self.max_new_tokens)
            if direction.target_token is not None:
                options.forced_bos_token_id = self.processor.convert_tokens_to_ids(direction.target_token)
            groups.append(
                DirectionGroup(
                    options=options,
                    indices=indices,
                    texts=[direction.pair.prefix + batch[i].input for i in indices],
                    source_language_token=direction.source_token,
                    pair=direction.pair,
                )
            )
        return groups

    def forward(self, prepared: list[DirectionGroup]) -> list[str]:
        return run_groups(self.backend, self.processor, self.config, prepared, sum(len(g.indices) for g in prepared))

    def postprocess(self, raw: list[str], prepared: list[DirectionGroup], batch: list[Any]) -> list[TranslationOutput]:
        pairs = {index: group.pair for group in prepared for index in group.indices}
        return [
            TranslationOutput(translation=text, sourceLanguage=pairs[i].source, targetLanguage=pairs[i].target)
            for i, text in enumerate(raw)
        ]
