#!/bin/sh
# ExecStartPre of hema3n-provision and hema3n-edge on boxes with the tpm2 key provider
# (installed by `systemd/install.sh --tpm` as the drop-in jetson/wait-for-tpm.conf). The Orin's
# fTPM comes up only once tee-supplicant runs in user space, possibly after these units would
# start: wait for /dev/tpmrm0 instead of failing the key unseal. HEMA3N_TPM_WAIT_SECONDS, default 120.
set -eu
device="${HEMA3N_TPM_DEVICE:-/dev/tpmrm0}"
limit="${HEMA3N_TPM_WAIT_SECONDS:-120}"
waited=0
while [ ! -e "$device" ]; do
  if [ "$waited" -ge "$limit" ]; then
    echo "no $device after ${limit}s: is the fTPM enabled? (jetson/FTPM.md)" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
