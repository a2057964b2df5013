"""Service tiers: cpuflex runs on the CPU, gpuflex on a CUDA device. A request for a tier the
deployment lacks is refused with 503, or served by the operator's configured fallback, and
the response always names the tier that really served it."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from enum import StrEnum

from typeserve.errors import unavailable


class Tier(StrEnum):
    CPUFLEX = "cpuflex"
    GPUFLEX = "gpuflex"

    @property
    def device(self) -> str:
        return "cuda" if self is Tier.GPUFLEX else "cpu"


class UnknownTier(ValueError):
    """A tier name that is not a tier; the caller names where it came from (the HTTP edge: the
    `serviceTier` query parameter)."""

    def __init__(self, value: str) -> None:
        super().__init__(f"must be one of {', '.join(t.value for t in Tier)} (got {value[:40]!r})")
        self.value = value


def parse_tier(value: str | None) -> Tier:
    # Absent means cpuflex; an empty `?serviceTier=` is not a tier (the OpenAPI enum says so).
    if value is None:
        return Tier.CPUFLEX
    try:
        return Tier(value)
    except ValueError:
        raise UnknownTier(value) from None


@functools.cache
def gpu_available() -> bool:
    """Whether a CUDA device is usable, without importing torch (the idle server stays small).
    TYPESERVE_GPU=0/1 overrides the probe."""
    forced = os.environ.get("TYPESERVE_GPU")
    if forced is not None:
        return forced.strip().lower() in ("1", "true", "yes")
    if not os.path.exists("/dev/nvidiactl") or shutil.which("nvidia-smi") is None:
        return False
    try:
        probe = subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0 and b"GPU" in probe.stdout


def resolve_tier(requested: Tier, *, has_gpu: bool, fallback: str | None, model_tiers: list[str]) -> Tier:
    if requested is Tier.GPUFLEX and (not has_gpu or "gpuflex" not in model_tiers):
        if fallback == Tier.CPUFLEX.value:
            return Tier.CPUFLEX
        reason = "this deployment has no GPU" if not has_gpu else "this model is not served on gpuflex"
        raise unavailable(
            "tier_unavailable",
            f"The gpuflex tier is unavailable: {reason}. Call without serviceTier (cpuflex), "
            "or have the operator set TYPESERVE_GPUFLEX_FALLBACK=cpuflex.",
            retry_after=60,
        )
    return requested


def gpuflex_unavailable_reason(*, has_gpu: bool, fallback: str | None, model_tiers: list[str]) -> str | None:
    """Why gpuflex does not run a model on a GPU here (None when it does): what the console
    shows beside its FlexGPU switch, in the words a 503 tier_unavailable would use."""
    if has_gpu and "gpuflex" in model_tiers:
        return None
    reason = "this deployment has no GPU" if not has_gpu else "this model is not served on gpuflex"
    if fallback == Tier.CPUFLEX.value:
        return f"{reason}; gpuflex calls are served on cpuflex (TYPESERVE_GPUFLEX_FALLBACK=cpuflex)"
    return f"{reason}; gpuflex calls answer 503 tier_unavailable"
