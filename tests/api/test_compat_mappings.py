"""The protocol mappings without a server: HF parameters become the type's fields or a 422
naming them, bodies are told apart by their first bytes, v2 names map back to the same ids,
Triton's binary tensors survive a round trip, and the docs list every mapped task."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from typeserve.api.compat.v2_codec import Tensor, encode_response, join_bytes, parse_request, split_bytes
from typeserve.api.compat.v2_routes import model_id_of, v2_name
from typeserve.catalog import Catalog
from typeserve.errors import Problem
from typeserve.modeltypes import MODEL_TYPES, get_model_type
from typeserve.modeltypes.compat.hf import input_fields
from typeserve.modeltypes.media.sniff import sniff_body

DOCS = Path(__file__).parents[2] / "docs" / "compatibility.md"


def test_hf_parameters_map_to_fields_and_unknown_ones_are_named() -> None:
    summarization = get_model_type("summarization").compat.hf
    assert summarization is not None
    payload = input_fields(summarization, "Some text.", {"generate_parameters": {"max_length": 20}})
    assert payload == {"input": "Some text.", "maxLength": 20}
    with pytest.raises(Problem) as refused:
        input_fields(summarization, "Some text.", {"generate_parameters": {"num_beams": 4}, "truncation": "x"})
    fields = {error["field"] for error in refused.value.errors or []}
    assert fields == {"parameters.generate_parameters.num_beams", "parameters.truncation"}
    translation = get_model_type("translation").compat.hf
    assert translation is not None
    assert input_fields(translation, "Hi", {"src_lang": "en_XX", "tgt_lang": "fr-FR"}) == {
        "input": "Hi",
        "sourceLanguage": "en",
        "targetLanguage": "fr",
    }


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, image_format)
    return buffer.getvalue()


def audio_bytes(container: str) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(800, dtype=np.float32), 16_000, format=container)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP"])
def test_images_are_sniffed(image_format: str) -> None:
    assert sniff_body(image_bytes(image_format)) == "image"


@pytest.mark.parametrize("container", ["WAV", "FLAC", "OGG", "AIFF"])
def test_audio_is_sniffed(container: str) -> None:
    assert sniff_body(audio_bytes(container)) == "audio"


def test_json_and_unknown_bodies_are_sniffed() -> None:
    assert sniff_body(b'  {"inputs": "hi"}') == "json"
    assert sniff_body(b"plain words") is None


def test_v2_names_map_back_to_every_catalog_id() -> None:
    for spec in Catalog.default(()).all():
        assert "/" not in v2_name(spec.id) and model_id_of(v2_name(spec.id)) == spec.id
        assert model_id_of(spec.id) == spec.id  # the id itself is accepted too
        assert model_id_of(f"{v2_name(spec.id)}/versions/{spec.version}") == spec.id
        assert model_id_of(f"{v2_name(spec.id)}/versions/99") != spec.id


def test_binary_tensors_round_trip() -> None:
    elements = [b"caf\xc3\xa9", b"", b"\x00\xff"]
    assert split_bytes(join_bytes(elements), "x") == elements
    header = {"inputs": [{"name": "input", "datatype": "BYTES", "shape": [3], "parameters": {}}]}
    header["inputs"][0]["parameters"]["binary_data_size"] = len(join_bytes(elements))
    head = json.dumps(header).encode()
    _, tensors = parse_request(head + join_bytes(elements), str(len(head)))
    assert tensors[0].data == elements and tensors[0].binary
    body, length = encode_response({"model_name": "m"}, [Tensor("e", "FP32", [1, 2], [0.5, 1.5])], {"e"})
    assert length is not None and np.frombuffer(body[length:], "<f4").tolist() == [0.5, 1.5]
    with pytest.raises(Problem):
        split_bytes(b"\x09\x00\x00\x00abc", "x")


def test_docs_name_every_mapped_task() -> None:
    docs = DOCS.read_text()
    for model_type in MODEL_TYPES.values():
        if model_type.compat.hf is not None:
            assert f"| {model_type.name} | `{model_type.compat.hf.task}`" in docs, model_type.name
        for endpoint in model_type.compat.openai:
            assert f"`POST /{endpoint.path}`" in docs, endpoint.path
