"""A server on a machine without Apertium still lists the Apertium models, says they are
unavailable and why, and answers a call with 503 and the command that installs them."""

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
