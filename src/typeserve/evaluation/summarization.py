"""Summarization on six short news-style articles written for this project, each with a
one- or two-sentence reference summary written by hand: ROUGE-1, ROUGE-2 and ROUGE-L F1
(rouge-score, with stemming), averaged over the articles."""

from __future__ import annotations

from typeserve.evaluation import EvalResult
from typeserve.inference import LocalInference

DATASET = "typeserve news-6 (English, hand-written references)"
ARTICLES: list[tuple[str, str]] = [
    (
        "The city council voted on Tuesday to build a new bridge over the river. The bridge will connect the "
        "old town with the new business district. Construction is expected to start next spring and to take "
        "three years. The council estimates the cost at 120 million euros. Some residents oppose the bridge "
        "because it will increase traffic in the old town. The mayor said the bridge would reduce travel times "
        "for thousands of commuters. A public meeting about the bridge is planned for next month.",
        "The city council voted to build a 120 million euro bridge connecting the old town with the business "
        "district, starting next spring.",
    ),
    (
        "Scientists have discovered a new species of frog in the rainforest of Ecuador. The frog is bright "
        "green and smaller than a thumbnail. The researchers found the frog during a night survey near a "
        "river. The species lives only in a small area of the forest. Logging threatens this area, the "
        "scientists warned. They asked the government to protect the forest where the frog lives. The "
        "discovery was published in a biology journal this week.",
        "Scientists discovered a tiny new frog species in Ecuador's rainforest and asked for its forest home to "
        "be protected from logging.",
    ),
    (
        "The national football team won the championship on Sunday after a dramatic final. The team beat "
        "their rivals two goals to one. The winning goal came in the last minute of the match. Thousands of "
        "fans celebrated in the streets of the capital until late at night. It is the first championship for "
        "the team in twenty years. The coach praised the players for their courage. The team will return home "
        "on Tuesday.",
        "The national football team won its first championship in twenty years with a last-minute goal in a "
        "two to one final.",
    ),
    (
        "A heat wave has hit the south of the country this week. Temperatures reached 43 degrees in some "
        "towns. The government has warned older people to stay indoors during the afternoon. Hospitals "
        "reported more patients with heat stroke than usual. Farmers say the heat wave is damaging their crops. "
        "Forecasters expect the heat wave to last until the weekend. Cooler weather should arrive on Monday.",
        "A heat wave with temperatures up to 43 degrees hit the south, filling hospitals and damaging crops "
        "until the weekend.",
    ),
    (
        "The technology company announced a new smartphone on Wednesday. The phone has a larger screen and a "
        "better camera than the previous model. Its battery lasts two days, the company said. The phone will go "
        "on sale next month. It will cost 200 euros less than the previous model. Analysts expect strong sales "
        "because of the lower price. The company's shares rose by five percent after the announcement.",
        "The company announced a cheaper new smartphone with a larger screen, better camera and two-day battery, "
        "and its shares rose.",
    ),
    (
        "The public library will open on Sundays from next month. The library has received extra funding from "
        "the city to pay for the longer hours. Many students asked for Sunday opening to study before exams. "
        "The library will also add fifty new computers for visitors. Children's reading groups will take place "
        "every Sunday morning. The head librarian said she hopes more families will visit the library.",
        "With extra city funding, the public library will open on Sundays, add computers and hold children's "
        "reading groups.",
    ),
]


async def evaluate_summarizer(run: LocalInference, model_id: str) -> list[EvalResult]:
    from rouge_score import rouge_scorer

    body, _ = await run(model_id, payload={"input": [article for article, _ in ARTICLES]})
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for result, (_, reference) in zip(body["results"], ARTICLES, strict=True):
        scores = scorer.score(reference, result["summary"])
        for metric in totals:
            totals[metric] += scores[metric].fmeasure
    return [
        EvalResult(model_id, f"{metric}_f1", total / len(ARTICLES), DATASET, len(ARTICLES))
        for metric, total in totals.items()
    ]


async def evaluate_textrank(run: LocalInference) -> list[EvalResult]:
    return await evaluate_summarizer(run, "summa/1/textrank")


EVALS = {"summa/1/textrank": evaluate_textrank}
