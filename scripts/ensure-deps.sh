#!/usr/bin/env bash
# Brings a fresh Debian/Ubuntu machine to what the project needs: npm packages always, and with
# no flag also the Debian packages the tests drive (real peers: mosquitto clients, espeak-ng, sox,
# systemd-notify, systemd-analyze). Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--npm-only" ]; then
  missing=()
  need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
  need mosquitto_pub mosquitto-clients
  need espeak-ng espeak-ng
  need sox sox
  need systemd-notify systemd
  need systemd-analyze systemd
  need python3 python3
  need g++ g++
  need make make
  need openssl openssl
  need chromium chromium
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "ensure-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
      sudo=sudo
    fi
    echo "ensure-deps: installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# npm ci when node_modules is missing or older than the lockfile. Native modules (SQLCipher)
# build from source here; onnxruntime-node's CUDA download is skipped by .npmrc.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-deps: npm ci"
  npm ci --no-fund --no-audit
fi
