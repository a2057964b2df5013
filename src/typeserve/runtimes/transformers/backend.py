"""The forward step, apart from pre- and post-processing: a backend takes named numpy arrays
(what a tokenizer or processor makes with return_tensors="np") and answers named numpy
arrays (logits, boxes) or generated token ids. The torch backend runs a transformers model;
runtimes/onnx has the onnxruntime one. Adapters only ever talk to this interface, which is
how the torch and ONNX runtimes share every adapter."""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from typeserve.runtimes.transformers.architectures import TaskHead


@dataclass
class GenerateOptions:
    """How to generate. `decoder_prompt` are the decoder's first tokens (Whisper's
    start-of-transcript, language and task tokens)."""

    max_new_tokens: int
    min_new_tokens: int = 0
    forced_bos_token_id: int | None = None
    decoder_prompt: list[int] | None = None


class Backend(ABC):
    device: str

    @abstractmethod
    def forward(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """One batched forward pass: model outputs by name (`logits`, `start_logits`, ...)."""

    @abstractmethod
    def generate(self, inputs: dict[str, np.ndarray], options: GenerateOptions) -> np.ndarray:
        """Batched generation: token ids, one row per input, padded with the pad token."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Free the model (and GPU memory)."""


class TorchBackend(Backend):
    """A transformers model (the task head `head`) on a torch device."""

    def __init__(self, path: Path, head: TaskHead, device: str) -> None:
        import torch
        import transformers

        if device == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("the gpuflex tier needs CUDA, and torch sees no CUDA device")
        auto_class = getattr(transformers, head.auto_class)
        self.model = auto_class.from_pretrained(str(path)).to(device).eval()
        self.device = device
        # Processors can make inputs a given head does not take (a pixel mask for YOLOS,
        # token type ids for RoBERTa); the forward step passes only those it declares.
        # (transformers 5 forwards all take **kwargs for attention options: named ones count.)
        parameters = inspect.signature(self.model.forward).parameters.values()
        self.accepted = {p.name for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD}

    def _tensors(self, inputs: dict[str, np.ndarray]) -> dict[str, Any]:
        import torch

        tensors = {}
        for name, array in inputs.items():
            if name not in self.accepted:
                continue
            tensor = torch.from_numpy(np.ascontiguousarray(array))
            if tensor.is_floating_point():
                # Processors give float32; a checkpoint may be stored in half precision.
                tensor = tensor.to(self.model.dtype)
            tensors[name] = tensor.to(self.device)
        return tensors

    def forward(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import torch

        with torch.inference_mode():
            outputs = self.model(**self._tensors(inputs))
        return {
            name: value.detach().float().cpu().numpy()
            for name, value in outputs.items()
            if isinstance(value, torch.Tensor)
        }

    def generate(self, inputs: dict[str, np.ndarray], options: GenerateOptions) -> np.ndarray:
        import torch
        from transformers import GenerationMixin

        kwargs: dict[str, Any] = {"max_new_tokens": options.max_new_tokens}
        if options.min_new_tokens:
            kwargs["min_new_tokens"] = options.min_new_tokens
        if options.forced_bos_token_id is not None:
            kwargs["forced_bos_token_id"] = options.forced_bos_token_id
        generate = self.model.generate
        if options.decoder_prompt:
            rows = len(next(iter(inputs.values())))
            prompt = np.tile(np.asarray(options.decoder_prompt, dtype=np.int64), (rows, 1))
            kwargs["decoder_input_ids"] = torch.from_numpy(prompt).to(self.device)
            # Plain greedy decoding from the prompt, as the ONNX backend does: Whisper's own
            # generate() adds long-form seeking and temperature fallback we do not want here.
            generate = partial(GenerationMixin.generate, self.model)
        with torch.inference_mode():
            generated = generate(**self._tensors(inputs), **kwargs)
        if not isinstance(generated, torch.Tensor):
            generated = generated["sequences"]
        return np.asarray(generated.cpu().numpy())

    def close(self) -> None:
        import torch

        del self.model
        if self.device == "cuda":
            torch.cuda.empty_cache()
