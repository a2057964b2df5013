"""Extractive question answering on 16 SQuAD-style questions written for this project:
exact match and token F1 of the best answer (SQuAD normalisation: lower case, no
punctuation, no articles), and how often the answer lies in the sentence holding the
reference answer."""

from __future__ import annotations

import re
import string
from collections import Counter

from typeserve.evaluation import EvalResult
from typeserve.inference import LocalInference

DATASET = "typeserve squad-style-16 (English)"
EIFFEL = "The Eiffel Tower was completed in 1889. It is 330 metres tall and stands on the Champ de Mars in Paris."
DRACULA = (
    "Dracula is an 1897 Gothic horror novel. It was written by the Irish author Bram Stoker. "
    "The story is told in letters and diary entries."
)
PANDAS = (
    "Giant pandas live in the mountains of central China. They mostly eat bamboo, although they sometimes eat "
    "small animals. A panda spends up to fourteen hours a day eating."
)
PLANTS = (
    "Plants make their food by photosynthesis. They absorb carbon dioxide from the air and release oxygen. "
    "Water is taken up through the roots."
)
MONA_LISA = (
    "The Mona Lisa hangs in the Louvre museum. It was painted by Leonardo da Vinci in the early sixteenth "
    "century. Thousands of visitors see it every day."
)
QUESTIONS: list[tuple[str, str, str]] = [
    ("Where does Wolfgang live?", "My name is Wolfgang and I live in Berlin. I work as a baker.", "Berlin"),
    ("How tall is the Eiffel Tower?", EIFFEL, "330 metres"),
    ("When was the Eiffel Tower completed?", EIFFEL, "1889"),
    ("Who wrote the novel Dracula?", DRACULA, "Bram Stoker"),
    (
        "What is the capital of Australia?",
        "Many people think Sydney is the capital of Australia. In fact, the capital is Canberra, a planned city "
        "built in the early twentieth century.",
        "Canberra",
    ),
    ("What do pandas mostly eat?", PANDAS, "bamboo"),
    ("How many hours a day does a panda spend eating?", PANDAS, "fourteen"),
    (
        "Which planet is known as the Red Planet?",
        "Venus is the hottest planet in the solar system. Mars is known as the Red Planet because of the iron "
        "oxide on its surface. Jupiter is the largest planet.",
        "Mars",
    ),
    ("What gas do plants absorb from the air?", PLANTS, "carbon dioxide"),
    ("Where is water taken up in plants?", PLANTS, "through the roots"),
    ("Who painted the Mona Lisa?", MONA_LISA, "Leonardo da Vinci"),
    ("In which museum does the Mona Lisa hang?", MONA_LISA, "the Louvre museum"),
    (
        "What language is spoken in Brazil?",
        "Brazil is the largest country in South America. Its official language is Portuguese, not Spanish. "
        "The capital is Brasilia.",
        "Portuguese",
    ),
    (
        "How long is the Great Wall of China?",
        "The Great Wall of China was built over many centuries to protect against invasions. Its total length "
        "is about 21,000 kilometres. Parts of it are open to tourists.",
        "about 21,000 kilometres",
    ),
    (
        "What did the company announce on Monday?",
        "Shares in the company rose sharply on Monday. The company announced record profits for the third "
        "quarter. Analysts had expected a loss.",
        "record profits for the third quarter",
    ),
    (
        "Why did the match start late?",
        "The final was due to begin at three o'clock. The match started an hour late because heavy rain had "
        "flooded the pitch. The home team won two goals to one.",
        "because heavy rain had flooded the pitch",
    ),
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
