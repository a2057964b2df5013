"""Scale-out benchmark: the MiniLM embedding workload (feature-extraction, as in the peer
benchmark of bench/run.py) through typeserve's local engine, typeserve's Ray
engine and a plain Ray Serve app with `@serve.batch` serving the same model function, in one
run on one machine. Each Ray server starts its own small local Ray cluster on 127.0.0.1 and
ends it when it stops.

    python bench/ray_engine.py --seconds 8
    python bench/run.py --only ray            # the same, as a section of the full run
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    EMBEDDING_MODEL,
    PYTHON,
    SERVERS,
    Server,
    free_port,
    httpx,
    repeated,
    stop,
    typeserve_server,
)

BODY = {"input": "The food was great but the service was painfully slow."}
# Every server's model uses both cores: Ray caps a replica's threads at the CPUs it asks for.
REPLICA_CPUS = 2


def ray_catalog() -> Path:
    """The MiniLM entry with replicas that ask for both cores (as the in-process model uses)."""
    from typeserve.catalog import Catalog

    spec = Catalog.default().get(EMBEDDING_MODEL).model_dump(mode="json")
    spec["serving"]["cpus"] = REPLICA_CPUS
    path = Path(tempfile.mkdtemp()) / "ray-minilm.yaml"
    path.write_text(yaml.safe_dump({"models": [spec]}))
    return path


def ray_engine_env() -> dict[str, str]:
    env = {
        "TYPESERVE_ENGINE": "ray",
        "TYPESERVE_RAY_NUM_CPUS": str(REPLICA_CPUS),
        "TYPESERVE_CATALOG_FILES": f'["{ray_catalog()}"]',
    }
    os.environ.pop("RAY_ADDRESS", None)  # a cluster of its own, not one left on the machine
    return env


@contextmanager
def plain_ray_serve_server() -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "BENCH_MODEL": EMBEDDING_MODEL,
        "HF_HUB_OFFLINE": "1",
        "BENCH_REPLICA_CPUS": "2",
        "BENCH_MAX_BATCH": "32",  # the catalog entry's batch size, as typeserve batches it
    }
    env.pop("RAY_ADDRESS", None)
    process = subprocess.Popen(
        [PYTHON, "ray_serve_app.py", str(port)],
        cwd=SERVERS,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == b"ready":
                break
        else:
            raise RuntimeError(f"the Ray Serve app exited with {process.wait()}")
        httpx.post(f"http://127.0.0.1:{port}/", json=BODY, timeout=600).raise_for_status()
        yield Server(f"http://127.0.0.1:{port}", {}, process)
    finally:
        stop(process)


def bench_ray(starts: int, seconds: float) -> list[str]:
    path = f"/v1/ent/{EMBEDDING_MODEL}"
    concurrencies = [1, 64]
    results = {
        "typeserve, local engine": repeated(starts, typeserve_server, path, BODY, concurrencies, seconds),
        "typeserve, Ray engine": repeated(
            starts, lambda: typeserve_server(ray_engine_env()), path, BODY, concurrencies, seconds
        ),
        "plain Ray Serve, @serve.batch": repeated(starts, plain_ray_serve_server, "/", BODY, concurrencies, seconds),
    }
    lines = [
        f"### Scale-out: `{EMBEDDING_MODEL}` on the local engine, the Ray engine and plain Ray Serve",
        "",
        "| server | concurrency | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, by_c in results.items():
        for c, load in by_c.items():
            lines.append(f"| {name} | {c} | {load.rps:,.1f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | {load.errors} |")
    local, on_ray, plain = (results[name][64].rps for name in results)
    lines += [
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| Ray engine / local engine req/s at c=64 | {on_ray / local:.2f}x | >= 0.8x |",
        f"| Ray engine / plain Ray Serve req/s at c=64 | {on_ray / plain:.2f}x | >= 1.2x |",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=1, help="server starts per setting (medians over them)")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds of load per measurement")
    args = parser.parse_args()
    print("\n".join(bench_ray(args.starts, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
