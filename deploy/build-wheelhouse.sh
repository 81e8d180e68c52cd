#!/usr/bin/env bash
# Build the offline installation folder (`make wheelhouse`; docs/deploy.md, 离线安装):
#
#   OUT/wheels/          every wheel the platform needs to run, shuangsuiji's own included
#   OUT/deploy/          this folder: the install script, systemd units, nginx site, .env.example
#   OUT/tested-versions.txt   the versions the wheels were pinned to (those of the venv the tests ran in)
#   OUT/SHA256SUMS       checked by install-offline.sh before it installs anything
#
# and OUT.tar.gz of the same, to carry into the intranet. Run on a machine that reaches the
# package index (pip uses whatever index this machine's pip is configured for).
#
#   deploy/build-wheelhouse.sh OUT [PYTHON]
#
# PYTHON (default .venv/bin/python) is the venv whose installed versions the wheels are pinned
# to, so the servers run the versions the tests passed with. For a server of another architecture
# (鲲鹏/飞腾 are aarch64) or another Python, set WHEEL_PLATFORM (manylinux2014_aarch64) and
# WHEEL_PYTHON (3.11): the dependencies are then downloaded as that platform's binary wheels.
set -euo pipefail

out=${1:?usage: build-wheelhouse.sh OUT [PYTHON]}
python=${2:-.venv/bin/python}
repo=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$out" "$out.tar.gz"
# setuptools builds in the tree's build/: a module deleted from src/ would stay in the wheel.
rm -rf "$repo/build"
mkdir -p "$out/wheels"
out=$(cd "$out" && pwd)
"$python" -m pip freeze --exclude-editable | grep -v -i '^shuangsuiji==' \
  >"$out/tested-versions.txt"

if [ -z "${WHEEL_PLATFORM:-}" ]; then
  # Wheels of every runtime dependency (the [test] and [bench] extras are not included),
  # built from source where an index offers no wheel for this machine.
  "$python" -m pip wheel --quiet --wheel-dir "$out/wheels" \
    --constraint "$out/tested-versions.txt" "$repo"
else
  "$python" -m pip wheel --quiet --no-deps --wheel-dir "$out/wheels" "$repo"
  own=$(ls "$out"/wheels/shuangsuiji-*.whl)
  # pip takes a --platform literally: manylinux_2_28 must also name every older manylinux
  # (2_27 … 2_5 and the legacy manylinux2014/2010/1), which run on glibc 2.28 as well.
  platforms=(--platform "$WHEEL_PLATFORM")
  if [[ $WHEEL_PLATFORM =~ ^manylinux_2_([0-9]+)_(.+)$ ]]; then
    glibc=${BASH_REMATCH[1]} arch=${BASH_REMATCH[2]}
    for ((minor = glibc - 1; minor >= 5; minor--)); do
      platforms+=(--platform "manylinux_2_${minor}_$arch")
    done
    ((glibc >= 17)) && platforms+=(--platform "manylinux2014_$arch")
    ((glibc >= 12)) && platforms+=(--platform "manylinux2010_$arch")
    platforms+=(--platform "manylinux1_$arch")
  fi
  "$python" -m pip download --quiet --dest "$out/wheels" --only-binary=:all: \
    "${platforms[@]}" --python-version "${WHEEL_PYTHON:-3.11}" --implementation cp \
    --constraint "$out/tested-versions.txt" "$own"
fi

cp -r "$repo/deploy" "$out/deploy"
(cd "$out" && sha256sum wheels/* >SHA256SUMS)
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "wheelhouse: $out ($(ls "$out/wheels" | wc -l) wheels, $(du -sh "$out" | cut -f1)); archive: $out.tar.gz"
