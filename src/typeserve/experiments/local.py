"""Experiments without a server (the CLI): the same dataset reading, checks, runner, store
and engine as the HTTP API, in this process, on the data directory's database. Runs are
metered as usage of the local `admin` user, as the CLI's other commands act as that user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typeserve.accounts.keys import ApiKeyStore
from typeserve.accounts.usage import UsageRecorder
from typeserve.accounts.users import ensure_user
from typeserve.config import Settings
from typeserve.errors import invalid_input
from typeserve.experiments.datasets import detect_format, parse_dataset
from typeserve.experiments.report import full_report, summary
from typeserve.experiments.runner import ExperimentRunner, RowListener
from typeserve.experiments.store import ExperimentStore
from typeserve.experiments.validation import check_experiment
from typeserve.inference import LocalInference
from typeserve.store import open_database


async def run_local_experiment(
    settings: Settings,
    *,
    type_name: str,
    model_ids: list[str],
    data: Path,
    tier: str,
    name: str | None,
    listener: RowListener | None = None,
    on_start: Any = None,
) -> str:
    """Run an experiment to the end in this process; answers its id. Interrupted (Ctrl-C),
    it is marked cancelled, with every finished row kept."""
    db = open_database(settings)
    store = ExperimentStore(db)
    usage = UsageRecorder(db, ApiKeyStore(db, cache_ttl_s=0))
    usage.start()
    experiment_id: str | None = None
    finished = False
    try:
        async with LocalInference(settings) as inference:
            check_experiment(inference.catalog, settings, type_name, model_ids, tier)
            try:
                raw = data.read_bytes()
            except OSError as exc:
                raise invalid_input(
                    "invalid_dataset", "The dataset cannot be read", f"{data}: {exc.strerror}"
                ) from None
            parsed = parse_dataset(
                raw,
                detect_format("", data.name),
                max_rows=settings.experiment_max_rows,
                max_bytes=settings.experiment_max_dataset_bytes,
            )
            user_id = ensure_user(db, "admin", is_admin=True)
            dataset = store.add_dataset(
                name=data.name,
                format=parsed.format,
                rows=parsed.rows,
                columns=parsed.columns,
                size_bytes=len(raw),
                user_id=user_id,
                key_id=None,
            )
            runner = ExperimentRunner(store, inference.inference, settings, usage)
            if listener is not None:
                runner.listeners.append(listener)
            experiment = store.create(
                name=name or f"{type_name}: {', '.join(model_ids)}",
                type_name=type_name,
                models=model_ids,
                tier=tier,
                dataset_id=dataset.id,
                row_count=dataset.row_count,
                user_id=user_id,
                key_id=None,
                owner=runner.owner,
            )
            experiment_id = experiment.id
            if on_start is not None:
                on_start(experiment)
            await runner.run(experiment.id)
            finished = True
    finally:
        if experiment_id is not None and not finished:
            store.finish(experiment_id, "cancelled", "interrupted from the command line")
        usage.stop()
        db.close()
    assert experiment_id is not None
    return experiment_id


def load_local_report(settings: Settings, experiment_id: str) -> dict[str, Any] | None:
    db = open_database(settings)
    try:
        store = ExperimentStore(db)
        experiment = store.get(experiment_id)
        if experiment is None:
            return None
        return full_report(
            experiment,
            store.progress(experiment.id),
            store.dataset_rows(experiment.dataset_id),
            store.rows(experiment.id),
        )
    finally:
        db.close()


def list_local_experiments(settings: Settings) -> list[dict[str, Any]]:
    db = open_database(settings)
    try:
        store = ExperimentStore(db)
        return [summary(e, store.progress(e.id)) for e in store.list_experiments(everyone=True)]
    finally:
        db.close()
