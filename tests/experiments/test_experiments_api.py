"""Experiments through a live server, as a user runs them: compare the default language-id
models on labelled sentences, speech recognition with WER on recordings uploaded in a zip,
face detectors with mAP on images with known face boxes, and the limits and errors around
them (mixed types, unknown models, scopes, the per-user limit, cancelling)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

import httpx
import jiwer
import numpy as np
import pytest
import yaml
from PIL import Image

from tests.support.http import b64
from tests.support.predictor_specs import predictor_spec
from tests.support.server import LiveServer, start_server
from typeserve.experiments.bundled.audio import TESTDATA, raw_pcm_as_wav, transcribed_clips

FASTTEXT = "fasttext/1/language-identification"
LANGID = "langid/1/language-identification"
POCKETSPHINX = "cmu/1/pocketsphinx-en-us"
FRONTAL = "opencv/1/haarcascade-frontalface"
PROFILE = "test/1/haarcascade-profileface"
SLEEPER = "test/1/experiment-sleeper"
FINISHED = ("completed", "cancelled", "failed", "interrupted")

LANGUAGE_ROWS = [
    {"input": "The weather is lovely today and I am going for a walk in the park.", "label": "en"},
    {"input": "Where is the nearest train station, please?", "label": "en"},
    {"input": "Das Wetter ist heute schön und ich gehe im Park spazieren.", "label": "de"},
    {"input": "Wo ist bitte der nächste Bahnhof?", "label": "de"},
    {"input": "Il fait beau aujourd'hui et je vais me promener dans le parc.", "label": "fr"},
    {"input": "Où est la gare la plus proche, s'il vous plaît ?", "label": "fr"},
    {"input": "Hoy hace buen tiempo y voy a dar un paseo por el parque.", "label": "es"},
    {"input": "¿Dónde está la estación de tren más cercana?", "label": "es"},
    {"input": "Oggi il tempo è bello e vado a fare una passeggiata nel parco.", "label": "it"},
    {"input": "Hoje o tempo está bom e vou dar um passeio no parque.", "label": "pt"},
]

# Eileen Collins' face in scikit-image's `astronaut` (512x512), annotated by hand.
ASTRONAUT_FACE = {"label": "face", "xmin": 170, "ymin": 60, "xmax": 275, "ymax": 170}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("experiments")
    catalog = folder / "catalog.yaml"
    profile = {
        "id": PROFILE,
        "type": "image-object-detection",
        "runtime": "builtin",
        "entrypoint": "haar_cascade",
        "title": "OpenCV Haar cascade — profile faces",
        "options": {"cascade": "haarcascade_profileface.xml", "label": "face", "min_neighbors": 5, "min_size": 24},
        "serving": {"in_process": True},
    }
    sleeper = predictor_spec(SLEEPER, "Sleeper", max_batch_size=1, timeout_s=30, options={"max_batch_size": 1})
    catalog.write_text(yaml.safe_dump({"models": [profile, sleeper]}))
    server = start_server(
        folder / "data",
        {"TYPESERVE_CATALOG_FILES": f'["{catalog}"]', "TYPESERVE_EXPERIMENT_MAX_RUNNING_PER_USER": "1"},
    )
    yield server
    server.stop()


def wait_for(client: httpx.Client, experiment_id: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/v1/experiments/{experiment_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in FINISHED:
            return body
        time.sleep(0.3)
    raise AssertionError(f"experiment {experiment_id} did not finish: {body['progress']}")


def start(client: httpx.Client, body: dict[str, Any]) -> str:
    response = client.post("/v1/experiments", json=body)
    assert response.status_code == 202, response.text
    started = response.json()
    assert started["status"] in ("queued", "running", "completed")
    assert response.headers["Location"] == f"/v1/experiments/{started['id']}"
    return str(started["id"])


def by_model(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["model"]: result for result in report["results"]}


def test_language_identification_models_compared_on_labelled_sentences(live: LiveServer) -> None:
    with live.client() as client:
        experiment_id = start(
            client,
            {
                "name": "language id",
                "type": "text-classification",
                "models": [FASTTEXT, LANGID],
                "dataset": {"rows": LANGUAGE_ROWS},
            },
        )
        report = wait_for(client, experiment_id)
        assert report["status"] == "completed", report
        assert report["progress"]["done"] == report["progress"]["total"] == 2 * len(LANGUAGE_ROWS)
        results = by_model(report)
        for model_id in (FASTTEXT, LANGID):
            result = results[model_id]
            assert result["done"] == len(LANGUAGE_ROWS) and result["errors"] == 0
            assert result["scored"] == len(LANGUAGE_ROWS)
            assert result["metrics"]["accuracy"] >= 0.8, result
            assert 0.0 < result["metrics"]["macro_f1"] <= 1.0
            assert result["latencyMs"]["p50"] > 0 and result["latencyMs"]["p95"] >= result["latencyMs"]["p50"]
            assert result["throughput"] > 0
            assert result["tiers"] == ["cpuflex"]
        # The accuracy shown is the one the side-by-side rows give.
        for model_id in (FASTTEXT, LANGID):
            hits = [row["outputs"][model_id]["prediction"] == row["expected"] for row in report["rowTable"]]
            assert results[model_id]["metrics"]["accuracy"] == pytest.approx(sum(hits) / len(hits))
        first = report["rowTable"][0]
        assert first["input"] == {"input": LANGUAGE_ROWS[0]["input"]} and first["expected"] == "en"
        assert first["outputs"][FASTTEXT]["output"]["labels"][0]["label"] == "en"
        assert report["metrics"]["accuracy"]["higherIsBetter"] is True

        listed = client.get("/v1/experiments").json()["experiments"]
        assert experiment_id in [e["id"] for e in listed]

        downloaded = client.get(f"/v1/experiments/{experiment_id}/results.csv")
        assert downloaded.status_code == 200 and downloaded.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(downloaded.text)))
        assert lines[0][:4] == ["row", "id", "input", "expected"]
        assert f"{FASTTEXT} prediction" in lines[0] and f"{LANGID} prediction" in lines[0]
        assert len(lines) == 1 + len(LANGUAGE_ROWS)
        assert lines[3][2] == LANGUAGE_ROWS[2]["input"] and lines[3][3] == "de"
        as_json = client.get(f"/v1/experiments/{experiment_id}/results.json")
        assert "attachment" in as_json.headers["content-disposition"]
        assert by_model(as_json.json())[LANGID]["metrics"] == results[LANGID]["metrics"]

    # Every row was metered as usage of the key (and user) that started the experiment.
    assert live.admin_key is not None
    key_id = live.admin_key.split("_")[1]
    time.sleep(1.5)  # usage is written in the background every half second
    with sqlite3.connect(live.data_dir / "typeserve.db") as db:
        metered = db.execute(
            "SELECT model_id, key_id, status, COUNT(*) FROM usage_events WHERE request_id = ? GROUP BY 1, 2, 3",
            (experiment_id,),
        ).fetchall()
    assert sorted(metered) == [(FASTTEXT, key_id, 200, len(LANGUAGE_ROWS)), (LANGID, key_id, 200, len(LANGUAGE_ROWS))]


def test_speech_recognition_word_error_rate_on_recordings_uploaded_in_a_zip(live: LiveServer) -> None:
    clips = {clip.name: clip for clip in transcribed_clips()}
    chosen = ["cards/001", "cards/003", "librivox/sense_and_sensibility_01_austen_64kb-0880"]
    archive = io.BytesIO()
    rows = [{"id": "goforward", "audio": "audio/goforward.wav", "text": "Go forward ten meters."}]
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("audio/goforward.wav", raw_pcm_as_wav(TESTDATA / "goforward.raw"))
        for number, name in enumerate(chosen):
            bundle.writestr(f"audio/{number}.wav", clips[name].data)
            rows.append({"id": name, "audio": f"audio/{number}.wav", "text": clips[name].transcript})
        rows.append({"id": "no transcript", "audio": "audio/0.wav"})  # latency and output only
        rows.append({"id": "missing file", "audio": "audio/missing.wav", "text": "anything"})
        rows.append({"id": "not audio", "audio": b64(b"this is not a sound file"), "text": "anything"})
        bundle.writestr("rows.jsonl", "\n".join(json.dumps(row) for row in rows))
    with live.client() as client:
        upload = client.post(
            "/v1/datasets?name=speech", content=archive.getvalue(), headers={"Content-Type": "application/zip"}
        )
        assert upload.status_code == 201, upload.text
        dataset = upload.json()
        assert dataset["rows"] == len(rows) and dataset["format"] == "zip" and "text" in dataset["columns"]
        experiment_id = start(
            client,
            {
                "name": "asr",
                "type": "automatic-speech-recognition",
                "models": [POCKETSPHINX],
                "dataset": {"datasetId": dataset["id"]},
            },
        )
        report = wait_for(client, experiment_id)
    assert report["status"] == "completed"
    result = by_model(report)[POCKETSPHINX]
    assert result["done"] == len(rows) and result["errors"] == 2
    assert result["scored"] == 6  # rows with a transcript, the two failed ones counted as all wrong
    table = {row["id"]: row for row in report["rowTable"]}
    assert table["goforward"]["outputs"][POCKETSPHINX]["prediction"] == "go forward ten meters"
    assert "not in the zip" in table["missing file"]["outputs"][POCKETSPHINX]["error"]
    assert table["not audio"]["outputs"][POCKETSPHINX]["error"].startswith("bad_media")
    assert table["no transcript"]["outputs"][POCKETSPHINX]["prediction"]
    # The WER shown is jiwer's over the transcripts shown (failed rows transcribed as nothing).
    scored = [row for row in report["rowTable"] if row["expected"]]
    references = [row["expected"].lower().replace(",", "").replace(".", "") for row in scored]
    hypotheses = [row["outputs"][POCKETSPHINX]["prediction"] or "" for row in scored]
    assert result["metrics"]["wer"] == pytest.approx(jiwer.wer(references, hypotheses))
    assert 0.15 < result["metrics"]["wer"] < 0.8  # two of six rows failed outright
    assert 0.0 < result["metrics"]["cer"] < result["metrics"]["wer"] + 0.2
    assert report["metrics"]["wer"]["higherIsBetter"] is False


def jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_face_detectors_compared_by_map_on_images_with_known_faces(live: LiveServer) -> None:
    import skimage.data

    astronaut = skimage.data.astronaut()
    width = astronaut.shape[1]
    mirrored_face = {**ASTRONAUT_FACE, "xmin": width - ASTRONAUT_FACE["xmax"], "xmax": width - ASTRONAUT_FACE["xmin"]}
    rows = [
        {"id": "astronaut", "imageRef": {"Bytes": b64(jpeg(astronaut))}, "boxes": [ASTRONAUT_FACE]},
        {"id": "mirrored", "image": b64(jpeg(astronaut[:, ::-1].copy())), "boxes": [mirrored_face]},
        {"id": "coffee", "image": b64(jpeg(skimage.data.coffee())), "boxes": []},
        {"id": "broken", "image": b64(b"\xff\xd8 not really a jpeg"), "boxes": []},
        {"id": "typo", "imageRf": {"Bytes": "AA=="}},
    ]
    upload_text = "\n".join(json.dumps(row) for row in rows)
    with live.client() as client:
        upload = client.post("/v1/datasets", files={"file": ("faces.jsonl", upload_text, "application/x-ndjson")})
        assert upload.status_code == 201, upload.text
        experiment_id = start(
            client,
            {
                "name": "faces",
                "type": "image-object-detection",
                "models": [FRONTAL, PROFILE],
                "dataset": {"datasetId": upload.json()["id"]},
            },
        )
        report = wait_for(client, experiment_id)
        assert report["status"] == "completed"
        results = by_model(report)
        frontal, profile = results[FRONTAL], results[PROFILE]
        # The frontal cascade finds both faces, with IoUs of about 0.8 against the hand-drawn boxes:
        # a hit at every IoU threshold up to 0.75, and at part of the stricter ones.
        assert frontal["metrics"]["map50"] == pytest.approx(1.0)
        assert 0.55 < frontal["metrics"]["map50_95"] < 0.75
        assert profile["metrics"]["map50"] == 0.0  # a profile detector misses frontal faces
        for result in (frontal, profile):
            assert result["errors"] == 2 and result["done"] == len(rows)
        table = {row["id"]: row for row in report["rowTable"]}
        assert table["broken"]["outputs"][FRONTAL]["error"].startswith("bad_media")
        assert "imageRf" in table["typo"]["outputs"][FRONTAL]["error"]
        assert table["astronaut"]["input"]["imageRef"]["Bytes"].startswith("<base64, ")
        detections = table["astronaut"]["outputs"][FRONTAL]["prediction"]
        assert [d["label"] for d in detections] == ["face"]
        # The server keeps serving after the bad rows.
        assert client.post("/v1/ent/vader/1/sentiment", json={"input": "fine"}).status_code == 200


def test_models_of_other_types_and_unknown_models_are_named(live: LiveServer) -> None:
    rows = {"rows": [{"input": "hello", "label": "en"}]}
    with live.client() as client:
        mixed = client.post(
            "/v1/experiments",
            json={"name": "x", "type": "text-classification", "models": [FASTTEXT, FRONTAL], "dataset": rows},
        )
        assert mixed.status_code == 422 and mixed.headers["content-type"] == "application/problem+json"
        assert FRONTAL in mixed.json()["detail"] and mixed.json()["errors"][0]["field"] == "models.1"
        unknown = client.post(
            "/v1/experiments",
            json={
                "name": "x",
                "type": "text-classification",
                "models": [FASTTEXT, "nobody/1/nothing"],
                "dataset": rows,
            },
        )
        assert unknown.status_code == 404 and "nobody/1/nothing" in unknown.json()["detail"]
        bad_type = client.post(
            "/v1/experiments", json={"name": "x", "type": "poetry", "models": [FASTTEXT], "dataset": rows}
        )
        assert bad_type.status_code == 422 and bad_type.json()["errors"][0]["field"] == "type"
        both = client.post(
            "/v1/experiments",
            json={"name": "x", "type": "text-classification", "models": [FASTTEXT], "dataset": {}},
        )
        assert both.status_code == 422 and both.json()["errors"][0]["field"] == "dataset"
        not_jsonl = client.post(
            "/v1/datasets", content=b'{"input": "a"}\nnot json\n', headers={"Content-Type": "application/x-ndjson"}
        )
        assert not_jsonl.status_code == 422 and "Line 2" in not_jsonl.json()["detail"]
        assert client.get("/v1/experiments/exp_0000").status_code == 404
        invoke_only = client.post("/v1/apikeys", json={"name": "no experiments", "scopes": ["invoke"]}).json()
    with live.client(key=invoke_only["secret"]) as limited:
        refused = limited.post(
            "/v1/experiments", json={"name": "x", "type": "text-classification", "models": [FASTTEXT], "dataset": rows}
        )
        assert refused.status_code == 403 and "experiments" in refused.json()["detail"]


def test_the_per_user_limit_and_cancelling_a_running_experiment(live: LiveServer) -> None:
    slow = {"rows": [{"input": f"sleep 1 #{i}"} for i in range(20)]}
    body = {"name": "slow", "type": "text-classification", "models": [SLEEPER], "dataset": slow}
    with live.client() as client:
        experiment_id = start(client, body)
        over = client.post("/v1/experiments", json=body)
        assert over.status_code == 429 and over.json()["code"] == "too_many_experiments"
        assert over.headers["Retry-After"]
        deadline = time.monotonic() + 30
        while client.get(f"/v1/experiments/{experiment_id}").json()["progress"]["done"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        cancelled = client.delete(f"/v1/experiments/{experiment_id}")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
        done = cancelled.json()["progress"]["done"]
        time.sleep(2.5)
        after = client.get(f"/v1/experiments/{experiment_id}").json()
        assert after["status"] == "cancelled" and 1 <= after["progress"]["done"] <= done + 1 < 20
        again = client.delete(f"/v1/experiments/{experiment_id}")
        assert again.status_code == 409
        # The slot is free again.
        quick = start(client, {**body, "dataset": {"rows": [{"input": "quick"}]}})
        assert wait_for(client, quick)["status"] == "completed"


def test_cli_runs_an_experiment_on_the_data_dir_and_shows_it(live: LiveServer, tmp_path: Path) -> None:
    data = tmp_path / "languages.csv"
    with data.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["input", "label"])
        writer.writeheader()
        writer.writerows(LANGUAGE_ROWS[:6])
    ran = live.cli(
        "experiment",
        "run",
        "--type",
        "text-classification",
        "--models",
        f"{FASTTEXT},{LANGID}",
        "--data",
        str(data),
        "--json",
    )
    report = json.loads(ran.stdout)
    assert report["status"] == "completed" and report["rows"] == 6
    assert by_model(report)[FASTTEXT]["metrics"]["accuracy"] >= 0.8
    shown = live.cli("experiment", "show", report["id"])
    assert "completed: 12/12 rows done" in shown.stdout
    assert FASTTEXT in shown.stdout and "accuracy" in shown.stdout
    # The server reads what the CLI stored (an admin key sees every user's experiments).
    with live.client() as client:
        assert client.get(f"/v1/experiments/{report['id']}").json()["status"] == "completed"
    unknown = live.cli(
        "experiment", "run", "--type", "text-classification", "--models", "x/1/y", "--data", str(data), check=False
    )
    assert unknown.returncode == 2 and "x/1/y" in unknown.stderr
