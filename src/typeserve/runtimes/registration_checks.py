"""The checks every `models add` of a git, MLflow or remote model starts with: a known type
given with --type, and a well-formed model id."""

from __future__ import annotations

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.catalog.spec import is_model_id
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.base import ModelType


def given_type(type_name: str | None, what: str) -> ModelType:
    if type_name not in MODEL_TYPES:
        raise ModelAdminError(f"give the {what}'s type with --type, one of {', '.join(MODEL_TYPES)}")
    return MODEL_TYPES[type_name]


def checked_id(model_id: str) -> str:
    if not is_model_id(model_id):
        raise ModelAdminError(f"{model_id!r} is not a model id; model ids look like vendor/version/name.")
    return model_id
