"""The bundled evaluations: every one names catalog models of its type and a dataset whose
rows are valid Input with an expected answer, and every evaluated model's card shows the
figures results.json holds for it."""

from __future__ import annotations

import pytest

from typeserve.catalog import Catalog
from typeserve.experiments.bundled import DATASETS_DIR, load_evaluations
from typeserve.experiments.bundled.media import MEDIA_DATASETS
from typeserve.experiments.bundled.results import measured_quality
from typeserve.experiments.datasets import parse_dataset
from typeserve.modeltypes import MODEL_TYPES

EVALUATIONS = load_evaluations()


@pytest.mark.parametrize("evaluation", EVALUATIONS, ids=lambda e: e.dataset)
def test_evaluation_names_catalog_models_of_its_type(evaluation) -> None:  # type: ignore[no-untyped-def]
    catalog = Catalog.default()
    assert evaluation.type in MODEL_TYPES
    for model_id in evaluation.models:
        assert catalog.get(model_id).type == evaluation.type
    assert set(evaluation.notes) <= set(evaluation.models)
    assert evaluation.dataset in MEDIA_DATASETS or (DATASETS_DIR / evaluation.dataset).exists()


@pytest.mark.parametrize("evaluation", [e for e in EVALUATIONS if not e.is_media], ids=lambda e: e.dataset)
def test_text_dataset_rows_are_valid_input_with_an_answer(evaluation) -> None:  # type: ignore[no-untyped-def]
    model_type = MODEL_TYPES[evaluation.type]
    data = (DATASETS_DIR / evaluation.dataset).read_bytes()
    rows = parse_dataset(data, "jsonl", max_rows=2000, max_bytes=len(data)).rows
    for row in rows:
        payload, expected = model_type.split_row(row)
        model_type.Input.model_validate(payload)
        assert expected not in (None, "")


def test_every_evaluated_model_card_shows_its_measured_figures() -> None:
    catalog = Catalog.default()
    measured = measured_quality()
    for evaluation in EVALUATIONS:
        metrics = set(MODEL_TYPES[evaluation.type].metrics)
        for model_id in evaluation.models:
            figures = measured[model_id]
            # Each of the model's evaluations has its own figures (not only the last one run).
            assert any(figure["dataset"].startswith(f"{evaluation.title}, n=") for figure in figures), (
                model_id,
                evaluation.dataset,
            )
            assert {figure["metric"] for figure in figures} <= metrics
            card_figures = [q.model_dump(exclude_none=True) for q in catalog.get(model_id).quality]
            assert card_figures[: len(figures)] == figures
