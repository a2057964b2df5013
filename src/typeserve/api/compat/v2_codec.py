"""The Open Inference Protocol's REST wire: a JSON request, or (Triton's binary tensor data
extension, the tritonclient default) a JSON header of `Inference-Header-Content-Length` bytes
followed by raw tensors; the same two forms for the answer. BYTES elements are length-prefixed
(4 bytes, little-endian) in binary form."""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from typeserve.errors import bad_request, invalid_field

HEADER_LENGTH = "Inference-Header-Content-Length"
NUMPY_TYPES = {
    "BOOL": "?", "UINT8": "<u1", "UINT16": "<u2", "UINT32": "<u4", "UINT64": "<u8", "INT8": "<i1",
    "INT16": "<i2", "INT32": "<i4", "INT64": "<i8", "FP16": "<f2", "FP32": "<f4", "FP64": "<f8",
}  # fmt: skip


@dataclass(frozen=True)
class Tensor:
    name: str
    datatype: str
    shape: list[int]
    data: list[Any]  # flat; BYTES elements as bytes
    binary: bool = False  # sent as raw data (a BYTES element is then the file itself, not base64 text)


def split_bytes(raw: bytes, name: str) -> list[bytes]:
    elements, offset = [], 0
    while offset < len(raw):
        if offset + 4 > len(raw):
            raise bad_request("bad_tensor", f"BYTES tensor {name!r} ends inside an element's length.")
        (size,) = struct.unpack_from("<I", raw, offset)
        offset += 4
        if offset + size > len(raw):
            raise bad_request("bad_tensor", f"BYTES tensor {name!r} has an element longer than its data.")
        elements.append(raw[offset : offset + size])
        offset += size
    return elements


def join_bytes(elements: list[bytes]) -> bytes:
    return b"".join(struct.pack("<I", len(e)) + e for e in elements)


def json_elements(datatype: str, data: Any, name: str) -> list[Any]:
    flat = np.asarray(data, dtype=object).reshape(-1).tolist() if isinstance(data, list) else [data]
    if datatype == "BYTES":
        return [e.encode("utf-8") if isinstance(e, str) else bytes(e) if isinstance(e, list) else e for e in flat]
    return flat


def json_element(element: Any) -> Any:
    """BYTES in a JSON answer: UTF-8 text as it is, anything else (an audio file) as base64."""
    if not isinstance(element, bytes):
        return element
    try:
        return element.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(element).decode("ascii")


def parse_request(body: bytes, header_length: str | None) -> tuple[dict[str, Any], list[Tensor]]:
    """The request's JSON (its `parameters`, `outputs`, `id`) and its input tensors."""
    split = len(body)
    if header_length is not None:
        if not header_length.isdigit() or int(header_length) > len(body):
            raise bad_request("bad_header_length", f"{HEADER_LENGTH} must be a byte count within the body.")
        split = int(header_length)
    try:
        request = orjson.loads(body[:split])
    except orjson.JSONDecodeError as exc:
        raise invalid_field("body", "invalid JSON", f"The inference request is not valid JSON: {exc}.") from None
    if not isinstance(request, dict) or not isinstance(request.get("inputs"), list):
        raise invalid_field("inputs", "required", "inputs: a list of tensors {name, shape, datatype, data}.")
    binary, tensors = body[split:], []
    for given in request["inputs"]:
        if not isinstance(given, dict) or not isinstance(given.get("name"), str):
            raise invalid_field("inputs", "a tensor", "Each input is {name, shape, datatype, data}.")
        name, datatype = given["name"], str(given.get("datatype", ""))
        size = (given.get("parameters") or {}).get("binary_data_size")
        if size is not None:
            raw, binary = binary[: int(size)], binary[int(size) :]
            if datatype == "BYTES":
                data: list[Any] = split_bytes(raw, name)
            elif datatype in NUMPY_TYPES:
                data = np.frombuffer(raw, dtype=NUMPY_TYPES[datatype]).tolist()
            else:
                raise invalid_field(f"inputs.{name}.datatype", "unknown datatype", f"{name}: datatype {datatype!r}.")
        elif "data" in given:
            data = json_elements(datatype, given["data"], name)
        else:
            raise invalid_field(f"inputs.{name}.data", "required", f"Tensor {name!r} has no data.")
        tensors.append(Tensor(name, datatype, list(given.get("shape") or [len(data)]), data, size is not None))
    return request, tensors


def encode_response(header: dict[str, Any], tensors: list[Tensor], binary: set[str]) -> tuple[bytes, int | None]:
    """The answer body, and the JSON header's length when tensors follow it in binary."""
    outputs, chunks = [], []
    for tensor in tensors:
        entry: dict[str, Any] = {"name": tensor.name, "datatype": tensor.datatype, "shape": tensor.shape}
        if tensor.name in binary:
            raw = (
                join_bytes(tensor.data)
                if tensor.datatype == "BYTES"
                else np.asarray(tensor.data, dtype=NUMPY_TYPES[tensor.datatype]).tobytes()
            )
            entry["parameters"] = {"binary_data_size": len(raw)}
            chunks.append(raw)
        else:
            entry["data"] = [json_element(e) for e in tensor.data]
        outputs.append(entry)
    head = orjson.dumps({**header, "outputs": outputs})
    return (head + b"".join(chunks), len(head)) if chunks else (head, None)
