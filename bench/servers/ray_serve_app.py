"""The plain Ray Serve peer: the same MiniLM model function typeserve serves, as one Ray Serve
deployment with `@serve.batch`, behind Ray Serve's own HTTP proxy on 127.0.0.1. It starts its
own small local Ray cluster and ends it on SIGINT/SIGTERM.
Usage: python ray_serve_app.py PORT"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

# Loopback only, no usage stats, the gateway's own signal handling (see engine/ray/cluster.py).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_DISABLE_FAILURE_SIGNAL_HANDLER", "1")

import ray
from ray import serve
from starlette.requests import Request

MODEL_ID = os.environ.get("BENCH_MODEL", "sentence-transformers/1/minilm-answer-selection")
MAX_BATCH = int(os.environ.get("BENCH_MAX_BATCH", "16"))
CPUS = float(os.environ.get("BENCH_REPLICA_CPUS", "2"))


@serve.deployment(max_ongoing_requests=2 * MAX_BATCH, ray_actor_options={"num_cpus": CPUS})
class TypedModel:
    def __init__(self) -> None:
        from typeserve.catalog import Catalog
        from typeserve.modeltypes import get_model_type
        from typeserve.runtimes import get_runtime

        spec = Catalog.default().get(MODEL_ID)
        self.input_type = get_model_type(spec.type).Input
        self.model = get_runtime(spec.runtime).load(spec, "cpu")

    @serve.batch(max_batch_size=MAX_BATCH, batch_wait_timeout_s=0.002)
    async def predict(self, items: list[Any]) -> list[Any]:
        return [output.model_dump(mode="json") for output in self.model.predict(items)]

    async def __call__(self, request: Request) -> Any:
        item = self.input_type.model_validate(await request.json())
        return await self.predict(item)


def main() -> None:
    port = int(sys.argv[1])
    src = os.path.join(os.path.dirname(__file__), "..", "..", "src")
    ray.init(
        address="local",
        num_cpus=2,
        object_store_memory=256 * 2**20,
        include_dashboard=False,
        _node_ip_address="127.0.0.1",
        runtime_env={"env_vars": {"PYTHONPATH": os.path.abspath(src)}},
        log_to_driver=False,
    )
    serve.start(http_options={"host": "127.0.0.1", "port": port})
    serve.run(TypedModel.bind(), route_prefix="/", name="bench")
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    serve.shutdown()
    ray.shutdown()


if __name__ == "__main__":
    main()
