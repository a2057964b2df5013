"""JSON Schema (2020-12, as pydantic writes it) to the OpenAPI 3.0 schema dialect: `nullable`
instead of `null` in type lists and unions, `enum` instead of `const`, boolean exclusive
bounds, one `example`, and `$defs` moved under `components/schemas`."""

from __future__ import annotations

from typing import Any

COMPONENTS = "#/components/schemas/"
# Keywords OpenAPI 3.0 does not know; dropped rather than risk an invalid document.
UNSUPPORTED = ("$schema", "$id", "$defs", "contentEncoding", "contentMediaType", "prefixItems", "$comment")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
SUBSCHEMA_SINGLE = ("items", "not", "additionalProperties")


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _ref(target: str) -> str:
    if not target.startswith("#/$defs/"):
        raise ValueError(f"cannot convert the reference {target!r}")
    return COMPONENTS + target.removeprefix("#/$defs/")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    # A `$ref` cannot carry siblings in 3.0, so a nullable reference is wrapped in `allOf`.
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


def convert(schema: Any) -> Any:
    """One schema node (and everything under it) in the 3.0 dialect."""
    if not isinstance(schema, dict):
        return schema
    node = {key: value for key, value in schema.items() if key not in UNSUPPORTED}
    if "$ref" in node:
        reference = {"$ref": _ref(node.pop("$ref"))}
        if node.get("default", 0) is None:
            del node["default"]  # pydantic's "not given" marker; 3.0 wants defaults to fit the schema
        return {"allOf": [reference], **{k: convert(v) for k, v in node.items()}} if node else reference
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if "examples" in node:
        examples = node.pop("examples")
        if isinstance(examples, list) and examples:
            node["example"] = examples[0]
    for bound, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), int | float) and not isinstance(node[bound], bool):
            node[inclusive] = node.pop(bound)
            node[bound] = True
    if isinstance(node.get("type"), list):
        types = [t for t in node.pop("type") if t != "null"]
        if len(types) < len(schema["type"]):
            node["nullable"] = True
        if len(types) == 1:
            node["type"] = types[0]
        elif types:
            node["anyOf"] = [{"type": t} for t in types]
    if isinstance(node.get("properties"), dict):
        node["properties"] = {name: convert(sub) for name, sub in node["properties"].items()}
    for key in SUBSCHEMA_SINGLE:
        if isinstance(node.get(key), dict):
            node[key] = convert(node[key])
    for key in SUBSCHEMA_LISTS:
        if key not in node:
            continue
        members = node.pop(key)
        rest = [convert(member) for member in members if not _is_null(member)]
        if len(rest) == len(members):
            node[key] = rest
        elif len(rest) == 1:
            # `X | None`: the union collapses into X itself, marked nullable.
            node = {**node, **_nullable(rest[0])}
        else:
            node[key] = rest
            node["nullable"] = True
    if "default" in node and node["default"] is None and not node.get("nullable"):
        del node["default"]  # pydantic's "not given" marker; 3.0 wants defaults to fit the schema
    return node


def components_of(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A pydantic schema as (root in the 3.0 dialect, its converted `$defs` by name)."""
    definitions = {name: convert(sub) for name, sub in schema.get("$defs", {}).items()}
    return convert(schema), definitions
