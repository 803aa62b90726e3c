# Stopping the app servers a benchmark started, and cleaning up after it (sourced by bench/run.sh and bench/ingest.sh).

# stop_servers: every pid in SERVER_PIDS is a `timeout` wrapper around an app. TERM reaches the app through it; a
# server still running 15 s later is killed, wrapper and child.
stop_servers() {
  local pid waited
  for pid in "${SERVER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do
    for ((waited = 0; waited < 150; waited++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

# stop_on_exit: on exit, Ctrl-C or TERM, stops every server (stop_servers), then the PostgreSQL cluster
# (pg_cluster_stop, from scripts/pg-cluster.sh), then removes $WORK, keeping the script's exit status.
bench_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_servers
  pg_cluster_stop
  rm -rf "$WORK"
  exit "$status"
}
stop_on_exit() {
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
