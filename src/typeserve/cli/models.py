"""`typeserve models`: browse the catalog; add, pull and remove models (Hugging Face
checkpoints here; git repositories, MLflow models and remote models in model_sources.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from typeserve.cli.common import (
    DataDir,
    console,
    err_console,
    fail,
    progress_bar,
    settings_for,
    table_with_ids,
    wide_console,
    writing_settings,
)

models_app = typer.Typer(help="Browse the model catalog; add, pull and remove models.", no_args_is_help=True)


@models_app.command("list")
def models_list(
    type: Annotated[str | None, typer.Option("--type", help="Only models of this type.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Free-text search.")] = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the models in the catalog."""
    from typeserve.catalog import Catalog
    from typeserve.modeltypes import MODEL_TYPES
    from typeserve.runtimes import get_runtime

    if type and type not in MODEL_TYPES:
        raise fail(f"unknown type {type!r}; known: {', '.join(MODEL_TYPES)}", 2)
    from typeserve.catalog.model_admin import registry_for

    settings = settings_for(data_dir)
    specs = Catalog.default(settings.catalog_files, registry=registry_for(settings)).search(type=type, q=q)
    rows = []
    for spec in specs:
        availability = get_runtime(spec.runtime).availability(spec)
        rows.append((spec, "installed" if availability.available else "unavailable"))
    if as_json:
        print(
            json.dumps(
                [{"id": s.id, "type": s.type, "title": s.title, "status": st} for s, st in rows],
                indent=2,
            )
        )
        return
    table = table_with_ids("id", [spec.id for spec, _ in rows], "type", "runtime", "status", "title")
    for spec, status in rows:
        table.add_row(spec.id, spec.type, spec.runtime, status, spec.title)
    wide_console().print(table)


TypeOption = Annotated[
    str | None, typer.Option("--type", help="The model type (inferred from the checkpoint if absent).")
]
IdOption = Annotated[
    str | None, typer.Option("--id", help="vendor/version/name (default huggingface/1/ORG/NAME or local/1/DIR).")
]
RuntimeOption = Annotated[
    str,
    typer.Option("--runtime", help="transformers (PyTorch), onnx, or remote; cog and mlflow follow from the source."),
]
SourceLanguage = Annotated[str | None, typer.Option("--source-language", help="Translation: ISO 639-1 source.")]
TargetLanguage = Annotated[str | None, typer.Option("--target-language", help="Translation: ISO 639-1 target.")]
ReplaceOption = Annotated[bool, typer.Option("--replace", help="Replace a registered model with the same id.")]


def _register(
    source: Any,
    type: str | None,
    model_id: str | None,
    runtime: str,
    source_language: str | None,
    target_language: str | None,
    replace: bool,
    data_dir: Path | None,
) -> None:
    from typeserve.catalog.model_admin import ModelAdminError, save_registered
    from typeserve.runtimes.transformers.checkpoint import CheckpointError
    from typeserve.runtimes.transformers.registration import register

    if runtime not in ("transformers", "onnx"):
        raise fail(f"unknown runtime {runtime!r}; use transformers or onnx", 2)
    settings = writing_settings(data_dir)
    try:
        with progress_bar(f"Reading {source.path}", total=2) as (progress, task):
            registration = register(
                source,
                type_name=type,
                model_id=model_id,
                runtime=runtime,
                source_language=source_language,
                target_language=target_language,
            )
            progress.update(task, advance=1, description=f"Registering {registration.spec.id}")
            save_registered(settings, registration.spec, replace=replace)
            progress.advance(task)
    except (CheckpointError, ModelAdminError) as exc:
        raise fail(f"cannot add {source.path}: {exc}", 2) from None
    spec = registration.spec
    if registration.inferred_type:
        console.print(f"Inferred type [bold]{spec.type}[/bold] from {registration.reason}.")
    console.print(f"Added [bold]{spec.id}[/bold] ({spec.type}, runtime {spec.runtime}) from {spec.source}.")
    console.print(f"Invoke it at /v1/ent/{spec.id}")


@models_app.command("add")
def models_add(
    source: Annotated[
        str,
        typer.Argument(
            help="A save_pretrained folder or cached Hub id; git+URL@REV or a folder with a Cog predictor; "
            "an MLflow model folder or models:/NAME/VERSION; or a URL with --runtime remote."
        ),
    ],
    type: TypeOption = None,
    model_id: IdOption = None,
    runtime: RuntimeOption = "transformers",
    source_language: SourceLanguage = None,
    target_language: TargetLanguage = None,
    protocol: Annotated[
        str | None, typer.Option("--protocol", help="Remote models: typeserve, hf, openai or v2.")
    ] = None,
    credential_env: Annotated[
        str | None,
        typer.Option("--credential-env", help="Remote models: the environment variable holding the upstream's key."),
    ] = None,
    remote_model: Annotated[
        str | None, typer.Option("--remote-model", help="Remote models: the upstream's model name (openai).")
    ] = None,
    inputs: Annotated[
        list[str] | None,
        typer.Option("--input", help="Map a type's input to the predictor's: FIELD=NAME (e.g. text=prompt)."),
    ] = None,
    outputs: Annotated[
        list[str] | None,
        typer.Option("--output", help="Map the predictor's answer to the type's: FIELD=KEY (e.g. labels=scores)."),
    ] = None,
    options: Annotated[
        list[str] | None,
        typer.Option("--option", help="Remote models: timeout_s, retries, breaker_cooldown_s, ... as KEY=VALUE."),
    ] = None,
    replace: ReplaceOption = False,
    data_dir: DataDir = None,
) -> None:
    """Register a model as a typed model (persisted in the catalog database)."""
    from typeserve.cli.model_sources import SourceOptions, add_from_source, source_kind
    from typeserve.runtimes.transformers.checkpoint import CheckpointError
    from typeserve.runtimes.transformers.hub import resolve_source

    kind = source_kind(source, "remote" if protocol else runtime)  # --protocol says it is a remote model
    if kind is not None:
        given = SourceOptions(
            type, model_id, runtime, replace, data_dir, protocol, credential_env, remote_model,
            inputs or [], outputs or [], options or [],
        )  # fmt: skip
        add_from_source(kind, source, given)
        return
    try:
        resolved = resolve_source(source)
    except CheckpointError as exc:
        raise fail(f"cannot add {source}: {exc}", 2) from None
    _register(resolved, type, model_id, runtime, source_language, target_language, replace, data_dir)


@models_app.command("pull")
def models_pull(
    hub_id: Annotated[
        str, typer.Argument(help="A Hugging Face Hub model id, e.g. distilbert/distilbert-base-uncased.")
    ],
    revision: Annotated[str | None, typer.Option("--revision", help="Branch, tag or commit.")] = None,
    type: TypeOption = None,
    model_id: IdOption = None,
    runtime: RuntimeOption = "transformers",
    source_language: SourceLanguage = None,
    target_language: TargetLanguage = None,
    replace: ReplaceOption = False,
    data_dir: DataDir = None,
) -> None:
    """Download a checkpoint from the Hugging Face Hub (with progress bars), then register it."""
    from typeserve.runtimes.transformers.checkpoint import CheckpointError
    from typeserve.runtimes.transformers.hub import download

    err_console.print(f"Downloading {hub_id} from the Hugging Face Hub...")
    try:
        source = download(hub_id, revision)
    except CheckpointError as exc:
        raise fail(str(exc), 1) from None
    _register(source, type, model_id, runtime, source_language, target_language, replace, data_dir)


@models_app.command("remove")
def models_remove(model_id: str, data_dir: DataDir = None) -> None:
    """Unregister a model added with `models add` or `models pull` (its files stay where they are)."""
    from typeserve.catalog.model_admin import ModelAdminError, remove_registered

    try:
        remove_registered(writing_settings(data_dir), model_id)
    except ModelAdminError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Removed {model_id}.")
