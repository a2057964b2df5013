"""JSON Schema as pydantic writes it, turned into the OpenAPI 3.0 dialect."""

from __future__ import annotations

from typeserve.api.openapi.schema30 import components_of, convert


def test_optional_values_become_nullable() -> None:
    assert convert({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}], "default": None}) == {
        "type": "integer",
        "minimum": 1,
        "default": None,
        "nullable": True,
    }
    assert convert({"type": ["string", "null"]}) == {"type": "string", "nullable": True}


def test_nullable_reference_is_wrapped_and_refs_point_at_components() -> None:
    assert convert({"anyOf": [{"$ref": "#/$defs/Box"}, {"type": "null"}]}) == {
        "allOf": [{"$ref": "#/components/schemas/Box"}],
        "nullable": True,
    }
    assert convert({"$ref": "#/$defs/Box", "description": "d"}) == {
        "allOf": [{"$ref": "#/components/schemas/Box"}],
        "description": "d",
    }


def test_2020_keywords_are_rewritten() -> None:
    assert convert({"const": "x", "examples": [1, 2]}) == {"enum": ["x"], "example": 1}
    assert convert({"type": "number", "exclusiveMinimum": 0}) == {
        "type": "number",
        "minimum": 0,
        "exclusiveMinimum": True,
    }
    assert convert({"type": "string", "default": None}) == {"type": "string"}


def test_definitions_are_split_out() -> None:
    root, definitions = components_of(
        {"$defs": {"A": {"type": "object"}}, "properties": {"a": {"$ref": "#/$defs/A"}}, "type": "object"}
    )
    assert definitions == {"A": {"type": "object"}}
    assert root == {"properties": {"a": {"$ref": "#/components/schemas/A"}}, "type": "object"}
