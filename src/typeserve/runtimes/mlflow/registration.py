"""From `typeserve models add ./mlflow-model --type T` (or `models:/NAME/VERSION` of the
registry that MLFLOW_TRACKING_URI names) to a catalog entry: the MLmodel file must have the
python_function flavour, its signature says which column takes the text, and the model is
loaded and tried on the type's example, so that one that does not load or answer in the
type's shape is refused here."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.catalog.spec import ModelSpec, Requirements, Serving, id_name
from typeserve.config import Settings
from typeserve.modeltypes import MODEL_TYPES
from typeserve.runtimes.input_mapping import check_outputs, map_inputs
from typeserve.runtimes.registration_checks import checked_id, given_type
from typeserve.runtimes.trial_items import trial_item

KINDS = {"string": "string", "binary": "bytes", "double": "number", "float": "number", "long": "integer"}


def local_folder(source: str, settings: Settings) -> Path:
    if not source.startswith(("models:/", "runs:/")):
        return Path(source.removeprefix("file://")).expanduser().resolve()
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow.artifacts

    target = settings.data_dir / "cache" / "mlflow" / hashlib.sha256(source.encode()).hexdigest()[:16]
    target.mkdir(parents=True, exist_ok=True)
    try:
        return Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=str(target)))
    except Exception as exc:
        raise ModelAdminError(f"the registry does not give {source}: {exc.__class__.__name__}: {exc}") from None


def signature_inputs(mlmodel: dict[str, Any]) -> list[dict[str, Any]]:
    """The signature's input columns as the input mapping describes inputs."""
    signature = (mlmodel.get("signature") or {}).get("inputs")
    if not signature:
        return []
    columns = json.loads(signature)
    return [
        {
            "name": c.get("name", ""),
            "kind": KINDS.get(c.get("type"), c.get("type")),
            "required": c.get("required", True),
        }
        for c in columns
    ]


def register_mlflow(
    source: str,
    settings: Settings,
    *,
    type_name: str | None,
    model_id: str | None = None,
    inputs: dict[str, str] | None = None,
    outputs: dict[str, str] | None = None,
) -> ModelSpec:
    model_type = given_type(type_name, "model")
    type_name = model_type.name
    if model_type.media != "text":
        raise ModelAdminError(f"MLflow models serve text types here; {type_name} takes {model_type.media}")
    folder = local_folder(source, settings)
    if not (folder / "MLmodel").is_file():
        raise ModelAdminError(f"{folder} has no MLmodel file")
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text("utf-8")) or {}
    flavours = mlmodel.get("flavors") or {}
    if "python_function" not in flavours:
        raise ModelAdminError(f"the model has no python_function flavour (it has {', '.join(flavours) or 'none'})")
    # Without a signature the model takes a list of texts, or the column --input names.
    described = signature_inputs(mlmodel) or [
        {"name": next(iter((inputs or {}).values()), ""), "kind": "string", "required": True}
    ]
    input_map = map_inputs(model_type, described, inputs or {})
    name = source.rstrip("/").split("/")[-2] if source.startswith("models:/") else folder.name
    spec_id = checked_id(model_id or f"mlflow/1/{id_name(name)}")
    spec = ModelSpec(
        id=spec_id,
        type=type_name,
        runtime="mlflow",
        title=f"{name} (MLflow pyfunc)",
        description=f"MLflow pyfunc model ({', '.join(flavours)}) served as {type_name}.",
        source=source,
        tags=["mlflow", *flavours, "registered"],
        options={"path": str(folder), "input_map": input_map, "output_map": check_outputs(model_type, outputs or {})},
        requires=Requirements(python=["mlflow", "pandas"], install="pip install 'mlflow-skinny>=3' pandas"),
        serving=Serving(in_process=False, max_batch_size=32, tiers=["cpuflex"], timeout_s=120),
        card="\n".join(
            [
                f"An MLflow model (flavours: {', '.join(flavours)}; MLflow {mlmodel.get('mlflow_version', '?')}) "
                f"from `{source}`, loaded with `mlflow.pyfunc.load_model`.",
                "",
                f"Signature inputs: `{(mlmodel.get('signature') or {}).get('inputs', 'none')}`",
                "",
                f"Signature outputs: `{(mlmodel.get('signature') or {}).get('outputs', 'none')}`",
            ]
        ),
    )
    try_model(spec)
    return spec


def try_model(spec: ModelSpec) -> None:
    from typeserve.runtimes.mlflow import MlflowRuntime

    try:
        model = MlflowRuntime().load(spec, "cpu")
    except Exception as exc:
        raise ModelAdminError(f"it does not load: {exc.__class__.__name__}: {exc}") from None
    try:
        model.predict([trial_item(MODEL_TYPES[spec.type])])
    except Exception as exc:
        raise ModelAdminError(f"tried on the {spec.type} example, {exc}") from None
