"""MLflow models saved by the tests as their users save them: a pyfunc model from code (a
lexicon sentiment rater answering a DataFrame of label and score), a scikit-learn pipeline
through mlflow.sklearn (answering label strings), one registered in a local registry, and
broken ones (no python_function flavour, code that fails to load)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

RATER_CODE = """
import mlflow
import pandas as pd

POSITIVE = {"love", "great", "wonderful", "good", "happy", "lovely"}
NEGATIVE = {"hate", "awful", "terrible", "bad", "sad", "horrible"}


class LexiconRater(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        rows = []
        for text in model_input["review"]:
            words = set(text.lower().replace(",", " ").split())
            score = len(words & POSITIVE) - len(words & NEGATIVE)
            label = "POSITIVE" if score > 0 else "NEGATIVE" if score < 0 else "NEUTRAL"
            rows.append({"label": label, "score": min(1.0, 0.5 + 0.2 * abs(score))})
        return pd.DataFrame(rows)


mlflow.models.set_model(LexiconRater())
"""

BROKEN_CODE = """
import mlflow

raise ImportError("the tokenizer file vocab.txt is missing")
"""

TRAINING = [
    ("what a wonderful lovely day", "POSITIVE"),
    ("I love it, great work", "POSITIVE"),
    ("good and happy", "POSITIVE"),
    ("awful, I hate it", "NEGATIVE"),
    ("terrible and sad", "NEGATIVE"),
    ("a horrible bad mess", "NEGATIVE"),
]


def save_rater(folder: Path) -> Path:
    import mlflow
    import pandas as pd
    from mlflow.models import infer_signature

    code = folder.parent / f"{folder.name}_code.py"
    code.write_text(RATER_CODE, "utf-8")
    signature = infer_signature(pd.DataFrame({"review": ["good"]}), pd.DataFrame({"label": ["x"], "score": [0.5]}))
    mlflow.pyfunc.save_model(str(folder), python_model=str(code), signature=signature)
    return folder


def save_sklearn_pipeline(folder: Path) -> Path:
    import mlflow.sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts, labels = zip(*TRAINING, strict=True)
    pipeline = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(list(texts), list(labels))
    mlflow.sklearn.save_model(
        pipeline, str(folder), serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE
    )
    return folder


def register_rater(tracking_uri: str, work: Path) -> str:
    """The rater logged and registered in a local (SQLite) registry; its models:/ URI."""
    import mlflow

    code = work / "registered_code.py"
    code.write_text(RATER_CODE, "utf-8")
    mlflow.set_tracking_uri(tracking_uri)
    # Artifacts beside the registry, not in ./mlruns of whatever folder the tests run from.
    experiment = mlflow.create_experiment("typeserve-tests", artifact_location=(work / "artifacts").as_uri())
    with mlflow.start_run(experiment_id=experiment):
        mlflow.pyfunc.log_model(name="rater", python_model=str(code), registered_model_name="review-rater")
    return "models:/review-rater/1"


def without_pyfunc(source: Path, folder: Path) -> Path:
    shutil.copytree(source, folder)
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text())
    mlmodel["flavors"].pop("python_function")
    (folder / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    return folder


def save_broken(folder: Path) -> Path:
    """A pyfunc model whose code fails when it is loaded."""
    import mlflow

    code = folder.parent / f"{folder.name}_code.py"
    code.write_text(RATER_CODE, "utf-8")
    mlflow.pyfunc.save_model(str(folder), python_model=str(code))
    (folder / code.name).write_text(BROKEN_CODE, "utf-8")
    return folder
