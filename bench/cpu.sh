# CPU accounting from /proc, for the benchmarks (sourced by bench/run.sh and bench/ingest.sh). Times are in jiffies
# (getconf CLK_TCK a second).

# The machine's busy time. It includes irq and softirq time, because the kernel charges the loopback traffic's softirq
# work to the processes that cause it as well.
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# process_jiffies PID [all]: a process's user and system time (all its threads); with "all", plus that of the children
# it has waited for (a shell's includes the commands it ran). 0 for a process that is gone.
process_jiffies() {
  awk -v all="${2:-}" '{ sub(/^.*\) /, ""); t = $12 + $13; if (all == "all") t += $14 + $15; print t }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# The benchmark's PostgreSQL cluster (PG_DIR, from scripts/pg-cluster.sh): the postmaster and every live child
# (backends, WAL writer, checkpointer...), plus the children it has already reaped. 0 without a cluster.
postgres_jiffies() {
  local postmaster
  [[ -n ${PG_DIR:-} && -r $PG_DIR/data/postmaster.pid ]] || { echo 0; return; }
  postmaster=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  # A child can exit between pgrep and cat (autovacuum workers come and go): its time is then in the postmaster's.
  { cat "/proc/$postmaster/stat"; pgrep -P "$postmaster" | sed 's|.*|/proc/&/stat|' | xargs -r cat 2>/dev/null || true; } |
    awk '{ sub(/^.*\) /, ""); t += $12 + $13; if (NR == 1) t += $14 + $15 } END { print t + 0 }'
}

# Percent of one core that other processes used between two readings.
other_cpu() { # busy_before busy_after own_before own_after ns_before ns_after
  awk -v b=$(($2 - $1)) -v o=$(($4 - $3)) -v ns=$(($6 - $5)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { v = (b - o) / hz / (ns / 1e9) * 100; printf "%.0f", v < 0 ? 0 : v }'
}
