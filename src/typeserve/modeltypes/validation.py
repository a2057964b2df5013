"""Validating a decoded JSON value as a wire model (a type's Input, an API body): a value
that is not an object, or does not match, is an invalid-input Problem naming the fields."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from typeserve.errors import invalid_field, validation_failed

M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], data: Any) -> M:
    if not isinstance(data, dict):
        raise invalid_field("body", "must be an object", "The body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failed([dict(e) for e in exc.errors(include_url=False, include_input=False)]) from None
