"""What an API key may do."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    INVOKE = "invoke"
    KEYS_MANAGE = "keys:manage"
    EXPERIMENTS = "experiments"
    ADMIN = "admin"


ALL_SCOPES: tuple[str, ...] = tuple(scope.value for scope in Scope)
DEFAULT_SCOPES: tuple[str, ...] = (Scope.INVOKE.value,)


def parse_scopes(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    unknown = [v for v in values if v not in ALL_SCOPES]
    if unknown:
        raise ValueError(f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(ALL_SCOPES)}")
    return tuple(dict.fromkeys(values))


def grants(scopes: tuple[str, ...], needed: str) -> bool:
    """`admin` implies every other scope."""
    return needed in scopes or Scope.ADMIN.value in scopes


# What a signed-in console user who is not an admin may do through the API.
SESSION_SCOPES = (Scope.INVOKE.value, Scope.KEYS_MANAGE.value, Scope.EXPERIMENTS.value)
