#!/usr/bin/env bash
# Installs the real peers from Debian's packages, only where missing. Idempotent; needs root and
# apt-get. Exits non-zero with a clear message when it cannot. Long steps print their progress.
#   provision.sh         everything the test suites use
#   provision.sh stack   only what `npm start`'s local stack runs (Prosody, nginx-rtmp, ffmpeg, rtmpdump)
#   provision.sh bench   everything, plus what only `npm run bench` uses: Apache 2.4 + mod_proxy_http (compared
#                        against), LuaDBI's SQLite driver (Prosody's SQL storage for the room benchmark)
set -euo pipefail
set_name=${1:-all}

need=()
command -v prosody >/dev/null || need+=(prosody lua-unbound)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v rtmpdump >/dev/null || need+=(rtmpdump)
command -v nginx >/dev/null || need+=(nginx-light)
[ -e /usr/lib/nginx/modules/ngx_rtmp_module.so ] || need+=(libnginx-mod-rtmp)
if [ "$set_name" != stack ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v wrk >/dev/null || need+=(wrk)
  [ -x /usr/sbin/ejabberdctl ] || need+=(ejabberd)
  # mod_cloud_notify (XEP-0357) for the push tests
  [ -e /usr/lib/prosody/modules/mod_cloud_notify/mod_cloud_notify.lua ] || need+=(prosody-modules)
fi
# Debian's apache2 ships mod_proxy and mod_proxy_http in /usr/lib/apache2/modules.
if [ "$set_name" = bench ]; then
  [ -e /usr/lib/apache2/modules/mod_proxy_http.so ] || need+=(apache2)
  # LuaDBI's SQLite driver: the room benchmark keeps Prosody's MUC archive in SQL, as a production would.
  lua5.4 -e 'require "DBI"; require "dbd.sqlite3"' >/dev/null 2>&1 || need+=(lua-dbi-sqlite3)
fi

# Runs "$@" with its output in a log file, printing what it does every 15 s and how long it took.
with_progress() {
  local what=$1 log=$2 start=$SECONDS
  shift 2
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 15); do kill -0 "$pid" 2>/dev/null && sleep 1; done
    kill -0 "$pid" 2>/dev/null && echo "provision: still $what ($((SECONDS - start)) s so far)" >&2
  done
  local rc=0
  wait "$pid" || rc=$?
  echo "provision: $what took $((SECONDS - start)) s" >&2
  return $rc
}

# Debian's ejabberd runs as the system user `ejabberd` on 5222/5269/5280/5443 (test/support/ejabberd.ts
# starts its own, as root, on free ports): stop it if it runs, and keep it from starting at boot.
stop_system_ejabberd() {
  [ -x /usr/sbin/ejabberdctl ] || return 0
  if pgrep -u ejabberd -x beam.smp >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "provision: stopping the system ejabberd service" >&2
    service ejabberd stop >/dev/null 2>&1 || true
  fi
  if [ "$(id -u)" -eq 0 ]; then
    if command -v deb-systemd-helper >/dev/null; then deb-systemd-helper disable ejabberd.service >/dev/null 2>&1 || true; fi
    if command -v update-rc.d >/dev/null; then update-rc.d ejabberd disable >/dev/null 2>&1 || true; fi
  fi
}

if [ ${#need[@]} -eq 0 ]; then
  stop_system_ejabberd
  exit 0
fi
echo "provision: installing ${need[*]} from Debian (a first run may take a few minutes)" >&2
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "provision: cannot install ${need[*]}: need root and apt-get (Debian). Install them by hand and rerun." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! with_progress "updating the package lists" /tmp/porthole-apt-update.log timeout 600 apt-get update -qq; then
  echo "provision: 'apt-get update' failed (see /tmp/porthole-apt-update.log); no network to Debian's mirrors?" >&2
  exit 1
fi
# Keep the packages' postinst scripts from starting their daemons (invoke-rc.d asks policy-rc.d; 101 =
# "action not allowed"): a policy-rc.d already there is put back afterwards, ours removed.
POLICY=/usr/sbin/policy-rc.d
restore_policy() {
  if [ -e "$POLICY.porthole-saved" ]; then mv -f "$POLICY.porthole-saved" "$POLICY"; else rm -f "$POLICY"; fi
}
[ ! -e "$POLICY" ] || cp -p "$POLICY" "$POLICY.porthole-saved"
trap restore_policy EXIT
printf '#!/bin/sh\n# test/support/provision.sh: no daemon starts during its apt-get install\nexit 101\n' >"$POLICY"
chmod 755 "$POLICY"
if ! with_progress "installing ${#need[@]} packages" /tmp/porthole-apt-install.log \
  timeout 1200 apt-get install -y -qq --no-install-recommends "${need[@]}"; then
  echo "provision: 'apt-get install ${need[*]}' failed (see /tmp/porthole-apt-install.log)" >&2
  tail -n 20 /tmp/porthole-apt-install.log >&2 || true
  exit 1
fi
restore_policy
trap - EXIT
# Debian's packages start their daemons where an init system runs; the tests start their own on other ports.
for svc in prosody nginx apache2; do
  if command -v service >/dev/null; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
stop_system_ejabberd
echo "provision: done" >&2
