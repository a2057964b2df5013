"""The IETF rate-limit headers (draft-ietf-httpapi-ratelimit-headers) of an admission:
`RateLimit-Policy` lists the key's and user's limits and quotas, `RateLimit` what is left of
each (`r`) and in how many seconds it is whole again (`t`). When the limits could not be
enforced (the shared store was down, fail-open), `RateLimit-Status` says so.

`LimitHeadersMiddleware` adds them at the HTTP edge to any answer of a request whose handler
left its admission in the request state (`request.state.admission`), whatever route or wire
protocol served it, success or problem."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from typeserve.accounts.limits.limiter import Admission
from typeserve.accounts.limits.policy import Rule

UNITS = {"items": ';qu="items"', "compute": ';qu="compute-seconds"', "requests": ""}


def _amount(rule: Rule, value: float) -> int:
    return int(value // 1000) if rule.metric == "compute" else int(value)


def limit_headers(admission: Admission | None) -> dict[str, str]:
    if admission is None or not admission.rules:
        return {}
    rules = admission.rules
    headers = {
        "RateLimit-Policy": ", ".join(
            f'"{rule.name}";q={_amount(rule, rule.limit)};w={int(rule.window_s)}{UNITS[rule.metric]}' for rule in rules
        )
    }
    if admission.verdict is not None:
        headers["RateLimit"] = ", ".join(
            f'"{rule.name}";r={_amount(rule, left)};t={reset}'
            for rule, (left, reset) in zip(rules, admission.verdict.remaining, strict=True)
        )
    if admission.unenforced:
        headers["RateLimit-Status"] = f"unenforced; {admission.unenforced}"
    return headers


class LimitHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                admission = scope.get("state", {}).get("admission")
                if admission is not None:
                    added = [(n.lower().encode(), v.encode()) for n, v in limit_headers(admission).items()]
                    message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_limits)
