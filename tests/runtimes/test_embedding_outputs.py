"""Embedding vectors on the wire: each value the shortest decimal that reads back as the
model's float32 (as OpenAI's embeddings are written), unit length where the request asked."""

from __future__ import annotations

import numpy as np
import orjson

from typeserve.runtimes.embeddings import embedding_outputs


def test_values_read_back_as_the_same_float32_in_about_half_the_bytes() -> None:
    vectors = np.random.default_rng(7).normal(size=(4, 384)).astype(np.float32)
    outputs = embedding_outputs(vectors, [False, False, True, True])
    raw = np.asarray([o.embedding for o in outputs[:2]], dtype=np.float32)
    assert np.array_equal(raw, vectors[:2])  # nothing lost
    unit = np.asarray([o.embedding for o in outputs[2:]], dtype=np.float64)
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0, atol=1e-6)
    wire = orjson.dumps(outputs[0].model_dump(mode="json"))
    seventeen_digits = orjson.dumps([float(v) for v in vectors[0]])
    assert len(wire) < 0.65 * len(seventeen_digits)
    assert all(len(repr(v)) <= 15 for v in outputs[0].embedding)
