"""The protocols a remote model speaks, by name."""

from __future__ import annotations

from typeserve.runtimes.remote.protocols.base import BadAnswer, RemoteProtocol
from typeserve.runtimes.remote.protocols.hf import HuggingFaceProtocol
from typeserve.runtimes.remote.protocols.openai import OpenAIProtocol
from typeserve.runtimes.remote.protocols.typeserve_api import TypeserveProtocol
from typeserve.runtimes.remote.protocols.v2 import OpenInferenceProtocol

PROTOCOLS: dict[str, RemoteProtocol] = {
    protocol.name: protocol
    for protocol in (TypeserveProtocol(), HuggingFaceProtocol(), OpenAIProtocol(), OpenInferenceProtocol())
}

__all__ = ["PROTOCOLS", "BadAnswer", "RemoteProtocol"]
