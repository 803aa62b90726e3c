"""Tables for bench/ingest.sh: reads its raw.txt (one line of key=value pairs per mode and round) and prints Markdown.

usage: python3 bench/ingest-report.py RAW CLIENTS COMMITS QUIET_CPU SPREAD_OPERATIONS

Throughput, latency and CPU are medians over the quiet rounds (every mode's other_pct <= QUIET_CPU), or over all rounds
when none was quiet (and then it says so). A ratio is the median of per-round ratios: modes of one round ran minutes
apart at most, in an order that reverses every round.
"""

import statistics
import sys

raw, clients, commits, quiet_cpu, spread = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
rows = []
with open(raw, encoding="utf-8") as lines:
    for line in lines:
        fields = dict(pair.split("=", 1) for pair in line.split() if "=" in pair)
        if fields:
            rows.append(fields)

modes = list(dict.fromkeys(row["mode"] for row in rows))
rounds = sorted({int(row["round"]) for row in rows})
by = {(int(row["round"]), row["mode"]): row for row in rows}
quiet = [r for r in rounds if all(float(by[(r, m)]["other_pct"]) <= quiet_cpu for m in modes if (r, m) in by)]
used = quiet or rounds


def value(r, mode, key):
    row = by.get((r, mode))
    return float(row[key]) if row and key in row else None


def med(mode, key):
    values = [v for v in (value(r, mode, key) for r in used) if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    return "-" if v is None else f"{v:.{digits}f}"


def per_return_client_us(r, mode):
    row = by.get((r, mode))
    count = float(row.get("acknowledged") or row.get("commits"))
    return float(row["client_cpu_ms"]) * 1000 / count


def ratio_rounds(a, b):
    """(median over the used rounds, every round's ratio with * marking a round not used), or None."""
    shown, kept = [], []
    for r in rounds:
        x, y = value(r, a, "per_second"), value(r, b, "per_second")
        if x is None or y is None:
            return None
        shown.append(f"{x / y:.2f}" + ("" if r in used else "*"))
        if r in used:
            kept.append(x / y)
    return statistics.median(kept), " ".join(shown)


LABELS = {
    "sqlite-loop": "bare SQLite loop (1 writer, WAL, synchronous=FULL)",
    "sqlite-app": "app on SQLite, 1 instance",
    "pg-loop": "bare PostgreSQL loop, 1 connection",
    "pg-app-1": "app on PostgreSQL, 1 instance",
    "pg-app-2": "app on PostgreSQL, 2 instances",
    "pg-app-1-spread": f"app on PostgreSQL, 1 instance, clients over {spread} operations (diagnostic)",
    "pg-app-2-spread": f"app on PostgreSQL, 2 instances, clients over {spread} operations (diagnostic)",
}
label = lambda mode: LABELS.get(mode, f"bare PostgreSQL loop, {mode.rsplit('-', 1)[1]} connections")

print(f"Ingest: {clients} concurrent national-unit clients, {commits} distinct returns (or single-row commits) per mode and round, "
      f"{len(rounds)} rounds.")
if quiet:
    print(f"Figures from the {len(quiet)} of {len(rounds)} rounds that were quiet (rounds {' '.join(map(str, quiet))}): "
          f"other processes used <= {quiet_cpu:.0f}% of a core during every mode.")
else:
    print(f"Figures from all {len(rounds)} rounds, none of which was quiet (other processes used more than {quiet_cpu:.0f}% "
          "of a core during some mode): treat them as noisy.")
print("CPU is from /proc over each mode, per return (or commit), in µs: the app process(es), the whole PostgreSQL cluster, "
      "and the load generator (the bench tool's own process). 'cores' = returns/s x all three / 1e6: how much of the "
      "machine's 2 cores the mode kept busy. In the app modes with 2 instances each instance's share is given too, as its CPU "
      "over all the returns (each served half). For the bare PostgreSQL loops, postgres CPU also counts starting the loop's "
      "backends and creating and dropping its scratch table, which overstates it.")
print()
print("| mode | returns/s | p50 ms | p99 ms | app CPU µs/return | postgres CPU µs/return | load generator CPU µs/return | cores busy | other processes, % of a core |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for mode in modes:
    client = statistics.median(per_return_client_us(r, mode) for r in used if (r, mode) in by)
    app, pg = med(mode, "app_cpu_us"), med(mode, "postgres_cpu_us")
    if mode.startswith("sqlite"):
        pg = None  # no PostgreSQL in these modes
    each = ""
    if mode.startswith("pg-app-2"):
        each_values = [by[(r, mode)]["app_cpu_us_each"].split(",") for r in used if (r, mode) in by]
        each = " (" + " + ".join(fmt(statistics.median(float(v[i]) for v in each_values)) for i in range(2)) + ")"
    total = sum(v for v in (app, pg, client) if v is not None)
    cores = med(mode, "per_second") * total / 1e6
    print(f"| {label(mode)} | {fmt(med(mode, 'per_second'))} | {fmt(med(mode, 'p50_ms'), 1)} | {fmt(med(mode, 'p99_ms'), 1)} | "
          f"{fmt(app)}{each} | {fmt(pg)} | {fmt(client)} | {cores:.2f} | {fmt(med(mode, 'other_pct'))} |")

pairs = [
    ("sqlite-app", "sqlite-loop", "SQLite app / bare SQLite loop (target >= 0.50)"),
    ("pg-app-2", "pg-app-1", "PostgreSQL: 2 instances / 1 instance (the scaling)"),
    ("pg-app-1", "sqlite-app", "PostgreSQL app, 1 instance / SQLite app"),
    ("pg-app-2", "sqlite-app", "PostgreSQL app, 2 instances / SQLite app"),
    ("pg-app-1", "pg-loop", "PostgreSQL app, 1 instance / bare PostgreSQL loop, 1 connection"),
    ("pg-app-2", "pg-loop", "PostgreSQL app, 2 instances / bare PostgreSQL loop, 1 connection"),
    ("pg-loop", "sqlite-loop", "bare PostgreSQL loop / bare SQLite loop"),
    ("pg-app-1-spread", "pg-app-1", f"1 instance: clients over {spread} operations / over one"),
    ("pg-app-2-spread", "pg-app-2", f"2 instances: clients over {spread} operations / over one"),
    ("pg-app-2-spread", "pg-app-1-spread", f"over {spread} operations: 2 instances / 1 instance"),
]
loop_n = next((m for m in modes if m.startswith("pg-loop-")), None)
if loop_n:
    pairs.insert(6, ("pg-app-2", loop_n, f"PostgreSQL app, 2 instances / bare PostgreSQL loop, {loop_n.rsplit('-', 1)[1]} connections"))
print()
print("| ratio of throughputs | median | per round (* = not quiet, left out of the median) |")
print("| --- | ---: | --- |")
target = None
for a, b, text in pairs:
    result = ratio_rounds(a, b) if a in modes and b in modes else None
    if result:
        print(f"| {text} | {result[0]:.2f} | {result[1]} |")
        if a == "sqlite-app":
            target = result[0]

activity = [m for m in modes if m.startswith("pg-app")]
if activity:
    print()
    print("pg_stat_activity, sampled every 25 ms during each PostgreSQL app mode (medians over rounds of per-run means). "
          "Lock waiters wait on a heavyweight lock: behind a write that holds the operation's row (SELECT ... FOR UPDATE), "
          "on its transaction id, or on the row (tuple) behind another waiter. A holder is a backend in a transaction that "
          "has locked or written a row and is not waiting on a lock; its time is split into waiting for the app (idle in "
          "transaction), running (executing or waiting for a CPU), and flushing WAL (IO or LWLock waits).")
    print()
    print("| mode | connections | running | lock waiters (mean) | max | samples with a waiter | on transactionid | on tuple | holders (mean) | samples with a holder | holder waits for the app | holder running | holder flushing WAL | other |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode in activity:
        m = lambda key, d=1: fmt(med(mode, key), d)
        print(f"| {label(mode)} | {m('connections_mean')} | {m('running_mean')} | {m('lock_waiters_mean')} | {m('lock_waiters_max', 0)} | "
              f"{m('samples_with_lock_waiters_pct', 0)}% | {m('transactionid_waiters_mean')} | {m('tuple_waiters_mean')} | "
              f"{m('holders_mean', 2)} | {m('holder_busy_pct', 0)}% | {m('holder_app_pct', 0)}% | {m('holder_running_pct', 0)}% | "
              f"{m('holder_wal_pct', 0)}% | {m('holder_other_pct', 0)}% |")

if target is not None:
    print()
    print(f"Target (first ingest issue): the SQLite app reaches >= 0.5x the bare SQLite loop: {target:.2f} -> {'PASS' if target >= 0.5 else 'FAIL'}")
