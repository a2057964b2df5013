"""Translation on 20 English-Spanish sentence pairs written for this project (everyday
sentences, one reference translation each), used in both directions: corpus BLEU and chrF
with sacrebleu's defaults."""

from __future__ import annotations

from typeserve.evaluation import EvalResult, Evaluation
from typeserve.inference import LocalInference

DATASET = "typeserve en-es-20 (one reference)"
PAIRS: list[tuple[str, str]] = [
    ("The house is very big.", "La casa es muy grande."),
    ("I have two brothers and one sister.", "Tengo dos hermanos y una hermana."),
    ("We eat dinner at nine o'clock.", "Cenamos a las nueve."),
    ("The library is closed on Sundays.", "La biblioteca está cerrada los domingos."),
    ("My father works in a hospital.", "Mi padre trabaja en un hospital."),
    ("The children are playing in the garden.", "Los niños están jugando en el jardín."),
    ("Where is the train station?", "¿Dónde está la estación de tren?"),
    ("She reads a book every week.", "Ella lee un libro cada semana."),
    ("It is very cold today.", "Hoy hace mucho frío."),
    ("We want to visit the museum tomorrow.", "Queremos visitar el museo mañana."),
    ("The red car is new.", "El coche rojo es nuevo."),
    ("I do not understand the question.", "No entiendo la pregunta."),
    ("They live in a small town near the sea.", "Viven en un pueblo pequeño cerca del mar."),
    ("The water is cold.", "El agua está fría."),
    ("My friends are very happy.", "Mis amigos están muy contentos."),
    ("The teacher speaks three languages.", "El profesor habla tres idiomas."),
    ("I need a new computer.", "Necesito un ordenador nuevo."),
    ("The shop opens at ten in the morning.", "La tienda abre a las diez de la mañana."),
    ("We are going to the beach this summer.", "Vamos a la playa este verano."),
    ("The cat sleeps on the bed.", "El gato duerme en la cama."),
]


def translation_evaluation(model_id: str, english_first: bool) -> Evaluation:
    async def evaluate(run: LocalInference) -> list[EvalResult]:
        import sacrebleu

        sources = [en if english_first else es for en, es in PAIRS]
        references = [es if english_first else en for en, es in PAIRS]
        body, _ = await run(model_id, payload={"input": sources})
        hypotheses = [result["translation"] for result in body["results"]]
        bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score
        chrf = sacrebleu.corpus_chrf(hypotheses, [references]).score
        direction = "en->es" if english_first else "es->en"
        return [
            EvalResult(model_id, "bleu", bleu, f"{DATASET}, {direction}", len(PAIRS)),
            EvalResult(model_id, "chrf", chrf, f"{DATASET}, {direction}", len(PAIRS)),
        ]

    return evaluate


EVALS = {
    "apertium/1/eng-spa": translation_evaluation("apertium/1/eng-spa", english_first=True),
    "apertium/1/spa-eng": translation_evaluation("apertium/1/spa-eng", english_first=False),
}
