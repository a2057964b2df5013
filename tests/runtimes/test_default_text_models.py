"""The default catalog's text models, called as a user calls them: over HTTP on a real
server, with real models and real text."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.server import LiveServer

LANGUAGE_ID_MODELS = ["fasttext/1/language-identification", "langid/1/language-identification"]
SENTENCES_BY_LANGUAGE = {
    "en": "The weather was lovely, so we walked along the river after lunch.",
    "fr": "Nous avons passé une excellente soirée chez nos voisins hier soir.",
    "de": "Ich habe heute Morgen meinen Schlüssel im Büro vergessen.",
    "es": "Mi hermana vive en una casa pequeña cerca de la playa.",
    "ru": "Вчера вечером мы долго гуляли по старому городу.",
    "ja": "昨日は友達と一緒に新しいレストランで晩ご飯を食べました。",
}
ARTICLE = (
    "The city of Lyon opened a new tram line on Saturday. The line links the main railway station with the "
    "university campus in the east of the city. Trams will run every five minutes during the day. The new line "
    "cost 180 million euros and took three years to build. City officials expect forty thousand passengers a "
    "day on the tram line. Students welcomed the tram line because buses to the campus were often full. Some "
    "shop owners complained about the long construction work. The mayor rode the first tram with a group of "
    "schoolchildren."
)


@pytest.mark.parametrize("model_id", LANGUAGE_ID_MODELS)
def test_language_id_names_the_language_of_each_text(server: LiveServer, model_id: str) -> None:
    languages = list(SENTENCES_BY_LANGUAGE)
    with server.client() as client:
        response = client.post(f"/v1/ent/{model_id}", json={"input": list(SENTENCES_BY_LANGUAGE.values())})
        single = client.post(f"/v1/ent/{model_id}", json={"input": SENTENCES_BY_LANGUAGE["de"], "topK": 3})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [result["labels"][0]["label"] for result in results] == languages
    for result in results:
        scores = [label["score"] for label in result["labels"]]
        assert all(0.0 <= score <= 1.0 for score in scores) and scores == sorted(scores, reverse=True)
        assert scores[0] > 0.5
    assert single.status_code == 200, single.text
    labels = single.json()["labels"]
    assert len(labels) == 3 and labels[0]["label"] == "de"


def test_fill_mask_trigram_fills_a_fitting_word_quickly(server: LiveServer) -> None:
    texts = ["I would like a cup of [MASK], please.", "<mask> you very much for your help."]
    with server.client() as client:
        client.post("/v1/ent/cmu/1/en-us-trigram", json={"input": "Warm [MASK] up."})  # loads the model
        started = time.perf_counter()
        response = client.post("/v1/ent/cmu/1/en-us-trigram", json={"input": texts})
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    drink, thanks = response.json()["results"]
    assert {"tea", "coffee"} & {p["token"] for p in drink["predictions"][:3]}
    assert drink["predictions"][0]["sequence"] == f"I would like a cup of {drink['predictions'][0]['token']}, please."
    assert thanks["predictions"][0]["token"] == "thank"
    assert thanks["predictions"][0]["sequence"] == "Thank you very much for your help."
    for result in (drink, thanks):
        scores = [p["score"] for p in result["predictions"]]
        assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
        assert sum(scores) <= 1.0 + 1e-6  # normalised over the whole candidate vocabulary
    # Two sentences in one request, on a shared 2-core machine: well under a second each.
    assert elapsed < 2.0, f"fill-mask took {elapsed:.2f} s for two sentences"


def test_fill_mask_refuses_text_without_exactly_one_mask(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/v1/ent/cmu/1/en-us-trigram", json={"input": "No mask here."})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "mask" in response.json()["detail"].lower()


def test_textrank_summary_is_shorter_and_made_of_input_sentences(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/v1/ent/summa/1/textrank", json={"input": [ARTICLE, ARTICLE], "maxLength": 40})
    assert response.status_code == 200, response.text
    first, second = response.json()["results"]
    summary = first["summary"]
    assert summary == second["summary"]
    assert 0 < len(summary.split()) <= 40 and len(summary) < len(ARTICLE)
    sentences = re.findall(r"[^.]+\.", summary)
    assert sentences and all(sentence.strip() in ARTICLE for sentence in sentences)
    assert "tram" in summary.lower()


@pytest.mark.parametrize(
    ("model_id", "text", "expected_words", "languages"),
    [
        ("apertium/1/eng-spa", "The house is green. I have a black cat.", ["casa", "verde", "gato"], ("en", "es")),
        ("apertium/1/spa-eng", "El perro come pan en la cocina.", ["dog", "eats", "bread"], ("es", "en")),
    ],
)
def test_apertium_translates_with_language_codes(
    server: LiveServer, model_id: str, text: str, expected_words: list[str], languages: tuple[str, str]
) -> None:
    with server.client() as client:
        response = client.post(f"/v1/ent/{model_id}", json={"input": [text, "Zorblaxian " + text]})
    assert response.status_code == 200, response.text
    plain, with_unknown = response.json()["results"]
    for result in (plain, with_unknown):
        assert all(word in result["translation"].lower() for word in expected_words), result
        assert (result["sourceLanguage"], result["targetLanguage"]) == languages
    # -u: an unknown word is copied through without Apertium's '*' mark.
    assert "Zorblaxian" in with_unknown["translation"] and "*" not in with_unknown["translation"]


def test_apertium_refuses_a_language_pair_it_does_not_translate(server: LiveServer) -> None:
    with server.client() as client:
        response = client.post("/v1/ent/apertium/1/eng-spa", json={"input": "Hello.", "targetLanguage": "de"})
        still_serving = client.post("/v1/ent/apertium/1/eng-spa", json={"input": "Hello.", "targetLanguage": "es"})
    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_language"
    assert still_serving.status_code == 200 and still_serving.json()["translation"] == "Hola."


def test_installed_apertium_modes_join_the_catalog(server: LiveServer) -> None:
    with server.client() as client:
        listed = client.get("/v1/models", params={"type": "translation"}).json()["models"]
        card = client.get("/v1/models/apertium/1/spa-eng_US").json()
        response = client.post("/v1/ent/apertium/1/spa-eng_US", json={"input": "Tengo un coche rojo."})
    ids = {model["id"] for model in listed}
    # apertium-eng-spa installs eng-spa, spa-eng and spa-eng_US; the last has no hand-written entry.
    assert {"apertium/1/eng-spa", "apertium/1/spa-eng", "apertium/1/spa-eng_US"} <= ids
    assert card["status"] in ("installed", "loaded") and card["languages"] == ["es", "en"]
    assert response.status_code == 200, response.text
    body = response.json()
    assert "red car" in body["translation"].lower() and body["targetLanguage"] == "en"


def test_minilm_answer_is_a_span_of_the_context(server: LiveServer) -> None:
    items = [
        ("Where does Wolfgang live?", "My name is Wolfgang and I live in Berlin. I work as a baker.", "Berlin"),
        (
            "What do pandas mostly eat?",
            "Giant pandas live in the mountains of central China. They mostly eat bamboo, although they sometimes "
            "eat small animals. A panda spends up to fourteen hours a day eating.",
            "bamboo",
        ),
    ]
    with server.client() as client:
        responses = [
            client.post(
                "/v1/ent/sentence-transformers/1/minilm-answer-selection",
                json={"question": question, "context": context},
            )
            for question, context, _ in items
        ]
    for response, (_, context, expected) in zip(responses, items, strict=True):
        assert response.status_code == 200, response.text
        answers = response.json()["answers"]
        assert 1 <= len(answers) <= 3
        for answer in answers:
            assert context[answer["start"] : answer["end"]] == answer["answer"]
            assert 0.0 <= answer["score"] <= 1.0
        assert expected in answers[0]["answer"]
        assert [a["score"] for a in answers] == sorted((a["score"] for a in answers), reverse=True)


def test_text_model_cards_carry_quality_and_status(server: LiveServer) -> None:
    with server.client() as client:
        assert client.post("/v1/ent/summa/1/textrank", json={"input": ARTICLE}).status_code == 200
        assert client.get("/v1/models/summa/1/textrank").json()["status"] == "loaded"
        for model_id in [*LANGUAGE_ID_MODELS, "cmu/1/en-us-trigram", "summa/1/textrank", "apertium/1/eng-spa"]:
            card = client.get(f"/v1/models/{model_id}").json()
            assert card["status"] in ("installed", "loaded"), card
            assert card["license"] != "unknown" and card["limits"] and card["examples"]
            assert card["quality"], f"{model_id} has no measured quality figure"
