"""From `typeserve models add git+URL@REV --type T` to a catalog entry: check the repository
out at its commit, read cog.yaml, name missing system packages, build (or reuse) its virtual
environment, run `setup()` once and one trial prediction on the type's example, so that a
predictor that does not build, import, set up or answer in the type's shape is refused here
with its error in one sentence, and never at its first request."""

from __future__ import annotations

from typing import Any

from typeserve.catalog.model_admin import ModelAdminError
from typeserve.catalog.spec import ModelSpec, Serving, id_name
from typeserve.config import Settings
from typeserve.runtimes.cog import CogModel, start_worker
from typeserve.runtimes.cog.config import missing_system_packages, read_cog_yaml
from typeserve.runtimes.cog.environment import build_environment
from typeserve.runtimes.cog.repository import check_out, licence_of
from typeserve.runtimes.input_mapping import check_outputs, map_inputs
from typeserve.runtimes.registration_checks import checked_id, given_type
from typeserve.runtimes.trial_items import trial_item
from typeserve.runtimes.typed_outputs import OutputMismatch


def inputs_table(inputs: list[dict[str, Any]], input_map: dict[str, str]) -> str:
    fed = {name: field for field, name in input_map.items()}
    rows = ["| input | kind | default | typeserve field | description |", "|---|---|---|---|---|"]
    for entry in inputs:
        default = "required" if entry["required"] else repr(entry.get("default"))
        rows.append(
            f"| {entry['name']} | {entry['kind']} | {default} | {fed.get(entry['name'], '')} "
            f"| {entry.get('description', '')} |"
        )
    return "\n".join(rows)


def register_cog(
    source: str,
    settings: Settings,
    *,
    type_name: str | None,
    model_id: str | None = None,
    inputs: dict[str, str] | None = None,
    outputs: dict[str, str] | None = None,
) -> ModelSpec:
    model_type = given_type(type_name, "predictor")
    cache = settings.data_dir / "cache" / "cog"
    checkout = check_out(source, cache / "checkouts")
    config = read_cog_yaml(checkout.path)
    missing = missing_system_packages(config.system_packages)
    if missing:
        raise ModelAdminError(
            f"cog.yaml needs system packages that are not installed: {', '.join(missing)} "
            f"(install them with: apt-get install {' '.join(missing)})"
        )
    python = build_environment(config, cache / "venvs")
    name = id_name(checkout.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
    spec_id = checked_id(model_id or f"cog/1/{name}")
    log_file = settings.data_dir / "logs" / f"cog-{id_name(spec_id)}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    spec = ModelSpec(
        id=spec_id,
        type=model_type.name,
        runtime="cog",
        title=f"{name} (Cog predictor)",
        source=f"{checkout.url}@{checkout.commit}",
        serving=Serving(max_batch_size=1, tiers=["cpuflex"], timeout_s=120),
        options={"checkout": str(checkout.path), "python": str(python), "predictor": config.predict},
    )
    try:
        worker = start_worker(spec, python, checkout.path, config.predict, log_file)
    except RuntimeError as exc:
        raise ModelAdminError(f"the predictor does not start: {exc}") from None
    try:
        described: list[dict[str, Any]] = worker.ready_info["inputs"]
        input_map = map_inputs(model_type, described, inputs or {})
        output_map = check_outputs(model_type, outputs or {})
        spec.options.update({"input_map": input_map, "output_map": output_map, "log_file": str(log_file)})
        trial = CogModel(spec, worker)
        try:
            trial.predict([trial_item(model_type)])
        except (RuntimeError, OutputMismatch) as exc:
            raise ModelAdminError(f"tried on the {type_name} example, {exc}") from None
    finally:
        worker.stop()
    license_id, license_text = licence_of(checkout.path)
    card = [
        f"A Cog predictor from the git repository `{checkout.url}`, commit `{checkout.commit}` "
        f"(`{config.predict}`), served as {type_name}.",
        "",
        "## Predictor inputs",
        "",
        inputs_table(described, input_map),
    ]
    if license_text:
        card += ["", "## Licence", "", "```", license_text.strip(), "```"]
    return spec.model_copy(
        update={
            "description": f"Cog predictor {config.predict} of {checkout.url} at {checkout.commit[:12]}.",
            "license": license_id,
            "tags": ["cog", "git", "registered"],
            "card": "\n".join(card),
            "options": {
                **spec.options,
                "repository": checkout.url,
                "commit": checkout.commit,
                "inputs": described,
                "python_packages": config.python_packages,
            },
        }
    )
