"""The Experiments pages: /experiments lists the user's experiments and starts one (a type,
models of that type, a data file and a tier); /experiments/{id} shows its progress while it
runs, then the results table, charts, side-by-side rows and downloads. Everything goes
through the experiments use cases the API calls (experiments/service.py), as the signed-in
user, so the pages show and enforce exactly what the API does."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from typeserve.accounts.sessions import session_key
from typeserve.catalog.cards import summary_json
from typeserve.console.experiment_view import (
    ACTIVE,
    example_row,
    result_charts,
    results_table,
    side_by_side,
)
from typeserve.console.pages import SECURITY_HEADERS, Viewer, check_form_csrf, render, signed_in
from typeserve.engine.tiers import gpu_available, gpuflex_unavailable_reason
from typeserve.errors import ErrorKind, Problem
from typeserve.experiments.service import CreateExperiment, ExperimentService
from typeserve.experiments.validation import check_experiment
from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.validation import validate_model
from typeserve.public_url import public_base_url
from typeserve.services import Services

router = APIRouter(include_in_schema=False)

ROWS_PER_PAGE = 25
TIERS = [("cpuflex", "CPU"), ("gpuflex", "FlexGPU")]
# Multipart framing and the small fields around the file.
FORM_OVERHEAD = 64 * 1024
DATASET_CODES = ("invalid_dataset", "too_large", "too_many_rows", "unsupported_media_type", "length_required")
FIELD_OF_CODE = {"mixed_types": "Models", "unknown_model": "Models", "tier_unavailable": "Tier"}


def type_groups(request: Request) -> list[dict[str, Any]]:
    """Per type that has models: its models from the catalog and an example dataset line."""
    services: Services = request.app.state.services
    base = public_base_url(request)
    groups = []
    for name, model_type in MODEL_TYPES.items():
        specs = services.catalog.search(type=name)
        if specs:
            models = [summary_json(spec, services.engine, base) for spec in specs]
            groups.append({"name": name, "type": model_type, "models": models, "example": example_row(model_type)})
    return groups


def default_type(groups: list[dict[str, Any]], wanted: str) -> str:
    names = [g["name"] for g in groups]
    if wanted in names:
        return wanted
    # The first type with several models to compare, else the first there is.
    return next((g["name"] for g in groups if len(g["models"]) > 1), names[0] if names else "")


def list_page(
    request: Request,
    viewer: Viewer,
    *,
    form: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
    experiments: list[dict[str, Any]] | None = None,
    list_error: str = "",
) -> Response:
    services: Services = request.app.state.services
    groups = type_groups(request)
    chosen = default_type(groups, (form or {}).get("type", "") or (request.query_params.get("type") or "")[:64])
    kept = form or {"name": "", "type": chosen, "models": [], "tier": "cpuflex"}
    return render(
        request,
        "experiments.html",
        {
            "viewer": viewer,
            "title": "Experiments",
            "experiments": experiments or [],
            "list_error": list_error,
            "all_users": viewer.user.is_admin,
            "groups": groups,
            "types": MODEL_TYPES,
            "chosen_type": chosen,
            "form": kept,
            "errors": errors or [],
            "tiers": TIERS,
            "gpu_reason": gpuflex_unavailable_reason(
                has_gpu=gpu_available(), fallback=services.settings.gpuflex_fallback, model_tiers=["gpuflex"]
            ),
            "gpu_fallback": services.settings.gpuflex_fallback is not None,
            "max_models": services.settings.experiment_max_models,
            "max_rows": services.settings.experiment_max_rows,
            "max_mb": services.settings.experiment_max_dataset_bytes / 1024 / 1024,
            "any_active": any(e["status"] in ACTIVE for e in experiments or []),
        },
        status=status,
    )


def experiments_of(request: Request) -> ExperimentService:
    service: ExperimentService = request.app.state.experiments
    return service


async def listed_experiments(request: Request, viewer: Viewer) -> tuple[list[dict[str, Any]], str]:
    try:
        return await experiments_of(request).listing(session_key(viewer.user)), ""
    except Problem as problem:
        return [], f"The experiments could not be listed: {problem.detail}"


@router.get("/experiments")
async def experiments_list(request: Request) -> Response:
    viewer = await signed_in(request)
    experiments, list_error = await listed_experiments(request, viewer)
    return list_page(request, viewer, experiments=experiments, list_error=list_error)


def form_message(code: str, detail: str, dataset_step: bool = False) -> str:
    """A problem as a message on the form, naming the field it is about."""
    if code == "unsupported_media_type":
        # The API's advice (a content type or ?format=) is for API callers; the form goes by the name.
        return "Data file: the file's name must end in .jsonl, .csv or .zip."
    if dataset_step or code in DATASET_CODES:
        return f"Data file: {detail}"
    field = FIELD_OF_CODE.get(code)
    return f"{field}: {detail}" if field else detail


@router.post("/experiments")
async def start_experiment(request: Request) -> Response:
    viewer = await signed_in(request)
    services: Services = request.app.state.services
    settings = services.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.experiment_max_dataset_bytes + FORM_OVERHEAD:
        experiments, _ = await listed_experiments(request, viewer)
        limit_mb = settings.experiment_max_dataset_bytes / 1024 / 1024
        message = f"Data file: the upload is larger than the limit of {limit_mb:.0f} MB."
        return list_page(request, viewer, errors=[message], status=413, experiments=experiments)
    form = await request.form(max_files=1, max_fields=settings.experiment_max_models + 20)
    check_form_csrf(viewer.session, form)
    type_name = str(form.get("type") or "")[:64]
    models = [str(m)[:300] for m in form.getlist("models")][: settings.experiment_max_models + 1]
    tier = "gpuflex" if form.get("tier") == "gpuflex" else "cpuflex"
    upload = form.get("file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    filename = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
    name = str(form.get("name") or "").strip()[:200] or f"{type_name} on {filename or 'a dataset'}"[:200]
    kept = {"name": str(form.get("name") or "").strip()[:200], "type": type_name, "models": models, "tier": tier}

    errors: list[str] = []
    service = experiments_of(request)
    key = session_key(viewer.user)
    # Checked before the upload: a wrong choice of models costs no dataset.
    try:
        await asyncio.to_thread(check_experiment, services.catalog, settings, type_name, models, tier)
    except Problem as problem:
        errors.append(form_message(problem.code, problem.detail))
    if not has_file:
        errors.append("Data file: choose a JSONL, CSV or zip file with your labelled rows.")
    if errors:
        return await form_failed(request, viewer, kept, errors, 422)

    assert isinstance(upload, UploadFile)
    data = await upload.read(settings.experiment_max_dataset_bytes + 1)
    content_type = (upload.content_type or "application/octet-stream").split(";", 1)[0].strip().lower()
    try:
        dataset = await service.add_dataset(
            key, data, filename=filename, content_type=content_type, format=None, name=filename
        )
    except Problem as problem:
        message = form_message(problem.code, problem.detail, dataset_step=True)
        return await form_failed(request, viewer, kept, [message], problem.status)
    body = {
        "name": name,
        "type": type_name,
        "models": models,
        "serviceTier": tier,
        "dataset": {"datasetId": dataset["id"]},
    }
    try:
        spec = validate_model(CreateExperiment, body)
        experiment = await service.start(key, spec, len(data), checked=True)
    except Problem as problem:
        return await form_failed(request, viewer, kept, [form_message(problem.code, problem.detail)], problem.status)
    return RedirectResponse(f"/experiments/{experiment.id}", status_code=303)


async def form_failed(
    request: Request, viewer: Viewer, kept: dict[str, Any], errors: list[str], status: int
) -> Response:
    experiments, list_error = await listed_experiments(request, viewer)
    return list_page(
        request, viewer, form=kept, errors=errors, status=status, experiments=experiments, list_error=list_error
    )


def rows_offset(request: Request, total: int) -> int:
    text = request.query_params.get("rowsOffset", "0")
    offset = int(text) if text.isdigit() and len(text) < 10 else 0
    return min(offset - offset % ROWS_PER_PAGE, max(0, total - 1))


@router.get("/experiments/{experiment_id}")
async def experiment_page(experiment_id: str, request: Request) -> Response:
    viewer = await signed_in(request)
    path = f"/v1/experiments/{quote(experiment_id, safe='')}"
    service, key = experiments_of(request), session_key(viewer.user)
    try:
        first = await service.report(key, experiment_id, 0, 0)
    except Problem as problem:
        context = {"viewer": viewer, "title": "Experiment not found", "message": problem.detail}
        return render(request, "message.html", context, status=problem.status if problem.status < 500 else 502)
    offset = rows_offset(request, int(first["rows"]))
    try:
        report = await service.report(key, experiment_id, offset, ROWS_PER_PAGE)
    except Problem:
        report = first
    active = report["status"] in ACTIVE
    finished = not active
    columns, lines = results_table(report) if finished and "results" in report else ([], [])
    total_rows = int(report["rows"])
    return render(
        request,
        "experiment.html",
        {
            "viewer": viewer,
            "title": report["name"],
            "report": report,
            "active": active,
            "finished": finished,
            "columns": columns,
            "lines": lines,
            "charts": result_charts(report) if finished and report.get("results") else [],
            "side_by_side": side_by_side(report) if "rowTable" in report else [],
            "offset": offset,
            "per_page": ROWS_PER_PAGE,
            "page_end": min(total_rows, offset + ROWS_PER_PAGE),
            "total_rows": total_rows,
            "rows_open": "rowsOffset" in request.query_params,
            "api_path": path,
            "media": MODEL_TYPES[report["type"]].media if report["type"] in MODEL_TYPES else "text",
        },
    )


@router.post("/experiments/{experiment_id}/cancel")
async def cancel_experiment(experiment_id: str, request: Request) -> Response:
    viewer = await signed_in(request)
    form = await request.form()
    check_form_csrf(viewer.session, form)
    try:
        await experiments_of(request).cancel(session_key(viewer.user), experiment_id)
    except Problem as problem:
        if problem.kind is ErrorKind.NOT_FOUND:
            context = {"viewer": viewer, "title": "Experiment not found", "message": problem.detail}
            return render(request, "message.html", context, status=404)
    # Cancelled now, or finished meanwhile (409): either way the page says which.
    return RedirectResponse(f"/experiments/{quote(experiment_id, safe='')}", status_code=303)


async def download(request: Request, experiment_id: str, kind: str) -> Response:
    viewer = await signed_in(request)
    service, key = experiments_of(request), session_key(viewer.user)
    try:
        if kind == "csv":
            content, media_type = (await service.results_csv(key, experiment_id)).encode(), "text/csv; charset=utf-8"
        else:
            content, media_type = orjson.dumps(await service.report(key, experiment_id)), "application/json"
    except Problem as problem:
        context = {"viewer": viewer, "title": "Experiment not found", "message": problem.detail}
        return render(request, "message.html", context, status=problem.status)
    disposition = f'attachment; filename="{experiment_id}-results.{kind}"'
    response = Response(content, status_code=200, media_type=media_type, headers={"Content-Disposition": disposition})
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/experiments/{experiment_id}/results.csv")
async def download_csv(experiment_id: str, request: Request) -> Response:
    return await download(request, experiment_id, "csv")


@router.get("/experiments/{experiment_id}/results.json")
async def download_json(experiment_id: str, request: Request) -> Response:
    return await download(request, experiment_id, "json")
