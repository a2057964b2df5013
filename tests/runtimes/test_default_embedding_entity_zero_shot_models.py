"""The default catalog's embedding, named-entity and zero-shot models, called as a user calls
them: over HTTP on a real server, with the real packaged models and real text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.support.server import LiveServer

MINILM = "sentence-transformers/1/all-minilm-l6-v2"
MINILM_INT8 = "sentence-transformers/1/all-minilm-l6-v2-int8"
E5 = "intfloat/1/multilingual-e5-small-q4"
SPACY = "spacy/1/en-core-web-sm"
ZERO_SHOT = "sentence-transformers/1/minilm-zero-shot"
# A first call loads the model: a minute or more on a busy 2-core machine.
LOADING_TIMEOUT_S = 300.0


def vectors(body: dict[str, Any]) -> np.ndarray:
    rows = [result["embedding"] for result in body["results"]]
    assert all(len(row) == result["dimensions"] for row, result in zip(rows, body["results"], strict=True))
    return np.asarray(rows)


@pytest.mark.parametrize("model_id", [MINILM, MINILM_INT8])
def test_minilm_embeddings_put_paraphrases_closer_than_unrelated_text(server: LiveServer, model_id: str) -> None:
    texts = ["A man is playing a guitar.", "Someone plays the guitar.", "The stock market fell sharply today."]
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        response = client.post(f"/v1/ent/{model_id}", json={"input": texts})
        raw = client.post(f"/v1/ent/{model_id}", json={"input": texts[0], "normalize": False})
    assert response.status_code == 200, response.text
    found = vectors(response.json())
    assert found.shape == (3, 384)
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-4)
    similarity = found @ found.T
    assert similarity[0, 1] > 0.6 > similarity[0, 2] + 0.3
    assert raw.status_code == 200, raw.text
    unnormalized = np.asarray(raw.json()["embedding"])
    assert np.linalg.norm(unnormalized) > 1.5
    assert np.allclose(unnormalized / np.linalg.norm(unnormalized), found[0], atol=1e-3)


def test_int8_minilm_gives_nearly_the_float_models_vectors(server: LiveServer) -> None:
    texts = ["The house is green.", "Machine learning models turn inputs into outputs."]
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        float_vectors = vectors(client.post(f"/v1/ent/{MINILM}", json={"input": texts}).json())
        int8_vectors = vectors(client.post(f"/v1/ent/{MINILM_INT8}", json={"input": texts}).json())
    assert np.all((float_vectors * int8_vectors).sum(axis=1) > 0.99)


def test_multilingual_e5_puts_a_translation_closer_than_another_sentence(server: LiveServer) -> None:
    texts = ["The train leaves at nine in the morning.", "Der Zug fährt um neun Uhr morgens ab.", "Ich mag Katzen."]
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        response = client.post(f"/v1/ent/{E5}", json={"input": texts})
    assert response.status_code == 200, response.text
    found = vectors(response.json())
    assert found.shape == (3, 384)
    assert found[0] @ found[1] > found[0] @ found[2] + 0.05


def test_spacy_finds_people_and_places_with_offsets(server: LiveServer) -> None:
    text = "My name is Wolfgang and I live in Berlin. Angela Merkel visited Paris on Monday."
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        response = client.post(f"/v1/ent/{SPACY}", json={"input": text})
        tokens = client.post(f"/v1/ent/{SPACY}", json={"input": [text, "no names here"], "aggregation": "none"})
    assert response.status_code == 200, response.text
    entities = response.json()["entities"]
    found = {(e["word"], e["entity"]) for e in entities}
    assert {("Wolfgang", "PERSON"), ("Berlin", "GPE"), ("Angela Merkel", "PERSON"), ("Paris", "GPE")} <= found
    for entity in entities:
        assert text[entity["start"] : entity["end"]] == entity["word"]
        assert 0.0 <= entity["score"] <= 1.0
    assert [e["start"] for e in entities] == sorted(e["start"] for e in entities)
    assert tokens.status_code == 200, tokens.text
    first, second = tokens.json()["results"]
    tags = {(e["word"], e["entity"]) for e in first["entities"]}
    assert {("Angela", "B-PERSON"), ("Merkel", "I-PERSON"), ("Berlin", "B-GPE")} <= tags
    assert second["entities"] == []


def test_zero_shot_ranks_every_given_label(server: LiveServer) -> None:
    labels = ["travel", "cooking", "sports", "finance"]
    texts = {
        "I booked a flight and a hotel in Lisbon for my holiday.": "travel",
        "Stir the onions into the sauce and let it simmer for ten minutes.": "cooking",
        "The team won the football match in the last minute.": "sports",
        "The bank raised its interest rates and stocks fell.": "finance",
    }
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        answers = {text: client.post(f"/v1/ent/{ZERO_SHOT}", json={"input": text, "labels": labels}) for text in texts}
        multi = client.post(
            f"/v1/ent/{ZERO_SHOT}",
            json={"input": "A cooking trip to Italy", "labels": labels, "multiLabel": True, "hypothesisTemplate": "{}"},
        )
    for text, expected in texts.items():
        assert answers[text].status_code == 200, answers[text].text
        ranked = answers[text].json()["labels"]
        assert ranked[0]["label"] == expected
        assert sorted(label["label"] for label in ranked) == sorted(labels)
        assert abs(sum(label["score"] for label in ranked) - 1.0) < 1e-6
    assert multi.status_code == 200, multi.text
    top_two = {label["label"] for label in multi.json()["labels"][:2]}
    assert top_two == {"cooking", "travel"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"input": "text", "labels": []}, "labels"),
        ({"input": "text", "labels": ["a", "a"]}, "labels"),
        ({"input": "text", "labels": ["a"], "hypothesisTemplate": "no slot"}, "hypothesisTemplate"),
        ({"input": ["a", "b"], "labels": ["a"]}, "input"),
    ],
)
def test_zero_shot_refuses_bad_requests_naming_the_field(server: LiveServer, body: dict[str, Any], field: str) -> None:
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        response = client.post(f"/v1/ent/{ZERO_SHOT}", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert field in response.text


def test_token_classification_refuses_an_unknown_aggregation(server: LiveServer) -> None:
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        response = client.post(f"/v1/ent/{SPACY}", json={"input": "Berlin", "aggregation": "max"})
    assert response.status_code == 422 and "aggregation" in response.text


def test_new_text_types_are_listed_with_schemas(server: LiveServer) -> None:
    with server.client(timeout=LOADING_TIMEOUT_S) as client:
        types = {t["name"]: t for t in client.get("/v1/types").json()["types"]}
    for name in ("feature-extraction", "token-classification", "zero-shot-classification"):
        assert types[name]["models"] >= 1
        assert "input" in types[name]["input"]["properties"]
    assert types["zero-shot-classification"]["acceptsList"] is False
    assert types["feature-extraction"]["acceptsList"] is True
