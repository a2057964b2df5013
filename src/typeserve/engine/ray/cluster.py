"""The gateway's connection to a Ray cluster: join the one at RAY_ADDRESS (or the configured
address), or start a small local one bound to loopback; start Ray Serve without its HTTP
proxy (the gateway is the only way in); report the cluster's GPUs."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger("typeserve.engine")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_loopback(address: str) -> bool:
    host = urlsplit(address if "://" in address else f"ray://{address}").hostname or ""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def typeserve_package_dir() -> str:
    import typeserve

    return str(Path(typeserve.__file__).resolve().parent)


def keep_ray_on_loopback() -> None:
    """Ray advertises the machine's own address even when told 127.0.0.1 unless it thinks it is
    a single-machine install; this switch (read when ray is imported) makes every Ray process
    of this node bind and dial loopback only."""
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


@dataclass
class RayCluster:
    address: str | None = None
    # Only for a cluster this gateway starts itself (no address given).
    num_cpus: int = 2
    object_store_bytes: int = 256 * 2**20
    namespace: str = "typeserve"
    # Send this process's typeserve package to the cluster, for the replicas to import.
    ship_code: bool = True
    started_here: bool = False

    def resolved_address(self) -> str | None:
        return self.address or os.environ.get("RAY_ADDRESS") or None

    def connect(self) -> None:
        address = self.resolved_address()
        if address is None or is_loopback(address):
            keep_ray_on_loopback()
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        # Ray's crash handler would take SIGTERM from uvicorn, whose graceful shutdown finishes
        # the requests in flight, and abort the gateway instead.
        os.environ.setdefault("RAY_DISABLE_FAILURE_SIGNAL_HANDLER", "1")
        import ray
        from ray import serve

        if ray.is_initialized():
            return
        common: dict[str, Any] = {"namespace": self.namespace, "logging_level": logging.WARNING, "log_to_driver": False}
        if self.ship_code:
            # Ray uploads the package once (content-addressed) and hands back its cluster URI.
            common["runtime_env"] = {"py_modules": [typeserve_package_dir()]}
        if address is not None:
            log.info("joining the Ray cluster at %s", address)
            ray.init(address=address, **common)
        else:
            log.info("starting a local Ray cluster (%d CPUs) on 127.0.0.1", self.num_cpus)
            ray.init(
                address="local",  # a new cluster, never one `ray start` left on this machine
                num_cpus=self.num_cpus,
                object_store_memory=self.object_store_bytes,
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                **common,
            )
            self.started_here = True
        # No Serve HTTP proxy: requests reach replicas only through the gateway's handles.
        serve.start(proxy_location="Disabled")

    def replica_runtime_env(self) -> dict[str, Any]:
        """The runtime environment replicas get: this gateway's uploaded code, if shipped."""
        import ray

        shipped = ray.get_runtime_context().runtime_env.get("py_modules") if self.ship_code else None
        return {"py_modules": list(shipped)} if shipped else {}

    def gpus(self) -> float:
        import ray

        return float(ray.cluster_resources().get("GPU", 0.0))

    def close(self) -> None:
        import ray

        if ray.is_initialized():
            # Disconnects; a cluster this gateway started ends with it.
            ray.shutdown()
