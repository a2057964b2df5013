"""The Ray engine: each (model, tier) is a Ray Serve application whose replicas hold the model
and batch its requests; this gateway deploys them on first use (or on load), calls them
through handles with the model's deadline, and deletes them on unload. Any number of gateways
on one cluster share the applications: their names and contents come from the catalog."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.base import Engine, InferenceResult, ModelState
from typeserve.engine.metrics import ServingMetrics
from typeserve.engine.ray.cluster import RayCluster
from typeserve.engine.ray.coalescing import CallCoalescer
from typeserve.engine.ray.deployments import app_name, deployment_name, deployment_options
from typeserve.engine.ray.failures import as_caller_problem
from typeserve.engine.ray.replica import ModelReplica, ReplicaAnswer
from typeserve.engine.tiers import Tier
from typeserve.errors import timed_out, unavailable
from typeserve.runtimes import get_runtime

log = logging.getLogger("typeserve.engine")

# How often the gateway looks at the cluster (what other gateways deployed, the GPUs).
CLUSTER_POLL_S = 2.0
# The replica enforces the deadline (its batcher drops expired work and replaces stuck threads);
# the gateway gives up on a request only if no answer comes this long after it.
GATEWAY_GRACE_S = 1.0
UNBOUNDED = 1 << 30
# Ray Serve's client builds and reads deployment configs by registering and unregistering
# modules in cloudpickle's global table, which is not thread-safe: a status poll beside a
# deploy can fail the deploy ("... is not registered for pickle by value"). The gateway's calls
# to Serve's control plane take turns.
SERVE_CONTROL = threading.RLock()


@dataclass
class RayDeployment:
    spec: ModelSpec
    tier: Tier
    handle: Any
    load_seconds: float | None
    device: str = "cpu"
    known_since: float = field(default_factory=time.monotonic)
    calls: CallCoalescer = field(init=False)

    def __post_init__(self) -> None:
        serving = self.spec.serving
        # Two calls a replica (one computing, one filling up), a batch's worth of items each. An
        # autoscaled entry sends each request as its own call, so that Ray's autoscaler sees the
        # real queue depth (requests waiting in this gateway would be invisible to it).
        scaled = serving.autoscaling is not None
        self.calls = CallCoalescer(
            self.handle,
            self.spec.id,
            max_in_flight=UNBOUNDED if scaled else 2 * max(1, serving.replicas),
            max_items=1 if scaled else serving.max_batch_size,
            max_queue=serving.max_queue,
        )


class RayEngine(Engine):
    def __init__(
        self,
        cluster: RayCluster,
        *,
        default_timeout_s: float = 60.0,
        metrics: ServingMetrics | None = None,
        app_prefix: str = "typeserve",
        deploy_timeout_s: float = 600.0,
        release_on_stop: bool = False,
    ) -> None:
        self.cluster = cluster
        self.default_timeout_s = default_timeout_s
        self.metrics = metrics
        self.app_prefix = app_prefix
        self.deploy_timeout_s = deploy_timeout_s
        self.release_on_stop = release_on_stop
        self.deployments: dict[tuple[str, Tier], RayDeployment] = {}
        self.locks: dict[tuple[str, Tier], asyncio.Lock] = {}
        self.load_errors: dict[str, str] = {}
        # This prefix's applications on the cluster (deployed by any gateway): name -> status.
        self.cluster_apps: dict[str, str] = {}
        self.cluster_gpus = 0.0
        self.poller: asyncio.Task[None] | None = None
        if metrics is not None:
            metrics.watch(lambda: [], self._loaded)

    def _loaded(self) -> Iterable[tuple[str, str]]:
        return [(mid, tier.value) for mid, tier in list(self.deployments)]

    async def start(self) -> None:
        await asyncio.to_thread(self.cluster.connect)
        await self._poll_once()
        self.poller = asyncio.create_task(self._poll_forever())

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(CLUSTER_POLL_S)
            try:
                await self._poll_once()
            except Exception:
                log.warning("could not read the Ray cluster's state", exc_info=True)

    async def _poll_once(self) -> None:
        asked = time.monotonic()
        self.cluster_apps, self.cluster_gpus = await asyncio.to_thread(self._cluster_view)
        # Another gateway unloaded (deleted) an application: forget its handle, so that the
        # next request deploys it again instead of waiting on replicas that are gone.
        for key, deployment in list(self.deployments.items()):
            name = app_name(self.app_prefix, deployment.spec.id, deployment.tier)
            if name not in self.cluster_apps and deployment.known_since < asked:
                self.deployments.pop(key, None)

    def _cluster_view(self) -> tuple[dict[str, str], float]:
        """This prefix's applications with their status, and the cluster's GPUs."""
        with SERVE_CONTROL:
            return self._cluster_view_unlocked()

    def _cluster_view_unlocked(self) -> tuple[dict[str, str], float]:
        from ray import serve

        apps = {
            name: getattr(app.status, "value", str(app.status))
            for name, app in serve.status().applications.items()
            if name.startswith(self.app_prefix + "-")
        }
        return apps, self.cluster.gpus()

    def has_gpu(self) -> bool:
        return self.cluster_gpus > 0

    def timeout_for(self, spec: ModelSpec) -> float:
        return spec.serving.timeout_s or self.default_timeout_s

    async def _deployment(self, spec: ModelSpec, tier: Tier) -> RayDeployment:
        key = (spec.id, tier)
        current = self.deployments.get(key)
        if current is not None and (current.spec is spec or current.spec == spec):
            return current
        async with self.locks.setdefault(key, asyncio.Lock()):
            current = self.deployments.get(key)
            if current is not None and (current.spec is spec or current.spec == spec):
                return current
            deployment = await asyncio.to_thread(self._deploy, spec, tier)
            self.deployments[key] = deployment
            return deployment

    def _deploy(self, spec: ModelSpec, tier: Tier) -> RayDeployment:
        """Reuse the application when the cluster already runs this entry (another gateway,
        an earlier life of this one); otherwise deploy it and wait until it serves."""
        with SERVE_CONTROL:
            return self._deploy_unlocked(spec, tier)

    def _deploy_unlocked(self, spec: ModelSpec, tier: Tier) -> RayDeployment:
        from ray import serve

        name = app_name(self.app_prefix, spec.id, tier)
        wanted = deployment_name(spec)
        started = time.perf_counter()
        status = serve.status().applications.get(name)
        if status is not None and status.status in ("RUNNING", "DEPLOYING") and wanted in status.deployments:
            # Running, or being deployed or repaired (another gateway, a replaced replica): use it.
            if status.status == "DEPLOYING":
                self._wait_until_running(spec, name, started)
            handle = serve.get_app_handle(name)
            return RayDeployment(spec, tier, handle, None, self._device_of(handle, tier))
        availability = get_runtime(spec.runtime).availability(spec)
        if not availability.available:
            detail = availability.reason or "Not installed."
            if availability.install:
                detail += f" Install with: {availability.install}"
            raise unavailable("model_unavailable", detail, retry_after=60)
        options = deployment_options(spec, tier, runtime_env=self.cluster.replica_runtime_env())
        deployment: Any = serve.deployment(ModelReplica)  # typed as a decorator; called on a class it is a Deployment
        app = deployment.options(**options).bind(spec.model_dump_json(), tier.device)
        log.info("deploying %s on %s to Ray Serve as %s", spec.id, tier, name)
        serve.run_many([serve.RunTarget(app, name=name, route_prefix=None)], wait_for_applications_running=False)
        self._wait_until_running(spec, name, started)
        load_seconds = time.perf_counter() - started
        self.load_errors.pop(spec.id, None)
        log.info("deployed %s on %s in %.2f s", spec.id, tier, load_seconds)
        handle = serve.get_app_handle(name)
        return RayDeployment(spec, tier, handle, load_seconds, self._device_of(handle, tier))

    @staticmethod
    def _device_of(handle: Any, tier: Tier) -> str:
        try:
            return str(handle.device_report.remote().result(timeout_s=30))
        except Exception:  # a replica still starting (scaled to zero): the tier's device
            return tier.device

    def _wait_until_running(self, spec: ModelSpec, name: str, started: float) -> None:
        from ray import serve

        while True:
            app = serve.status().applications.get(name)
            state = app.status if app is not None else "NOT_STARTED"
            if state == "RUNNING":
                return
            message = app.message if app is not None else ""
            if app is not None:
                message = message or "; ".join(d.message for d in app.deployments.values() if d.message)
            if state in ("DEPLOY_FAILED", "UNHEALTHY") or time.perf_counter() - started > self.deploy_timeout_s:
                first_line = (message or state).strip().splitlines()[-1][:500]
                self.load_errors[spec.id] = first_line
                serve.delete(name, _blocking=False)
                raise unavailable("model_unavailable", f"Model {spec.id} could not be deployed: {first_line}", 60)
            time.sleep(0.25)

    async def infer(self, spec: ModelSpec, tier: Tier, items: list[Any]) -> InferenceResult:
        started = time.perf_counter()
        deployment = await self._deployment(spec, tier)
        timeout_s = self.timeout_for(spec)
        called = time.perf_counter()
        try:
            async with asyncio.timeout(timeout_s + GATEWAY_GRACE_S):
                answer: ReplicaAnswer = await deployment.calls.call(items, timeout_s)
        except TimeoutError:  # the replica drops the work: queued items never reach the model
            raise timed_out(f"No answer from {spec.id} within {timeout_s:g} s.") from None
        except Exception as exc:
            problem = as_caller_problem(exc, spec.id)
            if problem.code == "worker_crashed" and self.metrics is not None:
                self.metrics.worker_crashes.labels(spec.id, tier.value).inc()
            raise problem from None
        self._observe(spec.id, tier, answer)
        round_trip_ms = (time.perf_counter() - called) * 1000
        return InferenceResult(
            outputs=answer.outputs,
            tier=tier,
            # Deploying, Ray's routing and the replica's queue: everything but the model's work.
            queue_ms=(called - started) * 1000 + max(0.0, round_trip_ms - answer.inference_ms),
            inference_ms=answer.inference_ms,
        )

    def _observe(self, model_id: str, tier: Tier, answer: ReplicaAnswer) -> None:
        if self.metrics is None:
            return
        observe = self.metrics.batch_observer(model_id, tier.value)
        for stats in answer.batches:
            observe(stats)

    async def load(self, spec: ModelSpec, tier: Tier) -> None:
        await self._deployment(spec, tier)

    async def unload(self, model_id: str) -> bool:
        names = {app_name(self.app_prefix, model_id, tier): tier for tier in Tier}
        for tier in Tier:
            self.deployments.pop((model_id, tier), None)
        deleted = await asyncio.to_thread(self._delete_apps, list(names))
        await self._poll_once()
        return deleted

    def _delete_apps(self, names: list[str]) -> bool:
        from ray import serve

        with SERVE_CONTROL:
            present = [name for name in names if name in serve.status().applications]
            for name in present:
                serve.delete(name)
            return bool(present)

    def state(self, model_id: str) -> ModelState:
        tiers = {tier for (mid, tier) in self.deployments if mid == model_id}
        tiers |= {
            tier for tier in Tier if self.cluster_apps.get(app_name(self.app_prefix, model_id, tier)) == "RUNNING"
        }
        if not tiers:
            return ModelState(loaded=False, error=self.load_errors.get(model_id))
        known = [d for (mid, _), d in self.deployments.items() if mid == model_id]
        seconds = [d.load_seconds for d in known if d.load_seconds]
        return ModelState(
            loaded=True,
            tiers=tuple(sorted(t.value for t in tiers)),
            load_seconds=max(seconds) if seconds else None,
            isolated=True,  # replicas are Ray worker processes, never the gateway
            devices={t.value: next((d.device for d in known if d.tier is t), t.device) for t in tiers},
        )

    async def stop(self) -> None:
        if self.poller is not None:
            self.poller.cancel()
        if self.release_on_stop:
            names = [app_name(self.app_prefix, mid, tier) for mid, tier in self.deployments]
            try:
                await asyncio.to_thread(self._delete_apps, names)
            except Exception:
                log.warning("could not delete this gateway's deployments", exc_info=True)
        self.deployments.clear()
        await asyncio.to_thread(self.cluster.close)
