"""Keeps a replica's listening sockets on the address its Ray node advertises. Ray Serve 2.60
binds each replica's inter-deployment gRPC server to every interface (`[::]:0`), whatever the
node's address; on a loopback-only node that would expose the replica on the machine's own
address. This replaces that one call in the replica process, before Serve makes it."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("typeserve.engine")


def bind_replica_servers_to_node_address() -> None:
    try:
        import ray
        from ray.serve._private import replica as serve_replica
    except ImportError:  # not inside a Ray worker
        return
    node_ip = ray.util.get_node_ip_address()
    original = getattr(serve_replica, "add_port_to_grpc_server", None)
    if original is None or getattr(original, "typeserve_bound", False):
        return

    def add_port(server: Any, address: str) -> Any:
        if address.startswith("[::]:"):
            host = f"[{node_ip}]" if ":" in node_ip else node_ip
            address = f"{host}:{address.rsplit(':', 1)[1]}"
        return original(server, address)

    add_port.typeserve_bound = True  # type: ignore[attr-defined]
    serve_replica.add_port_to_grpc_server = add_port
