"""Apertium mode discovery: each installed translation mode file becomes a catalog entry,
with ISO 639-1 languages and the Debian package that installs it."""

from __future__ import annotations

from pathlib import Path

from typeserve.catalog import Catalog
from typeserve.runtimes.builtin.helpers.apertium_modes import installed_mode_specs


def write_mode(data_dir: Path, mode: str, package: str) -> Path:
    modes = data_dir / "modes"
    modes.mkdir(parents=True, exist_ok=True)
    path = modes / f"{mode}.mode"
    path.write_text(f"lt-proc '{data_dir}/{package}/{mode}.automorf.bin' | apertium-pretransfer\n")
    return path


def test_translation_modes_become_models(tmp_path: Path) -> None:
    data_dir = tmp_path / "apertium"
    mode_file = write_mode(data_dir, "eng-cat", "apertium-eng-cat")
    write_mode(data_dir, "cat-eng_valencia", "apertium-eng-cat")
    write_mode(data_dir, "eng-morph", "apertium-eng")  # an analyser, not a translation mode
    specs = {spec.id: spec for spec in installed_mode_specs([data_dir])}
    assert set(specs) == {"apertium/1/eng-cat", "apertium/1/cat-eng_valencia"}
    spec = specs["apertium/1/eng-cat"]
    assert spec.type == "translation" and spec.languages == ["en", "ca"]
    assert spec.options["data_dir"] == str(data_dir) and spec.options["mode"] == "eng-cat"
    assert spec.requires.commands == ["apertium"] and spec.requires.files == [str(mode_file)]
    assert spec.requires.install == "sudo apt-get install apertium apertium-eng-cat"


def test_hand_written_entries_win_and_stay_without_apertium(tmp_path: Path) -> None:
    data_dir = tmp_path / "apertium"
    write_mode(data_dir, "eng-spa", "apertium-eng-spa")
    with_mode = Catalog.default(apertium_data_dirs=[data_dir])
    without = Catalog.default(apertium_data_dirs=[tmp_path / "nothing-installed"])
    # The default catalog's eng-spa card is kept, not replaced by the discovered one.
    assert with_mode.get("apertium/1/eng-spa").quality
    assert "apertium/1/eng-spa" in without and "apertium/1/spa-eng" in without
