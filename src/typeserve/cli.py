"""The `typeserve` command. Every subcommand works on a data directory (--data-dir, else
TYPESERVE_DATA_DIR, else ~/.typeserve) and needs no running server."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from typeserve.config import Settings, load_settings

app = typer.Typer(help="typeserve: self-hosted, typed model inference.", no_args_is_help=True)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
models_app = typer.Typer(help="Browse the model catalog; add, pull and remove models.", no_args_is_help=True)
samples_app = typer.Typer(help="Code samples for the models.", no_args_is_help=True)
users_app = typer.Typer(help="Console users (sign-in with a password).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(models_app, name="models")
experiment_app = typer.Typer(help="Compare models of one type on your own data.", no_args_is_help=True)
app.add_typer(experiment_app, name="experiment")
app.add_typer(samples_app, name="samples")

console = Console()
err_console = Console(stderr=True)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default: TYPESERVE_DATA_DIR or ~/.typeserve)."),
]


def settings_for(data_dir: Path | None, **overrides: Any) -> Settings:
    return load_settings(data_dir=data_dir, **overrides)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    data_dir: DataDir = None,
    preload: Annotated[bool, typer.Option("--preload", help="Load every model at start.")] = False,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request.")] = False,
) -> None:
    """Start the HTTP server."""
    import uvicorn

    from typeserve.api.app import create_asgi

    settings = settings_for(data_dir, host=host, port=port, preload=preload or None)
    from typeserve.logs import log_config

    uvicorn.run(
        create_asgi(settings),
        host=settings.host,
        port=settings.port,
        log_config=log_config(settings.log_format),
        log_level="info",
        access_log=access_log,
        loop="auto",
        http="auto",
        timeout_graceful_shutdown=30,
    )


def _key_store(data_dir: Path | None) -> Any:
    from typeserve.accounts.keys import ApiKeyStore
    from typeserve.services import open_database

    settings = settings_for(data_dir)
    return ApiKeyStore(open_database(settings), cache_ttl_s=0)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="A name to recognise the key by.")],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="invoke, keys:manage, experiments or admin (repeatable; default invoke).",
        ),
    ] = None,
    expires: Annotated[datetime | None, typer.Option("--expires", help="Expiry, ISO 8601 (UTC if no zone).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Create an API key. The secret is printed once, as the last line."""
    from datetime import UTC

    from typeserve.accounts.users import ensure_user

    store = _key_store(data_dir)
    admin_id = ensure_user(store.db, "admin", is_admin=True)
    expires_at = expires.replace(tzinfo=expires.tzinfo or UTC) if expires else None
    try:
        new = store.create(name, scope or ["invoke"], user_id=admin_id, expires_at=expires_at)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    err_console.print(
        f"Created key [bold]{new.info.id}[/bold] ({new.info.name}) with scopes {', '.join(new.info.scopes)}."
    )
    err_console.print("The secret is shown only now:")
    print(new.secret, flush=True)


@keys_app.command("list")
def keys_list(data_dir: DataDir = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List API keys (never their secrets)."""
    keys = _key_store(data_dir).list()
    if as_json:
        print(json.dumps([k.as_json() for k in keys], indent=2))
        return
    table = Table("id", "name", "prefix", "scopes", "created", "last used", "expires", "state")
    for k in keys:
        state = "revoked" if k.revoked_at else "active"
        table.add_row(
            k.id,
            k.name,
            k.prefix,
            " ".join(k.scopes),
            f"{k.created_at:%Y-%m-%d %H:%M}",
            f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "-",
            f"{k.expires_at:%Y-%m-%d %H:%M}" if k.expires_at else "-",
            state,
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str, data_dir: DataDir = None) -> None:
    """Revoke an API key: it stops working at once."""
    store = _key_store(data_dir)
    if store.get(key_id) is None:
        raise fail(f"no API key with id {key_id!r}")
    if store.revoke(key_id):
        console.print(f"Revoked key {key_id}.")
    else:
        console.print(f"Key {key_id} was already revoked.")


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def users_create(
    name: str,
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
    password_stdin: PasswordStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Create a console user; prompts for the password (or reads it with --password-stdin)."""
    from typeserve.accounts.passwords import UserExists, create_user
    from typeserve.services import open_database

    password = read_password(password_stdin)
    db = open_database(settings_for(data_dir))
    try:
        user = create_user(db, name, password, is_admin=admin)
    except (UserExists, ValueError) as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Created {'admin ' if user.is_admin else ''}user [bold]{user.name}[/bold].")


@users_app.command("set-password")
def users_set_password(name: str, password_stdin: PasswordStdin = False, data_dir: DataDir = None) -> None:
    """Set a console user's password."""
    from typeserve.accounts.passwords import set_password
    from typeserve.services import open_database

    password = read_password(password_stdin)
    try:
        found = set_password(open_database(settings_for(data_dir)), name, password)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    if not found:
        raise fail(f"no user named {name!r}", 2)
    console.print(f"Set the password of {name}.")


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
    table = Table("id", "type", "runtime", "status", "title")
    for spec, status in rows:
        table.add_row(spec.id, spec.type, spec.runtime, status, spec.title)
    console.print(table)


TypeOption = Annotated[
    str | None, typer.Option("--type", help="The model type (inferred from the checkpoint if absent).")
]
IdOption = Annotated[
    str | None, typer.Option("--id", help="vendor/version/name (default huggingface/1/ORG/NAME or local/1/DIR).")
]
RuntimeOption = Annotated[str, typer.Option("--runtime", help="transformers (PyTorch) or onnx.")]
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
    try:
        registration = register(
            source,
            type_name=type,
            model_id=model_id,
            runtime=runtime,
            source_language=source_language,
            target_language=target_language,
        )
        save_registered(settings_for(data_dir), registration.spec, replace=replace)
    except (CheckpointError, ModelAdminError) as exc:
        raise fail(f"cannot add {source.path}: {exc}", 2) from None
    spec = registration.spec
    if registration.inferred_type:
        console.print(f"Inferred type [bold]{spec.type}[/bold] from {registration.reason}.")
    console.print(f"Added [bold]{spec.id}[/bold] ({spec.type}, runtime {spec.runtime}) from {spec.source}.")
    console.print(f"Invoke it at /v1/ent/{spec.id}")


@models_app.command("add")
def models_add(
    path_or_hub_id: Annotated[str, typer.Argument(help="A save_pretrained folder, or a Hub id in the local cache.")],
    type: TypeOption = None,
    model_id: IdOption = None,
    runtime: RuntimeOption = "transformers",
    source_language: SourceLanguage = None,
    target_language: TargetLanguage = None,
    replace: ReplaceOption = False,
    data_dir: DataDir = None,
) -> None:
    """Register a Hugging Face checkpoint as a typed model (persisted in the catalog database)."""
    from typeserve.runtimes.transformers.checkpoint import CheckpointError
    from typeserve.runtimes.transformers.hub import resolve_source

    try:
        source = resolve_source(path_or_hub_id)
    except CheckpointError as exc:
        raise fail(f"cannot add {path_or_hub_id}: {exc}", 2) from None
    _register(source, type, model_id, runtime, source_language, target_language, replace, data_dir)


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
        remove_registered(settings_for(data_dir), model_id)
    except ModelAdminError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Removed {model_id}.")


@app.command()
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
    raw = file.read_bytes() if file is not None else None
    if url is not None:
        body, served_tier = _infer_remote(url, api_key, model_id, tier, payload, raw, file)
    else:
        body, served_tier = _infer_local(data_dir, model_id, tier, payload, raw)
    err_console.print(f"[dim]{model_id} on {served_tier}[/dim]")
    print(json.dumps(body, indent=2, ensure_ascii=False))


def _infer_local(data_dir: Path | None, model_id: str, tier: str, payload: Any, raw: bytes | None) -> tuple[Any, str]:
    from typeserve.errors import Problem
    from typeserve.inference import infer_locally

    try:
        return asyncio.run(infer_locally(settings_for(data_dir), model_id, tier, payload=payload, raw=raw))
    except Problem as problem:
        raise fail(f"{problem.status} {problem.code}: {problem.detail}") from None


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


@app.command("eval")
def evaluate(
    model_ids: Annotated[list[str] | None, typer.Argument(help="Models to evaluate (default: all).")] = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Measure catalog models' quality on held-out data and print the table."""
    from typeserve.evaluation import run_evaluations
    from typeserve.inference import LocalInference

    async def run_all() -> list[Any]:
        async with LocalInference(settings_for(data_dir)) as run:
            return await run_evaluations(run, model_ids or None)

    try:
        results = asyncio.run(run_all())
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    if as_json:
        print(json.dumps([r.as_json() for r in results], indent=2))
        return
    table = Table("model", "metric", "value", "dataset", "n", "note")
    for r in results:
        table.add_row(r.model_id, r.metric, f"{r.value:.3f}", r.dataset, str(r.samples), r.note or "")
    console.print(table)


def wide_console() -> Console:
    """Tables of results piped to a file are not cut to 80 columns."""
    return console if console.is_terminal else Console(width=200)


@experiment_app.command("run")
def experiment_run(
    type: Annotated[str, typer.Option("--type", help="The model type, e.g. text-classification.")],
    models: Annotated[str, typer.Option("--models", help="Comma-separated model ids, all of that type.")],
    data: Annotated[Path, typer.Option("--data", help="The dataset: .jsonl, .csv or .zip.")],
    tier: Annotated[str, typer.Option("--tier", help="cpuflex or gpuflex.")] = "cpuflex",
    name: Annotated[str | None, typer.Option("--name", help="A name for the experiment.")] = None,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Run every model over the dataset in this process, then print the comparison."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from typeserve.errors import Problem
    from typeserve.experiments.local import load_local_report, run_local_experiment
    from typeserve.experiments.tables import results_table

    settings = settings_for(data_dir)
    model_ids = [m.strip() for m in models.split(",") if m.strip()]
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err_console
    )
    bars: dict[str, Any] = {}

    def on_start(experiment: Any) -> None:
        err_console.print(f"Experiment [bold]{experiment.id}[/bold]: {experiment.row_count} rows")
        for model_id in model_ids:
            bars[model_id] = progress.add_task(model_id, total=experiment.row_count)

    def on_row(_experiment_id: str, result: Any) -> None:
        progress.advance(bars[result.model_id])

    try:
        with progress:
            experiment_id = asyncio.run(
                run_local_experiment(
                    settings,
                    type_name=type,
                    model_ids=model_ids,
                    data=data,
                    tier=tier,
                    name=name,
                    listener=on_row,
                    on_start=on_start,
                )
            )
    except Problem as problem:
        raise fail(f"{problem.status} {problem.code}: {problem.detail}", 2) from None
    report = load_local_report(settings, experiment_id)
    assert report is not None
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    wide_console().print(results_table(report))


@experiment_app.command("list")
def experiment_list(
    data_dir: DataDir = None, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """List every experiment in the data directory, newest first."""
    from typeserve.experiments.local import list_local_experiments

    experiments = list_local_experiments(settings_for(data_dir))
    if as_json:
        print(json.dumps(experiments, indent=2, ensure_ascii=False))
        return
    table = Table("id", "name", "type", "models", "status", "done", "created")
    for e in experiments:
        progress = e["progress"]
        table.add_row(
            e["id"],
            e["name"],
            e["type"],
            ", ".join(e["models"]),
            e["status"],
            f"{progress['done']}/{progress['total']}",
            e["createdAt"][:16],
        )
    wide_console().print(table)


@experiment_app.command("show")
def experiment_show(
    experiment_id: str,
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Show an experiment's progress and results (started here or through the API)."""
    from typeserve.experiments.local import load_local_report
    from typeserve.experiments.tables import results_table

    report = load_local_report(settings_for(data_dir), experiment_id)
    if report is None:
        raise fail(f"no experiment with id {experiment_id!r}")
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    progress = report["progress"]
    console.print(f"{report['status']}: {progress['done']}/{progress['total']} rows done")
    wide_console().print(results_table(report))


@app.command()
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


@samples_app.command("export")
def samples_export(
    directory: Annotated[Path, typer.Argument(help="Where to write {language}/{type}/ (e.g. samples).")],
) -> None:
    """Write the code samples of the default catalog as a folder tree."""
    from typeserve.samples.export import export_samples

    written = export_samples(directory)
    err_console.print(f"Wrote {len(written)} files under {directory}.")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
