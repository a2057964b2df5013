"""Validating a decoded JSON value as a wire model (a type's Input, an API body): a value
that is not an object, or does not match, is an invalid-input Problem naming the fields."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from typeserve.errors import SCHEMA_MISMATCH, invalid_field, validation_failed

M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], data: Any, title: str = SCHEMA_MISMATCH) -> M:
    """`title` says what did not match (by default a model type's input schema)."""
    if not isinstance(data, dict):
        raise invalid_field("body", "must be an object", "The body must be a JSON object.", title=title)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [dict(e) for e in exc.errors(include_url=False, include_input=False)]
        raise validation_failed(errors, title) from None
