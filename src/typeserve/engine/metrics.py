"""Prometheus metrics of the serving path. One registry per server, exposed at /metrics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from typeserve.engine.batching import BatchStats

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)


class _LiveGauges(Collector):
    """Queue depths and loaded models, read from the engine when scraped."""

    def __init__(
        self, depths: Callable[[], Iterable[tuple[str, str, int]]], loaded: Callable[[], Iterable[tuple[str, str]]]
    ) -> None:
        self.depths = depths
        self.loaded = loaded

    def collect(self) -> Iterable[Metric]:
        depth = GaugeMetricFamily("typeserve_queue_depth", "Requests waiting for a model.", labels=["model", "tier"])
        for model, tier, value in self.depths():
            depth.add_metric([model, tier], value)
        yield depth
        loaded = GaugeMetricFamily(
            "typeserve_model_loaded", "1 for each loaded (model, tier).", labels=["model", "tier"]
        )
        for model, tier in self.loaded():
            loaded.add_metric([model, tier], 1)
        yield loaded


class ServingMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "typeserve_requests",
            "Invocations by model, tier and HTTP status.",
            ["model", "tier", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "typeserve_request_duration_seconds",
            "Time to answer an invocation.",
            ["model", "tier"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.queue_wait = Histogram(
            "typeserve_queue_wait_seconds",
            "Time an input waited for its batch.",
            ["model", "tier"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "typeserve_batch_size",
            "Inputs per model call.",
            ["model", "tier"],
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.inference = Histogram(
            "typeserve_inference_seconds",
            "Time of one model call (a whole batch).",
            ["model", "tier"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.key_lookups = Counter(
            "typeserve_key_lookups",
            "API-key lookups that reached the database (found, unknown, or a snapshot of the known ids).",
            ["result"],
            registry=self.registry,
        )
        self.worker_crashes = Counter(
            "typeserve_worker_crashes", "Model worker processes that died.", ["model", "tier"], registry=self.registry
        )

    def watch(
        self, depths: Callable[[], Iterable[tuple[str, str, int]]], loaded: Callable[[], Iterable[tuple[str, str]]]
    ) -> None:
        self.registry.register(_LiveGauges(depths, loaded))

    def batch_observer(self, model_id: str, tier: str) -> Callable[[BatchStats], None]:
        """Records one finished batch of a (model, tier): its size, duration and queue waits."""
        batch_size = self.batch_size.labels(model_id, tier)
        inference = self.inference.labels(model_id, tier)
        queue_wait = self.queue_wait.labels(model_id, tier)

        def observe(stats: BatchStats) -> None:
            batch_size.observe(stats.size)
            inference.observe(stats.inference_s)
            for wait in stats.queue_waits_s:
                queue_wait.observe(wait)

        return observe

    def render(self) -> bytes:
        return generate_latest(self.registry)
