#!/usr/bin/env bash
# Install the platform from a wheelhouse (`make wheelhouse`) with no network at all: pip is told
# to use no index (PIP_NO_INDEX=1 and --no-index), reads no pip configuration of this machine
# (whose find-links or mirror could otherwise add packages), and takes every package from the
# folder's wheels/, whose SHA256SUMS are checked first.
#
#   deploy/install-offline.sh [--venv DIR] [--python PYTHON] WHEELHOUSE
#
# DIR defaults to /opt/shuangsuiji/venv (the systemd units' path); PYTHON to python3.11, else
# python3 (3.11 or newer). Run again with a newer wheelhouse to upgrade in place, then follow
# the upgrade procedure in docs/deploy.md (migrate, restart, verify).
set -euo pipefail

venv=/opt/shuangsuiji/venv
python=$(command -v python3.11 || command -v python3 || true)
while [ $# -gt 1 ]; do
  case $1 in
    --venv) venv=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    *) break ;;
  esac
done
wheelhouse=${1:?usage: install-offline.sh [--venv DIR] [--python PYTHON] WHEELHOUSE}
wheels="$wheelhouse/wheels"

fail() { echo "install-offline: $*" >&2; exit 1; }

[ -d "$wheels" ] || fail "no wheels/ folder in $wheelhouse (built by make wheelhouse)"
[ -n "$python" ] || fail "Python 3.11 or newer is needed (Debian: apt-get install python3 python3-venv)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "$python is $("$python" -V 2>&1); the platform needs Python 3.11 or newer"
if [ -f "$wheelhouse/SHA256SUMS" ]; then
  (cd "$wheelhouse" && sha256sum --quiet --check SHA256SUMS) \
    || fail "a wheel does not match SHA256SUMS: copy the wheelhouse again"
fi
own=$(ls "$wheels"/shuangsuiji-*.whl 2>/dev/null | head -n 1)
[ -n "$own" ] || fail "no shuangsuiji wheel in $wheels"

# Nothing but the wheelhouse: no index, no configuration file, no PIP_* setting of this shell.
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p')
export PIP_NO_INDEX=1 PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv" \
    || fail "could not create $venv (Debian: apt-get install python3-venv)"
fi
# The versions the tests ran with (tested-versions.txt), also when upgrading over an older install.
pins=()
[ -f "$wheelhouse/tested-versions.txt" ] && pins=(--constraint "$wheelhouse/tested-versions.txt")
"$venv/bin/python" -m pip install --quiet --no-index --find-links "$wheels" "${pins[@]}" \
  --upgrade "$own"
echo "installed $(basename "$own" | cut -d- -f2) into $venv: $venv/bin/shuangsuiji"
