"""The experiment store on SQLite and PostgreSQL: datasets, claiming runs between runners,
rows written once each, progress, cancelling, and who sees what."""

from __future__ import annotations

from datetime import timedelta

from typeserve.experiments.store import ExperimentStore, RowResult
from typeserve.store import Database
from typeserve.store.tables import utcnow


def make_store(url: str) -> ExperimentStore:
    db = Database(url)
    db.migrate()
    return ExperimentStore(db)


def row(model_id: str, index: int, error: str | None = None) -> RowResult:
    now = utcnow()
    return RowResult(
        model_id=model_id,
        row_index=index,
        output=None if error else {"labels": [{"label": "en", "score": 0.9}]},
        error=error,
        error_status=400 if error else None,
        tier="cpuflex",
        latency_ms=12.5,
        queue_ms=1.0,
        inference_ms=10.0,
        started_at=now - timedelta(milliseconds=12),
        finished_at=now,
    )


def test_runs_are_claimed_by_one_runner_and_rows_are_kept(database_url: str) -> None:
    store = make_store(database_url)
    rows = [{"input": "hello", "label": "en"}, {"input": "hallo", "label": "de"}, {"input": "ciao"}]
    dataset = store.add_dataset(
        name="greetings", format="jsonl", rows=rows, columns=["input", "label"], size_bytes=99, user_id=7, key_id="k1"
    )
    info = store.dataset_info(dataset.id)
    assert info is not None and info.row_count == 3 and info.rows == [] and info.columns == ["input", "label"]
    assert store.dataset_rows(dataset.id) == rows
    experiment = store.create(
        name="lid",
        type_name="text-classification",
        models=["a/1/x", "b/1/y"],
        tier="cpuflex",
        dataset_id=dataset.id,
        row_count=3,
        user_id=7,
        key_id="k1",
    )
    assert store.active_count(7, "k1") == 1 and store.active_count(8, "k2") == 0

    assert store.claimable("runner-a", 60) == [experiment.id]
    assert store.claim(experiment.id, "runner-a", 60)
    assert not store.claim(experiment.id, "runner-b", 60)  # runner-a is alive
    assert store.claimable("runner-b", 60) == []
    store.mark_running(experiment.id, "runner-a", resumed=False)

    store.record_row(experiment.id, row("a/1/x", 0))
    store.record_row(experiment.id, row("a/1/x", 1, error="bad_media: nope"))
    store.record_row(experiment.id, row("a/1/x", 1))  # a second answer for the same row is ignored
    assert store.heartbeat(experiment.id, "runner-a")
    assert store.done_rows(experiment.id, "a/1/x") == {0, 1}
    assert store.progress(experiment.id) == {"a/1/x": (2, 1)}
    assert [r.error for r in store.rows(experiment.id)] == [None, "bad_media: nope"]

    # runner-a stops: the run goes back, and runner-b resumes it at once.
    store.release(experiment.id, "runner-a")
    assert store.claim(experiment.id, "runner-b", 60)
    assert not store.heartbeat(experiment.id, "runner-a")  # runner-a would stop if it still ran
    store.mark_running(experiment.id, "runner-b", resumed=True)
    resumed = store.get(experiment.id)
    assert resumed is not None and resumed.status == "running" and resumed.resumed == 1

    # A runner that shows no life for longer than the stale limit loses the run.
    assert store.claim(experiment.id, "runner-c", 0)
    assert not store.heartbeat(experiment.id, "runner-b")

    assert store.finish(experiment.id, "cancelled")
    assert not store.finish(experiment.id, "completed")  # finished once, for good
    assert not store.heartbeat(experiment.id, "runner-c")
    final = store.get(experiment.id)
    assert final is not None and final.status == "cancelled" and final.finished_at is not None
    assert store.active_count(7, "k1") == 0
    assert store.progress(experiment.id) == {"a/1/x": (2, 1)}  # finished rows survive cancelling

    assert [e.id for e in store.list_experiments(7, "k1")] == [experiment.id]
    assert store.list_experiments(8, "k2") == []
    assert [e.id for e in store.list_experiments(everyone=True)] == [experiment.id]
    store.db.close()
