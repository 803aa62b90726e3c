# A throwaway PostgreSQL cluster: Debian's binaries, a temporary folder, 127.0.0.1 only, a free port. Sourced (not run)
# by test.sh and by the benchmarks in bench/, which each stop it from their own exit trap with pg_cluster_stop.
#
#   PG_CLUSTER_WHO=name           prefix of the messages printed on failure ("name: initdb failed.")
#   pg_cluster_find_bin           sets PG_BIN to the newest /usr/lib/postgresql/*/bin; returns 1 when none is installed
#   pg_cluster_start [OPTIONS]    needs PG_BIN. Creates the cluster, starts it with OPTIONS added to the postgres command
#                                 line (e.g. "-c fsync=off"), and sets PG_DIR, PG_PORT, PG_AS_POSTGRES (the command
#                                 prefix that runs a program as the cluster's owner) and PG_CONNECTION (an Npgsql
#                                 connection string, user postgres, no database named). Exits 1 when it cannot start.
#   pg_cluster_stop               stops the cluster at once (it is thrown away) and deletes its folder; safe to call twice
#                                 and when nothing was started.
#
# No password, but only from 127.0.0.1, the one address the server listens on. As root, initdb refuses to run, so the
# cluster belongs to the postgres user that Debian's package creates.

PG_CLUSTER_WHO=${PG_CLUSTER_WHO:-pg-cluster.sh}
PG_BIN=${PG_BIN:-}
PG_DIR=""
PG_PORT=""
PG_CONNECTION=""
PG_AS_POSTGRES=()

# Debian's own binaries, by path: another pg_ctl may come first on PATH.
pg_cluster_find_bin() {
    PG_BIN=$(find /usr/lib/postgresql -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname)
    [ -n "$PG_BIN" ]
}

pg_cluster_start() {
    local options=${1:-} port attempt
    PG_AS_POSTGRES=()
    if [ "$(id -u)" -eq 0 ]; then
        # As root the cluster runs as postgres, which must be able to reach its folder: /tmp, not a TMPDIR under /root.
        id postgres >/dev/null 2>&1 \
            || { echo "$PG_CLUSTER_WHO: there is no 'postgres' user; install Debian's postgresql package." >&2; exit 1; }
        PG_DIR=$(mktemp -d -p /tmp liberterra-postgres.XXXXXX)
        chown postgres: "$PG_DIR"
        PG_AS_POSTGRES=(runuser -u postgres --)
    else
        PG_DIR=$(mktemp -d -t liberterra-postgres.XXXXXX)
    fi
    "${PG_AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; echo "$PG_CLUSTER_WHO: initdb failed." >&2; exit 1; }
    echo "host all all 127.0.0.1/32 trust" | "${PG_AS_POSTGRES[@]}" tee "$PG_DIR/data/pg_hba.conf" >/dev/null

    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue # something listens there already
        fi
        if "${PG_AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
            "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_DIR -c max_connections=200${options:+ $options}" \
            >/dev/null; then
            PG_PORT=$port
            PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres"
            return
        fi
    done
    tail -n 20 "$PG_DIR/server.log" >&2 || true
    echo "$PG_CLUSTER_WHO: the throwaway PostgreSQL cluster did not start." >&2
    exit 1
}

pg_cluster_stop() {
    if [ -n "$PG_DIR" ]; then
        # Immediate: the cluster is thrown away, so there is nothing to shut down cleanly for.
        "${PG_AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=""
    fi
}
