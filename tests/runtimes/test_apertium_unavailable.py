"""Apertium when it cannot run: a server on a machine without it still lists the Apertium
models, says they are unavailable and why, and answers a call with 503 and the command that
installs them; a broken installed pair answers a problem, and the server keeps serving."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tests.support.server import LiveServer


def test_apertium_missing_answers_503_with_install_hint(make_server: Callable[..., LiveServer]) -> None:
    # PATH holds only the virtualenv's bin folder: no apertium, as on a fresh machine.
    server = make_server(env={"PATH": str(Path(sys.executable).parent)})
    with server.client() as client:
        card = client.get("/v1/models/apertium/1/eng-spa").json()
        response = client.post("/v1/ent/apertium/1/eng-spa", json={"input": "The house is green."})
        health = client.get("/healthz")
    assert card["status"] == "unavailable"
    assert "apertium" in card["reason"] and card["install"] == "sudo apt-get install apertium apertium-eng-spa"
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "model_unavailable"
    assert "sudo apt-get install apertium apertium-eng-spa" in problem["detail"]
    assert health.status_code == 200


def test_catalog_file_naming_a_missing_pair_is_unavailable(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    catalog_file = tmp_path / "extra-apertium.yaml"
    catalog_file.write_text(
        """
models:
  - id: apertium/1/eng-xyz
    type: translation
    runtime: builtin
    entrypoint: apertium_translation
    title: Apertium English to an uninstalled language
    options: {mode: eng-xyz, source_language: en, target_language: xy}
    requires:
      commands: [apertium]
      files: [/usr/share/apertium/modes/eng-xyz.mode]
      install: "sudo apt-get install apertium apertium-eng-xyz"
""",
        encoding="utf-8",
    )
    server = make_server(env={"TYPESERVE_CATALOG_FILES": f'["{catalog_file}"]'})
    with server.client() as client:
        listed = client.get("/v1/models", params={"q": "eng-xyz"}).json()["models"]
        response = client.post("/v1/ent/apertium/1/eng-xyz", json={"input": "Hello."})
        working = client.post("/v1/ent/apertium/1/eng-spa", json={"input": "Hello."})
    assert [m["status"] for m in listed] == ["unavailable"] and "eng-xyz.mode" in listed[0]["reason"]
    assert response.status_code == 503 and response.json()["code"] == "model_unavailable"
    assert "sudo apt-get install apertium apertium-eng-xyz" in response.json()["detail"]
    assert working.status_code == 200 and working.json()["translation"] == "Hola."


def test_broken_apertium_mode_is_a_problem_not_a_crash(make_server: Callable[..., LiveServer], tmp_path: Path) -> None:
    # An installed-looking mode whose pipeline points at a missing dictionary.
    modes = tmp_path / "apertium" / "modes"
    modes.mkdir(parents=True)
    (modes / "eng-bad.mode").write_text(f"lt-proc '{tmp_path}/missing/eng-bad.automorf.bin'\n", encoding="utf-8")
    catalog_file = tmp_path / "broken-apertium.yaml"
    catalog_file.write_text(
        f"""
models:
  - id: apertium/1/eng-bad
    type: translation
    runtime: builtin
    entrypoint: apertium_translation
    title: Apertium with a broken mode
    options: {{mode: eng-bad, data_dir: "{tmp_path / "apertium"}", source_language: en, target_language: xx}}
    requires: {{commands: [apertium], files: ["{modes / "eng-bad.mode"}"]}}
""",
        encoding="utf-8",
    )
    server = make_server(env={"TYPESERVE_CATALOG_FILES": f'["{catalog_file}"]'})
    with server.client() as client:
        response = client.post("/v1/ent/apertium/1/eng-bad", json={"input": "Hello."})
        working = client.post("/v1/ent/apertium/1/eng-spa", json={"input": "Hello."})
    assert response.status_code == 502, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "translation_failed" and "automorf.bin" in problem["detail"]
    assert "Traceback" not in response.text
    assert working.status_code == 200 and working.json()["translation"] == "Hola."
