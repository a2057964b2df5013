"""Loading a registered checkpoint as a typed model: its config, its preprocessor (tokenizer,
image processor, feature extractor or processor, by the type's media) and the adapter of its
type on a backend. The torch and ONNX runtimes differ only in the backend they pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes import get_model_type
from typeserve.runtimes.transformers.adapter_base import Adapter
from typeserve.runtimes.transformers.adapter_registry import adapter_class
from typeserve.runtimes.transformers.architectures import TaskHead, head_for
from typeserve.runtimes.transformers.backend import Backend
from typeserve.runtimes.transformers.checkpoint import CheckpointError, read_checkpoint


def checkpoint_path(spec: ModelSpec) -> Path:
    path = spec.options.get("path")
    if not path:
        raise CheckpointError(f"{spec.id} has no checkpoint path in its options")
    return Path(path)


def task_head(spec: ModelSpec) -> TaskHead:
    checkpoint = read_checkpoint(checkpoint_path(spec))
    head = head_for(spec.type, checkpoint.architecture)
    if head is None:
        raise CheckpointError(f"architecture {checkpoint.architecture} cannot serve {spec.type}")
    return head


def load_preprocessor(type_name: str, auto_class: str, path: Path) -> Any:
    import transformers

    media = get_model_type(type_name).media
    if type_name == "image-to-text":
        from typeserve.runtimes.transformers.image_to_text import ImageTextProcessors

        return ImageTextProcessors(
            transformers.AutoImageProcessor.from_pretrained(str(path)),
            transformers.AutoTokenizer.from_pretrained(str(path)),
        )
    if media == "text":
        return transformers.AutoTokenizer.from_pretrained(str(path))
    if media == "image":
        return transformers.AutoImageProcessor.from_pretrained(str(path))
    if type_name == "automatic-speech-recognition":
        return transformers.AutoProcessor.from_pretrained(str(path))
    return transformers.AutoFeatureExtractor.from_pretrained(str(path))


def load_config(path: Path) -> Any:
    from transformers import AutoConfig

    return AutoConfig.from_pretrained(str(path))


def load_adapter(spec: ModelSpec, make_backend: Callable[[Path, TaskHead], Backend]) -> Adapter[Any]:
    """The adapter of the spec's type, on the backend `make_backend` builds."""
    path = checkpoint_path(spec)
    head = task_head(spec)
    preprocessor = load_preprocessor(spec.type, head.auto_class, path)
    config = load_config(path)
    backend = make_backend(path, head)
    try:
        return adapter_class(spec.type, head.auto_class)(spec, backend, preprocessor, config)
    except Exception:
        backend.close()
        raise
