"""A model type's JSON Schema as rows a person reads: field, type, required, description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SchemaField:
    name: str
    type: str
    required: bool
    description: str


def describe_type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [describe_type(option) for option in schema["anyOf"] if option.get("type") != "null"]
        return " or ".join(kinds) or "null"
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {describe_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    return str(kind)


def schema_fields(schema: dict[str, Any]) -> list[SchemaField]:
    required = set(schema.get("required", []))
    return [
        SchemaField(
            name=name,
            type=describe_type(prop),
            required=name in required,
            description=str(prop.get("description", "")),
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def scalar_kind(schema: dict[str, Any]) -> str | None:
    """'integer', 'number' or 'string' for a (possibly nullable) scalar field, else None."""
    options = schema.get("anyOf", [schema])
    kinds = {option.get("type") for option in options} - {"null"}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind in ("integer", "number", "string"):
            return str(kind)
    return None


def option_kind(schema: dict[str, Any]) -> str | None:
    """A scalar kind, 'boolean', or 'list' for a list of texts; None for anything else."""
    options = schema.get("anyOf", [schema])
    kinds = {option.get("type") for option in options} - {"null"}
    if kinds == {"boolean"}:
        return "boolean"
    if kinds == {"array"} and all(o.get("items", {}).get("type") == "string" for o in options if o.get("type")):
        return "list"
    return scalar_kind(schema)
