"""The short request at the top of a model card: a curl one-liner and a Python three-liner
(the SDK's typed method of the type), per tier, read from the type's example and SDK method;
the full programs stay in the Developer Toolbox."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

from typeserve.modeltypes.base import ModelType

EXAMPLE_FILE = {"image": "image.jpg", "audio": "clip.wav"}
EXAMPLE_CONTENT_TYPE = {"image": "image/jpeg", "audio": "audio/wav"}


@dataclass(frozen=True)
class QuickRequest:
    label: str
    lang: str
    cpuflex: str
    gpuflex: str


def curl_line(model_type: ModelType, url: str) -> str:
    auth = '-H "Authorization: Bearer $TYPESERVE_API_KEY"'
    if model_type.media in EXAMPLE_FILE:
        media = model_type.media
        return (
            f"curl {auth} -H 'Content-Type: {EXAMPLE_CONTENT_TYPE[media]}' --data-binary @{EXAMPLE_FILE[media]} '{url}'"
        )
    body = json.dumps(model_type.example_input, ensure_ascii=False)
    return f"curl {auth} -d {shlex.quote(body)} '{url}'"


def python_lines(model_type: ModelType, base_url: str, model_id: str, tier: str) -> str:
    arguments = [repr(model_id)]
    for wire_field in model_type.sdk.arguments.values():
        if model_type.media in EXAMPLE_FILE and wire_field.endswith("Ref"):
            arguments.append(repr(EXAMPLE_FILE[model_type.media]))
        else:
            arguments.append(repr(model_type.example_input.get(wire_field, "")))
    tier_argument = ', tier="gpuflex"' if tier == "gpuflex" else ""
    return "\n".join(
        [
            "from typeserve import Client",
            f"client = Client({base_url!r}{tier_argument})  # the key from TYPESERVE_API_KEY",
            f"print(client.{model_type.sdk.name}({', '.join(arguments)}))",
        ]
    )


def quick_requests(
    model_type: ModelType, base_url: str, model_id: str, cpu_url: str, gpu_url: str
) -> list[QuickRequest]:
    return [
        QuickRequest("curl", "curl", curl_line(model_type, cpu_url), curl_line(model_type, gpu_url)),
        QuickRequest(
            "Python",
            "python",
            python_lines(model_type, base_url, model_id, "cpuflex"),
            python_lines(model_type, base_url, model_id, "gpuflex"),
        ),
    ]
