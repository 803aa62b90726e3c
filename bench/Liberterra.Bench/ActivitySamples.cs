using System.Globalization;
using System.Text;
using Npgsql;

namespace Liberterra.Bench;

/// <summary>
/// What the app's PostgreSQL connections are doing, sampled from pg_stat_activity every 25 ms during an ingest run
/// (one query per sample, on a connection of its own, left out of the counts). Each client backend in a sample is
/// counted as:
///   a lock waiter:  waiting on a heavyweight lock (wait_event_type Lock). A write that finds its operation's row
///                   locked by another write's SELECT … FOR UPDATE waits on the holder's transaction id
///                   ("transactionid") or, behind another waiter, on the row ("tuple").
///   a holder:       in a transaction that has written or locked something (backend_xid set) and not waiting on a
///                   lock: with every write starting with SELECT … FOR UPDATE of its operation, the one write per
///                   operation that holds the row lock. Its time is split into: waiting for the app (idle in
///                   transaction: the app is working, or its next statement is on the way), running (executing, no
///                   wait event: on a CPU or waiting for one), flushing WAL (IO or LWLock wait, the commit's fsync), other.
/// With a single operation, holder_busy_pct near 100 and lock waiters queued behind it mean writes run one at a time.
/// </summary>
internal sealed class ActivitySamples
{
    private const string Query = """
        SELECT state, wait_event_type, wait_event, backend_xid IS NOT NULL, count(*)
        FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
        GROUP BY 1, 2, 3, 4
        """;

    private readonly Dictionary<string, long> events = new(StringComparer.Ordinal);
    private int samples;
    private long connections;
    private long lockWaiters;
    private long tupleWaiters;
    private long transactionIdWaiters;
    private int maxLockWaiters;
    private int samplesWithLockWaiters;
    private long holders;
    private int samplesWithHolder;
    private long holderApp;
    private long holderRunning;
    private long holderWal;
    private long holderOther;
    private long running;

    public static async Task<ActivitySamples?> CollectAsync(BenchDatabase database, CancellationToken stop)
    {
        var result = new ActivitySamples();
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, ApplicationName = "bench-sampler" }.ToString();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(Query, connection);
        await command.PrepareAsync(CancellationToken.None);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await result.SampleAsync(command);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }

        return result;
    }

    private async Task SampleAsync(NpgsqlCommand command)
    {
        int total = 0, waiting = 0, holding = 0;
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
        {
            while (await reader.ReadAsync(CancellationToken.None))
            {
                var state = reader.IsDBNull(0) ? "-" : reader.GetString(0);
                var type = reader.IsDBNull(1) ? null : reader.GetString(1);
                var name = reader.IsDBNull(2) ? null : reader.GetString(2);
                var hasXid = reader.GetBoolean(3);
                var count = (int)reader.GetInt64(4);
                total += count;
                var key = $"{state}/{type ?? "-"}:{name ?? "-"}";
                events[key] = events.GetValueOrDefault(key) + count;
                if (type == "Lock")
                {
                    waiting += count;
                    tupleWaiters += name == "tuple" ? count : 0;
                    transactionIdWaiters += name == "transactionid" ? count : 0;
                    continue;
                }

                if (state == "active" && type is null)
                {
                    running += count;
                }

                if (!hasXid)
                {
                    continue;
                }

                holding += count;
                if (state == "idle in transaction")
                {
                    holderApp += count;
                }
                else if (state == "active" && type is null)
                {
                    holderRunning += count;
                }
                else if (type is "IO" or "LWLock")
                {
                    holderWal += count;
                }
                else
                {
                    holderOther += count;
                }
            }
        }

        samples++;
        connections += total;
        lockWaiters += waiting;
        maxLockWaiters = Math.Max(maxLockWaiters, waiting);
        samplesWithLockWaiters += waiting > 0 ? 1 : 0;
        holders += holding;
        samplesWithHolder += holding > 0 ? 1 : 0;
    }

    /// <summary>One line of key=value pairs (means are per sample), then the wait events, most frequent first.</summary>
    public string Summary()
    {
        double Mean(long value) => samples == 0 ? 0 : (double)value / samples;
        double Share(long part) => holders == 0 ? 0 : 100.0 * part / holders;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture,
            $"pg-activity samples={samples} connections_mean={Mean(connections):0.00} running_mean={Mean(running):0.00} ");
        line.Append(CultureInfo.InvariantCulture,
            $"lock_waiters_mean={Mean(lockWaiters):0.00} lock_waiters_max={maxLockWaiters} tuple_waiters_mean={Mean(tupleWaiters):0.00} transactionid_waiters_mean={Mean(transactionIdWaiters):0.00} ");
        line.Append(CultureInfo.InvariantCulture,
            $"samples_with_lock_waiters_pct={(samples == 0 ? 0 : 100.0 * samplesWithLockWaiters / samples):0.0} ");
        line.Append(CultureInfo.InvariantCulture,
            $"holders_mean={Mean(holders):0.00} holder_busy_pct={(samples == 0 ? 0 : 100.0 * samplesWithHolder / samples):0.0} ");
        line.Append(CultureInfo.InvariantCulture,
            $"holder_app_pct={Share(holderApp):0.0} holder_running_pct={Share(holderRunning):0.0} holder_wal_pct={Share(holderWal):0.0} holder_other_pct={Share(holderOther):0.0}");
        line.AppendLine();
        line.Append("pg-wait-events");
        foreach (var (key, count) in events.OrderByDescending(e => e.Value).Take(12))
        {
            line.Append(CultureInfo.InvariantCulture, $" {key.Replace(' ', '_')}={Mean(count):0.00}");
        }

        return line.ToString();
    }
}
