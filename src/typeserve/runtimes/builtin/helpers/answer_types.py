"""The kind of answer a question asks for, read from its wh-word, and whether a span has that
form: a person or place is capitalised, a date has a year or a month, a quantity has a
number. The classic answer-type cue of pre-neural QA systems; it only nudges the ranking."""

from __future__ import annotations

import re

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
    "million billion dozen half"
)
MONTHS = "january february march april may june july august september october november december"
NUMBER = re.compile(rf"\d|\b(?:{'|'.join(NUMBER_WORDS.split())})\b", re.IGNORECASE)
DATE = re.compile(rf"\b(?:1\d{{3}}|20\d{{2}}|{'|'.join(MONTHS.split())}|century|centuries)\b", re.IGNORECASE)
QUANTITY_QUESTION = re.compile(
    r"^\s*(?:how (?:many|much|long|tall|old|far|big|high|wide|deep|heavy)|what (?:percentage|number))\b",
    re.IGNORECASE,
)
DATE_QUESTION = re.compile(r"^\s*(?:when|what year|in what year|in which year|what date)\b", re.IGNORECASE)
NAME_QUESTION = re.compile(
    r"^\s*(?:who|whom|whose|where|which (?:city|country|planet|person|town|river))\b", re.IGNORECASE
)
CAPITALISED = re.compile(r"\b[A-Z][\w'-]*")


def answer_type(question: str) -> str | None:
    if QUANTITY_QUESTION.search(question):
        return "quantity"
    if DATE_QUESTION.search(question):
        return "date"
    if NAME_QUESTION.search(question):
        return "name"
    return None


def has_answer_type(span_text: str, kind: str | None, sentence_start: bool) -> bool:
    if kind == "quantity":
        return NUMBER.search(span_text) is not None
    if kind == "date":
        return DATE.search(span_text) is not None
    if kind == "name":
        # A capital at the start of a sentence says nothing about names.
        words = CAPITALISED.findall(span_text)
        return len(words) > (1 if sentence_start and span_text[:1].isupper() else 0)
    return False
