"""Extractive question answering on 16 SQuAD-style questions written for this project and
kept out of tuning (the answer-selection weights were chosen on a separate set of 16):
exact match and token F1 of the best answer (SQuAD normalisation: lower case, no
punctuation, no articles), and how often the answer lies in the sentence holding the
reference answer."""

from __future__ import annotations

import re
import string
from collections import Counter

from typeserve.evaluation import EvalResult
from typeserve.inference import LocalInference

DATASET = "typeserve squad-style-16 (English, held out)"
PENICILLIN = (
    "Penicillin was discovered in 1928 by Alexander Fleming, a Scottish doctor. He noticed that mould had"
    " killed bacteria in one of his dishes."
)
SPIDERS = (
    "Spiders are not insects. A spider has eight legs, while insects have six. Most spiders spin webs to "
    "catch their food."
)
OCEANS = (
    "Oceans cover most of the planet. The Pacific Ocean is the largest ocean on Earth. The Atlantic is "
    "the second largest."
)
CONFERENCE = (
    "This year's conference on renewable energy was held in Oslo. More than two thousand experts attended"
    " the meeting. The next conference will take place in Nairobi."
)
VIVALDI = (
    "The Four Seasons is a group of violin concertos. It was composed by Antonio Vivaldi around 1720. "
    "Each concerto describes a season of the year."
)
MOZART = (
    "Wolfgang Amadeus Mozart was born in Salzburg. He wrote his first symphony when he was eight years "
    "old. He died in Vienna in 1791."
)
PLASTIC_LAW = (
    "The new law comes into force in January. It bans single-use plastic bags in all shops. Shops that "
    "break the law will pay a fine."
)
WATER = (
    "Water freezes at zero degrees Celsius. At sea level, it boils at 100 degrees Celsius. At high "
    "altitude it boils at a lower temperature."
)
CANADA = (
    "Toronto is the largest city in Canada. The capital, however, is Ottawa, which lies in the province of Ontario."
)
QUESTIONS: list[tuple[str, str, str]] = [
    ("Who discovered penicillin?", PENICILLIN, "Alexander Fleming"),
    ("When was penicillin discovered?", PENICILLIN, "1928"),
    ("What had killed the bacteria?", PENICILLIN, "mould"),
    ("How many legs does a spider have?", SPIDERS, "eight"),
    ("Why do spiders spin webs?", SPIDERS, "to catch their food"),
    ("What is the largest ocean on Earth?", OCEANS, "The Pacific Ocean"),
    ("Where was the conference held?", CONFERENCE, "Oslo"),
    ("How many experts attended the conference?", CONFERENCE, "More than two thousand"),
    ("Who composed the Four Seasons?", VIVALDI, "Antonio Vivaldi"),
    ("What instrument leads the Four Seasons concertos?", VIVALDI, "violin"),
    ("How old was Mozart when he wrote his first symphony?", MOZART, "eight years old"),
    ("Where did Mozart die?", MOZART, "Vienna"),
    ("What does the new law ban?", PLASTIC_LAW, "single-use plastic bags"),
    ("When does the new law come into force?", PLASTIC_LAW, "January"),
    ("What is the boiling point of water at sea level?", WATER, "100 degrees Celsius"),
    ("Which city is the capital of Canada?", CANADA, "Ottawa"),
]
ARTICLES = re.compile(r"\b(a|an|the)\b")
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def normalise(text: str) -> list[str]:
    text = "".join(c for c in text.lower() if c not in string.punctuation)
    return ARTICLES.sub(" ", text).split()


def token_f1(predicted: str, reference: str) -> float:
    found, wanted = normalise(predicted), normalise(reference)
    common = sum((Counter(found) & Counter(wanted)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(found), common / len(wanted)
    return 2 * precision * recall / (precision + recall)


def in_reference_sentence(context: str, reference: str, start: int, end: int) -> bool:
    where = context.index(reference)
    return any(s.start() <= where < s.end() and s.start() <= start < s.end() for s in SENTENCE.finditer(context))


async def evaluate_answer_selection(run: LocalInference) -> list[EvalResult]:
    model_id = "sentence-transformers/1/minilm-answer-selection"
    exact = f1 = sentence = 0.0
    for question, context, reference in QUESTIONS:
        body, _ = await run(model_id, payload={"question": question, "context": context, "topK": 1})
        best = body["answers"][0]
        exact += normalise(best["answer"]) == normalise(reference)
        f1 += token_f1(best["answer"], reference)
        sentence += in_reference_sentence(context, reference, best["start"], best["end"])
    n = len(QUESTIONS)
    return [
        EvalResult(model_id, "exact_match", exact / n, DATASET, n),
        EvalResult(model_id, "f1", f1 / n, DATASET, n),
        EvalResult(model_id, "sentence_accuracy", sentence / n, DATASET, n, "answer in the reference's sentence"),
    ]


EVALS = {"sentence-transformers/1/minilm-answer-selection": evaluate_answer_selection}
