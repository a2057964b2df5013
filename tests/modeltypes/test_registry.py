"""The type contract: every type in the registry carries its scoring, Try it view and SDK
method, and no source file outside the types package, the runtimes and the SDK names a type
(adding a type is adding its module)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from typeserve import AsyncClient, Client
from typeserve.modeltypes import MODEL_TYPES

SOURCE = Path(__file__).resolve().parents[2] / "src" / "typeserve"
MAY_NAME_TYPES = ("modeltypes", "runtimes", "client")
SOURCE_SUFFIXES = (".py", ".js", ".j2", ".html")


def files_naming(type_name: str) -> list[str]:
    spellings = (type_name, type_name.replace("-", "_"))
    found = []
    for path in sorted(SOURCE.rglob("*")):
        relative = path.relative_to(SOURCE)
        if path.suffix not in SOURCE_SUFFIXES or relative.parts[0] in MAY_NAME_TYPES:
            continue
        text = path.read_text("utf-8")
        if any(spelling in text for spelling in spellings):
            found.append(str(relative))
    return found


@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_no_source_outside_the_types_package_names_a_type(type_name: str) -> None:
    assert files_naming(type_name) == []


@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_every_type_states_its_whole_contract(type_name: str) -> None:
    model_type = MODEL_TYPES[type_name]
    assert model_type.metrics and len(set(model_type.metrics)) == len(model_type.metrics)
    # The example output reads as a prediction, and scores as a perfect answer to itself.
    expected = model_type.prediction(model_type.example_output)
    assert expected not in (None, "")
    assert model_type.try_it.field in model_type.Output.model_fields
    payload, answer = model_type.split_row({**model_type.example_input, model_type.scoring.expected_field: "x"})
    assert payload == model_type.example_input and answer == "x"


@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_both_clients_have_the_typed_method_of_every_type(type_name: str) -> None:
    model_type = MODEL_TYPES[type_name]
    for client in (Client, AsyncClient):
        method = getattr(client, model_type.sdk.name)
        signature = inspect.signature(method)
        assert list(signature.parameters)[:2] == ["self", "model"]
        assert signature.parameters["tier"].kind is inspect.Parameter.KEYWORD_ONLY
        assert signature.return_annotation is model_type.Output


def test_the_committed_sdk_stub_is_generated_from_the_registry() -> None:
    from typeserve.client.stub import render_stub

    committed = (SOURCE / "client" / "typed.pyi").read_text("utf-8")
    assert committed == render_stub(), "run: python -m typeserve.client.stub > src/typeserve/client/typed.pyi"
