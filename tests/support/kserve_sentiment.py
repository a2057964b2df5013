"""A small sentiment model of the tests' own, served by KServe's `kserve.ModelServer` over the
Open Inference Protocol v2, as an operator would serve one: a multinomial naive Bayes over
words, trained at load on a handful of sentences. Run with the interpreter of the virtualenv
the tests build under .test-cache/ (kserve's pins do not fit the server's environment):

    KSERVE_TEST_PORT=8080 .test-cache/kserve-venv/bin/python tests/support/kserve_sentiment.py
"""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

import numpy as np
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer

TRAINING = [
    ("I love this, it is wonderful and great", "POSITIVE"),
    ("what a lovely happy day, excellent work", "POSITIVE"),
    ("good product, I am very pleased", "POSITIVE"),
    ("fantastic, the best thing ever", "POSITIVE"),
    ("I hate this, it is awful and terrible", "NEGATIVE"),
    ("what a horrible sad day, bad work", "NEGATIVE"),
    ("broken product, I am very disappointed", "NEGATIVE"),
    ("dreadful, the worst thing ever", "NEGATIVE"),
]
LABELS = ["NEGATIVE", "POSITIVE"]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


class Sentiment(Model):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.load()

    def load(self) -> bool:
        vocabulary = sorted({w for text, _ in TRAINING for w in words(text)})
        self.index = {w: i for i, w in enumerate(vocabulary)}
        counts = np.ones((len(LABELS), len(vocabulary)))  # Laplace smoothing
        for text, label in TRAINING:
            for w in words(text):
                counts[LABELS.index(label), self.index[w]] += 1
        self.log_likelihood = np.log(counts / counts.sum(axis=1, keepdims=True))
        self.ready = True
        return True

    def get_input_types(self) -> list[dict[str, Any]]:
        return [{"name": "text", "datatype": "BYTES", "shape": [-1]}]

    def get_output_types(self) -> list[dict[str, Any]]:
        return [
            {"name": "label", "datatype": "BYTES", "shape": [2]},
            {"name": "score", "datatype": "FP32", "shape": [2]},
        ]

    def scores(self, text: str) -> np.ndarray:
        features = np.zeros(len(self.index))
        for w in words(text):
            if w in self.index:
                features[self.index[w]] += 1
        log_posterior = self.log_likelihood @ features
        exp = np.exp(log_posterior - log_posterior.max())
        return exp / exp.sum()

    async def predict(self, payload: InferRequest, headers: Any = None, response_headers: Any = None) -> InferResponse:
        text = payload.inputs[0].data[0]
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        probabilities = self.scores(str(text))
        order = np.argsort(-probabilities)
        outputs = [
            InferOutput(name="label", shape=[2], datatype="BYTES", data=[LABELS[i] for i in order]),
            InferOutput(name="score", shape=[2], datatype="FP32", data=[float(probabilities[i]) for i in order]),
        ]
        return InferResponse(model_name=self.name, infer_outputs=outputs, response_id=payload.id or str(uuid.uuid4()))


if __name__ == "__main__":
    ModelServer(http_port=int(os.environ["KSERVE_TEST_PORT"]), enable_grpc=False, workers=1).start(
        [Sentiment("sentiment")]
    )
