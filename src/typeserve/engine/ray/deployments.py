"""How a catalog entry becomes a Ray Serve application: one application per (model, tier), its
name, the resources its replicas ask for (CPUs on cpuflex, GPUs on gpuflex), replicas or
autoscaling, and the queue bounds that turn into 503 overloaded."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.tiers import Tier


def app_name(prefix: str, model_id: str, tier: Tier) -> str:
    """Readable and unique: the id's characters Serve may not like become `_`, and a short
    hash of the id tells apart ids that differ only in those characters."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)
    digest = hashlib.sha256(model_id.encode()).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}-{tier.value}"


def deployment_name(spec: ModelSpec) -> str:
    """Names the entry's content: a changed entry (a model re-added) is a new deployment, so
    every gateway sees that the running one is stale."""
    return "model-" + hashlib.sha256(spec.model_dump_json().encode()).hexdigest()[:16]


def deployment_options(spec: ModelSpec, tier: Tier, *, runtime_env: dict[str, Any]) -> dict[str, Any]:
    serving = spec.serving
    actor: dict[str, Any] = {"num_cpus": serving.cpus}
    if tier is Tier.GPUFLEX:
        actor["num_gpus"] = serving.gpus
    if runtime_env:
        actor["runtime_env"] = runtime_env
    # A replica takes two batches' worth at once (one computing, the next filling up); the
    # rest wait in Ray's handle queue, up to max_queue, and past that Ray refuses with
    # backpressure (503 overloaded). Autoscaling watches exactly these ongoing requests.
    options: dict[str, Any] = {
        "name": deployment_name(spec),
        "ray_actor_options": actor,
        "max_ongoing_requests": 2 * serving.max_batch_size,
        "max_queued_requests": serving.max_queue,
        "health_check_period_s": 2.0,
        "health_check_timeout_s": 30.0,
        "graceful_shutdown_wait_loop_s": 0.5,
        "graceful_shutdown_timeout_s": 5.0,
        "max_constructor_retry_count": 1,
    }
    if serving.autoscaling is not None:
        scaling = serving.autoscaling
        options["num_replicas"] = "auto"
        options["autoscaling_config"] = {
            "min_replicas": scaling.min_replicas,
            "max_replicas": max(scaling.max_replicas, scaling.min_replicas, 1),
            "initial_replicas": max(scaling.min_replicas, 1),
            "target_ongoing_requests": scaling.target_ongoing_requests,
            "upscale_delay_s": scaling.upscale_delay_s,
            "downscale_delay_s": scaling.downscale_delay_s,
        }
    else:
        options["num_replicas"] = serving.replicas
    return options
