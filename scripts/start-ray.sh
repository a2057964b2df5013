#!/usr/bin/env bash
# Start (or stop, with `stop`) the small local Ray cluster the Ray-engine tests use: head node
# on 127.0.0.1 only, 2 logical CPUs, a 256 MB object store, no dashboard and no usage stats.
# RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 is what keeps every Ray process on loopback: without it
# Ray advertises (and dials) the machine's own address even with --node-ip-address 127.0.0.1.
set -uo pipefail
cd "$(dirname "$0")/.."

RAY_BIN="${RAY_BIN:-.venv/bin/ray}"
ADDRESS="${TYPESERVE_TEST_RAY_ADDRESS:-127.0.0.1:6390}"
PORT="${ADDRESS##*:}"
# No token auth: the cluster listens on 127.0.0.1 only, and a token file left in ~/.ray would
# otherwise switch it on for the cluster but not for the gateways that join it.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0 RAY_DISABLE_FAILURE_SIGNAL_HANDLER=1 RAY_AUTH_MODE=disabled

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "${1:-start}" = "stop" ]; then
  "$RAY_BIN" stop --force >/dev/null 2>&1 || true
  exit 0
fi
if port_open "$PORT"; then
  exit 0
fi
if [ ! -x "$RAY_BIN" ]; then
  echo "warning: $RAY_BIN not found; the Ray-engine tests will not find a cluster"
  exit 0
fi
echo "starting Ray on $ADDRESS"
"$RAY_BIN" start --head --node-ip-address 127.0.0.1 --port "$PORT" \
  --num-cpus "${TYPESERVE_TEST_RAY_CPUS:-2}" --num-gpus 0 \
  --object-store-memory $((256 * 1024 * 1024)) \
  --include-dashboard=false --dashboard-host 127.0.0.1 --disable-usage-stats \
  --temp-dir "${TYPESERVE_TEST_RAY_TMP:-/tmp/ray-typeserve}" >/dev/null || true
