"""image-to-text on a vision encoder-decoder (`VisionEncoderDecoderModel`: TrOCR, ViT-GPT2
captioners, Donut-style readers): the image processor makes pixel values, the backend
generates (items asking for different `maxLength` in separate groups) and the tokenizer
decodes the ids. The answer has no `lines`: these models read or describe the whole image
without locating the text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from typeserve.modeltypes.image_to_text import ImageToTextOutput
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.backend import GenerateOptions
from typeserve.runtimes.transformers.seq2seq import (
    decoder_limit,
    default_max_new_tokens,
    group_indices,
    load_generation_config,
)


@dataclass(frozen=True)
class ImageTextProcessors:
    """A vision encoder-decoder folder has an image processor and a tokenizer, often without
    a processor class that joins them."""

    image_processor: Any
    tokenizer: Any


@dataclass
class ImageGroup:
    options: GenerateOptions
    indices: list[int]
    pixel_values: np.ndarray


class ImageToTextAdapter(Adapter[list[ImageGroup]]):
    max_batch_size = 8

    def setup(self) -> None:
        decoder = getattr(self.config, "decoder", self.config)
        self.limit = max(1, decoder_limit(decoder) - 2)
        self.default_max = min(default_max_new_tokens(decoder, load_generation_config(self.spec.options["path"])), 64)

    def max_new_tokens(self, item: Any) -> int:
        return min(item.maxLength or self.default_max, self.limit)

    def preprocess(self, batch: list[Any]) -> list[ImageGroup]:
        groups = []
        for maximum, indices in group_indices(batch, self.max_new_tokens).items():
            pixels = self.processor.image_processor(images=[batch[i].image for i in indices], return_tensors="np")
            groups.append(
                ImageGroup(
                    options=GenerateOptions(max_new_tokens=maximum),
                    indices=indices,
                    pixel_values=np.asarray(pixels["pixel_values"], dtype=np.float32),
                )
            )
        return groups

    def forward(self, prepared: list[ImageGroup]) -> list[np.ndarray]:
        return [self.backend.generate({"pixel_values": group.pixel_values}, group.options) for group in prepared]

    def postprocess(
        self, raw: list[np.ndarray], prepared: list[ImageGroup], batch: list[Any]
    ) -> list[ImageToTextOutput]:
        texts = [""] * len(batch)
        for group, ids in zip(prepared, raw, strict=True):
            decoded = self.processor.tokenizer.batch_decode(ids, skip_special_tokens=True)
            for index, text in zip(group.indices, decoded, strict=True):
                texts[index] = " ".join(text.split())
        return [ImageToTextOutput(text=text) for text in texts]
