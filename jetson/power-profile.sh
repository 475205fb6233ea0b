#!/usr/bin/env bash
# Power and clock profile for HEMA3N Edge on a Jetson AGX Orin: nvpmodel MAXN, then jetson_clocks
# (CPU, GPU and EMC pinned at their maximum, so inference latency does not depend on DVFS ramp-up).
#   power-profile.sh apply     set the mode and pin the clocks (what hema3n-power.service runs)
#   power-profile.sh check     exit 0 only when the box runs in the expected mode
#   power-profile.sh restore   undo jetson_clocks (the mode stays; `nvpmodel -m <n>` to change it)
# HEMA3N_NVPMODEL_MODE overrides the mode: 0 is MAXN on the AGX Orin, but the numbering differs per
# module (Orin NX / Nano) and JetPack release; check /etc/nvpmodel.conf before changing it.
set -euo pipefail

MODE="${HEMA3N_NVPMODEL_MODE:-0}"
STORE_DIR=/var/lib/hema3n-power
STORE="$STORE_DIR/jetson_clocks.conf"

current_mode() {
  # `nvpmodel -q` prints "NV Power Mode: MAXN" then the mode number on the last line.
  nvpmodel -q 2>/dev/null | tail -n 1 | tr -d '[:space:]'
}

case "${1:-apply}" in
  apply)
    if [ "$(current_mode)" != "$MODE" ]; then
      # Some mode changes only take effect after a reboot; nvpmodel says so on stderr.
      nvpmodel -m "$MODE"
    fi
    mkdir -p "$STORE_DIR"
    [ -f "$STORE" ] || jetson_clocks --store "$STORE"
    jetson_clocks
    echo "power profile: nvpmodel mode $(current_mode), clocks pinned"
    ;;
  check)
    mode="$(current_mode)"
    jetson_clocks --show
    if [ "$mode" != "$MODE" ]; then
      echo "power profile: nvpmodel mode is ${mode:-unknown}, expected $MODE (run: sudo $0 apply)" >&2
      exit 1
    fi
    echo "power profile: nvpmodel mode $mode as expected"
    ;;
  restore)
    if [ -f "$STORE" ]; then jetson_clocks --restore "$STORE"; fi
    ;;
  *)
    echo "usage: $0 apply|check|restore" >&2
    exit 64
    ;;
esac
