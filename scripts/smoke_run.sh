#!/usr/bin/env bash
# Prove the quick start: `make run` on a fresh data folder serves the admin with the demo data,
# runs a worker, and Ctrl-C (SIGINT) stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=${SMOKE_PORT:-8765}
log="$data/run.log"
unset DATABASE_URL
export CLAIMDESK_DATA_DIR="$data"

setsid make run RUN_ARGS="--addr 127.0.0.1:$port" >"$log" 2>&1 &
leader=$!
cleanup() { kill -INT -- -"$leader" 2>/dev/null || true; sleep 5; kill -KILL -- -"$leader" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/admin/login/" >/dev/null 2>&1; then break; fi
  sleep 1
done
# Read whole pages before grepping: `grep -q` closing the pipe early would fail curl (pipefail).
page=$(curl -fsS "http://127.0.0.1:$port/admin/login/") || true
grep -q "Claimdesk" <<<"$page" || { echo "admin did not come up"; cat "$log"; exit 1; }

# Log in as the demo editor and see the demo article in the admin.
jar="$data/cookies"
page=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/admin/login/")
csrf=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' <<<"$page" | sed -n 1p)
curl -fsS -b "$jar" -c "$jar" -o /dev/null -d "csrfmiddlewaretoken=$csrf&username=editor&password=claimdesk-demo&next=/admin/" \
  -H "Referer: http://127.0.0.1:$port/admin/login/" "http://127.0.0.1:$port/admin/login/?next=/admin/"
page=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/admin/claims/article/") || true
grep -q "al-Sharaa" <<<"$page" || { echo "demo article missing"; cat "$log"; exit 1; }
grep -q "celery@\|ready" "$log" || { echo "worker did not start"; cat "$log"; exit 1; }

# Ctrl-C stops web, worker and beat.
kill -INT -- -"$leader"
for _ in $(seq 1 30); do
  if ! pgrep -g "$leader" >/dev/null 2>&1; then break; fi
  sleep 1
done
if pgrep -g "$leader" >/dev/null 2>&1; then echo "processes left running after Ctrl-C:"; pgrep -a -g "$leader"; exit 1; fi
grep -q "Stopped" "$log" || { echo "rundesk did not report stopping"; cat "$log"; exit 1; }
test -f "$data/postgres/PG_VERSION" || { echo "data folder not kept"; exit 1; }
for _ in $(seq 1 10); do pgrep -f "$data/postgres" >/dev/null || break; sleep 1; done
if pgrep -f "$data/postgres" >/dev/null; then
  echo "embedded PostgreSQL still running after Ctrl-C; registered users: $(cat "$data/postgres/.handle_pids.json")"
  ps -eo pid,stat,cmd | grep -v grep | grep -E "manage.py|celery" || true
  tail -20 "$log"
  exit 1
fi
echo "smoke test passed: admin served with demo data, worker started, Ctrl-C stopped everything"
