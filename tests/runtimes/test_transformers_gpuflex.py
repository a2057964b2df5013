"""gpuflex for Hugging Face checkpoints: on a machine with CUDA the model is put on the GPU
(torch) or runs on the CUDA execution provider (onnxruntime) and the card says so; where
the deployment claims a GPU (TYPESERVE_GPU=1) that torch or onnxruntime cannot use, the
request is a 503 problem that says why, never a silent CPU answer on the GPU tier."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.onnx_export import tiny_onnx_model
from tests.support.server import LiveServer
from tests.support.tiny_models import tiny_model


def cuda_usable() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def onnx_cuda_usable() -> bool:
    import onnxruntime

    return cuda_usable() and "CUDAExecutionProvider" in onnxruntime.get_available_providers()


def test_gpuflex_runs_on_cuda_or_says_why_not(make_server: Callable[..., LiveServer]) -> None:
    server = make_server(env={"TYPESERVE_GPU": "1"})
    server.cli("models", "add", str(tiny_model("bert-text-classification")), "--id", "local/1/gpu-bert")
    onnx_folder = str(tiny_onnx_model("bert-text-classification"))
    server.cli("models", "add", onnx_folder, "--runtime", "onnx", "--id", "local/1/gpu-bert-onnx")
    cases = {"local/1/gpu-bert": (cuda_usable(), "CUDA"), "local/1/gpu-bert-onnx": (onnx_cuda_usable(), "CUDA")}
    with server.client() as client:
        for model_id, (usable, reason) in cases.items():
            response = client.post(f"/v1/ent/{model_id}?serviceTier=gpuflex", json={"input": "I love this!"})
            if usable:
                assert response.status_code == 200, response.text
                assert response.headers["X-Service-Tier"] == "gpuflex"
                card = client.get(f"/v1/models/{model_id}").json()
                assert card["devices"] == {"gpuflex": "cuda"}
            else:
                assert response.status_code == 503, response.text
                assert response.headers["Content-Type"].startswith("application/problem+json")
                assert reason in response.json()["detail"]
            on_cpu = client.post(f"/v1/ent/{model_id}", json={"input": "I love this!"})
            assert on_cpu.status_code == 200 and on_cpu.headers["X-Service-Tier"] == "cpuflex"
