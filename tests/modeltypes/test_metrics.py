"""Each type's metrics on inputs small enough to check by hand."""

from __future__ import annotations

from typing import Any

import pytest

from typeserve.modeltypes import MODEL_TYPES
from typeserve.modeltypes.question_answering import normalize_answer


def score(type_name: str, outputs: list[dict[str, Any] | None], expected: list[Any]) -> dict[str, float | None]:
    return MODEL_TYPES[type_name].score(outputs, expected)


def labels(*names: str) -> dict[str, Any]:
    return {"labels": [{"label": name, "score": 1.0 / (rank + 1)} for rank, name in enumerate(names)]}


def test_classification_accuracy_and_macro_f1_count_failed_rows_as_wrong() -> None:
    outputs = [labels("en", "de"), None, labels("de"), labels("en")]
    # truth en, de, de, fr: predictions en, (failed), de, en -> 2 of 4 right.
    values = score("text-classification", outputs, ["en", "de", "de", "fr"])
    assert values["accuracy"] == 0.5
    # per expected class: en P=1/2 R=1 F1=2/3; de P=1 R=1/2 F1=2/3; fr F1=0 -> mean 4/9
    assert values["macro_f1"] == pytest.approx(4 / 9)
    assert score("audio-classification", [labels("speech")], ["speech"]) == {"accuracy": 1.0, "macro_f1": 1.0}


def test_fill_mask_top1_and_top5() -> None:
    def predictions(*tokens: str) -> dict[str, Any]:
        return {"predictions": [{"token": t, "score": 0.1, "sequence": t} for t in tokens]}

    outputs = [predictions("capital", "city"), predictions("a", "b", "c", "d", " capital"), predictions(*"abcdef")]
    values = score("fill-mask", outputs, ["capital", "capital", "f"])
    assert values == {"top1_accuracy": pytest.approx(1 / 3), "top5_accuracy": pytest.approx(2 / 3)}


def test_squad_normalisation_exact_match_and_f1() -> None:
    assert normalize_answer("The  Eiffel-Tower!") == "eiffeltower"
    assert normalize_answer("an apple a day") == "apple day"

    def answer(text: str) -> dict[str, Any]:
        return {"answers": [{"answer": text, "score": 0.9, "start": 0, "end": len(text)}]}

    outputs = [answer("the Berlin"), answer("in Paris France"), None]
    values = score("question-answering", outputs, ["Berlin", ["Paris", "Lyon"], "Rome"])
    assert values["exact_match"] == pytest.approx(1 / 3)
    # row 2: "in paris france" vs "paris": P=1/3 R=1 F1=1/2; row 3 failed: 0
    assert values["f1"] == pytest.approx((1 + 0.5 + 0) / 3)


def test_rouge_of_summaries() -> None:
    values = score("summarization", [{"summary": "the cat sat"}], ["the cat sat on the mat"])
    # unigrams: 3 shared; P=3/3 R=3/6 -> F=2/3. bigrams: 2 shared; P=2/2 R=2/5 -> F=4/7
    assert values["rouge1"] == pytest.approx(2 / 3)
    assert values["rouge2"] == pytest.approx(4 / 7)
    assert values["rougeL"] == pytest.approx(2 / 3)


def test_bleu_and_chrf_of_translations() -> None:
    perfect = score("translation", [{"translation": "la casa es verde"}], ["la casa es verde"])
    assert perfect["bleu"] == pytest.approx(100.0) and perfect["chrf"] == pytest.approx(100.0)
    wrong = score("translation", [None], ["la casa es verde"])
    assert wrong["bleu"] == 0.0 and wrong["chrf"] == 0.0


def test_word_and_character_error_rates_ignore_case_and_punctuation() -> None:
    values = score("automatic-speech-recognition", [{"text": "go forward ten meter"}], ["Go forward, ten meters."])
    assert values["wer"] == pytest.approx(1 / 4)  # one substitution in four words
    assert values["cer"] == pytest.approx(1 / 21)  # one deleted "s" in 21 characters
    assert score("automatic-speech-recognition", [{"text": "x"}], [""]) == {"wer": None, "cer": None}


def detections(*boxes: tuple[int, int, int, int, float]) -> dict[str, Any]:
    return {
        "width": 100,
        "height": 100,
        "detections": [
            {"label": "face", "score": s, "box": {"xmin": a, "ymin": b, "xmax": c, "ymax": d}}
            for a, b, c, d, s in boxes
        ],
    }


def test_map_of_detections() -> None:
    truth = [{"label": "face", "xmin": 10, "ymin": 10, "xmax": 50, "ymax": 50}]
    exact = score("image-object-detection", [detections((10, 10, 50, 50, 0.9))], [truth])
    assert exact["map50"] == pytest.approx(1.0) and exact["map50_95"] == pytest.approx(1.0)
    # A box shifted by 12 px: IoU = 28*40 / (40*40 + 40*40 - 28*40) = 0.538 -> a match at IoU 0.50 only.
    shifted = score("image-object-detection", [detections((22, 10, 62, 50, 0.9))], [truth])
    assert shifted["map50"] == pytest.approx(1.0) and shifted["map50_95"] == pytest.approx(0.1)
    # Two images, one face; the detector finds it and also "finds" one on an empty image, scoring it higher:
    # precision at full recall is 1/2 -> AP 0.5 (COCO's 101-point interpolation gives 0.5 exactly here).
    fooled = score(
        "image-object-detection",
        [detections((10, 10, 50, 50, 0.5)), detections((0, 0, 20, 20, 0.9))],
        [truth, []],
    )
    assert fooled["map50"] == pytest.approx(0.5)
    assert score("image-object-detection", [None], [truth]) == {"map50": 0.0, "map50_95": 0.0}
    assert score("image-object-detection", [detections()], [[]]) == {"map50": None, "map50_95": None}


def test_retrieval_accuracy_of_embeddings_on_labelled_pairs() -> None:
    def vector(*values: float) -> dict[str, Any]:
        return {"embedding": list(values), "dimensions": len(values)}

    # Pairs a (rows 0, 1) and b (rows 2, 3); row 4 is a distractor with no partner.
    outputs = [vector(1, 0), vector(0.9, 0.1), vector(0, 1), vector(0.8, 0.2), vector(0.1, 0.9)]
    values = score("feature-extraction", outputs, ["a", "a", "b", "b", "x"])
    # Row 0 finds row 1 first; row 1 finds row 0; row 2 finds the distractor, then row 3 (rank 2);
    # row 3 finds rows 1, 0 and the distractor before row 2 (rank 4).
    assert values["retrieval_accuracy"] == 0.5
    assert values["mean_reciprocal_rank"] == pytest.approx((1 + 1 + 1 / 2 + 1 / 4) / 4)
    failed = score("feature-extraction", [vector(1, 0), None], ["a", "a"])
    assert failed == {"retrieval_accuracy": 0.0, "mean_reciprocal_rank": 0.0}


def test_entity_f1_needs_exact_span_and_type() -> None:
    def found(*spans: tuple[str, int, int]) -> dict[str, Any]:
        return {"entities": [{"entity": e, "word": "", "score": 1.0, "start": s, "end": t} for e, s, t in spans]}

    expected = [
        [{"entity": "PER", "start": 0, "end": 8}, {"entity": "LOC", "start": 20, "end": 26}],
        [{"entity": "ORG", "start": 0, "end": 5}],
    ]
    # Right: PER 0-8. Wrong type: LOC predicted as ORG. Wrong span: ORG 0-4. Extra: LOC 10-12.
    outputs = [found(("PER", 0, 8), ("ORG", 20, 26)), found(("ORG", 0, 4), ("LOC", 10, 12))]
    values = score("token-classification", outputs, expected)
    assert values["entity_precision"] == pytest.approx(1 / 4)
    assert values["entity_recall"] == pytest.approx(1 / 3)
    assert values["entity_f1"] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    # Per-token entries (aggregation none) are entities of one token each, not the longer one.
    tokens = found(("B-PER", 0, 3), ("I-PER", 4, 8))
    assert score("token-classification", [tokens], [[{"entity": "PER", "start": 0, "end": 8}]])["entity_f1"] == 0.0
    assert score("token-classification", [None], [[{"entity": "PER", "start": 0, "end": 8}]])["entity_recall"] == 0.0


def test_entity_types_may_be_alternatives_and_unnamed_types_are_not_scored() -> None:
    def found(*spans: tuple[str, int, int]) -> dict[str, Any]:
        return {"entities": [{"entity": e, "word": "", "score": 1.0, "start": s, "end": t} for e, s, t in spans]}

    expected = [[{"entity": "PERSON", "start": 0, "end": 6}, {"entity": ["GPE", "LOC"], "start": 15, "end": 21}]]
    # LOC is accepted for the place; the DATE is a type the dataset never names, so it is ignored.
    outputs = [found(("PERSON", 0, 6), ("LOC", 15, 21), ("DATE", 25, 31))]
    values = score("token-classification", outputs, expected)
    assert values == {"entity_f1": 1.0, "entity_precision": 1.0, "entity_recall": 1.0}
