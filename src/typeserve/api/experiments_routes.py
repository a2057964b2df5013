"""Experiments and datasets over HTTP, for keys with the `experiments` scope:

POST /v1/datasets                       upload JSONL, CSV or a zip (raw body or multipart `file`)
GET  /v1/datasets/{id}                  its size and columns
POST /v1/experiments                    start comparing models of one type (202 at once)
GET  /v1/experiments                    the caller's experiments (an admin sees all)
GET  /v1/experiments/{id}               progress, then metrics, latency and per-row outputs
GET  /v1/experiments/{id}/results.json  the whole report;  results.csv  one line per row
DELETE /v1/experiments/{id}             cancel a queued or running experiment

A user sees only their own experiments and datasets; others' answer 404, as unknown ids do."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.api.auth import require_scope
from typeserve.api.body import media_type_of, parse_json_body, read_limited_body
from typeserve.api.responses import json_response
from typeserve.errors import conflict, invalid_field, length_required, not_found, rate_limited, too_large
from typeserve.experiments.datasets import ParsedDataset, build_dataset, detect_format, parse_dataset
from typeserve.experiments.report import full_report, results_csv, summary
from typeserve.experiments.runner import ExperimentRunner
from typeserve.experiments.store import ExperimentStore
from typeserve.experiments.validation import check_experiment
from typeserve.modeltypes.validation import validate_model
from typeserve.services import Services
from typeserve.store.tables import Dataset, Experiment

router = APIRouter()
use_experiments = require_scope(Scope.EXPERIMENTS.value)


class DatasetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[Any] | None = Field(default=None, description="Inline rows: the type's input plus the expected answer.")
    datasetId: str | None = Field(default=None, max_length=32, description="An uploaded dataset.")
    name: str | None = Field(default=None, max_length=200)


class CreateExperiment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=64)
    models: list[str] = Field(min_length=1, max_length=100)
    serviceTier: str | None = None
    dataset: DatasetSpec


def runner_of(request: Request) -> ExperimentRunner:
    runner: ExperimentRunner = request.app.state.experiment_runner
    return runner


def is_admin(key: KeyInfo) -> bool:
    return Scope.ADMIN.value in key.scopes


def owns(key: KeyInfo, user_id: int | None, key_id: str | None) -> bool:
    if is_admin(key):
        return True
    return user_id == key.user_id if key.user_id is not None else key_id == key.id


def visible_experiment(store: ExperimentStore, experiment_id: str, key: KeyInfo) -> Experiment:
    experiment = store.get(experiment_id)
    if experiment is None or not owns(key, experiment.user_id, experiment.key_id):
        raise not_found("unknown_experiment", f"No experiment with id {experiment_id!r}.")
    return experiment


def visible_dataset(store: ExperimentStore, dataset_id: str, key: KeyInfo, field: str = "datasetId") -> Dataset:
    dataset = store.dataset_info(dataset_id)
    if dataset is None or not owns(key, dataset.user_id, dataset.key_id):
        raise not_found(
            "unknown_dataset",
            f"No dataset with id {dataset_id!r}.",
            errors=[{"field": field, "message": "unknown dataset"}],
        )
    return dataset


def dataset_json(dataset: Dataset) -> dict[str, Any]:
    return {
        "id": dataset.id,
        "name": dataset.name,
        "format": dataset.format,
        "rows": dataset.row_count,
        "bytes": dataset.size_bytes,
        "columns": dataset.columns,
        "createdAt": dataset.created_at.isoformat().replace("+00:00", "Z"),
    }


async def read_upload(request: Request, limit: int) -> tuple[bytes, str | None, str]:
    """The file's bytes, its name and its content type, from a raw or a multipart body."""
    content_type = media_type_of(request)
    if content_type != "multipart/form-data":
        return await read_limited_body(request, limit), None, content_type
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise length_required("Send multipart uploads with a Content-Length.")
    if int(declared) > limit:
        raise too_large(f"The upload is {declared} bytes; the limit is {limit}.")
    form = await request.form(max_files=1, max_fields=10)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise invalid_field("file", "required", "Send the dataset as the multipart field `file`.", title="No file")
    data = await upload.read()
    return data, upload.filename, media_type_of_upload(upload.content_type)


def media_type_of_upload(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


@router.post("/v1/datasets", status_code=201)
async def upload_dataset(
    request: Request,
    name: str | None = Query(default=None, max_length=200),
    format: str | None = Query(default=None),
    key: KeyInfo = Depends(use_experiments),
) -> Response:
    services: Services = request.app.state.services
    settings = services.settings
    data, filename, content_type = await read_upload(request, settings.experiment_max_dataset_bytes)
    kind = detect_format(content_type, filename, format)
    parsed = await asyncio.to_thread(
        parse_dataset,
        data,
        kind,
        max_rows=settings.experiment_max_rows,
        max_bytes=settings.experiment_max_dataset_bytes,
    )
    store = runner_of(request).store
    dataset = await asyncio.to_thread(
        store.add_dataset,
        name=name or filename or "dataset",
        format=parsed.format,
        rows=parsed.rows,
        columns=parsed.columns,
        size_bytes=len(data),
        user_id=key.user_id,
        key_id=key.id,
    )
    return json_response(dataset_json(dataset), status=201)


@router.get("/v1/datasets/{dataset_id}")
async def get_dataset(dataset_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    store = runner_of(request).store
    dataset = await asyncio.to_thread(visible_dataset, store, dataset_id, key, "datasetId")
    return json_response(dataset_json(dataset))


@router.post("/v1/experiments", status_code=202)
async def create_experiment(request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    services: Services = request.app.state.services
    settings = services.settings
    runner = runner_of(request)
    store = runner.store
    body = await read_limited_body(request, settings.experiment_max_dataset_bytes)
    spec = validate_model(CreateExperiment, parse_json_body(body))
    _specs, _tier = check_experiment(services.catalog, settings, spec.type, spec.models, spec.serviceTier)
    if (spec.dataset.rows is None) == (spec.dataset.datasetId is None):
        raise invalid_field(
            "dataset",
            "give exactly one of rows or datasetId",
            "dataset: give exactly one of rows or datasetId.",
            title="The experiment is not valid",
        )
    active = await asyncio.to_thread(store.active_count, key.user_id, key.id)
    if active >= settings.experiment_max_running_per_user:
        raise rate_limited(
            "too_many_experiments",
            "Too many experiments",
            f"You have {active} experiments queued or running; the limit is "
            f"{settings.experiment_max_running_per_user}. Wait for one to finish or cancel one.",
            retry_after=30,
        )
    if spec.dataset.rows is not None:
        parsed: ParsedDataset = build_dataset(
            "inline", spec.dataset.rows, max_rows=settings.experiment_max_rows, field="dataset.rows"
        )
        dataset = await asyncio.to_thread(
            store.add_dataset,
            name=spec.dataset.name or spec.name,
            format=parsed.format,
            rows=parsed.rows,
            columns=parsed.columns,
            size_bytes=len(body),
            user_id=key.user_id,
            key_id=key.id,
        )
    else:
        assert spec.dataset.datasetId is not None
        dataset = await asyncio.to_thread(visible_dataset, store, spec.dataset.datasetId, key, "dataset.datasetId")
    experiment = await asyncio.to_thread(
        store.create,
        name=spec.name,
        type_name=spec.type,
        models=spec.models,
        tier=spec.serviceTier or "cpuflex",
        dataset_id=dataset.id,
        row_count=dataset.row_count,
        user_id=key.user_id,
        key_id=key.id,
    )
    await runner.submit(experiment.id)
    body_out = summary(experiment, {})
    return json_response(body_out, status=202, headers={"Location": f"/v1/experiments/{experiment.id}"})


@router.get("/v1/experiments")
async def list_experiments(request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    store = runner_of(request).store

    def listing() -> list[dict[str, Any]]:
        found = store.list_experiments(key.user_id, key.id, everyone=is_admin(key))
        return [summary(experiment, store.progress(experiment.id)) for experiment in found]

    return json_response({"experiments": await asyncio.to_thread(listing)})


def load_report(
    store: ExperimentStore, experiment_id: str, key: KeyInfo, offset: int = 0, limit: int | None = None
) -> dict[str, Any]:
    experiment = visible_experiment(store, experiment_id, key)
    return full_report(
        experiment,
        store.progress(experiment.id),
        store.dataset_rows(experiment.dataset_id),
        store.rows(experiment.id),
        offset,
        limit,
    )


@router.get("/v1/experiments/{experiment_id}")
async def get_experiment(
    experiment_id: str,
    request: Request,
    rowsOffset: int = Query(default=0, ge=0),
    rowsLimit: int = Query(default=100, ge=0, le=1000),
    key: KeyInfo = Depends(use_experiments),
) -> Response:
    store = runner_of(request).store
    return json_response(await asyncio.to_thread(load_report, store, experiment_id, key, rowsOffset, rowsLimit))


@router.get("/v1/experiments/{experiment_id}/results.json")
async def download_json(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    store = runner_of(request).store
    report = await asyncio.to_thread(load_report, store, experiment_id, key)
    return json_response(
        report, headers={"Content-Disposition": f'attachment; filename="{experiment_id}-results.json"'}
    )


@router.get("/v1/experiments/{experiment_id}/results.csv")
async def download_csv(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    store = runner_of(request).store

    def render() -> str:
        experiment = visible_experiment(store, experiment_id, key)
        return results_csv(experiment, store.dataset_rows(experiment.dataset_id), store.rows(experiment.id))

    return Response(
        await asyncio.to_thread(render),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{experiment_id}-results.csv"'},
    )


@router.delete("/v1/experiments/{experiment_id}")
async def cancel_experiment(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    runner = runner_of(request)
    experiment = await asyncio.to_thread(visible_experiment, runner.store, experiment_id, key)
    if not await runner.cancel(experiment.id):
        raise conflict(
            "experiment_finished",
            "Experiment already finished",
            f"Experiment {experiment_id} is {experiment.status}; only queued or running experiments can be cancelled.",
        )
    updated = await asyncio.to_thread(runner.store.get, experiment.id)
    assert updated is not None
    return json_response(summary(updated, await asyncio.to_thread(runner.store.progress, experiment.id)))
