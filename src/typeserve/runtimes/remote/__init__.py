"""The remote runtime (`runtime: remote`): a model served by another API (another typeserve,
a Hugging Face task endpoint, an OpenAI-compatible API, an Open Inference Protocol server),
normalised into its type. Nothing is called at load: a down upstream is a per-request 503
`upstream_unavailable`, not a model that failed to load."""

from __future__ import annotations

import os

from typeserve.catalog.spec import ModelSpec
from typeserve.runtimes.base import Availability, LoadedModel, Runtime
from typeserve.runtimes.remote.policy import PROTOCOL_NAMES, policy_of


class RemoteRuntime(Runtime):
    name = "remote"

    def availability(self, spec: ModelSpec) -> Availability:
        protocol = spec.options.get("protocol")
        if protocol not in PROTOCOL_NAMES:
            return Availability(False, f"Unknown remote protocol {protocol!r}.")
        variable = spec.options.get("credential_env")
        if variable and not os.environ.get(variable):
            return Availability(
                False, f"The credential of this model is read from ${variable}, which is not set on this server."
            )
        return Availability(True)

    def load(self, spec: ModelSpec, device: str) -> LoadedModel:
        from typeserve.config import load_settings
        from typeserve.runtimes.remote.breaker import CircuitBreaker
        from typeserve.runtimes.remote.model import RemoteModel
        from typeserve.runtimes.remote.protocols import PROTOCOLS
        from typeserve.runtimes.remote.upstream import Upstream

        options = spec.options
        breaker = CircuitBreaker(
            failure_threshold=int(options.get("breaker_failures", 3)),
            cooldown_s=float(options.get("breaker_cooldown_s", 10.0)),
        )
        upstream = Upstream(
            options["url"],
            spec.id,
            credential_env=options.get("credential_env"),
            policy=policy_of(options, load_settings().allow_private_urls),
            breaker=breaker,
        )
        return RemoteModel(spec, PROTOCOLS[options["protocol"]], upstream)
