"""Catalog entries for the installed Apertium translation modes: one `apertium/1/{mode}`
model per `*.mode` file in Apertium's modes folders, so installing a Debian package such as
`apertium-eng-cat` adds a model without code. Modes that the default catalog already names
(eng-spa, spa-eng) keep their hand-written entries.

A mode is named `{source}-{target}[_{variant}]` with ISO 639-3 (or 639-1) codes; the wire
reports ISO 639-1 where one exists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from typeserve.catalog.spec import Example, ModelSpec, Requirements, Serving

DEFAULT_DATA_DIRS = (Path("/usr/share/apertium"), Path("/usr/local/share/apertium"))
# Translation modes only: `eng-spa`, `spa-eng_US`; not analysers like `eng-morph`.
MODE_NAME = re.compile(r"^(?P<source>[a-z]{2,3})-(?P<target>[a-z]{2,3})(?:_(?P<variant>[A-Za-z0-9]+))?$")
PACKAGE_IN_MODE = re.compile(r"/apertium/(?P<package>apertium-[a-z]{2,3}-[a-z]{2,3})/")

# ISO 639-3 (and 639-2/B) -> 639-1 for the languages Apertium has released pairs for.
ISO_639_1 = {
    "afr": "af",
    "ara": "ar",
    "arg": "an",
    "bel": "be",
    "bre": "br",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cze": "cs",
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "ger": "de",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "est": "et",
    "eus": "eu",
    "baq": "eu",
    "fao": "fo",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "gla": "gd",
    "gle": "ga",
    "glg": "gl",
    "heb": "he",
    "hbs": "sh",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "isl": "is",
    "ita": "it",
    "kaz": "kk",
    "kir": "ky",
    "lat": "la",
    "lav": "lv",
    "lit": "lt",
    "mkd": "mk",
    "mlt": "mt",
    "nld": "nl",
    "dut": "nl",
    "nno": "nn",
    "nob": "nb",
    "nor": "no",
    "oci": "oc",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slv": "sl",
    "sme": "se",
    "spa": "es",
    "sqi": "sq",
    "srp": "sr",
    "swe": "sv",
    "tat": "tt",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
}


def iso_639_1(code: str) -> str:
    """The two-letter code where one exists, else the code as Apertium spells it."""
    return ISO_639_1.get(code, code)


def mode_languages(mode: str) -> tuple[str, str] | None:
    match = MODE_NAME.match(mode)
    if not match:
        return None
    return iso_639_1(match["source"]), iso_639_1(match["target"])


def debian_package(mode_file: Path, mode: str) -> str:
    """The package that installed the mode: named in the paths the mode's pipeline reads."""
    try:
        found = PACKAGE_IN_MODE.search(mode_file.read_text("utf-8", errors="replace"))
    except OSError:
        found = None
    return found["package"] if found else f"apertium-{mode.split('_', 1)[0]}"


def mode_spec(mode_file: Path) -> ModelSpec | None:
    mode = mode_file.stem
    languages = mode_languages(mode)
    if languages is None:
        return None
    source, target = languages
    package = debian_package(mode_file, mode)
    data_dir = mode_file.parent.parent
    return ModelSpec(
        id=f"apertium/1/{mode}",
        type="translation",
        runtime="builtin",
        entrypoint="apertium_translation",
        title=f"Apertium {mode} (rule-based, {source} to {target})",
        description=(
            f"Apertium shallow-transfer rule-based machine translation, mode {mode} from the "
            f"installed Debian package {package}. Discovered from {mode_file}."
        ),
        source=f"https://github.com/apertium/{package} (Debian package {package})",
        license="GPL-3.0-or-later (GPL-2.0 for some pairs; see the package's copyright file)",
        languages=[source, target],
        limits=[
            "Rule-based: literal, word-by-word-ish output; idioms and long-range agreement often fail.",
            "Words missing from the dictionaries are copied through untranslated.",
            "No measured quality figure: this entry was discovered, not evaluated.",
        ],
        tags=["apertium", "rule-based", "discovered"],
        options={"mode": mode, "data_dir": str(data_dir), "source_language": source, "target_language": target},
        requires=Requirements(
            commands=["apertium"], files=[str(mode_file)], install=f"sudo apt-get install apertium {package}"
        ),
        serving=Serving(in_process=True, max_batch_size=16, tiers=["cpuflex"]),
        examples=[Example(request={"input": "Hello."})],
    )


def installed_mode_files(data_dirs: Iterable[Path] = DEFAULT_DATA_DIRS) -> Iterator[Path]:
    for data_dir in data_dirs:
        modes = Path(data_dir) / "modes"
        if modes.is_dir():
            yield from sorted(modes.glob("*.mode"))


def installed_mode_specs(data_dirs: Iterable[Path] = DEFAULT_DATA_DIRS) -> list[ModelSpec]:
    """One spec per installed translation mode; the first data dir wins for a repeated mode."""
    specs: dict[str, ModelSpec] = {}
    for mode_file in installed_mode_files(data_dirs):
        spec = mode_spec(mode_file)
        if spec is not None and spec.id not in specs:
            specs[spec.id] = spec
    return list(specs.values())
