"""Bad checkpoints fail at `typeserve models add` with a sentence that says why (exit code
2), and nothing is registered: never a stack trace, never a failure at the first request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.server import LiveServer
from tests.support.tiny_models import tiny_model


def said(result: object) -> str:
    return " ".join((result.stdout + result.stderr).split())  # type: ignore[attr-defined]


def refused(server: LiveServer, *args: str) -> str:
    result = server.cli("models", "add", *args, check=False)
    assert result.returncode == 2, said(result)
    assert "Traceback" not in result.stderr
    return said(result)


def test_bad_checkpoints_are_refused_with_the_reason(server: LiveServer, tmp_path: Path) -> None:
    a_file = tmp_path / "weights.bin"
    a_file.write_bytes(b"\0" * 16)
    assert "is not a folder" in refused(server, str(a_file))

    empty = tmp_path / "empty"
    empty.mkdir()
    assert "has no config.json" in refused(server, str(empty))

    assert "does not exist" in refused(server, str(tmp_path / "nowhere" / "model"))

    alien = tmp_path / "alien"
    shutil.copytree(tiny_model("bert-text-classification"), alien)
    config = json.loads((alien / "config.json").read_text())
    (alien / "config.json").write_text(json.dumps({**config, "architectures": ["FluxCapacitorForTimeTravel"]}))
    assert "unknown architecture FluxCapacitorForTimeTravel" in refused(server, str(alien))
    assert "unknown architecture FluxCapacitorForTimeTravel for fill-mask" in refused(
        server, str(alien), "--type", "fill-mask"
    )

    message = refused(server, str(tiny_model("bert-fill-mask")), "--type", "image-classification")
    assert "type mismatch: BertForMaskedLM is a fill-mask model, not image-classification" in message

    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_model("bert-fill-mask"), no_weights)
    (no_weights / "model.safetensors").unlink()
    assert "has no weights" in refused(server, str(no_weights))

    no_onnx = refused(server, str(tiny_model("bert-fill-mask")), "--runtime", "onnx")
    assert "has no model.onnx" in no_onnx

    assert "unknown type 'poetry'" in refused(server, str(tiny_model("bert-fill-mask")), "--type", "poetry")
    with server.client() as client:
        ids = [m["id"] for m in client.get("/v1/models").json()["models"]]
    assert not [i for i in ids if i.startswith("local/")]


def test_registered_ids_never_take_default_catalog_ids(server: LiveServer) -> None:
    message = refused(server, str(tiny_model("bert-text-classification")), "--id", "vader/1/sentiment")
    assert "vader/1/sentiment is a model of the default catalog" in message
    with server.client() as client:
        assert client.get("/v1/models/vader/1/sentiment").json()["runtime"] == "builtin"
    removed = server.cli("models", "remove", "vader/1/sentiment", check=False)
    assert removed.returncode == 2 and "part of the default catalog" in said(removed)


@pytest.mark.parametrize("model_id", ["not-an-id", "a/b"])
def test_malformed_ids_are_refused(server: LiveServer, model_id: str) -> None:
    message = refused(server, str(tiny_model("bert-text-classification")), "--id", model_id)
    assert "vendor/version/name" in message
