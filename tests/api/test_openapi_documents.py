"""The OpenAPI document of a model of each of the nine types (whether or not the catalog has
one yet) is valid OpenAPI 3.0.3, and a client generator accepts it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from openapi_spec_validator import validate

from typeserve.api.openapi import model_openapi
from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes import MODEL_TYPES


def document_for(type_name: str) -> dict[str, object]:
    spec = ModelSpec(id=f"test/1/{type_name}", type=type_name, runtime="builtin", title=f"Test {type_name}")
    return model_openapi(spec, "http://127.0.0.1:8000")


@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_every_type_has_a_valid_document(type_name: str) -> None:
    document = document_for(type_name)
    validate(document)
    media = MODEL_TYPES[type_name].media
    content = document["paths"][f"/v1/ent/test/1/{type_name}"]["post"]["requestBody"]["content"]  # type: ignore[index]
    raw = {f"{media}/*", "application/octet-stream"} if media != "text" else set()
    assert set(content) == {"application/json", *raw}


@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_client_generator_makes_a_typed_body(type_name: str, tmp_path: Path) -> None:
    source = tmp_path / "openapi.json"
    source.write_bytes(orjson.dumps(document_for(type_name)))
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [str(generator), "generate", "--path", str(source), "--output-path", str(tmp_path / "client")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A class for the JSON body, not an untyped `Any` (which a `oneOf` of `required` lists gives).
    [invoke] = (tmp_path / "client").glob("*/api/*/invoke.py")
    assert "isinstance(body, Any)" not in invoke.read_text()
    assert list((tmp_path / "client").glob("*/models/*_input.py")), result.stdout
