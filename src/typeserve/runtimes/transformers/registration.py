"""From a checkpoint folder to a catalog entry, checking everything that can be checked
without loading weights, so that a bad model fails at `typeserve models add` with a sentence
that says why, and never at its first request."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from typeserve.catalog.spec import ModelSpec, Requirements, id_name, is_model_id
from typeserve.modeltypes import MODEL_TYPES
from typeserve.runtimes.transformers.architectures import TaskHead, guess_type, head_for, types_for
from typeserve.runtimes.transformers.checkpoint import TORCH_WEIGHTS, Checkpoint, CheckpointError, read_checkpoint
from typeserve.runtimes.transformers.hub import Source
from typeserve.runtimes.transformers.languages import Pair, fixed_pair, language_tokens, t5_pairs
from typeserve.runtimes.transformers.loading import load_preprocessor

ISO_639_1 = re.compile(r"^[a-z]{2}$")
# Types whose answers are the checkpoint's labels, which the card lists.
LABELLED_TYPES = frozenset(
    {"text-classification", "image-classification", "image-object-detection", "audio-classification"}
)


@dataclass
class Registration:
    spec: ModelSpec
    inferred_type: bool
    reason: str


def default_id(source: Source) -> str:
    if source.hub_id:
        return f"huggingface/1/{source.hub_id}"
    return f"local/1/{id_name(source.path.name)}"


def choose_type(checkpoint: Checkpoint, wanted: str | None) -> tuple[str, bool, str]:
    """The type to serve the checkpoint as, whether it was inferred, and why."""
    architecture = checkpoint.architecture
    if wanted is not None:
        if wanted not in MODEL_TYPES:
            raise CheckpointError(f"unknown type {wanted!r}; known: {', '.join(MODEL_TYPES)}")
        if head_for(wanted, architecture) is None:
            fits = types_for(architecture)
            if fits:
                raise CheckpointError(f"type mismatch: {architecture} is a {' / '.join(fits)} model, not {wanted}.")
            raise CheckpointError(
                f"unknown architecture {architecture} for {wanted}: transformers has no {wanted} head by that name."
            )
        return wanted, False, "given with --type"
    guessed, reason = guess_type(architecture, checkpoint.model_type, checkpoint.pipeline_tag)
    if guessed is None:
        raise CheckpointError(
            f"unknown architecture {architecture}: it is none of typeserve's types "
            f"({', '.join(MODEL_TYPES)}); if it is one, say which with --type."
        )
    return guessed, True, reason


def sample_rate_of(checkpoint: Checkpoint) -> int | None:
    """The rate the feature extractor expects: in preprocessor_config.json, or nested in the
    processor_config.json that transformers 5 processors save."""
    for name, nested in (("preprocessor_config.json", None), ("processor_config.json", "feature_extractor")):
        config_file = checkpoint.path / name
        if not config_file.is_file():
            continue
        try:
            settings = json.loads(config_file.read_text("utf-8"))
        except json.JSONDecodeError:
            continue
        if nested is not None:
            settings = settings.get(nested) or {}
        rate = settings.get("sampling_rate") if isinstance(settings, dict) else None
        if isinstance(rate, int):
            return rate
    return None


def translation_options(
    checkpoint: Checkpoint, preprocessor: Any, source: str | None, target: str | None, hub_id: str | None = None
) -> tuple[dict[str, Any], str]:
    """Spec options and a card sentence for the languages a translation model covers."""
    if source and target:
        return {"source_language": source, "target_language": target}, f"Translates {source} to {target}."
    pairs = t5_pairs(checkpoint.config)
    if len(pairs) > 1:
        offered = ", ".join(f"{p.source}->{p.target}" for p in pairs)
        return {}, f"Translates {offered}; choose with sourceLanguage / targetLanguage."
    pair: Pair | None = fixed_pair(checkpoint.path, checkpoint.config, hub_id)
    if pair is not None:
        return {
            "source_language": pair.source,
            "target_language": pair.target,
        }, f"Translates {pair.source} to {pair.target}."
    tokens = language_tokens(preprocessor)
    if tokens:
        return {}, (
            f"Multilingual: takes sourceLanguage and targetLanguage (ISO 639-1) in each request; "
            f"languages: {', '.join(sorted(tokens))}."
        )
    raise CheckpointError(
        "the checkpoint does not say which languages it translates; give them with "
        "--source-language and --target-language."
    )


def check_files(checkpoint: Checkpoint, runtime: str) -> None:
    if runtime == "transformers" and not checkpoint.has_any(TORCH_WEIGHTS):
        raise CheckpointError(f"{checkpoint.path} has no weights ({' or '.join(TORCH_WEIGHTS)}).")


def check_id(model_id: str) -> None:
    if not is_model_id(model_id):
        raise CheckpointError(f"{model_id!r} is not a model id; model ids look like vendor/version/name.")


def load_checked_preprocessor(checkpoint: Checkpoint, type_name: str, head: TaskHead) -> Any:
    """The tokenizer or processor, loaded now so that a broken one fails at `models add`."""
    try:
        preprocessor = load_preprocessor(type_name, head.auto_class, checkpoint.path)
    except Exception as exc:
        raise CheckpointError(
            f"its preprocessor (tokenizer or processor) does not load: {exc.__class__.__name__}: {exc}"
        ) from None
    if type_name == "fill-mask" and getattr(preprocessor, "mask_token", None) is None:
        raise CheckpointError("its tokenizer has no mask token, so it cannot serve fill-mask.")
    return preprocessor


def summary_of(readme: str | None) -> str:
    """The model card's first paragraph of prose, as the catalog's one-line description."""
    for paragraph in (readme or "").split("\n\n"):
        text = " ".join(paragraph.split())
        if text and not text.startswith(("#", "|", "```", "<", "!")):
            return text[:300]
    return ""


def register(
    source: Source,
    *,
    type_name: str | None = None,
    model_id: str | None = None,
    runtime: str = "transformers",
    source_language: str | None = None,
    target_language: str | None = None,
) -> Registration:
    """Check the checkpoint and describe it as a catalog entry (nothing is saved here)."""
    for code in (source_language, target_language):
        if code is not None and not ISO_639_1.match(code):
            raise CheckpointError(f"{code!r} is not an ISO 639-1 language code (two lowercase letters).")
    spec_id = model_id or default_id(source)
    check_id(spec_id)
    checkpoint = read_checkpoint(source.path)
    chosen, inferred, reason = choose_type(checkpoint, type_name)
    head = head_for(chosen, checkpoint.architecture)
    assert head is not None  # choose_type only returns types with a head for the architecture
    check_files(checkpoint, runtime)
    if runtime == "onnx":
        from typeserve.runtimes.onnx.checks import check_onnx_checkpoint

        check_onnx_checkpoint(checkpoint, chosen, head)
    preprocessor = load_checked_preprocessor(checkpoint, chosen, head)
    options: dict[str, Any] = {"path": str(checkpoint.path), "architecture": checkpoint.architecture}
    description = summary_of(checkpoint.readme)
    if chosen == "translation":
        extra, sentence = translation_options(checkpoint, preprocessor, source_language, target_language, source.hub_id)
        options.update(extra)
        description = f"{description} {sentence}".strip()
    backend_module = "torch" if runtime == "transformers" else "onnxruntime"
    spec = ModelSpec(
        id=spec_id,
        type=chosen,
        runtime=runtime,
        title=f"{source.hub_id or source.path.name} ({checkpoint.architecture})",
        description=description or f"{checkpoint.architecture} checkpoint served as {chosen}.",
        source=source.description,
        license=checkpoint.license or "unknown",
        labels=checkpoint.labels if chosen in LABELLED_TYPES else [],
        languages=checkpoint.languages,
        tags=[runtime, checkpoint.model_type, "registered"],
        sample_rate=sample_rate_of(checkpoint) if MODEL_TYPES[chosen].media == "audio" else None,
        options=options,
        requires=Requirements(
            python=["transformers", backend_module], install=f"pip install 'transformers>=5' {backend_module}"
        ),
        card=checkpoint.readme,
    )
    return Registration(spec=spec, inferred_type=inferred, reason=reason)
