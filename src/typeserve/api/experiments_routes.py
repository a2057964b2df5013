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

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.api.auth import require_scope
from typeserve.api.body import media_type_of, read_json_body, read_limited_body
from typeserve.api.responses import json_response
from typeserve.errors import invalid_field, length_required, too_large
from typeserve.experiments.report import summary
from typeserve.experiments.service import CreateExperiment, ExperimentService
from typeserve.modeltypes.validation import validate_model

router = APIRouter()
use_experiments = require_scope(Scope.EXPERIMENTS.value)


def experiments_of(request: Request) -> ExperimentService:
    service: ExperimentService = request.app.state.experiments
    return service


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
    service = experiments_of(request)
    data, filename, content_type = await read_upload(request, service.settings.experiment_max_dataset_bytes)
    dataset = await service.add_dataset(
        key, data, filename=filename, content_type=content_type, format=format, name=name
    )
    return json_response(dataset, status=201)


@router.get("/v1/datasets/{dataset_id}")
async def get_dataset(dataset_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    return json_response(await experiments_of(request).dataset(key, dataset_id))


@router.post("/v1/experiments", status_code=202)
async def create_experiment(request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    service = experiments_of(request)
    data, size = await read_json_body(request, service.settings.experiment_max_dataset_bytes)
    spec = validate_model(CreateExperiment, data, title="Request does not match the experiment schema")
    experiment = await service.start(key, spec, size)
    return json_response(summary(experiment, {}), status=202, headers={"Location": f"/v1/experiments/{experiment.id}"})


@router.get("/v1/experiments")
async def list_experiments(request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    return json_response({"experiments": await experiments_of(request).listing(key)})


@router.get("/v1/experiments/{experiment_id}")
async def get_experiment(
    experiment_id: str,
    request: Request,
    rowsOffset: int = Query(default=0, ge=0),
    rowsLimit: int = Query(default=100, ge=0, le=1000),
    key: KeyInfo = Depends(use_experiments),
) -> Response:
    return json_response(await experiments_of(request).report(key, experiment_id, rowsOffset, rowsLimit))


@router.get("/v1/experiments/{experiment_id}/results.json")
async def download_json(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    report = await experiments_of(request).report(key, experiment_id)
    return json_response(
        report, headers={"Content-Disposition": f'attachment; filename="{experiment_id}-results.json"'}
    )


@router.get("/v1/experiments/{experiment_id}/results.csv")
async def download_csv(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    return Response(
        await experiments_of(request).results_csv(key, experiment_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{experiment_id}-results.csv"'},
    )


@router.delete("/v1/experiments/{experiment_id}")
async def cancel_experiment(experiment_id: str, request: Request, key: KeyInfo = Depends(use_experiments)) -> Response:
    return json_response(await experiments_of(request).cancel(key, experiment_id))
