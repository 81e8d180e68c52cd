#!/usr/bin/env bash
# CI's smoke test of the offline installation (issue 20, item 1): install the wheelhouse into a
# fresh venv with pip's network off, then, outside the source tree, migrate a new SQLite
# database, run `shuangsuiji check`, start the server and a worker as installed, and fetch
# /health/ (200, every check ok), the sign-in page and one of its static files.
#
#   tests/deploy/offline_install_smoke.sh WHEELHOUSE
#
# As root where `unshare` works, the install runs in a network namespace of its own with no
# interface up, so no package can come from anywhere but the folder; elsewhere pip's own
# switches (PIP_NO_INDEX=1, --no-index, no configuration file) are what keep it offline.
set -euo pipefail

wheelhouse=$(cd "${1:?usage: offline_install_smoke.sh WHEELHOUSE}" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -QUIT "$pid" 2>/dev/null || true; done  # gunicorn: at once
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
started=$SECONDS

install=("$repo/deploy/install-offline.sh" --venv "$tmp/venv" "$wheelhouse")
if [ "$(id -u)" = 0 ] && unshare --net true 2>/dev/null; then
  echo "installing in a network namespace with no network"
  unshare --net -- bash "${install[@]}"
else
  echo "installing with pip's index off (no network namespace here)"
  bash "${install[@]}"
fi
installed=$SECONDS

cd "$tmp"  # nothing of the source tree on the path: only what was installed
export SHUANGSUIJI_DATA_DIR="$tmp/data" DATABASE_URL="sqlite:///$tmp/data/smoke.sqlite3"
export DJANGO_SETTINGS_MODULE=shuangsuiji.settings
ssj="$tmp/venv/bin/shuangsuiji"
"$ssj" migrate --noinput -v 0
"$ssj" check

port=$("$tmp/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ssj" serve --host 127.0.0.1 --port "$port" --workers 1 >"$tmp/serve.log" 2>&1 &
pids+=($!)
"$ssj" db_worker --no-startup-delay >"$tmp/worker.log" 2>&1 &
pids+=($!)

base="http://127.0.0.1:$port"
health=""
for _ in $(seq 60); do
  # 503 until the worker's first heartbeat: wait for the answer with every check ok
  health=$(curl -s "$base/health/" || true)
  case $health in *'"status": "ok"'*) break ;; esac
  sleep 1
done
echo "GET /health/ -> $health"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/health/")
if [ "$code" != 200 ]; then
  echo "FAIL: /health/ answered $code" >&2
  tail -n 30 "$tmp/serve.log" "$tmp/worker.log" >&2
  exit 1
fi
page=$(curl -s -L "$base/login/")
stylesheet=$(printf '%s' "$page" | grep -o 'href="/static/[^"]*\.css"' | head -n 1 | cut -d'"' -f2)
if [ -z "$stylesheet" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' "$base$stylesheet")" != 200 ]; then
  echo "FAIL: the sign-in page or its stylesheet ($stylesheet) is missing" >&2
  exit 1
fi
echo "offline install smoke: ok (install $((installed - started)) s, total $((SECONDS - started)) s)"
