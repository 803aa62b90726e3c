using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Liberterra.Core.Operations;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Liberterra.Bench;

/// <summary>
/// The ingest benchmark's three parts (bench/ingest.sh runs them):
///   ingest-setup:   an open operation with one participant per client and a national-unit key for each, written
///                   straight into a prepared database, keys saved to a file for the load step;
///   ingest:         each client posts distinct returns (its own country, one day after another) to a running app;
///                   a return counts only when the app answered 201, which it does after the commit;
///   sqlite-ceiling: the same number of single-row commits by a bare ADO.NET loop on the same disk, with the
///                   app's own durability settings (WAL, synchronous=FULL): the most one writer can do.
/// </summary>
internal static class Ingest
{
    public const string OperationCode = "bench-ingest";
    private static readonly DateOnly FirstDay = new(2026, 1, 1);

    public static async Task SetupAsync(string databasePath, int clients, string keysFile)
    {
        await using var db = Database.CreateContext(databasePath);
        if (await db.Operations.AnyAsync(o => o.Code == OperationCode))
        {
            throw new BenchException($"{databasePath} already has '{OperationCode}'; prepare a fresh database.");
        }

        var countries = await db.Countries.OrderBy(c => c.Alpha3).Select(c => c.Alpha3).Take(clients).ToListAsync();
        db.Operations.Add(new OperationRecord
        {
            Code = OperationCode,
            Name = "Ingest benchmark",
            StartDate = FirstDay,
            EndDate = FirstDay.AddDays(365),
            Status = OperationStatus.Open,
            CreatedAt = DateTime.UtcNow,
            Participants = countries.Select(c => new ParticipantRecord { Country = c }).ToList(),
        });
        var lines = new List<string>();
        foreach (var country in countries)
        {
            var key = ApiKeys.Generate();
            db.ApiKeys.Add(new ApiKeyRecord
            {
                Role = Role.NationalUnit, Country = country, Label = $"bench {country}", KeyHash = ApiKeys.Hash(key), CreatedAt = DateTime.UtcNow,
            });
            lines.Add($"{country} {key}");
        }

        await db.SaveChangesAsync();
        await File.WriteAllLinesAsync(keysFile, lines);
    }

    /// <param name="round">Which block of days to use, so repeated rounds post new returns rather than resends.</param>
    public static async Task RunAsync(Uri baseUri, string keysFile, int returnsPerClient, int round)
    {
        var clients = (await File.ReadAllLinesAsync(keysFile)).Select(line => line.Split(' ')).ToList();
        if (returnsPerClient * (round + 1) > 366)
        {
            throw new BenchException("returnsPerClient × rounds must fit in the 366-day window.");
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients.Count }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var latencies = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            var (country, key) = (client[0], client[1]);
            for (var i = 0; i < returnsPerClient; i++)
            {
                var day = FirstDay.AddDays(round * returnsPerClient + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/operations/{OperationCode}/returns")
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

        foreach (var failure in failures.Take(5))
        {
            await Console.Error.WriteLineAsync(failure);
        }

        var sorted = latencies.Order().ToArray();
        Console.WriteLine(FormattableString.Invariant(
            $"ingest acknowledged={sorted.Length} failed={failures.Count} seconds={stopwatch.Elapsed.TotalSeconds:0.000} per_second={sorted.Length / stopwatch.Elapsed.TotalSeconds:0.0} p50_ms={Percentile(sorted, 0.50):0.00} p99_ms={Percentile(sorted, 0.99):0.00}"));
        if (!failures.IsEmpty)
        {
            throw new BenchException($"{failures.Count} returns were not acknowledged with 201.");
        }
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
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                country.Value = "ESP";
                period.Value = FirstDay.AddDays(i % 366).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                arrests.Value = i % 7;
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            stopwatch.Stop();
            Console.WriteLine(FormattableString.Invariant(
                $"sqlite-ceiling commits={commits} seconds={stopwatch.Elapsed.TotalSeconds:0.000} per_second={commits / stopwatch.Elapsed.TotalSeconds:0.0}"));
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

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
