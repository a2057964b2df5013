"""Field types shared by the text types: one text or a bounded list of texts."""

from typing import Annotated

from pydantic import Field, StringConstraints

# Bounds keep one request from monopolising a model; the server has its own body limit too.
MAX_TEXT_CHARS = 100_000
MAX_LIST_INPUTS = 64

# At least one visible character: a whitespace-only text has nothing to classify or summarize.
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT_CHARS, pattern=r"\S")]
TextOrList = Text | Annotated[list[Text], Field(min_length=1, max_length=MAX_LIST_INPUTS)]
