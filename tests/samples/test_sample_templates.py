"""Every language's sample for every model type renders and passes its language's own syntax
check (python compile, node --check, bash -n, javac), with or without a model of the type;
and the committed samples/ tree is what the templates render today."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from typeserve.modeltypes import MODEL_TYPES
from typeserve.samples import LANGUAGES, render_sample, sample_context
from typeserve.samples.export import sample_tree

REPO = Path(__file__).resolve().parents[2]
# An example with characters each language must escape: quotes, a dollar, a backslash, a newline.
AWKWARD = 'It\'s "great" $HOME \\ n\nnext line, ünïcode'


def context_for(type_name: str) -> object:
    model_type = MODEL_TYPES[type_name]
    example = dict(model_type.example_input)
    if model_type.media == "text":
        example = {name: AWKWARD if isinstance(value, str) else value for name, value in example.items()}
    return sample_context(f"test/1/{type_name}", f"Test {type_name}", type_name, example, "http://127.0.0.1:9")


def check_syntax(language: str, path: Path, tmp_path: Path) -> None:
    if language == "python":
        compile(path.read_text(), str(path), "exec")
        return
    command = {
        "javascript": ["node", "--check", str(path)],
        "curl": ["bash", "-n", str(path)],
        "java": ["javac", "-d", str(tmp_path / "classes"), str(path)],
    }[language]
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{language} sample does not parse:\n{result.stderr}\n{path.read_text()}"


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("type_name", list(MODEL_TYPES))
def test_sample_renders_and_parses(type_name: str, language: str, tmp_path: Path) -> None:
    source = render_sample(context_for(type_name), language)  # type: ignore[arg-type]
    assert f"test/1/{type_name}" in source
    assert "TYPESERVE_API_KEY" in source and "--tier" in source
    path = tmp_path / LANGUAGES[language].filename
    path.write_text(source)
    check_syntax(language, path, tmp_path)


def test_committed_sample_tree_is_up_to_date() -> None:
    expected = sample_tree()
    folder = REPO / "samples"
    committed = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    stale = sorted(name for name in expected if committed.get(name) != expected[name])
    extra = sorted(set(committed) - set(expected))
    assert not stale and not extra, (
        f"samples/ is out of date (changed: {stale}, no longer generated: {extra}); "
        "run `typeserve samples export samples` and commit the result"
    )


def test_cards_link_every_sample_language() -> None:
    from typeserve.catalog.cards import SAMPLE_LANGUAGES

    assert tuple(LANGUAGES) == SAMPLE_LANGUAGES
