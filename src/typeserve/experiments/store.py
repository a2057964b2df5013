"""Datasets, experiments and per-row results in the database. Row results are written one by
one as they finish, so whatever finished survives a restart; runs are claimed by one runner
at a time through `owner` and a heartbeat, so two processes never run the same experiment."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from typeserve.experiments.row_result import RowResult, row_result
from typeserve.store.database import Database
from typeserve.store.tables import Dataset, Experiment, ExperimentRow, utcnow

__all__ = ["ACTIVE", "FINISHED", "ExperimentStore", "RowResult"]

ACTIVE = ("queued", "running")
FINISHED = ("completed", "cancelled", "failed", "interrupted")


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


class ExperimentStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Datasets

    def add_dataset(
        self,
        *,
        name: str,
        format: str,
        rows: list[dict[str, Any]],
        columns: list[str],
        size_bytes: int,
        user_id: int | None,
        key_id: str | None,
    ) -> Dataset:
        dataset = Dataset(
            id=new_id("ds"),
            user_id=user_id,
            key_id=key_id,
            name=name,
            format=format,
            row_count=len(rows),
            size_bytes=size_bytes,
            columns=columns,
            rows=rows,
            created_at=utcnow(),
        )
        with self.db.session() as session:
            session.add(dataset)
        return dataset

    def dataset_info(self, dataset_id: str) -> Dataset | None:
        """The dataset without loading its rows."""
        with self.db.session() as session:
            found = session.execute(
                select(
                    Dataset.id,
                    Dataset.user_id,
                    Dataset.key_id,
                    Dataset.name,
                    Dataset.format,
                    Dataset.row_count,
                    Dataset.size_bytes,
                    Dataset.columns,
                    Dataset.created_at,
                ).where(Dataset.id == dataset_id)
            ).first()
        if found is None:
            return None
        return Dataset(**found._asdict(), rows=[])

    def dataset_rows(self, dataset_id: str) -> list[dict[str, Any]]:
        with self.db.session() as session:
            rows = session.scalar(select(Dataset.rows).where(Dataset.id == dataset_id))
        return list(rows or [])

    # Experiments

    def create(
        self,
        *,
        name: str,
        type_name: str,
        models: list[str],
        tier: str,
        dataset_id: str,
        row_count: int,
        user_id: int | None,
        key_id: str | None,
        owner: str | None = None,
    ) -> Experiment:
        now = utcnow()
        experiment = Experiment(
            id=new_id("exp"),
            user_id=user_id,
            key_id=key_id,
            name=name,
            type=type_name,
            models=models,
            tier=tier,
            dataset_id=dataset_id,
            row_count=row_count,
            status="queued",
            owner=owner,
            heartbeat_at=now if owner else None,
            resumed=0,
            created_at=now,
        )
        with self.db.session() as session:
            session.add(experiment)
        return experiment

    def get(self, experiment_id: str) -> Experiment | None:
        with self.db.session() as session:
            return session.get(Experiment, experiment_id)

    def list_experiments(
        self, user_id: int | None = None, key_id: str | None = None, everyone: bool = False
    ) -> list[Experiment]:
        query = select(Experiment).order_by(Experiment.created_at.desc())
        if not everyone:
            query = query.where(Experiment.user_id == user_id if user_id is not None else Experiment.key_id == key_id)
        with self.db.session() as session:
            return list(session.scalars(query))

    def active_count(self, user_id: int | None, key_id: str | None) -> int:
        owner_clause = Experiment.user_id == user_id if user_id is not None else Experiment.key_id == key_id
        with self.db.session() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(Experiment).where(owner_clause, Experiment.status.in_(ACTIVE))
                )
                or 0
            )

    def claim(self, experiment_id: str, owner: str, stale_after_s: float) -> bool:
        """Take an active experiment whose runner is gone (or that nobody runs yet)."""
        now = utcnow()
        stale = now - timedelta(seconds=stale_after_s)
        with self.db.session() as session:
            result = session.execute(
                update(Experiment)
                .where(
                    Experiment.id == experiment_id,
                    Experiment.status.in_(ACTIVE),
                    or_(Experiment.owner.is_(None), Experiment.owner == owner, Experiment.heartbeat_at < stale),
                )
                .values(owner=owner, heartbeat_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def claimable(self, owner: str, stale_after_s: float) -> list[str]:
        stale = utcnow() - timedelta(seconds=stale_after_s)
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(Experiment.id)
                    .where(
                        Experiment.status.in_(ACTIVE),
                        or_(Experiment.owner.is_(None), Experiment.heartbeat_at < stale),
                    )
                    .order_by(Experiment.created_at)
                )
            )

    def mark_running(self, experiment_id: str, owner: str, resumed: bool) -> None:
        with self.db.session() as session:
            experiment = session.get(Experiment, experiment_id)
            if experiment is None or experiment.owner != owner:
                return
            experiment.status = "running"
            experiment.started_at = experiment.started_at or utcnow()
            if resumed:
                experiment.resumed += 1

    def heartbeat(self, experiment_id: str, owner: str) -> bool:
        """Show life; False when the run should stop (cancelled, or another runner took it)."""
        with self.db.session() as session:
            result = session.execute(
                update(Experiment)
                .where(Experiment.id == experiment_id, Experiment.owner == owner, Experiment.status.in_(ACTIVE))
                .values(heartbeat_at=utcnow())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def release(self, experiment_id: str, owner: str) -> None:
        """Hand an unfinished run back (at shutdown) so the next runner resumes it at once."""
        with self.db.session() as session:
            session.execute(
                update(Experiment)
                .where(Experiment.id == experiment_id, Experiment.owner == owner, Experiment.status.in_(ACTIVE))
                .values(owner=None)
            )

    def finish(self, experiment_id: str, status: str, error: str | None = None, owner: str | None = None) -> bool:
        """Move an active experiment to a final status; False if it had already finished."""
        conditions = [Experiment.id == experiment_id, Experiment.status.in_(ACTIVE)]
        if owner is not None:
            conditions.append(Experiment.owner == owner)
        with self.db.session() as session:
            result = session.execute(
                update(Experiment)
                .where(*conditions)
                .values(status=status, error=error, finished_at=utcnow(), owner=None)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # Row results

    def record_row(self, experiment_id: str, result: RowResult) -> None:
        row = ExperimentRow(
            experiment_id=experiment_id,
            model_id=result.model_id,
            row_index=result.row_index,
            output=result.output,
            error=result.error,
            error_status=result.error_status,
            tier=result.tier,
            latency_ms=result.latency_ms,
            queue_ms=result.queue_ms,
            inference_ms=result.inference_ms,
            started_at=result.started_at,
            finished_at=result.finished_at,
        )
        try:
            with self.db.session() as session:
                session.add(row)
        except IntegrityError:
            pass  # already recorded (a resumed run that raced its predecessor): the first answer stands

    def done_rows(self, experiment_id: str, model_id: str) -> set[int]:
        with self.db.session() as session:
            return set(
                session.scalars(
                    select(ExperimentRow.row_index).where(
                        ExperimentRow.experiment_id == experiment_id, ExperimentRow.model_id == model_id
                    )
                )
            )

    def progress(self, experiment_id: str) -> dict[str, tuple[int, int]]:
        """model id -> (rows done, rows failed)."""
        with self.db.session() as session:
            counts = session.execute(
                select(
                    ExperimentRow.model_id,
                    func.count(),
                    func.count(ExperimentRow.error),
                )
                .where(ExperimentRow.experiment_id == experiment_id)
                .group_by(ExperimentRow.model_id)
            ).all()
        return {model_id: (int(done), int(failed)) for model_id, done, failed in counts}

    def rows(self, experiment_id: str) -> list[RowResult]:
        with self.db.session() as session:
            found = session.scalars(
                select(ExperimentRow)
                .where(ExperimentRow.experiment_id == experiment_id)
                .order_by(ExperimentRow.row_index, ExperimentRow.model_id)
            )
            return [row_result(row) for row in found]

    def delete(self, experiment_id: str) -> None:
        with self.db.session() as session:
            session.execute(delete(ExperimentRow).where(ExperimentRow.experiment_id == experiment_id))
            session.execute(delete(Experiment).where(Experiment.id == experiment_id))
