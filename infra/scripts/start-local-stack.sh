#!/usr/bin/env bash
# Starts Prometheus and Alertmanager from Debian's packages on loopback only, with data in a temp dir,
# using infra/prometheus.yml, infra/rules/ and infra/alertmanager.yml. Install them first with
# .ci/install-observability.sh.
#
# Environment (all optional):
#   PROMETHEUS_PORT    default 9090
#   ALERTMANAGER_PORT  default 9093
#   TRAINER_TARGET     default 127.0.0.1:9464 (the trainer's --metrics-port)
#   STACK_DIR          default: a new mktemp -d directory (config copy, TSDB, Alertmanager state, logs)
#
# Prints the URLs and the stop command, then exits; both servers keep running in the background.
# Stop them with: kill $(cat "$STACK_DIR"/*.pid)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
prom_port="${PROMETHEUS_PORT:-9090}"
am_port="${ALERTMANAGER_PORT:-9093}"
trainer="${TRAINER_TARGET:-127.0.0.1:9464}"
dir="${STACK_DIR:-$(mktemp -d -t siamwatch-stack.XXXXXX)}"

# Debian names the Alertmanager binary prometheus-alertmanager; upstream tarballs call it alertmanager.
am_bin="$(command -v prometheus-alertmanager || command -v alertmanager || true)"
command -v prometheus >/dev/null && [ -n "$am_bin" ] || {
  echo "start-local-stack: prometheus or alertmanager not found; run .ci/install-observability.sh" >&2
  exit 1
}

mkdir -p "$dir/config/rules" "$dir/config/file_sd" "$dir/prometheus-data" "$dir/alertmanager-data"
cp "$here"/rules/*.yml "$dir/config/rules/"
cp "$here"/file_sd/*.json "$dir/config/file_sd/" 2>/dev/null || true
cp "$here/alertmanager.yml" "$dir/config/alertmanager.yml"
# Same config, with the chosen ports and trainer target substituted.
sed -e "s/127\.0\.0\.1:9093/127.0.0.1:${am_port}/" \
    -e "s/127\.0\.0\.1:9090/127.0.0.1:${prom_port}/" \
    -e "s/127\.0\.0\.1:9464/${trainer}/" \
    "$here/prometheus.yml" > "$dir/config/prometheus.yml"

"$am_bin" \
  --config.file="$dir/config/alertmanager.yml" \
  --storage.path="$dir/alertmanager-data" \
  --web.listen-address="127.0.0.1:${am_port}" \
  --cluster.listen-address= \
  >"$dir/alertmanager.log" 2>&1 &
echo $! > "$dir/alertmanager.pid"

prometheus \
  --config.file="$dir/config/prometheus.yml" \
  --storage.tsdb.path="$dir/prometheus-data" \
  --web.listen-address="127.0.0.1:${prom_port}" \
  --web.enable-lifecycle \
  >"$dir/prometheus.log" 2>&1 &
echo $! > "$dir/prometheus.pid"

ready() { curl -fsS -o /dev/null "$1" 2>/dev/null; }
for _ in $(seq 1 100); do
  if ready "http://127.0.0.1:${prom_port}/-/ready" && ready "http://127.0.0.1:${am_port}/-/ready"; then
    echo "prometheus:   http://127.0.0.1:${prom_port}  (scraping ${trainer})"
    echo "alertmanager: http://127.0.0.1:${am_port}"
    echo "data:         ${dir}"
    echo "stop:         kill \$(cat ${dir}/*.pid)"
    exit 0
  fi
  sleep 0.1
done
echo "start-local-stack: not ready after 10 s; logs in $dir" >&2
kill "$(cat "$dir/prometheus.pid")" "$(cat "$dir/alertmanager.pid")" 2>/dev/null || true
exit 1
