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
# Refresh the package lists only when they are missing (fresh containers ship without them).
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
  $SUDO apt-get update -qq
fi
prom=()
for pkg in "${missing[@]}"; do [ "$pkg" = chromium ] || prom+=("$pkg"); done
if [ ${#prom[@]} -gt 0 ]; then
  $SUDO apt-get install -y -qq --no-install-recommends "${prom[@]}" >/dev/null
fi
if [[ " ${missing[*]} " == *" chromium "* ]]; then
  $SUDO apt-get install -y -qq chromium >/dev/null
fi
