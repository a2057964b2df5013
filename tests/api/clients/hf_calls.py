"""Runs huggingface_hub's InferenceClient calls given as JSON on stdin and prints each answer
(or the HTTP error it raised) as JSON: run in its own process so that the client's
environment (HF_HOME, HF_ENDPOINT, offline mode) is set before huggingface_hub is imported.

stdin: {"calls": [{"name", "url", "token", "method", "args": [...], "kwargs": {...},
        "files": {"<arg index>": "<path>"}, "bytes_args": [<arg index>, ...]}]}"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from huggingface_hub import InferenceClient
from huggingface_hub.errors import HfHubHTTPError


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return {"ndarray": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, bytes):
        return {"bytes": len(value), "head": value[:4].hex()}
    return value


def run(call: dict[str, Any]) -> Any:
    if call.get("as_model"):  # the other way to say it: the URL as the model, the key as token
        client = InferenceClient(model=call["url"], token=call["token"], timeout=120)
    else:
        client = InferenceClient(base_url=call["url"], api_key=call["token"], timeout=120)
    args = list(call.get("args", []))
    for index, path in call.get("files", {}).items():
        args[int(index)] = Path(path).read_bytes() if int(index) in call.get("bytes_args", []) else Path(path)
    try:
        return {"answer": plain(getattr(client, call["method"])(*args, **call.get("kwargs", {})))}
    except HfHubHTTPError as error:
        response = error.response
        return {"status": response.status_code, "body": response.text, "message": str(error)}


def main() -> None:
    plan = json.load(sys.stdin)
    print(json.dumps({call["name"]: run(call) for call in plan["calls"]}))


if __name__ == "__main__":
    main()
