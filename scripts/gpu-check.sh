#!/usr/bin/env bash
# GPU check of the Ray engine, for a machine with an NVIDIA GPU: starts a one-node Ray cluster
# on 127.0.0.1 that owns the GPU, a typeserve gateway with --engine ray on it, registers a
# BERT-base-sized text classifier (random weights, built here: no hub), and shows
#   1. gpuflex answers with X-Service-Tier: gpuflex and the card's device is CUDA,
#   2. its speed against cpuflex (requests/s at the same concurrency, same run).
# Figures go to stdout and to $OUT/gpu-check.md (and .json). Everything it starts, it stops.
#
#   scripts/gpu-check.sh                 # PYTHON=... to choose the interpreter
#
# Needs: nvidia-smi, a Python with torch built for CUDA, ray[serve] and typeserve's
# dependencies (make install on that machine), no network.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

OUT="${OUT:-$(mktemp -d /tmp/gpu-check.XXXXXX)}"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/gpu-check-work.XXXXXX)"
if [ -n "${PYTHON:-}" ]; then PY="$PYTHON"
elif [ -x .venv/bin/python ]; then PY="$ROOT/.venv/bin/python"
else PY="$(command -v python3)"; fi
RAY="$(dirname "$PY")/ray"
[ -x "$RAY" ] || RAY="$(command -v ray || true)"
RAY_PORT="${GPU_CHECK_RAY_PORT:-6395}"
HTTP_PORT="${GPU_CHECK_HTTP_PORT:-8765}"
MODEL_ID="local/1/gpu-check-bert"
CONCURRENCY="${GPU_CHECK_CONCURRENCY:-32}"
REQUESTS="${GPU_CHECK_REQUESTS:-256}"

export PYTHONPATH="$ROOT/src:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export HF_HUB_OFFLINE=1 RAY_USAGE_STATS_ENABLED=0 RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_DISABLE_FAILURE_SIGNAL_HANDLER=1
export TYPESERVE_LOG_FORMAT=text

SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -INT "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "$RAY" ] && "$RAY" stop --force >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step() { echo "== $*"; }

step "device"
nvidia-smi -L
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

step "python: $PY"
"$PY" - <<'EOF'
import sys
import torch
import ray
from ray import serve  # noqa: F401
import typeserve  # noqa: F401

print("python", sys.version.split()[0], "torch", torch.__version__, "ray", ray.__version__)
if not torch.cuda.is_available():
    sys.exit("torch sees no CUDA device: install a CUDA build of torch on this machine")
print("cuda", torch.version.cuda, "device", torch.cuda.get_device_name(0))
EOF
[ -n "$RAY" ] || { echo "no ray command next to $PY"; exit 1; }

step "model: a BERT-base-sized text classifier with random weights"
"$PY" - "$WORK/model" <<'EOF'
import sys
from pathlib import Path

import torch
from tests.support.tiny_models import bert_tokenizer, write_readme
from transformers import BertConfig, BertForSequenceClassification

folder = Path(sys.argv[1])
torch.manual_seed(1234)
tokenizer = bert_tokenizer()  # the tests' word-piece vocabulary, trained locally
config = BertConfig(
    vocab_size=len(tokenizer), hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
    intermediate_size=3072, max_position_embeddings=512,
    id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1},
)
BertForSequenceClassification(config).save_pretrained(folder)
tokenizer.save_pretrained(folder)
write_readme(folder, "text-classification", ["en"])
print("built", folder)
EOF

step "register it (cpuflex replicas ask for 4 CPUs, gpuflex replicas for 1 GPU)"
"$PY" -m typeserve models add "$WORK/model" --id "$MODEL_ID" --data-dir "$WORK/data"
"$PY" - "$WORK/data" "$MODEL_ID" <<'EOF'
import sys
from pathlib import Path

from typeserve.catalog import Catalog
from typeserve.catalog.model_admin import registry_for, save_registered
from typeserve.config import load_settings

settings = load_settings(data_dir=Path(sys.argv[1]))
spec = Catalog.default(settings.catalog_files, registry=registry_for(settings)).get(sys.argv[2])
serving = spec.serving.model_copy(update={"cpus": 4.0, "gpus": 1.0, "max_batch_size": 32, "tiers": ["cpuflex", "gpuflex"]})
save_registered(settings, spec.model_copy(update={"serving": serving}), replace=True)
print("serving:", serving.model_dump())
EOF

step "ray cluster on 127.0.0.1 with the GPU"
"$RAY" start --head --node-ip-address 127.0.0.1 --port "$RAY_PORT" --num-cpus 8 --num-gpus 1 \
  --object-store-memory $((1024 * 1024 * 1024)) --include-dashboard=false --disable-usage-stats \
  --temp-dir /tmp/ray-gpucheck >/dev/null
"$RAY" status --address "127.0.0.1:$RAY_PORT" | grep -E "GPU|CPU" || true

step "gateway: typeserve serve --engine ray"
TYPESERVE_RAY_ADDRESS="127.0.0.1:$RAY_PORT" TYPESERVE_RAY_RELEASE_ON_STOP=true \
  "$PY" -m typeserve serve --engine ray --port "$HTTP_PORT" --data-dir "$WORK/data" >"$OUT/gateway.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/gateway.log"; exit 1; }
  sleep 1
done

# The first start prints the first admin API key once.
KEY="$(grep -o 'tsk_[0-9a-f]*_[A-Za-z0-9_-]*' "$OUT/gateway.log" | head -1)"
[ -n "$KEY" ] || { echo "the gateway printed no admin key"; cat "$OUT/gateway.log"; exit 1; }

step "gpuflex against cpuflex"
"$PY" - "http://127.0.0.1:$HTTP_PORT" "$MODEL_ID" "$CONCURRENCY" "$REQUESTS" "$OUT" "$KEY" <<'EOF'
import asyncio
import json
import sys
import time
from pathlib import Path

import httpx

base, model_id, key = sys.argv[1], sys.argv[2], sys.argv[6]
concurrency, total, out = int(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5])
TEXT = " ".join(["The tower is three hundred metres tall and it was the tallest structure in the world."] * 6)


async def throughput(key: str, tier: str) -> float:
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/v1/ent/{model_id}?serviceTier={tier}"
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as client:
        (await client.post(url, json={"input": TEXT})).raise_for_status()  # deploys, warms up
        queue = list(range(total))
        failures = 0

        async def caller() -> None:
            nonlocal failures
            while queue:
                queue.pop()
                response = await client.post(url, json={"input": TEXT})
                failures += response.status_code != 200
                assert response.headers.get("X-Service-Tier") == tier, response.text

        started = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        assert failures == 0, f"{failures} failed requests on {tier}"
        return total / elapsed


with httpx.Client(base_url=base, timeout=300, headers={"Authorization": f"Bearer {key}"}) as session:
    answer = session.post(f"/v1/ent/{model_id}?serviceTier=gpuflex", json={"input": "I love this!"})
    print("gpuflex:", answer.status_code, "X-Service-Tier:", answer.headers.get("X-Service-Tier"), answer.text[:200])
    assert answer.status_code == 200 and answer.headers["X-Service-Tier"] == "gpuflex", answer.text
    card = session.get(f"/v1/models/{model_id}").json()
    print("card status:", json.dumps({k: card.get(k) for k in ("status", "tiers", "devices", "isolated")}))
    assert str(card["devices"]["gpuflex"]).startswith("cuda"), card

rates = {tier: asyncio.run(throughput(key, tier)) for tier in ("gpuflex", "cpuflex")}
with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {key}"}) as session:
    card = session.get(f"/v1/models/{model_id}").json()
lines = [
    f"## Ray engine on a GPU: `{model_id}` (BERT-base size, random weights), c={concurrency}, {total} requests per tier",
    "",
    "| tier | req/s | device (card) |",
    "|---|---|---|",
    *(f"| {tier} | {rate:,.1f} | {card['devices'].get(tier, '?')} |" for tier, rate in rates.items()),
    "",
    f"gpuflex / cpuflex: {rates['gpuflex'] / rates['cpuflex']:.1f}x",
]
print("\n".join(lines))
(out / "gpu-check.md").write_text("\n".join(lines) + "\n")
(out / "gpu-check.json").write_text(json.dumps({"rates": rates, "card": card}, indent=2))
EOF
step "done: $OUT/gpu-check.md"
