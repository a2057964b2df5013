"""The Ray cluster the Ray-engine tests run against (started by scripts/start-services.sh on
127.0.0.1): skipped with a reason where none runs, a failure under CI."""

from __future__ import annotations

import os
import uuid

from tests.support.services import missing_service, port_open

RAY_ADDRESS = os.environ.get("TYPESERVE_TEST_RAY_ADDRESS", "127.0.0.1:6390")


def ray_engine_env(prefix: str | None = None) -> dict[str, str]:
    """Settings for a gateway on the test cluster. Each gateway gets its own application
    prefix (unless two must share deployments) and deletes its deployments when it stops."""
    host, _, port = RAY_ADDRESS.rpartition(":")
    if not port_open(host, int(port)):
        missing_service(f"no Ray cluster at {RAY_ADDRESS} (scripts/start-services.sh starts one)")
    return {
        "TYPESERVE_ENGINE": "ray",
        "TYPESERVE_RAY_ADDRESS": RAY_ADDRESS,
        "TYPESERVE_RAY_APP_PREFIX": prefix or f"test{uuid.uuid4().hex[:8]}",
        "TYPESERVE_RAY_RELEASE_ON_STOP": "true",
    }


def engine_env(engine: str) -> dict[str, str]:
    return ray_engine_env() if engine == "ray" else {}
