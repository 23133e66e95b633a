#!/usr/bin/env bash
# Installs the real peers the end-to-end tests need, from Debian's packages, only where missing.
# Idempotent; needs root and apt-get. Exits non-zero with a clear message when it cannot.
set -euo pipefail

need=()
command -v prosody >/dev/null || need+=(prosody lua-unbound)
command -v chromium >/dev/null || need+=(chromium)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v rtmpdump >/dev/null || need+=(rtmpdump)
command -v nginx >/dev/null || need+=(nginx-light)
[ -e /usr/lib/nginx/modules/ngx_rtmp_module.so ] || need+=(libnginx-mod-rtmp)
command -v wrk >/dev/null || need+=(wrk)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "provision: installing ${need[*]}" >&2
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "provision: cannot install ${need[*]}: need root and apt-get (Debian). Install them by hand and rerun." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! timeout 600 apt-get update -qq >/tmp/porthole-apt-update.log 2>&1; then
  echo "provision: 'apt-get update' failed (see /tmp/porthole-apt-update.log); no network to Debian's mirrors?" >&2
  exit 1
fi
if ! timeout 1200 apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/porthole-apt-install.log 2>&1; then
  echo "provision: 'apt-get install ${need[*]}' failed (see /tmp/porthole-apt-install.log)" >&2
  tail -n 20 /tmp/porthole-apt-install.log >&2 || true
  exit 1
fi
# Debian's packages start their daemons where an init system runs; the tests start their own on other ports.
for svc in prosody nginx; do
  if command -v service >/dev/null; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
echo "provision: done" >&2
