using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Liberterra.Data;
using Liberterra.Web.Hosting;
using Liberterra.Web.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// The database fails mid-run under concurrent writers: a SQLite file turns read-only, or the PostgreSQL server stops.
/// Every write during the fault is acknowledged (2xx) or refused with a 503 ProblemDetails and Retry-After, never
/// another 5xx; /health/ready says so and recovers by itself; afterwards every acknowledged version exists exactly once,
/// batches are all-or-nothing, and the totals equal the sum of the current returns. Writers retry a 503 with the same
/// Idempotency-Key, as a client should, which also settles the writes that were in flight when the fault began.
/// LIBERTERRA_RELIABILITY=long runs ten fault cycles under heavier load instead of three.
/// </summary>
public sealed class DatabaseFaultTests(ITestOutputHelper output)
{
    private const string Email = "analyst@faults.test";
    private const string Password = "a long enough password 1";
    private const string PollFailed = "Could not check the database for other instances' writes";
    private const string PollResumed = "The database answers again";

    private static readonly bool Long = ReliabilityRun.Current.IsLong;
    private static readonly string[] Dates = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ChattrFact]
    public async Task ASqliteFileThatTurnsReadOnlyMidRunGives503sLosesNothingAndRecovers()
    {
        using var app = LiberterraApp.Production();
        var path = app.Database.SqlitePath!;
        // Not the -shm file: it is memory-mapped, and an immutable one kills the process with SIGBUS.
        string[] files = [path, path + "-wal"];
        try
        {
            await RunAsync(app, "sqlite", "read-only file",
                inject: async () =>
                {
                    await Chattr("+i", files);
                    // Connections opened while the file is read-only open it read-only, and a pool would keep them for
                    // ever after: emptying the pool here makes every connection the app uses during the fault such a
                    // one, so the recovery checks below cover them (it once stayed 503 until restarted).
                    SqliteConnection.ClearAllPools();
                },
                lift: () => Chattr("-i", files),
                readsSurvive: true);
        }
        finally
        {
            // Best effort, so a failure above is reported rather than hidden by this one (the -wal file may be gone).
            string[] present = [.. files.Where(File.Exists)];
            if (present.Length > 0)
            {
                await Chattr("-i", present);
            }
        }
    }

    [PostgresOnlyFact("stops and restarts a private PostgreSQL cluster, which needs the server binaries that pass installs")]
    public async Task APostgresServerThatStopsMidRunGives503sLosesNothingAndRecovers()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        using var app = LiberterraApp.Production(new() { ["ConnectionStrings:Liberterra"] = cluster.ConnectionString("liberterra_faults") });
        await RunAsync(app, "postgres", "server stopped", inject: cluster.StopAsync, lift: cluster.StartAgainAsync, readsSurvive: false);
    }

    public static TheoryData<string, Exception, bool> Exceptions => new()
    {
        { "SQLite disk I/O error, wrapped by EF", new DbUpdateException("save", new SqliteException("disk I/O error", 10)), true },
        { "SQLite read-only", new SqliteException("readonly", 8), true },
        { "SQLite busy past its timeout", new SqliteException("database is locked", 5), true },
        { "SQLite full disk", new SqliteException("full", 13), true },
        { "SQLite constraint: a bug", new DbUpdateException("save", new SqliteException("UNIQUE constraint failed", 19)), false },
        { "SQLite corrupt file: needs an operator", new SqliteException("malformed", 11), false },
        { "SQLite SQL error: a bug", new SqliteException("no such table", 1), false },
        { "PostgreSQL shutting down", new PostgresException("terminating", "FATAL", "FATAL", "57P01"), true },
        { "PostgreSQL starting up", new PostgresException("starting up", "FATAL", "FATAL", "57P03"), true },
        { "PostgreSQL connection failure", new PostgresException("lost", "FATAL", "FATAL", "08006"), true },
        { "PostgreSQL too many connections", new PostgresException("too many", "FATAL", "FATAL", "53300"), true },
        { "PostgreSQL unique violation: a bug", new DbUpdateException("save", new PostgresException("duplicate", "ERROR", "ERROR", "23505")), false },
        { "Npgsql refused connection", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "EF transient failure", new InvalidOperationException("transient failure", new NpgsqlException("read", new IOException("reset"))), true },
        { "a provider timeout", new NpgsqlException("Timeout during reading attempt", new TimeoutException()), true },
        { "a timeout outside the database: a bug", new TimeoutException(), false },
        { "SQLite LOCKED: a conflict inside one connection, a bug", new SqliteException("database table is locked", 6), false },
        { "SQLite out of memory: restart the process", new SqliteException("out of memory", 7), false },
        { "PostgreSQL standby after a failover", new PostgresException("read-only transaction", "ERROR", "ERROR", "25006"), true },
        { "a plain bug", new InvalidOperationException("Sequence contains no elements"), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void OnlyAnUnavailableDatabaseCountsAsUnavailable(string what, Exception exception, bool unavailable) =>
        DatabaseUnavailable.IsUnavailable(exception).Should().Be(unavailable, what);

    private async Task RunAsync(LiberterraApp app, string provider, string kind, Func<Task> inject, Func<Task> lift, bool readsSurvive)
    {
        var cycles = Long ? 10 : 3;
        var drill = await ApiDrill.CreateAsync(app, "faults", units: []);
        var admin = drill.Admin;
        var code = drill.Code;
        await app.AddUserAsync(Email, Password);
        var browser = app.Browser();
        (await browser.SignInAsync(Email, Password)).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var anonymous = app.CreateClient();

        // Each single writer owns one return, amending it again and again; the batch writer owns SEN's returns and
        // rewrites them all in every batch.
        var singles = (Long ? new[] { "ESP", "FRA" }.SelectMany(c => Dates.Select(d => (c, d))) : [("ESP", Dates[0]), ("ESP", Dates[1]), ("FRA", Dates[0]), ("FRA", Dates[1])]).ToList();
        var batchDates = Long ? Dates : Dates[..3];
        var ledger = new Ledger();
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource(Long ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(3));
        var writers = singles.Select(r => Task.Run(() => SingleWriterAsync(admin, code, r.Item1, r.Item2, ledger, stop.Token, abort.Token)))
            .Append(Task.Run(() => BatchWriterAsync(admin, code, batchDates, ledger, stop.Token, abort.Token)))
            .ToList();

        var recovered = new List<long>();
        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var acknowledged = ledger.Acknowledged;
                await Until(() => Task.FromResult(ledger.Acknowledged >= acknowledged + 5), "writes succeed before the fault", ledger);

                var refused = ledger.Refused;
                await inject();
                await Until(async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "/health/ready reports the fault", ledger);
                await Until(() => Task.FromResult(ledger.Refused > refused), "a write is refused with 503", ledger);
                // Credentials read before the fault are trusted for VerifiedCredentials.Lifetime; past it, checking one needs the database.
                await Task.Delay(VerifiedCredentials.Lifetime);
                await CheckDuringFaultAsync(anonymous, admin, browser, code, readsSurvive);
                if (!readsSurvive)
                {
                    // The cache poll (a BackgroundService, which would stop the host if it threw) fails and carries on.
                    await Until(() => Task.FromResult(app.LogLines.Count(line => line.Contains(PollFailed, StringComparison.Ordinal)) > cycle), "the cache poll reports the outage", ledger);
                }

                await lift();
                var clock = Stopwatch.StartNew();
                await Until(async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "/health/ready recovers by itself", ledger);
                recovered.Add(clock.ElapsedMilliseconds);
                if (!readsSurvive)
                {
                    await Until(() => Task.FromResult(app.LogLines.Count(line => line.Contains(PollResumed, StringComparison.Ordinal)) > cycle), "the cache poll resumes", ledger);
                }
            }

            // New writes succeed after the last recovery.
            var afterRecovery = ledger.Acknowledged;
            await Until(() => Task.FromResult(ledger.Acknowledged >= afterRecovery + 5), "writes succeed after recovery", ledger);
        }
        catch
        {
            // The fault may still be on: writers stop retrying at once rather than at their time limit.
            await abort.CancelAsync();
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        output.WriteLine($"RELIABILITY faults provider={provider} kind=\"{kind}\" cycles={cycles} writers={singles.Count + 1} writes_ok={ledger.Acknowledged} "
            + $"writes_503={ledger.Refused} other_5xx={ledger.Other5xx} recovered_ms={recovered.Max()} recovered_ms_each={string.Join(',', recovered)}");
        ledger.Violations.Should().BeEmpty();
        // Well inside the 60 s wait: recovery follows the database at once (a probe's answer is reused for a second),
        // not whenever the connection pool happens to let go of connections opened during the fault (it took 41 s once).
        recovered.Should().OnlyContain(milliseconds => milliseconds < 20_000, "the app recovers as soon as the database is back");
        await CheckAgainstLedgerAsync(admin, code, singles, batchDates, ledger);
        app.LogLines.Should().NotContain(line => line.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase), "an outage is a 503, not an unhandled exception");
        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task CheckDuringFaultAsync(HttpClient anonymous, HttpClient admin, HttpClient browser, string code, bool readsSurvive)
    {
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        ready.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        ready.Headers.CacheControl?.NoStore.Should().BeTrue();
        var report = await ready.JsonAsync();
        report.GetProperty("status").GetString().Should().Be("Unhealthy");
        var database = report.GetProperty("checks").GetProperty("database");
        database.GetProperty("status").GetString().Should().Be("Unhealthy");
        database.GetProperty("description").GetString().Should().StartWith("The database is unavailable");
        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "an outage is no reason to restart the process");

        // A refused write is audited (or its audit fails quietly); either way it keeps its own status.
        (await WriteApi.PostReturnAsync(anonymous, code, WriteApi.Return("ESP", Dates[4]))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var page = await browser.GetAsync($"/operations/{code}");
        if (readsSurvive)
        {
            (await admin.GetAsync(WriteApi.ReturnsPath(code))).StatusCode.Should().Be(HttpStatusCode.OK, "reads work while the file is read-only");
            page.StatusCode.Should().Be(HttpStatusCode.OK, "the dashboard only reads");
            (await WriteApi.PostRawAsync(admin, WriteApi.ReturnsPath(code), "{", "application/json")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        else
        {
            // The signed-in user's active check cannot run: 503, as for the API.
            await ShouldBeUnavailableAsync(page);
            await ShouldBeUnavailableAsync(await admin.GetAsync(WriteApi.ReturnsPath(code)));
        }
    }

    private static async Task ShouldBeUnavailableAsync(HttpResponseMessage response)
    {
        await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "Database unavailable");
        response.Headers.RetryAfter?.Delta.Should().BePositive();
        // The whole answer, not just the fixed detail: no exception text, connection string or file path anywhere.
        var everything = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}"))
            + '\n' + await response.Content.ReadAsStringAsync();
        everything.Should().NotContainAny("Exception", "Host=", "Data Source", "/tmp", "Npgsql", "SQLite Error");
    }

    private static async Task SingleWriterAsync(HttpClient client, string code, string country, string date, Ledger ledger, CancellationToken stop, CancellationToken abort)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var key = Guid.NewGuid().ToString("N");
            var body = WriteApi.Return(country, date, arrests: Arrests(n));
            var response = await SendUntilAcknowledgedAsync(() => WriteApi.PostReturnAsync(client, code, body, WriteApi.WithHeader("Idempotency-Key", key)), ledger, abort);
            if (response is null)
            {
                return;
            }

            var written = await response.JsonAsync();
            if (written.GetProperty("version").GetInt32() != n)
            {
                ledger.Violations.Enqueue($"{country} {date}: write {n} was acknowledged as version {written.GetProperty("version").GetInt32()}");
            }

            ledger.Acknowledge($"{country}/{date}", n);
        }
    }

    private static async Task BatchWriterAsync(HttpClient client, string code, string[] dates, Ledger ledger, CancellationToken stop, CancellationToken abort)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var key = Guid.NewGuid().ToString("N");
            var rows = dates.Select(d => WriteApi.Return("SEN", d, arrests: Arrests(n))).ToArray();
            var response = await SendUntilAcknowledgedAsync(() => WriteApi.SendAsync(client, $"{WriteApi.ReturnsPath(code)}/batch", JsonContent.Create(rows), WriteApi.WithHeader("Idempotency-Key", key)), ledger, abort);
            if (response is null)
            {
                return;
            }

            var summary = await response.JsonAsync();
            if (!summary.GetProperty("committed").GetBoolean())
            {
                ledger.Violations.Enqueue($"batch {n} was acknowledged but not committed: {summary}");
            }

            foreach (var date in dates)
            {
                ledger.Acknowledge($"SEN/{date}", n);
            }
        }
    }

    // Arrests must stay at least the trafficking arrests (2) of WriteApi.Return; each write's figure names it.
    private static int Arrests(int write) => 10 + write;

    /// <summary>Sends until a 2xx, retrying a 503 after a pause; anything else is a violation. Null when aborted.</summary>
    private static async Task<HttpResponseMessage?> SendUntilAcknowledgedAsync(Func<Task<HttpResponseMessage>> send, Ledger ledger, CancellationToken abort)
    {
        while (!abort.IsCancellationRequested)
        {
            var response = await send();
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref ledger.Other5xx);
                }

                ledger.Violations.Enqueue($"{(int)response.StatusCode}: {text}");
                return null;
            }

            Interlocked.Increment(ref ledger.Refused);
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || response.Headers.RetryAfter?.Delta is not { } delay || delay <= TimeSpan.Zero)
            {
                ledger.Violations.Enqueue($"a 503 without ProblemDetails or Retry-After: {text}");
                return null;
            }

            // Retry-After says seconds; the test retries sooner so as to measure recovery, not wait it out.
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }

        ledger.Violations.Enqueue("a write was still refused when the test's time ran out");
        return null;
    }

    private static async Task CheckAgainstLedgerAsync(HttpClient admin, string code, List<(string Country, string Date)> singles, string[] batchDates, Ledger ledger)
    {
        var expectedArrests = 0L;
        foreach (var (country, date) in singles.Concat(batchDates.Select(d => ("SEN", d))))
        {
            var writes = ledger.Writes($"{country}/{date}");
            writes.Should().BeGreaterThan(0, $"{country} {date} was written");
            var history = await admin.GetJsonAsync($"{WriteApi.ReturnAt(code, country, date)}/history");
            var versions = history.GetProperty("versions").EnumerateArray().Select(v => (Version: v.GetProperty("version").GetInt32(), Arrests: v.GetProperty("arrests").GetInt32())).ToList();
            // Exactly the acknowledged writes, each once and in order: none lost, none doubled, none unacknowledged.
            versions.Should().Equal(Enumerable.Range(1, writes).Select(n => (n, Arrests(n))), $"the history of {country} {date}");
            expectedArrests += Arrests(writes);
        }

        // All-or-nothing: every row of the batches was written by the same number of batches.
        batchDates.Select(d => ledger.Writes($"SEN/{d}")).Distinct().Should().ContainSingle();

        var returns = (await admin.GetJsonAsync(WriteApi.ReturnsPath(code))).GetProperty("returns").EnumerateArray().ToList();
        var totals = await admin.GetJsonAsync($"/api/v1/operations/{code}/totals");
        returns.Sum(r => r.GetProperty("arrests").GetInt64()).Should().Be(expectedArrests);
        totals.GetProperty("arrests").GetInt64().Should().Be(expectedArrests, "the totals equal the sum of the current returns");
    }

    private static async Task Until(Func<Task<bool>> condition, string what, Ledger ledger)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException($"Not within {Bound.TotalSeconds} s: {what}. Violations so far: {string.Join(" | ", ledger.Violations.Take(5))}");
            }

            await Task.Delay(50);
        }
    }

    private static Task Chattr(string flag, string[] files) => Command.RunAsync("chattr", [flag, .. files]);

    /// <summary>What the writers were told, per return, plus what went wrong.</summary>
    private sealed class Ledger
    {
        private readonly ConcurrentDictionary<string, int> writes = new();
        private int acknowledged;

        public int Refused;
        public int Other5xx;

        public ConcurrentQueue<string> Violations { get; } = new();

        public int Acknowledged => Volatile.Read(ref acknowledged);

        public void Acknowledge(string target, int write)
        {
            writes[target] = write;
            Interlocked.Increment(ref acknowledged);
        }

        public int Writes(string target) => writes.GetValueOrDefault(target);
    }

    /// <summary>
    /// A throwaway PostgreSQL cluster of this test's own (Debian's binaries, a folder under /tmp, 127.0.0.1 only, a free
    /// port), so that stopping it harms no other test on the shared server. As scripts/pg-cluster.sh does it.
    /// </summary>
    private sealed class PrivateCluster : IAsyncDisposable
    {
        private readonly string bin;
        private readonly string directory;
        private readonly int port;
        private readonly string[] asPostgres;

        private PrivateCluster(string bin, string directory, int port, string[] asPostgres)
        {
            this.bin = bin;
            this.directory = directory;
            this.port = port;
            this.asPostgres = asPostgres;
        }

        public static async Task<PrivateCluster> StartAsync()
        {
            var bin = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!, System.Globalization.CultureInfo.InvariantCulture))
                .Last();
            var directory = Path.Combine("/tmp", $"liberterra-faults-{Guid.NewGuid():N}");
            Directory.CreateDirectory(directory);
            // As root, initdb refuses to run: the cluster belongs to Debian's postgres user, who must reach the folder.
            var asPostgres = Environment.UserName == "root" ? new[] { "runuser", "-u", "postgres", "--" } : [];
            if (asPostgres.Length > 0)
            {
                await Command.RunAsync("chown", ["postgres:", directory]);
            }

            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var cluster = new PrivateCluster(bin, directory, port, asPostgres);
            try
            {
                await cluster.AsPostgresAsync("initdb", "-D", cluster.Data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust");
                await cluster.StartAgainAsync();
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        private string Data => Path.Combine(directory, "data");

        public string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database }.ToString();

        public Task StartAgainAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={directory} -c max_connections=100");

        /// <summary>Immediate: the server drops every connection at once, as a crash or a killed container would.</summary>
        public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-w", "stop", "-m", "immediate");

        public async ValueTask DisposeAsync()
        {
            try
            {
                await StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Not running (never started, or stopped by the test): nothing to stop.
            }

            Directory.Delete(directory, recursive: true);
        }

        private Task AsPostgresAsync(string program, params string[] arguments) =>
            asPostgres.Length == 0
                ? Command.RunAsync(Path.Combine(bin, program), arguments)
                : Command.RunAsync(asPostgres[0], [.. asPostgres[1..], Path.Combine(bin, program), .. arguments]);
    }
}

/// <summary>Runs a program to its end; a non-zero exit is an <see cref="InvalidOperationException"/> with its output.</summary>
internal static class Command
{
    public static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}

/// <summary>
/// A test that makes files immutable with chattr, which needs root (CAP_LINUX_IMMUTABLE) and a file system that has the
/// flag (ext4, not tmpfs or overlayfs). Where that is not so, and on the PostgreSQL pass, it is reported as skipped, with why.
/// </summary>
public sealed class ChattrFactAttribute : FactAttribute
{
    public ChattrFactAttribute()
    {
        if (TestDatabase.Provider != DatabaseProvider.Sqlite)
        {
            Skip = "SQLite only: makes the database file read-only";
            return;
        }

        // Probed where the test's databases live: the temporary folder.
        var probe = Path.Combine(Path.GetTempPath(), $"liberterra-chattr-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "probe");
        try
        {
            Command.RunAsync("chattr", ["+i", probe]).GetAwaiter().GetResult();
            Command.RunAsync("chattr", ["-i", probe]).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Skip = $"SKIPPED LOUDLY: cannot make a file immutable here, so the read-only SQLite fault cannot be staged: {exception.Message.Trim()}";
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
