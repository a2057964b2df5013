#!/usr/bin/env bash
# Start PostgreSQL, Redis and a small Ray cluster on 127.0.0.1 when they are installed but not
# running (CI machines start the databases before the run; this covers a machine where they
# stopped). `scripts/start-ray.sh stop` ends the Ray cluster.
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 5432 && command -v pg_ctlcluster >/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! port_open 6379 && command -v redis-server >/dev/null; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
# Ray comes from the venv: on a clean clone `make test` starts it after installing.
bash "$(dirname "$0")/start-ray.sh"
for _ in $(seq 1 30); do
  port_open 5432 && port_open 6379 && exit 0
  sleep 1
done
echo "warning: PostgreSQL or Redis is not reachable on 127.0.0.1; tests that need them will fail under CI"
exit 0
