"""Transcripts made comparable before word and character error rates: lower case, no
punctuation, hyphenated words split, numbers up to 999 spelled out and the common English
titles written as spoken. Recognisers differ in these conventions (Whisper writes "10" and
"Mr.", PocketSphinx "ten" and "mister"), and WER is not meant to measure them; the Whisper
paper normalises the same way before scoring."""

from __future__ import annotations

import re

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
TITLES = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint"}
NUMBER = re.compile(r"\d+")
HYPHENS = re.compile("[-\\u2010-\\u2014]")  # hyphen-minus, Unicode hyphens and dashes


def spoken_number(value: int) -> str:
    if value < 20:
        return ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    hundreds, rest = divmod(value, 100)
    return f"{ONES[hundreds]} hundred" + (f" {spoken_number(rest)}" if rest else "")


def normalize_transcript(text: str) -> str:
    import jiwer  # imported on use: the server imports the metrics at start

    text = HYPHENS.sub(" ", text.lower())
    text = NUMBER.sub(lambda m: spoken_number(int(m.group())) if len(m.group()) <= 3 else m.group(), text)
    cleaned = jiwer.Compose([jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()])
    return " ".join(TITLES.get(word, word) for word in str(cleaned(text)).split())
