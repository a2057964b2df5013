"""The OpenAPI 3.0.3 document of one model: its invoke operation with both tiers, bearer auth,
the request and response schemas of its type (converted from the pydantic models that validate
requests), the raw-file body of image and audio types, every error as problem+json, and the
example from the model's card."""

from __future__ import annotations

from typing import Any

from typeserve import __version__
from typeserve.api.openapi.problems import PROBLEM_SCHEMA, error_refs, error_responses
from typeserve.api.openapi.schema30 import COMPONENTS, components_of
from typeserve.catalog.cards import card_examples
from typeserve.catalog.spec import ModelSpec
from typeserve.engine.tiers import Tier
from typeserve.modeltypes import get_model_type
from typeserve.modeltypes.base import ModelType

SUCCESS_HEADERS: dict[str, Any] = {
    "X-Request-Id": {"description": "The request's id, also in error bodies.", "schema": {"type": "string"}},
    "X-Model-Id": {"description": "The model that answered.", "schema": {"type": "string"}},
    "X-Service-Tier": {
        "description": "The tier that really served the request.",
        "schema": {"type": "string", "enum": [t.value for t in Tier]},
    },
    "Server-Timing": {"description": "Queue and inference durations in ms.", "schema": {"type": "string"}},
}


def _merge(target: dict[str, Any], definitions: dict[str, Any]) -> None:
    for name, schema in definitions.items():
        if name in target and target[name] != schema:
            raise ValueError(f"two different schemas are both named {name!r}")
        target[name] = schema


def type_schemas(model_type: ModelType) -> tuple[dict[str, Any], str, str, str | None]:
    """components/schemas for a type, and the names of its Input, Output and list Output."""
    schemas: dict[str, Any] = {}
    names: list[str] = []
    for raw in (
        model_type.Input.model_json_schema(by_alias=True, mode="validation"),
        model_type.Output.model_json_schema(by_alias=True, mode="serialization"),
    ):
        root, definitions = components_of(raw)
        _merge(schemas, definitions)
        names.append(str(root.get("title")))
        _merge(schemas, {names[-1]: root})
    list_name = None
    if model_type.accepts_list:
        list_name = f"{names[1]}List"
        schemas[list_name] = {
            "type": "object",
            "description": "The answer to a list `input`: one result per text, in order.",
            "additionalProperties": False,
            "required": ["results"],
            "properties": {"results": {"type": "array", "items": {"$ref": COMPONENTS + names[1]}}},
        }
    return schemas, names[0], names[1], list_name


def parameters(model_type: ModelType, input_schema: dict[str, Any]) -> list[dict[str, Any]]:
    tier = {
        "name": "serviceTier",
        "in": "query",
        "required": False,
        "description": "cpuflex (default) runs on CPUs; gpuflex on a GPU (503 where the deployment has none).",
        "schema": {"type": "string", "enum": [t.value for t in Tier], "default": Tier.CPUFLEX.value},
    }
    found = [tier]
    for name in model_type.query_options:
        schema = {
            key: value
            for key, value in input_schema["properties"][name].items()
            if key not in ("nullable", "default", "title", "description")
        }
        description = input_schema["properties"][name].get("description", "")
        found.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": f"With a raw {model_type.media} body only (JSON bodies carry it in the body). "
                + description,
                "schema": schema,
            }
        )
    return found


def request_body(model_type: ModelType, input_name: str, example: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": COMPONENTS + input_name}, "example": example}}
    if model_type.media != "text":
        # `image/*` is what the server takes; octet-stream is the binary type every generator knows.
        for media_type in (f"{model_type.media}/*", "application/octet-stream"):
            content[media_type] = {"schema": {"type": "string", "format": "binary"}}
    description = "The model type's input as JSON" + (
        f", or the raw {model_type.media} file." if model_type.media != "text" else "."
    )
    return {"required": True, "description": description, "content": content}


def success_response(
    model_type: ModelType, output_name: str, list_name: str | None, example: dict[str, Any]
) -> dict[str, Any]:
    schema: dict[str, Any] = {"$ref": COMPONENTS + output_name}
    if list_name is not None:
        schema = {"oneOf": [schema, {"$ref": COMPONENTS + list_name}]}
    content: dict[str, Any] = {"application/json": {"schema": schema, "example": example}}
    description = f"The {model_type.name} output" + (' (`{"results": [...]}` for a list input)' if list_name else "")
    if model_type.file_media is not None:
        content[model_type.file_media] = {"schema": {"type": "string", "format": "binary"}}
        description += f"; with `Accept: {model_type.file_media}` the file itself (one input only)"
    return {
        "description": description + ".",
        "headers": {name: {**header, "required": True} for name, header in SUCCESS_HEADERS.items()},
        "content": content,
    }


def model_openapi(spec: ModelSpec, base_url: str) -> dict[str, Any]:
    """The whole document for `spec`, with `base_url` (the public one) as its server."""
    model_type = get_model_type(spec.type)
    schemas, input_name, output_name, list_name = type_schemas(model_type)
    schemas["Problem"] = PROBLEM_SCHEMA
    example = card_examples(spec)[0]
    example_response = example.get("response") or model_type.example_output
    operation = {
        "operationId": "invoke",
        "summary": f"Run {spec.title}",
        "description": f"{model_type.title}: {model_type.description} "
        "Runs on cpuflex by default; add `serviceTier=gpuflex` for a GPU.",
        "tags": [model_type.name],
        "parameters": parameters(model_type, schemas[input_name]),
        "requestBody": request_body(model_type, input_name, example["request"]),
        "responses": {
            "200": success_response(model_type, output_name, list_name, example_response),
            **error_refs(),
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{spec.title} ({spec.id})",
            "version": __version__,
            "description": spec.description or model_type.description,
            "license": {"name": spec.license},
        },
        "externalDocs": {"description": "Model card", "url": f"{base_url}/v1/models/{spec.id}"},
        "servers": [{"url": base_url}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": model_type.name, "description": model_type.description}],
        "paths": {f"/v1/ent/{spec.id}": {"post": operation}},
        "components": {
            "schemas": schemas,
            "responses": error_responses(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key with the `invoke` scope: `Authorization: Bearer <key>`.",
                }
            },
        },
        "x-model-id": spec.id,
        "x-model-type": model_type.name,
    }
