"""From `typeserve models add URL --runtime remote --protocol P --type T` to a catalog entry:
the URL is checked against the media-URL address policy, the credential is kept as the name
of its environment variable only, and a v2 model's metadata is read for its input's name."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.catalog.spec import ModelSpec, Serving, id_name
from typeserve.errors import Problem
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.media.url_fetch import parse_url, resolve_checked_sync
from typeserve.runtimes.registration_checks import checked_id, given_type
from typeserve.runtimes.remote.policy import policy_of
from typeserve.runtimes.remote.protocols import PROTOCOLS

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Options a user may set with --option key=value, and how each is read.
TUNABLE: dict[str, type] = {
    "timeout_s": float,
    "retries": int,
    "backoff_s": float,
    "max_retry_wait_s": float,
    "breaker_failures": int,
    "breaker_cooldown_s": float,
}


def tuned(options: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, text in options.items():
        if key not in TUNABLE:
            raise ModelAdminError(f"unknown option {key!r}; known: {', '.join(TUNABLE)}")
        try:
            values[key] = TUNABLE[key](text)
        except ValueError:
            raise ModelAdminError(f"option {key} must be a {TUNABLE[key].__name__}, got {text!r}") from None
        if values[key] < 0:
            raise ModelAdminError(f"option {key} must not be negative")
    return values


def checked_url(url: str, allow_private: bool) -> str:
    try:
        parts, host, port = parse_url(url)
    except Problem as refusal:
        raise ModelAdminError(refusal.detail) from None
    if parts.username or parts.password:
        raise ModelAdminError("the URL holds a credential; give its environment variable with --credential-env")
    try:
        resolve_checked_sync(host, port, allow_private)
    except Problem as refusal:
        hint = (
            " (an operator allows them with TYPESERVE_ALLOW_PRIVATE_URLS=true)"
            if "non-public" in refusal.detail
            else ""
        )
        raise ModelAdminError(f"{refusal.detail}{hint}") from None
    return url.rstrip("/")


def v2_input_name(url: str, credential_env: str | None, allow_private: bool) -> str:
    """The name of the v2 model's one input tensor, from its metadata (`GET {url}`)."""
    secret = os.environ.get(credential_env) if credential_env else None
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    try:
        response = httpx.get(url, headers=headers, timeout=10)
        metadata = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        metadata = None
    inputs = metadata.get("inputs") if isinstance(metadata, dict) else None
    if not isinstance(inputs, list) or not inputs:
        raise ModelAdminError(
            f"no Open Inference Protocol model metadata at {url}; name the input tensor with --input NAME"
        )
    if len(inputs) > 1:
        names = ", ".join(str(i.get("name")) for i in inputs)
        raise ModelAdminError(f"the v2 model has several inputs ({names}); say which with --input NAME")
    return str(inputs[0].get("name"))


def register_remote(
    url: str,
    *,
    type_name: str | None,
    protocol: str | None,
    model_id: str | None = None,
    credential_env: str | None = None,
    remote_model: str | None = None,
    input_name: str | None = None,
    options: dict[str, str] | None = None,
    allow_private: bool = False,
) -> ModelSpec:
    if protocol not in PROTOCOLS:
        raise ModelAdminError(f"give --protocol, one of {', '.join(PROTOCOLS)}")
    type_name = given_type(type_name, "model").name
    served = PROTOCOLS[protocol].types & set(MODEL_TYPES)
    if type_name not in served:
        raise ModelAdminError(
            f"the {protocol} protocol does not serve {type_name}; it serves {', '.join(sorted(served))}"
        )
    if credential_env is not None and not ENV_NAME.match(credential_env):
        raise ModelAdminError(f"{credential_env!r} is not an environment variable name")
    if protocol == "openai" and not remote_model:
        raise ModelAdminError("the openai protocol needs the upstream's model name: --remote-model NAME")
    base = checked_url(url, allow_private)
    settings: dict[str, Any] = {"url": base, "protocol": protocol, **tuned(options or {})}
    if credential_env:
        settings["credential_env"] = credential_env
    if remote_model:
        settings["remote_model"] = remote_model
    if protocol == "v2":
        settings["input_name"] = input_name or v2_input_name(base, credential_env, allow_private)
    name = id_name(remote_model or urlsplit(base).path.rsplit("/", 1)[-1] or urlsplit(base).hostname or "")
    spec_id = checked_id(model_id or f"remote/1/{name}")
    policy = policy_of(settings, allow_private)
    credential_line = f" Its credential is read from the server's ${credential_env}." if credential_env else ""
    return ModelSpec(
        id=spec_id,
        type=type_name,
        runtime="remote",
        title=f"{remote_model or name} (remote, {protocol})",
        description=f"{type_name} served by {base} over the {protocol} protocol.",
        source=base,
        tags=["remote", protocol, "registered"],
        options=settings,
        serving=Serving(
            max_batch_size=1,
            replicas=4,
            tiers=["cpuflex"],
            # The engine's deadline covers every attempt and the waits between them.
            timeout_s=policy.timeout_s * (policy.retries + 1) + policy.max_retry_wait_s * policy.retries + 5,
        ),
        card=(
            f"A remote model: each request is sent to `{base}` over the `{protocol}` protocol and its answer "
            f"normalised into `{type_name}`.{credential_line} Timeouts: {policy.timeout_s:g} s per call, "
            f"{policy.retries} retries on 429/503 honouring Retry-After."
        ),
    )
