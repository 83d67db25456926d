#!/usr/bin/env bash
# One-shot set-up for a fresh Debian machine. Idempotent: re-running only installs what is missing.
#   bash scripts/setup.sh app    Node dependencies only (enough to build and serve the app)
#   bash scripts/setup.sh test   also Chromium (browser tests) and Debian's PyTorch/ONNX (training tests)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
case "$mode" in app|test) ;; *) echo "usage: bash scripts/setup.sh [app|test]" >&2; exit 2 ;; esac

if [ "$mode" = test ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # fonts-wqy-microhei: a CJK font so browser-test screenshots show Chinese, not boxes.
  for pkg in python3-torch python3-onnx python3-numpy libopenblas0-pthread fonts-wqy-microhei; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# onnxruntime-node's postinstall tries to download GPU binaries; the CPU binaries ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Exactly the committed lock; it never rewrites package-lock.json. The lock lists every
  # platform's optional packages (rollup's @rollup/rollup-*): a lock written by `npm install` over
  # an existing node_modules can lose them (npm/cli#4828), and `npm ci` then rejects it. After
  # changing dependencies, regenerate it with `npm install --package-lock-only` and commit it.
  npm ci --no-audit --no-fund
fi
