#!/usr/bin/env bash
# Installs HEMA3N Edge's units and CLI wrapper on a box whose release is at /opt/hema3n
# (the Jetson image does this at build time; a technician can rerun it after an update).
#   sudo systemd/install.sh [--tpm]            install, create the hema3n user, enable the units
#   systemd/install.sh --root <dir> [--tpm]    only lay the files out under <dir> (image builds, tests)
# --tpm: the database key is sealed in the TPM; the units wait for /dev/tpmrm0 before starting.
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=""
TPM=no
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2:?--root needs a directory}"; shift 2 ;;
    --tpm) TPM=yes; shift ;;
    *) echo "usage: $0 [--root <dir>] [--tpm]" >&2; exit 64 ;;
  esac
done

install -d -m 0755 "$ROOT/etc/systemd/system" "$ROOT/usr/local/bin" "$ROOT/etc/hema3n"
install -m 0644 systemd/hema3n-edge.service systemd/hema3n-provision.service "$ROOT/etc/systemd/system/"
install -m 0755 systemd/hema3n "$ROOT/usr/local/bin/hema3n"
units=(hema3n-provision.service hema3n-edge.service)
if [ -e /etc/nv_tegra_release ] || [ -n "$ROOT" ]; then
  install -m 0644 jetson/hema3n-power.service "$ROOT/etc/systemd/system/"
  units=(hema3n-power.service "${units[@]}")
fi

if [ "$TPM" = yes ]; then
  for unit in hema3n-provision.service hema3n-edge.service; do
    install -d -m 0755 "$ROOT/etc/systemd/system/$unit.d"
    install -m 0644 jetson/wait-for-tpm.conf "$ROOT/etc/systemd/system/$unit.d/wait-for-tpm.conf"
  done
fi

if [ -n "$ROOT" ]; then
  echo "install: files laid out under $ROOT"
  exit 0
fi

# The service user: no login, no home outside the state directory; video for the GPU, tss for the TPM.
if ! id hema3n >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/hema3n --no-create-home --shell /usr/sbin/nologin hema3n
fi
for group in video tss; do
  if getent group "$group" >/dev/null; then usermod -a -G "$group" hema3n; fi
done
systemctl daemon-reload
systemctl enable "${units[@]}"
echo "install: enabled ${units[*]}; see docs/OPERATIONS.md for provisioning"
