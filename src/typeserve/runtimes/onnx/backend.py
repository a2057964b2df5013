"""The onnxruntime backend: the same named arrays in and out as the torch backend, with the
CUDA execution provider on gpuflex. Encoder-decoders are generated greedily with the
encoder and decoder graphs (optimum's `encoder_model.onnx` / `decoder_model.onnx`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from typeserve.runtimes.onnx.files import DECODER_FILE, ENCODER_FILE, GENERATIVE_HEADS, SINGLE_FILE
from typeserve.runtimes.transformers.architectures import TaskHead
from typeserve.runtimes.transformers.backend import Backend, GenerateOptions

INTEGER_TYPES = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}
FLOAT_TYPES = {"tensor(float)": np.float32, "tensor(float16)": np.float16, "tensor(double)": np.float64}


def providers_for(device: str) -> list[str]:
    import onnxruntime

    if device == "cuda":
        if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
            raise RuntimeError("the gpuflex tier needs onnxruntime-gpu with the CUDA execution provider")
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


def open_session(path: Path, device: str) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=providers_for(device))


def run(session: Any, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Feed the graph the inputs it declares, in the dtypes it declares."""
    feed = {}
    for declared in session.get_inputs():
        if declared.name in inputs:
            value = inputs[declared.name]
        elif declared.name == "token_type_ids" and "input_ids" in inputs:
            # Exports of BERT-like models keep token_type_ids; tokenizers may leave it out.
            value = np.zeros_like(inputs["input_ids"])
        else:
            raise RuntimeError(f"the ONNX graph needs an input {declared.name!r} the preprocessor does not make")
        dtype = INTEGER_TYPES.get(declared.type) or FLOAT_TYPES.get(declared.type)
        feed[declared.name] = np.ascontiguousarray(value, dtype=dtype) if dtype is not None else value
    names = [output.name for output in session.get_outputs()]
    return dict(zip(names, session.run(names, feed), strict=True))


class OnnxBackend(Backend):
    def __init__(self, path: Path, head: TaskHead, device: str) -> None:
        from transformers import AutoConfig, GenerationConfig

        self.device = device
        self.generative = head.auto_class in GENERATIVE_HEADS
        if self.generative:
            self.encoder = open_session(path / ENCODER_FILE, device)
            self.decoder = open_session(path / DECODER_FILE, device)
            config = AutoConfig.from_pretrained(str(path))
            try:
                generation = GenerationConfig.from_pretrained(str(path))
            except OSError:
                generation = GenerationConfig.from_model_config(config)
            self.start_token = int(generation.decoder_start_token_id or config.decoder_start_token_id or 0)
            eos = generation.eos_token_id if generation.eos_token_id is not None else config.eos_token_id
            self.eos_tokens = set(eos if isinstance(eos, list) else [eos])
            # What transformers' generate() applies from the checkpoint's generation config.
            self.forced_bos = generation.forced_bos_token_id
            self.forced_eos = generation.forced_eos_token_id
            self.pad_token = int(
                generation.pad_token_id if generation.pad_token_id is not None else next(iter(self.eos_tokens))
            )
        else:
            self.session = open_session(path / SINGLE_FILE, device)

    def forward(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {
            name: np.asarray(value, dtype=np.float32) if value.dtype.kind == "f" else value
            for name, value in run(self.session, inputs).items()
        }

    def generate(self, inputs: dict[str, np.ndarray], options: GenerateOptions) -> np.ndarray:
        """Greedy decoding without a key/value cache: simple and exact, slower for long outputs."""
        encoded = run(self.encoder, inputs)
        hidden = encoded.get("last_hidden_state", next(iter(encoded.values())))
        rows = hidden.shape[0]
        prompt = options.decoder_prompt or [self.start_token]
        tokens = np.tile(np.asarray(prompt, dtype=np.int64), (rows, 1))
        done = np.zeros(rows, dtype=bool)
        decoder_inputs: dict[str, np.ndarray] = {"encoder_hidden_states": hidden}
        if "attention_mask" in inputs:
            decoder_inputs["encoder_attention_mask"] = inputs["attention_mask"]
        for step in range(options.max_new_tokens):
            logits = run(self.decoder, {**decoder_inputs, "input_ids": tokens})["logits"][:, -1, :]
            forced_bos = options.forced_bos_token_id if options.forced_bos_token_id is not None else self.forced_bos
            if step == 0 and forced_bos is not None:
                following = np.full(rows, forced_bos, dtype=np.int64)
            elif step == options.max_new_tokens - 1 and self.forced_eos is not None:
                following = np.full(rows, self.forced_eos, dtype=np.int64)
            else:
                if step < options.min_new_tokens:
                    logits[:, list(self.eos_tokens)] = -np.inf
                following = logits.argmax(-1).astype(np.int64)
            following = np.where(done, self.pad_token, following)
            tokens = np.concatenate([tokens, following[:, None]], axis=1)
            done |= np.isin(following, list(self.eos_tokens))
            if done.all():
                break
        return tokens

    def close(self) -> None:
        for name in ("session", "encoder", "decoder"):
            self.__dict__.pop(name, None)
