#!/usr/bin/env bash
# Installs the Debian packages the observability tests need (libs/telemetry, infra, dashboards):
#   prometheus (+ promtool), prometheus-alertmanager (+ amtool), chromium (live-page screenshot test).
# Idempotent: does nothing and prints nothing when everything is already installed.
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v amtool >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
{ command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ]; } || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "install-observability: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Try with the current package lists first; refresh them once if they are missing or stale.
install() {
  local ok=0
  if [ ${#prom[@]} -gt 0 ]; then
    $SUDO apt-get install -y -qq --no-install-recommends "${prom[@]}" >/dev/null || ok=1
  fi
  if [ "$want_chromium" = 1 ]; then
    $SUDO apt-get install -y -qq chromium >/dev/null || ok=1
  fi
  return $ok
}
prom=()
want_chromium=0
for pkg in "${missing[@]}"; do
  if [ "$pkg" = chromium ]; then want_chromium=1; else prom+=("$pkg"); fi
done
if ! install 2>/dev/null; then
  $SUDO apt-get update -qq
  install
fi
