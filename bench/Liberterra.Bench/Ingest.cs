using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Liberterra.Bench;

/// <summary>
/// The ingest benchmark's parts (bench/ingest.sh runs them):
///   ingest-setup:     open operations with one participant per client and a national-unit key for each, written
///                     straight into a prepared database, keys saved to a file for the load step (one line per client:
///                     country, key, operation). With several operations the clients are dealt out among them.
///   ingest:           each client posts distinct returns (its own country, one day after another) to a running app,
///                     or to several instances of it, the clients dealt out among their URLs; a return counts only when
///                     the app answered 201, which it does after the commit. Each client's connection is opened, and
///                     this process's HTTP code compiled, by one unmeasured read first. On PostgreSQL it can sample
///                     pg_stat_activity meanwhile, to see who waits for what.
///   sqlite-ceiling:   the same number of single-row commits by a bare ADO.NET loop on the same disk, with the
///                     app's own durability settings (WAL, synchronous=FULL): the most one writer can do.
///   postgres-ceiling: the same on PostgreSQL through Npgsql, one INSERT per transaction, with the server's own
///                     durability settings (synchronous_commit as configured, which ingest.sh leaves on), from one
///                     connection or several.
/// </summary>
internal static class Ingest
{
    public const string OperationCode = "bench-ingest";
    private static readonly DateOnly FirstDay = new(2026, 1, 1);

    /// <param name="operations">How many operations to deal the clients out among: <paramref name="operationCode"/>
    /// itself when 1, else <paramref name="operationCode"/>-1 to -N.</param>
    public static async Task SetupAsync(BenchDatabase database, int clients, string keysFile, string operationCode, int operations)
    {
        await using var db = database.CreateContext();
        var codes = operations == 1
            ? [operationCode]
            : Enumerable.Range(1, operations).Select(i => FormattableString.Invariant($"{operationCode}-{i}")).ToList();
        if (await db.Operations.AnyAsync(o => codes.Contains(o.Code)))
        {
            throw new BenchException($"{database} already has '{codes[0]}'; prepare a fresh database or use another --operation.");
        }

        var countries = await db.Countries.OrderBy(c => c.Alpha3).Select(c => c.Alpha3).Take(clients).ToListAsync();
        if (countries.Count < clients)
        {
            throw new BenchException($"{database} has only {countries.Count} countries, fewer than {clients} clients.");
        }

        for (var o = 0; o < codes.Count; o++)
        {
            db.Operations.Add(new OperationRecord
            {
                Code = codes[o],
                Name = "Ingest benchmark",
                StartDate = FirstDay,
                EndDate = FirstDay.AddDays(365),
                Status = OperationStatus.Open,
                CreatedAt = DateTime.UtcNow,
                DataSet = DataSetTemplates.TraffickingSmuggling,
                Participants = countries.Where((_, i) => i % codes.Count == o).Select(c => new ParticipantRecord { Country = c }).ToList(),
            });
        }

        var lines = new List<string>();
        for (var i = 0; i < countries.Count; i++)
        {
            var key = ApiKeys.Generate();
            db.ApiKeys.Add(new ApiKeyRecord
            {
                Role = Role.NationalUnit, Country = countries[i], Label = $"bench {countries[i]}", KeyHash = ApiKeys.Hash(key), CreatedAt = DateTime.UtcNow,
            });
            lines.Add($"{countries[i]} {key} {codes[i % codes.Count]}");
        }

        await db.SaveChangesAsync();
        await File.WriteAllLinesAsync(keysFile, lines);
    }

    /// <param name="baseUris">The app instances; client i posts to instance i modulo their number.</param>
    /// <param name="round">Which block of days to use, so repeated rounds post new returns rather than resends.</param>
    /// <param name="sample">A PostgreSQL database whose pg_stat_activity to sample during the run, or null.</param>
    public static async Task RunAsync(IReadOnlyList<Uri> baseUris, string keysFile, int returnsPerClient, int round, BenchDatabase? sample)
    {
        var clients = (await File.ReadAllLinesAsync(keysFile)).Select(line => line.Split(' ')).ToList();
        if (returnsPerClient * (round + 1) > 366)
        {
            throw new BenchException("returnsPerClient × rounds must fit in the 366-day window.");
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients.Count }) { Timeout = TimeSpan.FromSeconds(60) };

        // Unmeasured, each client first reads its operation with its key, all at once: a national unit's client is a
        // long-lived process with a warm connection. Without this, the first post of each client paid for opening its
        // connection and for this fresh process's JIT compiling the HTTP stack, while the app served the others: 32 of
        // 1,920 posts, which is the p99 itself.
        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            var operation = client.Length > 2 ? client[2] : OperationCode;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUris[index % baseUris.Count], $"/api/v1/operations/{operation}"));
            request.Headers.Add("X-Api-Key", client[1]);
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchException($"{client[0]}: reading {operation} before the run answered {(int)response.StatusCode}.");
            }
        })).ConfigureAwait(false);

        var cpuBefore = Environment.CpuUsage.TotalTime;
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = sample is null ? Task.FromResult<ActivitySamples?>(null) : ActivitySamples.CollectAsync(sample, stopSampling.Token);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var (country, key) = (client[0], client[1]);
            var operation = client.Length > 2 ? client[2] : OperationCode;
            var target = new Uri(baseUris[index % baseUris.Count], $"/api/v1/operations/{operation}/returns");
            for (var i = 0; i < returnsPerClient; i++)
            {
                var day = FirstDay.AddDays(round * returnsPerClient + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, target)
                {
                    Content = new StringContent(
                        $$"""{"country":"{{country}}","date":"{{day}}","arrests":{{i % 7}},"victimsSafeguarded":{{i % 5}},"irregularMigrants":{{i % 11}},"officersDeployed":{{100 + i % 13}}}""",
                        Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Api-Key", key);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    latencies.Add(elapsed);
                }
                else
                {
                    failures.Add($"{country} {day}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }))).ConfigureAwait(false);
        stopwatch.Stop();
        await stopSampling.CancelAsync();
        var samples = await sampler.ConfigureAwait(false);
        var clientCpu = Environment.CpuUsage.TotalTime - cpuBefore;

        foreach (var failure in failures.Take(5))
        {
            await Console.Error.WriteLineAsync(failure);
        }

        var sorted = latencies.Order().ToArray();
        Console.WriteLine(FormattableString.Invariant(
            $"ingest acknowledged={sorted.Length} failed={failures.Count} instances={baseUris.Count} seconds={stopwatch.Elapsed.TotalSeconds:0.000} per_second={sorted.Length / stopwatch.Elapsed.TotalSeconds:0.0} p50_ms={Percentile(sorted, 0.50):0.00} p99_ms={Percentile(sorted, 0.99):0.00} client_cpu_ms={clientCpu.TotalMilliseconds:0}"));
        if (samples is not null)
        {
            Console.WriteLine(samples.Summary());
        }

        if (!failures.IsEmpty)
        {
            throw new BenchException($"{failures.Count} returns were not acknowledged with 201.");
        }
    }

    /// <summary>
    /// The bare PostgreSQL loop: <paramref name="commits"/> single-row INSERTs, each in its own transaction (BEGIN,
    /// INSERT, COMMIT, as the app's writes are), from <paramref name="connections"/> connections at once, into a
    /// scratch table that is dropped afterwards. Commits are as durable as the server makes them; the line printed says
    /// how (fsync, synchronous_commit).
    /// </summary>
    public static async Task PostgresCeilingAsync(BenchDatabase database, int commits, int connections)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString();
        var table = FormattableString.Invariant($"bench_ceiling_{Environment.ProcessId}");
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"CREATE TABLE {table} (\"Id\" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"Country\" text, \"Period\" date, \"Arrests\" int)");
        try
        {
            var fsync = await ScalarAsync(admin, "SHOW fsync");
            var synchronousCommit = await ScalarAsync(admin, "SHOW synchronous_commit");
            var open = new List<NpgsqlConnection>();
            try
            {
                for (var c = 0; c < connections; c++)
                {
                    var connection = new NpgsqlConnection(connectionString);
                    open.Add(connection);
                    await connection.OpenAsync();
                }

                var cpuBefore = Environment.CpuUsage.TotalTime;
                var stopwatch = Stopwatch.StartNew();
                await Task.WhenAll(open.Select((connection, c) => Task.Run(async () =>
                {
                    await using var insert = new NpgsqlCommand($"INSERT INTO {table} (\"Country\", \"Period\", \"Arrests\") VALUES (@country, @period, @arrests)", connection);
                    var country = insert.Parameters.Add("country", NpgsqlDbType.Text);
                    var period = insert.Parameters.Add("period", NpgsqlDbType.Date);
                    var arrests = insert.Parameters.Add("arrests", NpgsqlDbType.Integer);
                    await insert.PrepareAsync();
                    for (var i = c; i < commits; i += connections)
                    {
                        await using var transaction = await connection.BeginTransactionAsync();
                        insert.Transaction = transaction;
                        country.Value = "ESP";
                        period.Value = FirstDay.AddDays(i % 366);
                        arrests.Value = i % 7;
                        await insert.ExecuteNonQueryAsync();
                        await transaction.CommitAsync();
                    }
                })));
                stopwatch.Stop();
                var clientCpu = Environment.CpuUsage.TotalTime - cpuBefore;
                Console.WriteLine(FormattableString.Invariant(
                    $"postgres-ceiling commits={commits} connections={connections} fsync={fsync} synchronous_commit={synchronousCommit} seconds={stopwatch.Elapsed.TotalSeconds:0.000} per_second={commits / stopwatch.Elapsed.TotalSeconds:0.0} client_cpu_ms={clientCpu.TotalMilliseconds:0}"));
            }
            finally
            {
                foreach (var connection in open)
                {
                    await connection.DisposeAsync();
                }
            }
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP TABLE {table}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }

    public static void SqliteCeiling(string directory, int commits)
    {
        var path = Path.Combine(directory, $"ceiling-{Environment.ProcessId}.db");
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE Returns (Id INTEGER PRIMARY KEY, Country TEXT, Period TEXT, Arrests INTEGER);");
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Returns (Country, Period, Arrests) VALUES ($country, $period, $arrests)";
            var country = insert.Parameters.Add("$country", SqliteType.Text);
            var period = insert.Parameters.Add("$period", SqliteType.Text);
            var arrests = insert.Parameters.Add("$arrests", SqliteType.Integer);
            var cpuBefore = Environment.CpuUsage.TotalTime;
            // Each commit's own time, so the disk's tail (a slow fsync) can be set beside the app's p99, which a slow
            // fsync reaches for every write waiting on that commit.
            var commitMs = new double[commits];
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                country.Value = "ESP";
                period.Value = FirstDay.AddDays(i % 366).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                arrests.Value = i % 7;
                insert.ExecuteNonQuery();
                transaction.Commit();
                commitMs[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            stopwatch.Stop();
            Array.Sort(commitMs);
            Console.WriteLine(FormattableString.Invariant(
                $"sqlite-ceiling commits={commits} seconds={stopwatch.Elapsed.TotalSeconds:0.000} per_second={commits / stopwatch.Elapsed.TotalSeconds:0.0} p50_ms={Percentile(commitMs, 0.50):0.00} p99_ms={Percentile(commitMs, 0.99):0.00} max_ms={commitMs[^1]:0.00} client_cpu_ms={(Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds:0}"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
