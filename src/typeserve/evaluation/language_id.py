# ruff: noqa: RUF001 - Turkish and Greek letters are the point of this data.
"""Language identification on 36 sentences in 18 languages (two each), written for this
project (so neither model trained on them): accuracy of the top label."""

from __future__ import annotations

from typeserve.evaluation import EvalResult, Evaluation
from typeserve.inference import LocalInference

DATASET = "typeserve lid-36 (18 languages)"
SENTENCES: list[tuple[str, str]] = [
    ("The train to the airport leaves every twenty minutes.", "en"),
    ("Please remember to water the plants while I am away.", "en"),
    ("Mañana vamos a visitar a mis abuelos en el pueblo.", "es"),
    ("El restaurante de la esquina cierra los lunes.", "es"),
    ("Nous avons acheté du pain frais à la boulangerie ce matin.", "fr"),
    ("Le musée est fermé pendant les travaux de rénovation.", "fr"),
    ("Kannst du mir bitte sagen, wie spät es ist?", "de"),
    ("Der Zug hatte heute wieder zwanzig Minuten Verspätung.", "de"),
    ("Questa sera andiamo a cena da mia sorella.", "it"),
    ("Il treno per Milano parte dal binario tre.", "it"),
    ("O meu irmão trabalha num hospital em Lisboa.", "pt"),
    ("Vamos passar as férias na praia este ano.", "pt"),
    ("Mijn fiets is gisteren gestolen bij het station.", "nl"),
    ("We gaan morgen met de kinderen naar het strand.", "nl"),
    ("Jag brukar dricka kaffe med mjölk på morgonen.", "sv"),
    ("Bussen kommer om fem minuter.", "sv"),
    ("Czy mógłbyś zamknąć okno, bo jest zimno?", "pl"),
    ("W sobotę idziemy do kina na nowy film.", "pl"),
    ("Завтра мы поедем на дачу к друзьям.", "ru"),
    ("Я не люблю вставать рано утром.", "ru"),
    ("Bu akşam arkadaşlarımla sinemaya gideceğim.", "tr"),
    ("Kahvaltıda peynir ve zeytin yedik.", "tr"),
    ("Η θάλασσα ήταν πολύ ζεστή σήμερα.", "el"),
    ("Θα ήθελα ένα ποτήρι νερό, παρακαλώ.", "el"),
    ("Huomenna sataa luultavasti koko päivän.", "fi"),
    ("Ostin kaupasta maitoa ja leipää.", "fi"),
    ("Holnap reggel korán kell kelnem a munka miatt.", "hu"),
    ("A szomszédunk kutyája egész éjjel ugatott.", "hu"),
    ("我们明天早上去公园散步。", "zh"),
    ("这家餐厅的饺子非常好吃。", "zh"),
    ("明日は雨が降るそうなので傘を持って行きます。", "ja"),
    ("駅の近くに新しい本屋ができました。", "ja"),
    ("어제 친구와 함께 영화를 보러 갔어요.", "ko"),
    ("이 근처에 약국이 있나요?", "ko"),
    ("غدا سنذهب إلى السوق لشراء الخضار.", "ar"),
    ("أحب قراءة الكتب في المساء.", "ar"),
]


def language_id_evaluation(model_id: str) -> Evaluation:
    async def evaluate(run: LocalInference) -> list[EvalResult]:
        body, _ = await run(model_id, payload={"input": [text for text, _ in SENTENCES]})
        predicted = [result["labels"][0]["label"] for result in body["results"]]
        correct = sum(p == expected for p, (_, expected) in zip(predicted, SENTENCES, strict=True))
        return [EvalResult(model_id, "accuracy", correct / len(SENTENCES), DATASET, len(SENTENCES))]

    return evaluate


EVALS = {
    model_id: language_id_evaluation(model_id)
    for model_id in ("fasttext/1/language-identification", "langid/1/language-identification")
}
