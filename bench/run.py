"""Benchmarks: typeserve against the floor (a bare ASGI endpoint calling the same model
function) and the peer (LitServe serving the same function), with a closed-loop load
generator (`hey`), at several concurrencies, over several server starts, reporting medians
and ratios measured in the same run on the same machine.

    python bench/run.py                      # everything (several minutes)
    python bench/run.py --only vader --starts 1 --seconds 3

Workloads:
  vader        cheap model (vader/1/sentiment): all server overhead
  transformer  a MiniLM model (compute-bound): batching against the in-process limit
  embedding    the MiniLM embedding model (feature-extraction, compute-bound): typeserve against
               the in-process limit and LitServe with its own batching, on the same work
  idle         resident memory of an idle server and its cold start to ready
  journal      vader at c=64 with the usage journal on and off (starts alternate, same run)
  pipeline     TextRank (a single-threaded worker process) at c=64 with one and two batches in
               flight per worker (starts alternate, same run)
  limits       vader at c=64 with rate limits and quotas on (counters in a Redis of its own)
               against limits off, alternating in one run
  ray          the MiniLM workload on the local engine, the Ray engine and plain Ray Serve
               (bench/ray_engine.py; not part of the default run: it starts Ray clusters)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVERS = ROOT / "bench" / "servers"
PYTHON = sys.executable
TRANSFORMER_MODEL = "sentence-transformers/1/minilm-answer-selection"
EMBEDDING_MODEL = "sentence-transformers/1/all-minilm-l6-v2"


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Server:
    url: str
    headers: dict[str, str]
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (LitServe and workers fork)."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


@contextmanager
def typeserve_server(extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    data = Path(tempfile.mkdtemp(prefix="bench-typeserve-"))
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1", **(extra_env or {})}
    process = subprocess.Popen(
        [PYTHON, "-m", "typeserve", "serve", "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz", process)
        assert process.stdout is not None
        key = ""
        while not key:
            match = re.search(rb"tsk_[0-9a-f]+_[A-Za-z0-9_-]+", process.stdout.readline())
            key = match.group(0).decode() if match else ""
        yield Server(f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {key}"}, process)
    finally:
        stop(process)
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def floor_server(model_id: str) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "BENCH_MODEL": model_id, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "floor_app:app", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=SERVERS,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        # The floor answers every path; a POST proves the model is loaded.
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.post(url, json={"input": "warm up"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.05)
        yield Server(url, {}, process)
    finally:
        stop(process)


@contextmanager
def litserve_server(model_id: str, max_batch: int = 1) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "BENCH_MODEL": model_id, "BENCH_MAX_BATCH": str(max_batch), "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [PYTHON, "litserve_app.py", str(port)],
        cwd=SERVERS,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}/health", process)
        yield Server(f"http://127.0.0.1:{port}/predict", {}, process)
    finally:
        stop(process)


def hey(url: str, body: dict[str, object], headers: dict[str, str], concurrency: int, seconds: float) -> Load:
    command = [
        "hey",
        "-z",
        f"{seconds}s",
        "-c",
        str(concurrency),
        "-m",
        "POST",
        "-T",
        "application/json",
        "-d",
        json.dumps(body),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def figure(pattern: str) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else float("nan")  # no answer at all in the window

    rps = figure(r"Requests/sec:\s+([\d.]+)")
    p50 = figure(r"50%+ in ([\d.]+) secs") * 1000
    p99 = figure(r"99%+ in ([\d.]+) secs") * 1000
    statuses = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", output))
    errors = sum(int(n) for code, n in statuses.items() if code != "200")
    return Load(rps, p50, p99, errors)


def measure(
    server: Server, path: str, body: dict[str, object], concurrencies: list[int], seconds: float
) -> dict[int, Load]:
    url = server.url + path
    # Warm up: the first request loads the model (seconds for a transformer), then connections.
    httpx.post(url, json=body, headers=server.headers, timeout=600).raise_for_status()
    hey(url, body, server.headers, 8, 1.0)
    return {c: hey(url, body, server.headers, c, seconds) for c in concurrencies}


def median_load(runs: list[Load]) -> Load:
    return Load(
        statistics.median(r.rps for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(r.p99_ms for r in runs),
        sum(r.errors for r in runs),
    )


def repeated(
    starts: int, make: object, path: str, body: dict[str, object], concurrencies: list[int], seconds: float
) -> dict[int, Load]:
    runs: dict[int, list[Load]] = {c: [] for c in concurrencies}
    for _ in range(starts):
        with make() as server:  # type: ignore[operator]
            for c, load in measure(server, path, body, concurrencies, seconds).items():
                runs[c].append(load)
    return {c: median_load(loads) for c, loads in runs.items()}


def alternating(
    starts: int,
    settings: dict[str, dict[str, str]],
    path: str,
    body: dict[str, object],
    concurrency: int,
    seconds: float,
) -> dict[str, Load]:
    """typeserve under each setting (environment), starts alternating so that every setting
    sees the same machine; the median of each."""
    runs: dict[str, list[Load]] = {name: [] for name in settings}
    for _ in range(starts):
        for name, env in settings.items():
            with typeserve_server(env) as server:
                runs[name].append(measure(server, path, body, [concurrency], seconds)[concurrency])
    return {name: median_load(loads) for name, loads in runs.items()}


def bench_vader(starts: int, seconds: float) -> list[str]:
    model = "vader/1/sentiment"
    body = {"input": "The food was great but the service was painfully slow."}
    concurrencies = [1, 8, 64]
    results = {
        "floor (bare ASGI)": repeated(starts, lambda: floor_server(model), "/", body, concurrencies, seconds),
        "LitServe": repeated(starts, lambda: litserve_server(model), "", body, concurrencies, seconds),
        "typeserve": repeated(starts, typeserve_server, f"/v1/ent/{model}", body, concurrencies, seconds),
    }
    lines = [
        "### Cheap model: `vader/1/sentiment` (server overhead)",
        "",
        "| server | concurrency | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, by_c in results.items():
        for c, load in by_c.items():
            lines.append(f"| {name} | {c} | {load.rps:,.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.errors} |")
    ts, floor, lit = results["typeserve"], results["floor (bare ASGI)"], results["LitServe"]
    lines += [
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| typeserve / LitServe req/s at c=64 | {ts[64].rps / lit[64].rps:.2f}x | >= 3x |",
        f"| typeserve / floor req/s at c=64 | {ts[64].rps / floor[64].rps:.2f}x | >= 0.5x |",
        f"| typeserve p50 - floor p50 at c=1 | {ts[1].p50_ms - floor[1].p50_ms:+.2f} ms | <= +1 ms |",
        "",
    ]
    return lines


@contextmanager
def own_redis() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


# Limits no request reaches, so that every request pays for the check and none is refused:
# a key rate and daily quota and a user rate (three counters in one Lua script per request).
GENEROUS_KEY_LIMITS = {"requestsPerSecond": 1_000_000, "requestsPerDay": 1_000_000_000}
GENEROUS_USER_LIMITS = {"requestsPerMinute": 60_000_000}


def admission_cpu_us(redis_url: str, concurrency: int = 64, admissions: int = 20_000) -> float:
    """CPU microseconds this process spends per admission (the limiter's whole share of a
    request: rules, one pipelined Lua call, the verdict) with `concurrency` callers at once;
    CPU time, so that other load on the machine does not count."""
    import asyncio

    from typeserve.accounts.keys import KeyInfo
    from typeserve.accounts.limits.limiter import Limiter
    from typeserve.accounts.limits.policy import Limits
    from typeserve.accounts.limits.redis_counters import RedisCounters
    from typeserve.store.tables import utcnow

    limiter = Limiter(
        RedisCounters(redis_url),
        key_defaults=Limits.model_validate(GENEROUS_KEY_LIMITS),
        user_defaults=Limits.model_validate(GENEROUS_USER_LIMITS),
    )
    key = KeyInfo("benchkey", "bench", ("invoke",), 1, utcnow(), None, None, None)

    async def run() -> float:
        async def caller(count: int) -> None:
            for _ in range(count):
                admission = limiter.admission(key)
                await admission.admit()
                limiter.settle(admission, True, 0.001)

        await caller(100)  # warm up: connection, script load
        started = time.process_time()
        await asyncio.gather(*(caller(admissions // concurrency) for _ in range(concurrency)))
        used = time.process_time() - started
        await limiter.close()
        return used / admissions * 1e6

    return asyncio.run(run())


def bench_limits(starts: int, seconds: float) -> list[str]:
    if shutil.which("redis-server") is None:
        return ["### Rate limits: skipped (needs redis-server)", ""]
    model = "vader/1/sentiment"
    body = {"input": "The food was great but the service was painfully slow."}
    path = f"/v1/ent/{model}"
    with own_redis() as redis_url:
        limited = {
            "TYPESERVE_REDIS_URL": redis_url,
            "TYPESERVE_KEY_LIMITS": json.dumps(GENEROUS_KEY_LIMITS),
            "TYPESERVE_USER_LIMITS": json.dumps(GENEROUS_USER_LIMITS),
        }
        loads = alternating(starts, {"off": {}, "on": limited}, path, body, 64, seconds)
        limiter_us = admission_cpu_us(redis_url)
    off, on = loads["off"], loads["on"]
    lines = [
        "### Rate limits: `vader/1/sentiment` at c=64, limits off against on (Redis)",
        "",
        "| setting | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|",
    ]
    for name, load in (("limits off", off), ("limits on (Redis)", on)):
        lines.append(f"| {name} | {load.rps:,.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {load.errors} |")
    lines += [
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| limiter cost: 1 - on/off req/s at c=64 | {1 - on.rps / off.rps:.1%} | < 15% |",
        f"| limiter CPU per request (in process, c=64) | {limiter_us:.0f} us | |",
        f"| that CPU against the CPU of a request with limits off (1 core / off req/s) | "
        f"{limiter_us / (1e6 / off.rps):.1%} | < 15% |",
        "",
    ]
    return lines


def record_cost_us(journal: bool, records: int = 20_000, repeats: int = 5) -> float:
    """Microseconds one `UsageRecorder.record` takes in process (best of `repeats`): what the
    journal adds to each request, free of the load generator's noise."""
    from typeserve.accounts.keys import ApiKeyStore
    from typeserve.accounts.usage import Usage, UsageRecorder
    from typeserve.store import Database

    folder = Path(tempfile.mkdtemp(prefix="bench-usage-"))
    db = Database(f"sqlite:///{folder / 'usage.db'}")
    db.migrate()
    recorder = UsageRecorder(db, ApiKeyStore(db), journal_dir=folder / "journal" if journal else None)
    usage = Usage("vader/1/sentiment", "cpuflex", 200, 1.2, key_id="0123456789ab", user_id=1, request_id="0" * 32)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(records):
            recorder.record(usage)
        best = min(best, (time.perf_counter() - started) / records * 1e6)
        recorder.buffer.clear()
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return best


def bench_worker_pipeline(starts: int, seconds: float) -> list[str]:
    """A single-threaded worker-process model (TextRank) at c=64 with two batches in flight
    per worker against one (the next batch sent only when the last is answered)."""
    model = "summa/1/textrank"
    sentences = [
        "The city council approved the new budget on Tuesday after a long debate.",
        "Funding for parks and libraries will rise by ten percent.",
        "Critics said the plan ignores rising transit costs.",
        "The mayor promised a review of transit spending next year.",
        "Residents will be able to comment at public hearings in March.",
    ]
    body = {"input": " ".join(sentences * 3)}
    settings = {"one": {"TYPESERVE_WORKER_PIPELINE_DEPTH": "1"}, "two": {"TYPESERVE_WORKER_PIPELINE_DEPTH": "2"}}
    loads = alternating(starts, settings, f"/v1/ent/{model}", body, 64, seconds)
    one, two = loads["one"], loads["two"]
    return [
        f"### Worker pipeline: `{model}` (a worker process, one thread) at c=64",
        "",
        "| batches in flight per worker | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|",
        f"| 1 (next batch after the answer) | {one.rps:,.0f} | {one.p50_ms:.1f} | {one.p99_ms:.1f} | {one.errors} |",
        f"| 2 (default: next batch waits in the pipe) | {two.rps:,.0f} | {two.p50_ms:.1f} | {two.p99_ms:.1f} | "
        f"{two.errors} |",
        "",
        "| ratio (same run) | value |",
        "|---|---|",
        f"| two / one in flight, req/s at c=64 | {two.rps / one.rps:.2f}x |",
        "",
    ]


def bench_usage_journal(starts: int, seconds: float) -> list[str]:
    """The usage journal's cost on the cheapest request: VADER at c=64, journal off and on,
    alternating server starts so that both see the same machine."""
    model = "vader/1/sentiment"
    body = {"input": "The food was great but the service was painfully slow."}
    settings = {"off": {"TYPESERVE_USAGE_JOURNAL": "false"}, "on": {"TYPESERVE_USAGE_JOURNAL": "true"}}
    loads = alternating(starts, settings, f"/v1/ent/{model}", body, 64, seconds)
    off, on = loads["off"], loads["on"]
    memory_us, journal_us = record_cost_us(False), record_cost_us(True)
    return [
        "### Usage journal: `vader/1/sentiment` at c=64",
        "",
        "| usage journal | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|",
        f"| off (memory buffer only) | {off.rps:,.0f} | {off.p50_ms:.2f} | {off.p99_ms:.2f} | {off.errors} |",
        f"| on (durable across kill -9) | {on.rps:,.0f} | {on.p50_ms:.2f} | {on.p99_ms:.2f} | {on.errors} |",
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| journal on / off req/s at c=64 | {on.rps / off.rps:.2f}x | >= 0.90x |",
        f"| recording one request, in process: memory only / with journal | {memory_us:.1f} / {journal_us:.1f} us | |",
        f"| the journal's share of a request at {off.rps:,.0f} req/s on one core | "
        f"{(journal_us - memory_us) * off.rps / 1e6:.1%} | <= 10% |",
        "",
    ]


def in_process_throughput(
    model_id: str, body: dict[str, object], batch_sizes: list[int], seconds: float
) -> dict[int, float]:
    """Items per second of the model called directly, no server."""
    from typeserve.catalog import Catalog
    from typeserve.modeltypes import get_model_type
    from typeserve.runtimes import get_runtime

    spec = Catalog.default().get(model_id)
    item = get_model_type(spec.type).Input.model_validate(body)
    model = get_runtime(spec.runtime).load(spec, "cpu")
    model.predict([item] * 4)  # warm up
    rates = {}
    for size in batch_sizes:
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            model.predict([item] * size)
            done += size
        rates[size] = done / (time.perf_counter() - started)
    return rates


def unbatched_catalog(model_id: str) -> str:
    """A catalog file that serves `model_id` one item per predict call (batching off)."""
    from typeserve.catalog import Catalog

    spec = Catalog.default().get(model_id).model_dump(mode="json")
    spec["serving"]["max_batch_size"] = 1
    path = Path(tempfile.mkdtemp()) / "unbatched.yaml"
    path.write_text(yaml.safe_dump({"models": [spec]}))
    return json.dumps([str(path)])


def compute_bound_runs(
    model: str, body: dict[str, object], starts: int, seconds: float
) -> tuple[dict[int, float], dict[int, Load], dict[int, Load]]:
    """The model in process (batches of 1, 8, 32), and typeserve with batching on and off."""
    limit = in_process_throughput(model, body, [1, 8, 32], seconds)
    catalog = unbatched_catalog(model)
    path = f"/v1/ent/{model}"
    batched = repeated(starts, typeserve_server, path, body, [1, 64], seconds)
    unbatched = repeated(
        starts, lambda: typeserve_server({"TYPESERVE_CATALOG_FILES": catalog}), path, body, [64], seconds
    )
    return limit, batched, unbatched


def bench_transformer(starts: int, seconds: float) -> list[str]:
    model = TRANSFORMER_MODEL
    body = {
        "question": "Where does the Eiffel tower stand?",
        "context": "The Eiffel tower is a wrought-iron lattice tower. It stands on the Champ de Mars in Paris. "
        "It was built for the 1889 World's Fair.",
    }
    limit, batched, unbatched = compute_bound_runs(model, body, starts, seconds)
    lines = [f"### Transformer: `{model}` (compute-bound)", "", "| setting | req/s (items/s) |", "|---|---|"]
    lines += [f"| in process, batches of {size} | {rate:,.1f} |" for size, rate in limit.items()]
    lines += [
        f"| typeserve, batching on, c=1 | {batched[1].rps:,.1f} |",
        f"| typeserve, batching on, c=64 | {batched[64].rps:,.1f} |",
        f"| typeserve, batching off, c=64 | {unbatched[64].rps:,.1f} |",
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| typeserve c=64 / in-process batch-32 | {batched[64].rps / limit[32]:.2f}x | >= 0.85x |",
        f"| batching on / off at c=64 | {batched[64].rps / unbatched[64].rps:.2f}x | >= 3x |",
        "",
    ]
    return lines


def bench_embedding(starts: int, seconds: float) -> list[str]:
    """The same feature-extraction work in process, through typeserve and through LitServe."""
    model = EMBEDDING_MODEL
    body = {"input": "The food was great but the service was painfully slow."}
    limit, batched, unbatched = compute_bound_runs(model, body, starts, seconds)
    peer = repeated(starts, lambda: litserve_server(model, max_batch=32), "", body, [64], seconds)
    lines = [f"### Embeddings: `{model}` (feature-extraction, compute-bound)", ""]
    lines += ["| setting | req/s (items/s) | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
    lines += [f"| in process, batches of {size} | {rate:,.1f} | | | |" for size, rate in limit.items()]
    for name, load in (
        ("typeserve, batching on, c=1", batched[1]),
        ("typeserve, batching on, c=64", batched[64]),
        ("typeserve, batching off, c=64", unbatched[64]),
        ("LitServe, its batching (32, 5 ms), c=64", peer[64]),
    ):
        lines.append(f"| {name} | {load.rps:,.1f} | {load.p50_ms:.0f} | {load.p99_ms:.0f} | {load.errors} |")
    lines += [
        "",
        "| ratio (same run) | value | target |",
        "|---|---|---|",
        f"| typeserve c=64 / in-process batch-32 | {batched[64].rps / limit[32]:.2f}x | >= 0.9x |",
        f"| typeserve batching on / off at c=64 | {batched[64].rps / unbatched[64].rps:.2f}x | >= 2.5x |",
        f"| LitServe c=64 / in-process batch-32 | {peer[64].rps / limit[32]:.2f}x | |",
        f"| typeserve / LitServe at c=64 | {batched[64].rps / peer[64].rps:.2f}x | |",
        "",
    ]
    return lines


def bench_idle(starts: int) -> list[str]:
    memory, ready = [], []
    for _ in range(starts):
        data = Path(tempfile.mkdtemp(prefix="bench-idle-"))
        port = free_port()
        started = time.monotonic()
        process = subprocess.Popen(
            [PYTHON, "-m", "typeserve", "serve", "--port", str(port), "--data-dir", str(data)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}/readyz", process)
            ready.append(time.monotonic() - started)
            time.sleep(1)
            memory.append(rss_mb(process.pid))
        finally:
            stop(process)
            shutil.rmtree(data, ignore_errors=True)
    return [
        "### Idle server",
        "",
        "| figure | median | target |",
        "|---|---|---|",
        f"| resident memory, no model loaded | {statistics.median(memory):.0f} MB | < 150 MB |",
        f"| cold start to ready (first start: creates the database) | {statistics.median(ready):.2f} s | < 2 s |",
        "",
    ]


def ray_section(starts: int, seconds: float) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ray_engine import bench_ray

    return bench_ray(starts, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only",
        choices=["vader", "transformer", "idle", "journal", "pipeline", "embedding", "limits", "ray"],
        action="append",
    )
    parser.add_argument("--starts", type=int, default=3, help="server starts per setting (medians over them)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of load per measurement")
    parser.add_argument("--output", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args()
    if shutil.which("hey") is None:
        sys.exit("bench needs `hey` (Debian package hey): apt-get install hey")
    chosen = args.only or ["vader", "transformer", "embedding", "idle", "journal", "pipeline", "limits"]
    lines = [
        f"## typeserve benchmarks ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{args.starts} server starts per setting, {args.seconds:g} s per measurement, medians)",
        "",
    ]
    sections = {
        "idle": lambda: bench_idle(args.starts),
        "vader": lambda: bench_vader(args.starts, args.seconds),
        "transformer": lambda: bench_transformer(args.starts, args.seconds),
        "embedding": lambda: bench_embedding(args.starts, args.seconds),
        "journal": lambda: bench_usage_journal(args.starts, args.seconds),
        "pipeline": lambda: bench_worker_pipeline(args.starts, args.seconds),
        "limits": lambda: bench_limits(args.starts, args.seconds),
        "ray": lambda: ray_section(args.starts, args.seconds),
    }
    print("\n".join(lines), flush=True)
    for name in ("idle", "vader", "transformer", "embedding", "journal", "pipeline", "limits", "ray"):
        if name in chosen:
            section = sections[name]()
            print("\n".join(section), flush=True)  # each table as soon as it is measured
            lines += section
            if args.output:
                args.output.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
