"""The `typeserve` protocol: another typeserve's model URL (`/v1/ent/{id}`), called with the
type's own wire input, answering the type's own Output."""

from __future__ import annotations

from typing import Any

import httpx

from typeserve.modeltypes import MODEL_TYPES, get_model_type
from typeserve.modeltypes.media_refs import AudioItem, ImageItem
from typeserve.runtimes.media_encoding import media_file
from typeserve.runtimes.remote.protocols.base import RemoteProtocol, b64, json_of
from typeserve.runtimes.remote.upstream import UpstreamRequest


class TypeserveProtocol(RemoteProtocol):
    name = "typeserve"
    types = frozenset(MODEL_TYPES)

    def request(self, type_name: str, item: Any, options: dict[str, Any]) -> UpstreamRequest:
        if isinstance(item, ImageItem | AudioItem):
            data, _, _ = media_file(item)
            key = "imageRef" if isinstance(item, ImageItem) else "audioRef"
            fields = get_model_type(type_name).Input.model_fields
            body: dict[str, Any] = {key: {"Bytes": b64(data)}}
            for name in ("topK", "threshold", "language"):
                value = getattr(item, name, None)
                if value is not None and name in fields:
                    body[name] = value
            return UpstreamRequest(json=body)
        return UpstreamRequest(json=item.model_dump(mode="json", by_alias=True, exclude_none=True))

    def answer(self, type_name: str, item: Any, response: httpx.Response, options: dict[str, Any]) -> Any:
        return json_of(response)
