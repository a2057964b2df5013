"""Per-model OpenAPI 3.0.3 documents, generated from the pydantic models that validate requests."""

from typeserve.api.openapi.document import model_openapi

__all__ = ["model_openapi"]
