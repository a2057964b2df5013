"""What Ray's exceptions mean to a caller: a replica's own Problem comes back as it was raised,
a replica that died is `worker_crashed`, Ray's backpressure is `overloaded`, a deployment that
cannot start is `model_unavailable`. Anything else is an internal failure, logged once."""

from __future__ import annotations

import logging

from typeserve.engine.batching import as_problem
from typeserve.errors import Problem, timed_out, unavailable

log = logging.getLogger("typeserve.engine")


def as_caller_problem(exc: BaseException, model_id: str) -> Problem:
    from ray import exceptions as ray_errors
    from ray.serve import exceptions as serve_errors

    cause = getattr(exc, "cause", None)
    if isinstance(cause, Problem):  # a RayTaskError around the replica's Problem
        return cause
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, serve_errors.BackPressureError):
        return unavailable("overloaded", f"Model {model_id} has too many requests queued; try again shortly.", 1)
    if isinstance(exc, (ray_errors.ActorDiedError, ray_errors.ActorUnavailableError, ray_errors.RayActorError)):
        log.warning("a replica of %s died: %s", model_id, str(exc).splitlines()[0] if str(exc) else exc)
        return unavailable(
            "worker_crashed",
            f"The replica of {model_id} serving this request stopped; Ray is replacing it. Retry the request.",
            retry_after=1,
            title="Model worker crashed",
        )
    if isinstance(exc, (serve_errors.DeploymentUnavailableError, serve_errors.ReplicaUnavailableError)):
        return unavailable("model_unavailable", f"Model {model_id} has no replica able to serve: {exc}.", 10)
    if isinstance(exc, ray_errors.GetTimeoutError):
        return timed_out(f"No answer from {model_id} in time.")
    return as_problem(exc, model_id)
