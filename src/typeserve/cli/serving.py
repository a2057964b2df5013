"""`typeserve serve`, `infer`, `eval` and `openapi`: serving models and looking at one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from typeserve.cli.common import (
    DataDir,
    err_console,
    fail,
    new_progress,
    progress_bar,
    settings_for,
    wide_console,
    writing_settings,
)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    data_dir: DataDir = None,
    preload: Annotated[bool, typer.Option("--preload", help="Load every model at start.")] = False,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request.")] = False,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help="local (default) or ray (Ray Serve; RAY_ADDRESS names the cluster)."),
    ] = None,
) -> None:
    """Start the HTTP server."""
    import uvicorn

    from typeserve.api.read_deadlines import header_deadline_protocol
    from typeserve.app import create_asgi

    if engine not in (None, "local", "ray"):
        raise fail("--engine must be local or ray", 2)
    settings = settings_for(data_dir, host=host, port=port, preload=preload or None, engine=engine)
    from typeserve.logs import log_config

    uvicorn.run(
        create_asgi(settings, preload_progress=preload_bar if settings.preload else None),
        host=settings.host,
        port=settings.port,
        log_config=log_config(settings.log_format),
        log_level="info",
        access_log=access_log,
        loop="auto",
        http=header_deadline_protocol(settings.header_timeout_s),
        timeout_graceful_shutdown=30,
    )


def preload_bar(total: int) -> Any:
    """`serve --preload`: a progress bar advanced as each model has loaded (or failed to)."""
    progress = new_progress(counted=True)
    task = progress.add_task("Preloading models", total=total)
    progress.start()

    def loaded(model_id: str, done: int) -> None:
        progress.update(task, completed=done, description=f"Loaded {model_id}")
        if done >= total:
            progress.stop()

    return loaded


def infer(
    model_id: str,
    json_input: Annotated[str | None, typer.Option("--json", help="The request body as JSON.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="An image or audio file (image and audio types).")] = None,
    tier: Annotated[str, typer.Option("--tier", help="cpuflex or gpuflex.")] = "cpuflex",
    url: Annotated[
        str | None, typer.Option("--url", help="Call this typeserve server (with the SDK) instead of running locally.")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", envvar="TYPESERVE_API_KEY", help="API key for --url.", show_default=False)
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Run one inference (in this process, or on a server with --url) and print the JSON answer."""
    if (json_input is None) == (file is None):
        raise fail("give exactly one of --json or --file", 2)
    try:
        payload = json.loads(json_input) if json_input is not None else None
    except json.JSONDecodeError as exc:
        raise fail(f"--json is not valid JSON: {exc}", 2) from None
    if file is not None and not file.is_file():
        raise fail(f"--file {file}: no such file", 2)
    raw = file.read_bytes() if file is not None else None
    if url is not None:
        body, served_tier = _infer_remote(url, api_key, model_id, tier, payload, raw, file)
    else:
        with progress_bar(f"Loading {model_id} and running it", transient=True):
            body, served_tier = _infer_local(data_dir, model_id, tier, payload, raw)
    err_console.print(f"[dim]{model_id} on {served_tier}[/dim]")
    print(json.dumps(body, indent=2, ensure_ascii=False))


def _infer_local(data_dir: Path | None, model_id: str, tier: str, payload: Any, raw: bytes | None) -> tuple[Any, str]:
    from typeserve.errors import Problem
    from typeserve.inference import infer_locally

    try:
        return asyncio.run(infer_locally(settings_for(data_dir), model_id, tier, payload=payload, raw=raw))
    except Problem as problem:
        raise fail(f"{problem.status} {problem.code}: {problem.detail}", 2 if problem.status < 500 else 1) from None


def _infer_remote(
    url: str, api_key: str | None, model_id: str, tier: str, payload: Any, raw: bytes | None, file: Path | None
) -> tuple[Any, str]:
    import mimetypes

    from typeserve.client import Client, TypeserveError

    if not api_key:
        raise fail("--url needs an API key: --api-key or TYPESERVE_API_KEY", 2)
    content_type = (mimetypes.guess_type(file.name)[0] if file else None) or "application/octet-stream"
    try:
        with Client(url, api_key) as client:
            answer = client.invoke_detailed(model_id, payload, tier=tier, content=raw, content_type=content_type)
    except TypeserveError as error:
        raise fail(str(error)) from None
    return answer.body, answer.tier or tier


def evaluate(
    model_ids: Annotated[list[str] | None, typer.Argument(help="Models to evaluate (default: all).")] = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    results: Annotated[
        Path | None, typer.Option("--results", help="Write the figures here (default: the cards' results.json).")
    ] = None,
) -> None:
    """Run the bundled evaluations as experiments, store the figures for the model cards and print them."""
    from typeserve.experiments.bundled.evaluate import run_bundled_evaluations, selected
    from typeserve.experiments.bundled.results import RESULTS_FILE

    settings = writing_settings(data_dir)
    try:
        evaluations = selected(model_ids or None)
        with progress_bar("Evaluating", total=len(evaluations)) as (progress, task):

            def evaluated(title: str) -> None:
                progress.update(task, advance=1, description=f"Evaluated {title}")

            figures = asyncio.run(
                run_bundled_evaluations(settings, model_ids or None, results or RESULTS_FILE, on_evaluated=evaluated)
            )
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    except FileNotFoundError as exc:  # a media dataset's source package is not installed
        raise fail(str(exc), 2) from None
    rows = [{"model_id": model_id, **figure} for model_id, entries in figures.items() for figure in entries]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table("model", "metric", "value", "dataset", "note")
    for row in rows:
        table.add_row(row["model_id"], row["metric"], f"{row['value']:.3f}", row["dataset"], row.get("note", ""))
    wide_console().print(table)


def openapi(
    model_id: str,
    url: Annotated[
        str | None, typer.Option("--url", help="Public base URL for the document's server (default: the settings).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Print a model's OpenAPI 3.0.3 document (the same as GET /v1/models/{id}/openapi.json)."""
    from typeserve.api.openapi import model_openapi
    from typeserve.catalog import Catalog
    from typeserve.errors import Problem

    settings = settings_for(data_dir)
    try:
        spec = Catalog.default(settings.catalog_files).get(model_id)
    except Problem as problem:
        raise fail(problem.detail, 2) from None
    base_url = url or settings.public_url or f"http://{settings.host}:{settings.port}"
    print(json.dumps(model_openapi(spec, base_url.rstrip("/")), indent=2, ensure_ascii=False))
