"""What summarization and translation share on an encoder-decoder (`AutoModelForSeq2SeqLM`):
transformers 5 has no pipelines for them, so texts are tokenized with padding, the backend
generates for the whole group at once, and the ids are decoded back to text. Items that ask
for different lengths or languages are generated in separate groups."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from typeserve.runtimes.transformers.adapter_base import model_max_length
from typeserve.runtimes.transformers.backend import Backend, GenerateOptions

DEFAULT_MAX_NEW_TOKENS = 128

Key = TypeVar("Key", bound=Hashable)


@dataclass
class Group:
    """Items generated together: the same options, their positions in the batch, their texts."""

    options: GenerateOptions
    indices: list[int]
    texts: list[str]
    # Multilingual tokenizers mark the source language with a token of their own.
    source_language_token: str | None = None


def run_groups(backend: Backend, tokenizer: Any, config: Any, groups: Sequence[Group], size: int) -> list[str]:
    """Generate every group; the texts back in batch order."""
    results = [""] * size
    for group in groups:
        if group.source_language_token is not None:
            tokenizer.src_lang = group.source_language_token
        texts = generate_texts(backend, tokenizer, config, group.texts, group.options)
        for index, text in zip(group.indices, texts, strict=True):
            results[index] = text
    return results


def group_indices(batch: list[Any], key: Callable[[Any], Key]) -> dict[Key, list[int]]:
    groups: dict[Key, list[int]] = {}
    for index, item in enumerate(batch):
        groups.setdefault(key(item), []).append(index)
    return groups


def decoder_limit(config: Any) -> int:
    """How many tokens the decoder can produce at most (its position table)."""
    for name in ("max_target_positions", "max_position_embeddings", "n_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 1024


def default_max_new_tokens(config: Any, generation_config: Any) -> int:
    configured = getattr(generation_config, "max_length", None) if generation_config is not None else None
    wanted = configured if isinstance(configured, int) and configured > 20 else DEFAULT_MAX_NEW_TOKENS
    return max(1, min(wanted, decoder_limit(config) - 2))


def encode_texts(tokenizer: Any, config: Any, texts: list[str]) -> dict[str, np.ndarray]:
    encoded = tokenizer(
        texts,
        padding=True,
        truncation=True,
        max_length=model_max_length(tokenizer, config, ceiling=1024),
        return_tensors="np",
    )
    return {name: encoded[name] for name in ("input_ids", "attention_mask") if name in encoded}


def generate_texts(
    backend: Backend, tokenizer: Any, config: Any, texts: list[str], options: GenerateOptions
) -> list[str]:
    ids = backend.generate(encode_texts(tokenizer, config, texts), options)
    return [text.strip() for text in tokenizer.batch_decode(ids, skip_special_tokens=True)]


def load_generation_config(path: str) -> Any:
    from transformers import GenerationConfig

    try:
        return GenerationConfig.from_pretrained(path)
    except OSError:
        return None
