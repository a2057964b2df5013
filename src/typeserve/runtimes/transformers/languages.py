"""Which languages a translation checkpoint translates between, read from what checkpoints
carry: T5-style `task_specific_params` (`translation_en_to_de` with its prefix), the language
tokens of multilingual tokenizers (M2M100 `__de__`, mBART `de_DE`, NLLB `deu_Latn`), Marian's
`source_lang` / `target_lang` and `opus-mt-xx-yy` folder names."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# NLLB names languages with ISO 639-3 codes and a script; the common ones, to ISO 639-1.
ISO_639_3 = {
    "eng": "en", "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "por": "pt", "nld": "nl",
    "rus": "ru", "zho": "zh", "jpn": "ja", "kor": "ko", "arb": "ar", "hin": "hi", "tur": "tr",
    "pol": "pl", "ukr": "uk", "swe": "sv", "dan": "da", "fin": "fi", "ces": "cs", "ell": "el",
    "heb": "he", "ron": "ro", "hun": "hu", "vie": "vi", "ind": "id", "tha": "th",
}  # fmt: skip
LANGUAGE_TOKEN_PATTERNS = (
    re.compile(r"^__([a-z]{2})__$"),
    re.compile(r"^([a-z]{2})_[A-Z]{2}$"),
    re.compile(r"^([a-z]{3})_[A-Z][a-z]{3}$"),
)
T5_TASK = re.compile(r"^translation_([a-z]{2})_to_([a-z]{2})$")
OPUS_NAME = re.compile(r"opus-mt-([a-z]{2})-([a-z]{2})(?:$|[^a-z])")


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    prefix: str = ""


def t5_pairs(config: dict[str, Any]) -> list[Pair]:
    pairs = []
    for task, params in (config.get("task_specific_params") or {}).items():
        if match := T5_TASK.match(task):
            prefix = str((params or {}).get("prefix", ""))
            pairs.append(Pair(match.group(1), match.group(2), prefix))
    return pairs


def iso_of_token(token: str) -> str | None:
    for pattern in LANGUAGE_TOKEN_PATTERNS:
        if match := pattern.match(token):
            code = match.group(1)
            return ISO_639_3.get(code) if len(code) == 3 else code
    return None


def language_tokens(tokenizer: Any) -> dict[str, str]:
    """ISO 639-1 code to the tokenizer's language token, for multilingual tokenizers."""
    tokens: dict[str, str] = {}
    # transformers 5 keeps language codes among the special and added tokens.
    candidates = [str(t) for t in getattr(tokenizer, "all_special_tokens", None) or []]
    get_added_vocab = getattr(tokenizer, "get_added_vocab", None)
    candidates += list(get_added_vocab().keys()) if callable(get_added_vocab) else []
    candidates += list((getattr(tokenizer, "lang_code_to_id", None) or {}).keys())
    for token in candidates:
        code = iso_of_token(str(token))
        if code and code not in tokens:
            tokens[code] = str(token)
    return tokens


def fixed_pair(path: Path, config: dict[str, Any], hub_id: str | None = None) -> Pair | None:
    """The one direction of a bilingual checkpoint, when the checkpoint says which."""
    pairs = t5_pairs(config)
    if len(pairs) == 1:
        return pairs[0]
    tokenizer_config = path / "tokenizer_config.json"
    if tokenizer_config.is_file():
        try:
            settings = json.loads(tokenizer_config.read_text("utf-8"))
        except json.JSONDecodeError:
            settings = {}
        source, target = settings.get("source_lang"), settings.get("target_lang")
        if isinstance(source, str) and isinstance(target, str) and len(source) == len(target) == 2:
            return Pair(source, target)
    for name in (hub_id or "", path.name, str(config.get("_name_or_path", ""))):
        if match := OPUS_NAME.search(name):
            return Pair(match.group(1), match.group(2))
    return None
