"""`typeserve models add` for the sources beyond Hugging Face checkpoints: git repositories
with a Cog predictor, MLflow pyfunc models and remote models. Which one a source is follows
from its form (`git+…`, a folder with cog.yaml or MLmodel, `models:/…`, `--runtime remote`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from typeserve.catalog.spec import ModelSpec
from typeserve.cli.common import console, err_console, fail, progress_bar, writing_settings


@dataclass
class SourceOptions:
    """What `models add` was told beyond the source itself."""

    type_name: str | None
    model_id: str | None
    runtime: str
    replace: bool
    data_dir: Path | None
    protocol: str | None = None
    credential_env: str | None = None
    remote_model: str | None = None
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


def parse_pairs(values: list[str], flag: str) -> dict[str, str]:
    """`["text=prompt", "labels=scores"]` as a mapping; a bare value maps the type's one field."""
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, target = value.partition("=")
        if not sep:
            key, target = "", value
        if not target or (sep and not key):
            raise fail(f"{flag} takes FIELD=NAME, got {value!r}", 2)
        pairs[key.strip()] = target.strip()
    return pairs


def source_kind(source: str, runtime: str) -> str | None:
    """ "remote", "cog", "mlflow", or None for a Hugging Face checkpoint."""
    if runtime in ("remote", "cog", "mlflow"):
        return runtime
    if source.startswith("git+"):
        return "cog"
    if source.startswith(("models:/", "runs:/")):
        return "mlflow"
    path = Path(source.removeprefix("file://"))
    if (path / "cog.yaml").is_file():
        return "cog"
    if (path / "MLmodel").is_file():
        return "mlflow"
    return None


def add_from_source(kind: str, source: str, given: SourceOptions) -> None:
    from typeserve.catalog.model_admin import ModelAdminError, save_registered

    settings = writing_settings(given.data_dir)
    inputs = parse_pairs(given.inputs, "--input")
    outputs = parse_pairs(given.outputs, "--output")
    try:
        if kind == "remote":
            from typeserve.runtimes.remote.registration import register_remote

            spec = register_remote(
                source,
                type_name=given.type_name,
                protocol=given.protocol,
                model_id=given.model_id,
                credential_env=given.credential_env,
                remote_model=given.remote_model,
                input_name=next(iter(inputs.values()), None),
                options=parse_pairs(given.options, "--option"),
                allow_private=settings.allow_private_urls,
            )
        elif kind == "cog":
            from typeserve.runtimes.cog.registration import register_cog

            err_console.print(f"Preparing the Cog predictor of {source} (cloning, building its environment)...")
            with progress_bar(f"Building and checking {source}"):
                spec = register_cog(
                    source, settings, type_name=given.type_name, model_id=given.model_id, inputs=inputs, outputs=outputs
                )
        else:
            from typeserve.runtimes.mlflow.registration import register_mlflow

            with progress_bar(f"Loading and checking {source}"):
                spec = register_mlflow(
                    source, settings, type_name=given.type_name, model_id=given.model_id, inputs=inputs, outputs=outputs
                )
        save_registered(settings, spec, replace=given.replace)
    except ModelAdminError as exc:
        raise fail(f"cannot add {source}: {exc}", 2) from None
    announce(spec)


def announce(spec: ModelSpec) -> None:
    console.print(f"Added [bold]{spec.id}[/bold] ({spec.type}, runtime {spec.runtime}) from {spec.source}.")
    console.print(f"Invoke it at /v1/ent/{spec.id}")
