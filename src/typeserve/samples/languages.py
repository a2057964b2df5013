"""The languages code samples are written in: the one list that the sample routes, model
cards and the console's toolbox read (no Jinja2 here, so cards stay light)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    name: str
    label: str  # as the console shows it
    filename: str
    run: str  # how to run the file, with {file} and {args}
    media_type: str


LANGUAGES: dict[str, Language] = {
    lang.name: lang
    for lang in (
        Language("curl", "curl", "sample.sh", "bash {file} {args}", "text/x-shellscript"),
        Language("python", "Python", "sample.py", "python {file} {args}", "text/x-python"),
        Language("javascript", "JavaScript", "sample.mjs", "node {file} {args}", "text/javascript"),
        Language("java", "Java", "Sample.java", "java {file} {args}", "text/x-java-source"),
    )
}
