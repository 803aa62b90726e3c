"""Tables for bench/ingest.sh, in Markdown, from the raw lines it writes (one line of key=value pairs per run of a mode or step).

usage: python3 bench/ingest-report.py ingest RAW CLIENTS COMMITS QUIET_CPU SPREAD_OPERATIONS   (raw.txt: the ingest modes)
       python3 bench/ingest-report.py batch RAW QUIET_CPU                                     (batch.txt: the batch series)

Throughput, latency and CPU are medians over the quiet rounds (every mode's other_pct <= QUIET_CPU), or over all rounds
when none was quiet (and then it says so). A ratio is the median of per-round ratios: modes of one round ran minutes
apart at most, in an order that reverses every round.
"""

import statistics
import sys


def read_rows(raw):
    rows = []
    with open(raw, encoding="utf-8") as lines:
        for line in lines:
            fields = dict(pair.split("=", 1) for pair in line.split() if "=" in pair)
            if fields:
                rows.append(fields)
    return rows


def fmt(v, digits=0):
    return "-" if v is None else f"{v:.{digits}f}"


def ingest_report(raw, clients, commits, quiet_cpu, spread):
    rows = read_rows(raw)

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
          "backends and creating and dropping its scratch table, which overstates it. For the bare SQLite loop, p50 and p99 are "
          "each single-row commit's own time: the disk's tail, which an app's group commit passes on to every write waiting for it.")
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
    p99 = med("sqlite-app", "p99_ms") if "sqlite-app" in modes else None
    if p99 is not None:
        loop_p99 = med("sqlite-loop", "p99_ms") if "sqlite-loop" in modes else None
        disk = f"; the bare loop's own p99 commit took {loop_p99:.1f} ms" if loop_p99 is not None else ""
        print(f"Target (writes at scale): p99 <= 50 ms for {clients} clients on SQLite: {p99:.1f} ms{disk} -> {'PASS' if p99 <= 50 else 'FAIL'}")


FORMATS = {"json": "JSON", "csv": "CSV"}
KINDS = {"commit": "committed", "dry-run": "dry run", "invalid-last": "last row invalid"}
TARGETS = {"sqlite": ("app on SQLite", "bare SQLite insert, one transaction"),
           "pg": ("app on PostgreSQL (pg-a)", "bare PostgreSQL insert, one transaction")}


def batch_report(raw, quiet_cpu):
    rows = read_rows(raw)
    by = {(int(row["round"]), row["target"], row["step"]): row for row in rows}
    rounds = sorted({r for r, _, _ in by})
    targets = list(dict.fromkeys(row["target"] for row in rows))
    quiet = [r for r in rounds if all(float(row["other_pct"]) <= quiet_cpu for (rr, _, _), row in by.items() if rr == r)]
    used = quiet or rounds
    sizes = sorted({int(row["rows"]) for row in rows if row["what"] != "batch-during"})
    small, large = sizes[0], sizes[-1]

    def value(r, target, step, key):
        row = by.get((r, target, step))
        v = float(row[key]) if row and key in row and row[key] != "timeout" else None
        return None if v is None or v != v else v  # NaN: no sample

    def med(target, step, key):
        values = [v for v in (value(r, target, step, key) for r in used) if v is not None]
        return statistics.median(values) if values else None

    def per_round(target, step, key, digits=2):
        return " ".join(fmt(value(r, target, step, key), digits) + ("" if r in used else "*") for r in rounds)

    def ratio(target, a, b, key):
        """(median over the used rounds of a/b, every round's ratio with * marking a round left out), or (None, "")."""
        shown, kept = [], []
        for r in rounds:
            x, y = value(r, target, a, key), value(r, target, b, key)
            if x is None or not y:
                shown.append("-")
                continue
            shown.append(f"{x / y:.2f}" + ("" if r in used else "*"))
            if r in used:
                kept.append(x / y)
        return (statistics.median(kept) if kept else None), " ".join(shown)

    def checks(target, step):
        statuses = sorted({by[(r, target, step)].get("status", by[(r, target, step)].get("batch_status", "?")) for r in rounds if (r, target, step) in by})
        failed = [str(r) for r in rounds if (r, target, step) in by and by[(r, target, step)].get("verified") != "yes"]
        return "/".join(statuses) + (", as expected" if not failed else f", NOT as expected in round {' '.join(failed)}")

    print(f"Batch series: an admin key posts one batch to a fresh operation per step, rows over 28 countries and the "
          f"operation's days, every row a new return; {len(rounds)} rounds.")
    if quiet:
        print(f"Figures from the {len(quiet)} of {len(rounds)} rounds that were quiet (rounds {' '.join(map(str, quiet))}): "
              f"other processes used <= {quiet_cpu:.0f}% of a core during every step.")
    else:
        print(f"Figures from all {len(rounds)} rounds, none of which was quiet (other processes used more than {quiet_cpu:.0f}% "
              "of a core during some step): treat them as noisy.")
    print("Time (s) runs from sending the request to having read the whole answer. 'x bare' = the app's time / the bare "
          "insert's time for the same rows in the same round (median of per-round ratios). The bare insert puts each "
          "row in as the app stores a new return: the return row (all its columns, its id read back) and its first "
          "version row, then raises the operation's revision, in one transaction, in a database prepared like the app's "
          "on the same disk. SQLite: two prepared statements a row bound by position (SQLitePCL.raw), WAL, synchronous=FULL, foreign keys on. PostgreSQL: "
          "the returns' ids drawn from their sequence, then one binary COPY of the returns and one of their versions, "
          "the cluster's durable defaults. A dry "
          "run writes nothing; 'last row invalid' is an atomic batch whose last row breaks a subtotal rule, expected "
          "400 with nothing written. 'as expected' means the status, the summary's counts and the operation's stored "
          "returns before and after were as they should be in every round.")
    bodies = {f: med(targets[0], f"batch:{large}:{f}:commit", "body_bytes") for f in FORMATS}
    print(f"Request bodies at {large:,} rows: " + ", ".join(f"{FORMATS[f]} {fmt(v / 1024 if v else None)} KB" for f, v in bodies.items())
          + " (the batch limit is 5,120 KB).")

    for target in targets:
        app_label, ceiling_label = TARGETS[target]
        print()
        print(f"**{app_label}**")
        print()
        head = "| batch | " + " | ".join(f"{n:,} rows: s | rows/s | µs/row | x bare" for n in sizes)
        head += f" | µs/row {large:,} / {small:,} | checks |" if len(sizes) > 1 else " | checks |"
        print(head)
        print("| --- |" + " ---: | ---: | ---: | ---: |" * len(sizes) + (" ---: |" if len(sizes) > 1 else "") + " --- |")
        lines = [(f"{FORMATS[f]}, {KINDS[k]}", f"batch:{{}}:{f}:{k}") for f in FORMATS for k in KINDS]
        lines.append((ceiling_label, "ceiling:{}"))
        for text, pattern in lines:
            cells = []
            for n in sizes:
                step = pattern.format(n)
                bare = "-" if pattern.startswith("ceiling") else fmt(ratio(target, step, f"ceiling:{n}", "seconds")[0], 1)
                cells.append(f"{fmt(med(target, step, 'seconds'), 3)} | {fmt(med(target, step, 'per_second'))} | "
                             f"{fmt(med(target, step, 'us_per_row'), 1)} | {bare}")
            line = f"| {text} | " + " | ".join(cells)
            if len(sizes) > 1:
                line += f" | {fmt(ratio(target, pattern.format(large), pattern.format(small), 'us_per_row')[0], 2)}"
            print(line + f" | {checks(target, pattern.format(large)) if not pattern.startswith('ceiling') else ''} |")

    print()
    print("Single returns during a batch: while a committed JSON batch of the largest size is in flight, national units "
          "of countries not in the batch post single returns to the same operation, one after another, from when the "
          "batch's body has been sent until it answers. Latency of those single writes (medians over rounds; 'during' "
          "= acknowledged before the batch answered).")
    print()
    print("| target | batch rows | batch s | writers | single writes | acknowledged during | p50 ms | p99 ms | max ms | p99 ms per round | checks |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for target in targets:
        steps = sorted({s for _, t, s in by if t == target and s.startswith("during:")})
        for step in steps:
            m = lambda key, d=0: fmt(med(target, step, key), d)
            print(f"| {TARGETS[target][0]} | {int(step.split(':')[1]):,} | {m('batch_seconds', 3)} | {m('writers')} | {m('singles')} | "
                  f"{m('acknowledged_during')} | {m('p50_ms', 1)} | {m('p99_ms', 1)} | {m('max_ms', 1)} | {per_round(target, step, 'p99_ms', 1)} | {checks(target, step)} |")

    for target in targets:
        print()
        print(f"Targets (batch import), {TARGETS[target][0]}; per round in brackets, * = not quiet:")
        at_limit = large == 10000
        seconds_bound = {}
        for f in FORMATS:
            seconds_bound[f] = {k: med(target, f"batch:{large}:{f}:{k}", "seconds") for k in KINDS}
        per_row = {f: {k: ratio(target, f"batch:{large}:{f}:{k}", f"batch:{small}:{f}:{k}", "us_per_row") for k in KINDS} for f in FORMATS}

        def within(kind):
            ok_time = all(seconds_bound[f][kind] is not None and seconds_bound[f][kind] <= 1.0 for f in FORMATS) if at_limit else None
            ok_ratio = all(per_row[f][kind][0] is not None and per_row[f][kind][0] <= 1.25 for f in FORMATS) if len(sizes) > 1 else None
            return ok_time, ok_ratio

        def verdict(*oks):
            known = [ok for ok in oks if ok is not None]
            return "n/a" if not known else ("PASS" if all(known) else "FAIL")

        def time_text(kind):
            if not at_limit:
                return f"n/a (the largest batch here has {large:,} rows, not 10,000)"
            return ", ".join(f"{FORMATS[f]} {fmt(seconds_bound[f][kind], 3)} s ({per_round(target, f'batch:{large}:{f}:{kind}', 'seconds', 3)})" for f in FORMATS)

        def ratio_text(kind):
            if len(sizes) < 2:
                return "n/a (one size only)"
            return ", ".join(f"{FORMATS[f]} {fmt(per_row[f][kind][0], 2)} ({per_row[f][kind][1]})" for f in FORMATS)

        sizes_note = "" if (small, large) == (1000, 10000) else f" (this run: {small:,} and {large:,} rows)"
        t, r = within("commit")
        print(f"- A 10,000-row atomic batch commits in <= 1 s: {time_text('commit')} -> {verdict(t)}")
        print(f"- Cost per row at 10,000 rows <= 1.25x that at 1,000{sizes_note}: {ratio_text('commit')} -> {verdict(r)}")
        dry = {f: ratio(target, f"batch:{large}:{f}:dry-run", f"batch:{large}:{f}:commit", "seconds") for f in FORMATS}
        t, r = within("dry-run")
        faster = all(dry[f][0] is not None and dry[f][0] <= 1.0 for f in FORMATS)
        print(f"- A dry run is at least as fast, dry run / commit time at {large:,} rows: "
              + ", ".join(f"{FORMATS[f]} {fmt(dry[f][0], 2)} ({dry[f][1]})" for f in FORMATS)
              + f"; in <= 1 s: {time_text('dry-run')}; per row {large:,} / {small:,}: {ratio_text('dry-run')} -> {verdict(faster, t, r)}")
        nothing = all(by[(rr, target, f"batch:{n}:{f}:invalid-last")].get("verified") == "yes"
                      for rr in rounds for n in sizes for f in FORMATS if (rr, target, f"batch:{n}:{f}:invalid-last") in by)
        t, r = within("invalid-last")
        print(f"- A batch failing on its last row writes nothing (400, no return stored, every round and size: "
              f"{'yes' if nothing else 'NO'}), in <= 1 s: {time_text('invalid-last')}; per row {large:,} / {small:,}: "
              f"{ratio_text('invalid-last')} -> {verdict(nothing, t, r)}")
        during = f"during:{large}"
        p99 = med(target, during, "p99_ms")
        print(f"- Single returns from other countries during a {large:,}-row batch are acknowledged with p99 <= 500 ms: "
              f"{fmt(p99, 1)} ms over {fmt(med(target, during, 'singles'))} single writes ({per_round(target, during, 'p99_ms', 1)})"
              f" -> {verdict(p99 is not None and p99 <= 500) if at_limit else 'n/a (not a 10,000-row batch)'}")


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "ingest":
        ingest_report(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6]))
    elif len(sys.argv) == 4 and sys.argv[1] == "batch":
        batch_report(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit(__doc__)
