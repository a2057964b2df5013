"""How a catalog entry becomes a Ray Serve deployment: the resources its replicas ask Ray for
on each tier, fixed replicas or autoscaling, the queue bounds, and names every gateway agrees on."""

from __future__ import annotations

from typeserve.catalog.spec import ModelSpec
from typeserve.engine.ray.deployments import app_name, deployment_name, deployment_options
from typeserve.engine.tiers import Tier


def spec(**serving: object) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "id": "acme/1/some/model",
            "type": "text-classification",
            "runtime": "builtin",
            "title": "t",
            "serving": serving,
        }
    )


def test_cpuflex_replicas_ask_for_cpus_and_gpuflex_replicas_also_for_gpus() -> None:
    entry = spec(cpus=2, gpus=0.5)
    cpu = deployment_options(entry, Tier.CPUFLEX, runtime_env={})["ray_actor_options"]
    gpu = deployment_options(entry, Tier.GPUFLEX, runtime_env={"py_modules": ["gcs://pkg.zip"]})["ray_actor_options"]
    assert cpu == {"num_cpus": 2}
    assert gpu == {"num_cpus": 2, "num_gpus": 0.5, "runtime_env": {"py_modules": ["gcs://pkg.zip"]}}


def test_fixed_replicas_or_autoscaling_on_ongoing_requests() -> None:
    fixed = deployment_options(spec(replicas=3), Tier.CPUFLEX, runtime_env={})
    assert fixed["num_replicas"] == 3 and "autoscaling_config" not in fixed
    scaled = deployment_options(
        spec(autoscaling={"min_replicas": 0, "max_replicas": 4, "target_ongoing_requests": 6}),
        Tier.CPUFLEX,
        runtime_env={},
    )
    assert scaled["num_replicas"] == "auto"
    config = scaled["autoscaling_config"]
    assert (config["min_replicas"], config["max_replicas"], config["target_ongoing_requests"]) == (0, 4, 6)
    assert config["initial_replicas"] == 1  # loading means loaded; idle, it scales down to zero


def test_queue_bounds_follow_the_batch_size_and_max_queue() -> None:
    options = deployment_options(spec(max_batch_size=16, max_queue=40), Tier.CPUFLEX, runtime_env={})
    assert options["max_ongoing_requests"] == 32  # one batch computing, the next filling up
    assert options["max_queued_requests"] == 40


def test_names_are_shared_by_every_gateway_and_change_with_the_entry() -> None:
    assert app_name("typeserve", "acme/1/some/model", Tier.GPUFLEX) == app_name(
        "typeserve", "acme/1/some/model", Tier.GPUFLEX
    )
    assert app_name("typeserve", "acme/1/some/model", Tier.CPUFLEX).endswith("-cpuflex")
    assert app_name("p", "a/1/b_c", Tier.CPUFLEX) != app_name("p", "a/1/b/c", Tier.CPUFLEX)
    assert deployment_name(spec()) == deployment_name(spec())
    assert deployment_name(spec()) != deployment_name(spec(max_batch_size=9))
