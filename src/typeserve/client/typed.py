"""The typed SDK methods, defined once for `Client` and `AsyncClient`: one method per model
type in the registry, named by the type's `SdkMethod`, taking its arguments and snake_case
options and answering the type's pydantic Output (awaitable on the async client, whose
`_typed` is a coroutine)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from typeserve.client.calls import build_call, method_signature
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.base import ModelType


def typed_method(model_type: ModelType) -> Callable[..., Any]:
    signature = method_signature(model_type)

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        model, tier = arguments.pop("model"), arguments.pop("tier")
        return self._typed(model, build_call(model_type, arguments), tier)

    method.__name__ = method.__qualname__ = model_type.sdk.name
    method.__signature__ = signature  # type: ignore[attr-defined]
    method.__doc__ = f"{model_type.title} ({model_type.name}): answers {model_type.Output.__name__}."
    return method


class TypedMethods:
    """One typed method per model type (see the registry); the client supplies `_typed`.
    Their static signatures are in typed.pyi, generated from the registry by stub.py."""


class AsyncTypedMethods(TypedMethods):
    """The same methods on the async client, where `_typed` is a coroutine: each answers an
    awaitable of the Output."""


for _model_type in MODEL_TYPES.values():
    setattr(TypedMethods, _model_type.sdk.name, typed_method(_model_type))
