"""The experiments use cases on behalf of a principal (an API key, or a signed-in console
user as one): upload a dataset, start, list, report, export and cancel experiments. The HTTP
routes and the console pages both call these, so every check, limit and message is the same.
A principal sees only their own experiments and datasets (an admin sees all); others' are
not found, as unknown ids are."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from typeserve.accounts.keys import KeyInfo
from typeserve.accounts.scopes import Scope
from typeserve.catalog import Catalog
from typeserve.config import Settings
from typeserve.errors import conflict, invalid_field, not_found, rate_limited, too_large
from typeserve.experiments.datasets import ParsedDataset, build_dataset, detect_format, parse_dataset
from typeserve.experiments.report import full_report, results_csv, summary
from typeserve.experiments.runner import ExperimentRunner
from typeserve.experiments.store import ExperimentStore
from typeserve.experiments.validation import check_experiment
from typeserve.store.tables import Dataset, Experiment


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


def is_admin(key: KeyInfo) -> bool:
    return Scope.ADMIN.value in key.scopes


def owns(key: KeyInfo, user_id: int | None, key_id: str | None) -> bool:
    if is_admin(key):
        return True
    return user_id == key.user_id if key.user_id is not None else key_id == key.id


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


class ExperimentService:
    def __init__(self, runner: ExperimentRunner, catalog: Catalog, settings: Settings) -> None:
        self.runner = runner
        self.catalog = catalog
        self.settings = settings

    @property
    def store(self) -> ExperimentStore:
        return self.runner.store

    def visible_experiment(self, key: KeyInfo, experiment_id: str) -> Experiment:
        experiment = self.store.get(experiment_id)
        if experiment is None or not owns(key, experiment.user_id, experiment.key_id):
            raise not_found("unknown_experiment", f"No experiment with id {experiment_id!r}.")
        return experiment

    def visible_dataset(self, key: KeyInfo, dataset_id: str, field: str = "datasetId") -> Dataset:
        dataset = self.store.dataset_info(dataset_id)
        if dataset is None or not owns(key, dataset.user_id, dataset.key_id):
            raise not_found(
                "unknown_dataset",
                f"No dataset with id {dataset_id!r}.",
                errors=[{"field": field, "message": "unknown dataset"}],
            )
        return dataset

    async def add_dataset(
        self,
        key: KeyInfo,
        data: bytes,
        *,
        filename: str | None,
        content_type: str,
        format: str | None,
        name: str | None,
    ) -> dict[str, Any]:
        limit = self.settings.experiment_max_dataset_bytes
        if len(data) > limit:
            raise too_large(f"The upload is {len(data)} bytes; the limit is {limit}.")
        parsed = await asyncio.to_thread(
            parse_dataset,
            data,
            detect_format(content_type, filename, format),
            max_rows=self.settings.experiment_max_rows,
            max_bytes=limit,
        )
        dataset = await asyncio.to_thread(
            self.store.add_dataset,
            name=name or filename or "dataset",
            format=parsed.format,
            rows=parsed.rows,
            columns=parsed.columns,
            size_bytes=len(data),
            user_id=key.user_id,
            key_id=key.id,
        )
        return dataset_json(dataset)

    async def dataset(self, key: KeyInfo, dataset_id: str) -> dict[str, Any]:
        return dataset_json(await asyncio.to_thread(self.visible_dataset, key, dataset_id))

    def check(self, spec: CreateExperiment) -> None:
        """The experiment's type, models and tier (before any dataset is stored)."""
        has_gpu = self.runner.inference.engine.has_gpu()
        check_experiment(self.catalog, self.settings, spec.type, spec.models, spec.serviceTier, has_gpu)

    async def start(
        self, key: KeyInfo, spec: CreateExperiment, body_bytes: int, *, checked: bool = False
    ) -> Experiment:
        """Start an experiment (queued for the runner); `checked`: `check` has passed already."""
        settings, store = self.settings, self.store
        if not checked:
            self.check(spec)
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
                size_bytes=body_bytes,
                user_id=key.user_id,
                key_id=key.id,
            )
        else:
            assert spec.dataset.datasetId is not None
            dataset = await asyncio.to_thread(self.visible_dataset, key, spec.dataset.datasetId, "dataset.datasetId")
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
        await self.runner.submit(experiment.id)
        return experiment

    async def listing(self, key: KeyInfo) -> list[dict[str, Any]]:
        def listed() -> list[dict[str, Any]]:
            found = self.store.list_experiments(key.user_id, key.id, everyone=is_admin(key))
            return [summary(experiment, self.store.progress(experiment.id)) for experiment in found]

        return await asyncio.to_thread(listed)

    async def report(
        self, key: KeyInfo, experiment_id: str, offset: int = 0, limit: int | None = None
    ) -> dict[str, Any]:
        def load() -> dict[str, Any]:
            experiment = self.visible_experiment(key, experiment_id)
            store = self.store
            return full_report(
                experiment,
                store.progress(experiment.id),
                store.dataset_rows(experiment.dataset_id),
                store.rows(experiment.id),
                offset,
                limit,
            )

        return await asyncio.to_thread(load)

    async def results_csv(self, key: KeyInfo, experiment_id: str) -> str:
        def render() -> str:
            experiment = self.visible_experiment(key, experiment_id)
            return results_csv(
                experiment, self.store.dataset_rows(experiment.dataset_id), self.store.rows(experiment.id)
            )

        return await asyncio.to_thread(render)

    async def cancel(self, key: KeyInfo, experiment_id: str) -> dict[str, Any]:
        experiment = await asyncio.to_thread(self.visible_experiment, key, experiment_id)
        if not await self.runner.cancel(experiment.id):
            raise conflict(
                "experiment_finished",
                "Experiment already finished",
                f"Experiment {experiment_id} is {experiment.status}; only queued or running experiments can be "
                "cancelled.",
            )
        updated = await asyncio.to_thread(self.store.get, experiment.id)
        assert updated is not None
        return summary(updated, await asyncio.to_thread(self.store.progress, experiment.id))
