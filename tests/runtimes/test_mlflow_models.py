"""MLflow pyfunc models through a live server, as a user adds them: saved in the test (a pyfunc
model from code, a scikit-learn pipeline, one from a local registry), loaded in a worker
process, their answers mapped to the type; broken ones are refused at `models add`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import mlflow_models
from tests.support.http import assert_problem
from tests.support.server import LiveServer, start_server


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mlflow")


@pytest.fixture(scope="module")
def live(work: Path) -> Iterator[LiveServer]:
    server = start_server(work / "data", {"MLFLOW_TRACKING_URI": f"sqlite:///{work / 'registry.db'}"})
    yield server
    server.stop()


def add(live: LiveServer, *args: str) -> tuple[int, str]:
    done = live.cli("models", "add", *args, check=False)
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def test_a_pyfunc_model_saved_from_code(live: LiveServer, work: Path) -> None:
    folder = mlflow_models.save_rater(work / "review-rater")
    code, out = add(live, str(folder), "--type", "text-classification")
    assert code == 0 and "Added mlflow/1/review-rater" in out, out
    with live.client() as client:
        happy = client.post("/v1/ent/mlflow/1/review-rater", json={"input": "a lovely, wonderful film"})
        assert happy.status_code == 200, happy.text
        assert happy.json() == {"labels": [{"label": "POSITIVE", "score": pytest.approx(0.9)}]}
        many = client.post("/v1/ent/mlflow/1/review-rater", json={"input": ["I hate it", "so what"]})
        assert [r["labels"][0]["label"] for r in many.json()["results"]] == ["NEGATIVE", "NEUTRAL"]
        card = client.get("/v1/models/mlflow/1/review-rater").json()
        assert card["runtime"] == "mlflow" and "python_function" in card["card"] and "review" in card["card"]
        assert card["status"] == "loaded" and card["isolated"] is True  # loaded in a worker process
        assert client.get("/v1/models/mlflow/1/review-rater/openapi.json").status_code == 200


def test_a_scikit_learn_pipeline_and_a_registered_model(live: LiveServer, work: Path) -> None:
    pipeline = mlflow_models.save_sklearn_pipeline(work / "tfidf-sentiment")
    code, out = add(live, str(pipeline), "--type", "text-classification", "--id", "mlflow/1/tfidf")
    assert code == 0, out
    uri = mlflow_models.register_rater(f"sqlite:///{work / 'registry.db'}", work)
    code, out = add(live, uri, "--type", "text-classification", "--input", "text=review", "--id", "mlflow/1/registered")
    assert code == 0 and "Added mlflow/1/registered" in out, out
    with live.client() as client:
        sad = client.post("/v1/ent/mlflow/1/tfidf", json={"input": "terrible, sad and awful"})
        assert sad.status_code == 200 and sad.json()["labels"] == [{"label": "NEGATIVE", "score": 1.0}]
        registered = client.post("/v1/ent/mlflow/1/registered", json={"input": "good and happy"})
        assert registered.json()["labels"][0]["label"] == "POSITIVE"
        assert client.get("/v1/models/mlflow/1/registered").json()["source"] == uri


def test_models_that_are_not_pyfunc_or_do_not_load_are_refused(live: LiveServer, work: Path) -> None:
    rater = work / "review-rater"
    if not rater.exists():
        mlflow_models.save_rater(rater)
    code, out = add(live, str(mlflow_models.without_pyfunc(rater, work / "no-pyfunc")), "--type", "text-classification")
    assert code == 2 and "has no python_function flavour" in out
    code, out = add(live, str(mlflow_models.save_broken(work / "broken")), "--type", "text-classification")
    assert code == 2 and "it does not load" in out and "vocab.txt is missing" in out and "Traceback" not in out
    code, out = add(live, str(rater), "--type", "image-classification", "--id", "mlflow/1/as-image")
    assert code == 2 and "MLflow models serve text types here" in out
    with live.client() as client:
        for name in ("no-pyfunc", "broken", "as-image"):
            assert_problem(client.get(f"/v1/models/mlflow/1/{name}"), 404)
