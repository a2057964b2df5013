"""The peer: LitServe serving the same model function typeserve serves, with LitServe's own
dynamic batching when BENCH_MAX_BATCH is above 1 (its best setting for a compute-bound model).
Usage: python litserve_app.py PORT"""

from __future__ import annotations

import os
import sys
from typing import Any

import litserve as ls

MODEL_ID = os.environ.get("BENCH_MODEL", "vader/1/sentiment")
MAX_BATCH = int(os.environ.get("BENCH_MAX_BATCH", "1"))


class TypedModelAPI(ls.LitAPI):
    def setup(self, device: str) -> None:
        from typeserve.catalog import Catalog
        from typeserve.modeltypes import get_model_type
        from typeserve.runtimes import get_runtime

        spec = Catalog.default().get(MODEL_ID)
        self.input_type = get_model_type(spec.type).Input
        self.model = get_runtime(spec.runtime).load(spec, "cpu")

    def decode_request(self, request):  # type: ignore[no-untyped-def]  # LitServe reads the annotation
        return self.input_type.model_validate(request)

    def predict(self, x: Any) -> Any:
        # With batching on, LitServe hands over the list of decoded requests.
        return self.model.predict(x) if MAX_BATCH > 1 else self.model.predict([x])[0]

    def encode_response(self, output: Any) -> Any:
        return output.model_dump(mode="json")


if __name__ == "__main__":
    batching = {"max_batch_size": MAX_BATCH, "batch_timeout": 0.005} if MAX_BATCH > 1 else {}
    server = ls.LitServer(TypedModelAPI(), accelerator="cpu", workers_per_device=1, **batching)
    server.run(host="127.0.0.1", port=int(sys.argv[1]), generate_client_file=False)
