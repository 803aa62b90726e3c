using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;
using Liberterra.Core.Security;
using Liberterra.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace Liberterra.Bench;

/// <summary>
/// The batch series of the ingest benchmark (bench/ingest.sh runs its parts):
///   batch-setup:    an admin key (a batch spans many countries, and a national unit may write only its own), and a
///                   national-unit key for each of a few other countries, the single writers; saved to a keys file.
///   batch:          one batch (JSON or CSV; committed, a dry run, or atomic with an invalid last row) posted to a fresh
///                   operation, so every row is a new return; timed from sending the request to the whole answer, then
///                   checked: the summary's counts, and how many returns the operation holds before and after.
///   batch-during:   a committed batch to a fresh operation while the single writers, countries not in the batch, post
///                   one return after another to the same operation until the batch answers: their latency.
///   batch-ceiling:  the same rows inserted by the bare driver (a return row and its first version row each, with prepared
///                   statements) in one transaction, into a prepared database of the same schema: what the database
///                   itself takes. On SQLite with the app's settings (WAL, synchronous=FULL, foreign keys on).
/// Rows are generated deterministically: row i is country i mod C on day i div C of the operation, with figures that
/// depend on i only. Operations are named after the round, the size and the kind, so a rerun needs a fresh database.
/// </summary>
internal static class Batch
{
    private static readonly DateOnly FirstDay = new(2026, 1, 1);
    private const int WindowDays = 366;
    private const string Name = "Batch benchmark";

    /// <summary>Every field of a row, in the CSV header's order; notes are left out (not reported).</summary>
    private const string CsvHeader =
        "country,date,arrests,arrestsTraffickingSmuggling,victimsSafeguarded,victimsMinors,victimsByExploitation.sexual,victimsByExploitation.forcedLabour,irregularMigrants,investigationsOpened,officersDeployed";

    /// <summary>The first version's changed fields, as the app records them for a new return: every reported field.</summary>
    private const string ChangedFields =
        "arrests,arrestsTraffickingSmuggling,victimsSafeguarded,victimsMinors,victimsByExploitation.sexual,victimsByExploitation.forcedLabour,irregularMigrants,investigationsOpened,officersDeployed";

    public static IReadOnlyList<string> Formats { get; } = ["json", "csv"];

    public static IReadOnlyList<string> Kinds { get; } = ["commit", "dry-run", "invalid-last"];

    /// <summary>The keys file: "admin KEY", "batch AAA BBB ..." (the batch's countries), then "writer CCC KEY" lines.</summary>
    private sealed record Keys(string Admin, IReadOnlyList<string> BatchCountries, IReadOnlyList<(string Country, string Key)> Writers)
    {
        public static async Task<Keys> ReadAsync(string file)
        {
            var lines = (await File.ReadAllLinesAsync(file)).Select(line => line.Split(' ')).ToList();
            return new Keys(
                lines.Single(l => l[0] == "admin")[1],
                lines.Single(l => l[0] == "batch")[1..],
                lines.Where(l => l[0] == "writer").Select(l => (l[1], l[2])).ToList());
        }
    }

    public static async Task SetupAsync(BenchDatabase database, string keysFile, int countries, int writers)
    {
        await using var db = database.CreateContext();
        var codes = await db.Countries.OrderBy(c => c.Alpha3).Select(c => c.Alpha3).Take(countries + writers).ToListAsync();
        if (codes.Count < countries + writers)
        {
            throw new BenchException($"{database} has only {codes.Count} countries, fewer than {countries} + {writers}.");
        }

        var admin = ApiKeys.Generate();
        db.ApiKeys.Add(new ApiKeyRecord { Role = Role.Admin, Label = "bench batch admin", KeyHash = ApiKeys.Hash(admin), CreatedAt = DateTime.UtcNow });
        var lines = new List<string> { $"admin {admin}", $"batch {string.Join(' ', codes.Take(countries))}" };
        foreach (var country in codes.Skip(countries))
        {
            var key = ApiKeys.Generate();
            db.ApiKeys.Add(new ApiKeyRecord
            {
                Role = Role.NationalUnit, Country = country, Label = $"bench batch writer {country}", KeyHash = ApiKeys.Hash(key), CreatedAt = DateTime.UtcNow,
            });
            lines.Add($"writer {country} {key}");
        }

        await db.SaveChangesAsync();
        await File.WriteAllLinesAsync(keysFile, lines);
    }

    public static string OperationCode(int round, int rows, string what) => FormattableString.Invariant($"bench-batch-{round}-{rows}-{what}");

    /// <summary>Row i's figures: every subtotal within its total. The invalid row breaks one rule that only the validator sees.</summary>
    private readonly record struct Row(string Country, DateOnly Day, int Arrests, int Trafficking, int Victims, int Minors, int Sexual, int ForcedLabour, int Migrants, int Investigations, int Officers)
    {
        public static Row Of(int i, IReadOnlyList<string> countries, bool invalid = false) => new(
            countries[i % countries.Count], FirstDay.AddDays(i / countries.Count),
            3 + (i % 7), invalid ? 3 + (i % 7) + 1 : i % 3, 2 + (i % 5), i % 2, i % 2, i / 2 % 2, i % 11, i % 4, 100 + (i % 13));

        public string Date => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>The stored "Figures" column, exactly as the app writes it (<see cref="ReturnValues.ToJson"/>).</summary>
        public string Figures => ReturnValues.Of(
            ("arrests", Arrests), ("arrestsTraffickingSmuggling", Trafficking), ("victimsSafeguarded", Victims), ("victimsMinors", Minors),
            ("victimsByExploitation.sexual", Sexual), ("victimsByExploitation.forcedLabour", ForcedLabour), ("irregularMigrants", Migrants),
            ("investigationsOpened", Investigations), ("officersDeployed", Officers)).ToJson();
    }

    private static IEnumerable<Row> Rows(int rows, IReadOnlyList<string> countries, bool invalidLast) =>
        Enumerable.Range(0, rows).Select(i => Row.Of(i, countries, invalidLast && i == rows - 1));

    private static byte[] Body(int rows, IReadOnlyList<string> countries, string format, bool invalidLast)
    {
        var text = new StringBuilder();
        if (format == "csv")
        {
            text.Append(CsvHeader).Append('\n');
            foreach (var r in Rows(rows, countries, invalidLast))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{r.Country},{r.Date},{r.Arrests},{r.Trafficking},{r.Victims},{r.Minors},{r.Sexual},{r.ForcedLabour},{r.Migrants},{r.Investigations},{r.Officers}\n");
            }
        }
        else
        {
            text.Append('[');
            foreach (var r in Rows(rows, countries, invalidLast))
            {
                text.Append(text.Length > 1 ? "," : string.Empty).Append(CultureInfo.InvariantCulture,
                    $$"""{"country":"{{r.Country}}","date":"{{r.Date}}","arrests":{{r.Arrests}},"arrestsTraffickingSmuggling":{{r.Trafficking}},"victimsSafeguarded":{{r.Victims}},"victimsMinors":{{r.Minors}},"victimsByExploitation":{"sexual":{{r.Sexual}},"forcedLabour":{{r.ForcedLabour}}},"irregularMigrants":{{r.Migrants}},"investigationsOpened":{{r.Investigations}},"officersDeployed":{{r.Officers}}}""");
            }

            text.Append(']');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static HttpClient Client(TimeSpan timeout, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { Timeout = timeout };

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    /// <summary>A fresh operation through the API (not timed), which also opens the connection the batch will use.</summary>
    private static async Task CreateOperationAsync(HttpClient http, Uri baseUri, string adminKey, string code, IEnumerable<string> participants)
    {
        var body = JsonSerializer.Serialize(new
        {
            code,
            name = Name,
            startDate = FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            endDate = FirstDay.AddDays(WindowDays - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            participants,
        });
        using var request = Request(HttpMethod.Post, new Uri(baseUri, "/api/v1/operations"), adminKey, new StringContent(body, Encoding.UTF8, "application/json"));
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new BenchException($"creating operation {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<int> StoredReturnsAsync(HttpClient http, Uri baseUri, string adminKey, string code)
    {
        using var request = Request(HttpMethod.Get, new Uri(baseUri, $"/api/v1/operations/{code}/returns"), adminKey);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchException($"listing the returns of {code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return document.RootElement.GetProperty("returns").GetArrayLength();
    }

    /// <summary>The import summary: the body of a 200, or the "summary" member of a 400 problem. Null when there is none.</summary>
    private static JsonElement? Summary(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("summary", out var inner))
            {
                root = inner;
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("created", out _) ? root.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int Count(JsonElement? summary, string name) =>
        summary is { } s && s.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : -1;

    public static async Task RunAsync(Uri baseUri, string keysFile, int rows, string format, string kind, int round, TimeSpan timeout)
    {
        var keys = await Keys.ReadAsync(keysFile);
        CheckFits(rows, keys.BatchCountries.Count);
        var code = OperationCode(round, rows, $"{format}-{kind}");
        var body = Body(rows, keys.BatchCountries, format, invalidLast: kind == "invalid-last");
        using var http = Client(timeout, 1);
        await CreateOperationAsync(http, baseUri, keys.Admin, code, keys.BatchCountries);
        var before = await StoredReturnsAsync(http, baseUri, keys.Admin, code);

        var target = new Uri(baseUri, $"/api/v1/operations/{code}/returns/batch{(kind == "dry-run" ? "?dryRun=true" : string.Empty)}");
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "csv" ? "text/csv" : "application/json") { CharSet = "utf-8" };
        using var request = Request(HttpMethod.Post, target, keys.Admin, content);
        var (status, seconds, answer) = await TimedSendAsync(http, request);
        var summary = Summary(answer);
        var after = await StoredReturnsAsync(http, baseUri, keys.Admin, code);

        var problems = new List<string>();
        var (expectedStatus, expectedCreated, expectedRejected, expectedStored) = kind switch
        {
            "commit" => (200, rows, 0, rows),
            "dry-run" => (200, rows, 0, 0),
            _ => (400, 0, 1, 0),
        };
        if (status != expectedStatus.ToString(CultureInfo.InvariantCulture))
        {
            problems.Add($"status {status}, expected {expectedStatus}");
        }

        if (Count(summary, "rejected") != expectedRejected)
        {
            problems.Add($"summary rejected {Count(summary, "rejected")}, expected {expectedRejected}");
        }

        // What a rejected batch reports as created is not part of its contract; a commit's and a dry run's is.
        if (kind != "invalid-last" && Count(summary, "created") != expectedCreated)
        {
            problems.Add($"summary created {Count(summary, "created")}, expected {expectedCreated}");
        }

        if (kind == "invalid-last" && summary is { } s && !(s.TryGetProperty("errors", out var errors) && errors.GetArrayLength() == 1
            && errors[0].GetProperty("row").GetInt32() == rows))
        {
            problems.Add($"the rejected row is not the last ({rows})");
        }

        if (before != 0 || after != expectedStored)
        {
            problems.Add($"the operation held {before} returns before and {after} after, expected 0 and {expectedStored}");
        }

        Report(problems, answer);
        Console.WriteLine(FormattableString.Invariant(
            $"batch rows={rows} format={format} kind={kind} status={status} seconds={seconds:0.0000} per_second={rows / seconds:0.0} us_per_row={seconds * 1e6 / rows:0.0} body_bytes={body.Length} created={Count(summary, "created")} updated={Count(summary, "updated")} unchanged={Count(summary, "unchanged")} rejected={Count(summary, "rejected")} stored_before={before} stored_after={after} verified={(problems.Count == 0 ? "yes" : "no")}"));
    }

    /// <summary>Sends and reads the whole answer; the status is "timeout" when the client gave up first.</summary>
    private static async Task<(string Status, double Seconds, byte[] Answer)> TimedSendAsync(HttpClient http, HttpRequestMessage request)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            return (((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Stopwatch.GetElapsedTime(started).TotalSeconds, answer);
        }
        catch (TaskCanceledException)
        {
            return ("timeout", Stopwatch.GetElapsedTime(started).TotalSeconds, []);
        }
    }

    private static void Report(List<string> problems, byte[] answer)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"  not as expected: {problem}");
        }

        if (problems.Count > 0)
        {
            Console.Error.WriteLine($"  the answer began: {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 400)))}");
        }
    }

    private static void CheckFits(int rows, int countries)
    {
        if (rows > countries * WindowDays)
        {
            throw new BenchException($"{rows} rows do not fit in {countries} countries × {WindowDays} days.");
        }
    }

    /// <summary>
    /// A committed JSON batch, and meanwhile the writers' single returns to the same operation. The writers start once
    /// the batch's body has been sent, and each posts one new day after another until the batch has answered (at most
    /// one return a day of the window, and never past the timeout).
    /// </summary>
    public static async Task DuringAsync(Uri baseUri, string keysFile, int rows, int round, TimeSpan timeout)
    {
        var keys = await Keys.ReadAsync(keysFile);
        CheckFits(rows, keys.BatchCountries.Count);
        if (keys.Writers.Count == 0)
        {
            throw new BenchException($"{keysFile} has no single writers.");
        }

        var code = OperationCode(round, rows, "during");
        var body = Body(rows, keys.BatchCountries, "json", invalidLast: false);
        using var http = Client(timeout, keys.Writers.Count + 1);
        await CreateOperationAsync(http, baseUri, keys.Admin, code, keys.BatchCountries.Concat(keys.Writers.Select(w => w.Country)));
        // Each writer's connection and key are used once before the batch, so none of them is first used during it.
        await Task.WhenAll(keys.Writers.Select(async writer =>
        {
            using var warm = Request(HttpMethod.Get, new Uri(baseUri, $"/api/v1/operations/{code}"), writer.Key);
            using var response = await http.SendAsync(warm);
            response.EnsureSuccessStatusCode();
        }));

        var content = new SignallingContent(body, "application/json");
        using var request = Request(HttpMethod.Post, new Uri(baseUri, $"/api/v1/operations/{code}/returns/batch"), keys.Admin, content);
        var clock = Stopwatch.StartNew();
        var batch = TimedSendAsync(http, request);
        await Task.WhenAny(content.Sent, batch);
        var writersStarted = clock.Elapsed.TotalSeconds;
        var batchAnswered = double.PositiveInfinity;
        var batchDone = batch.ContinueWith(_ => batchAnswered = clock.Elapsed.TotalSeconds, TaskScheduler.Default);

        var singles = await Task.WhenAll(keys.Writers.Select(writer => Task.Run(async () =>
        {
            var results = new List<(double Ms, double AnsweredAt, bool Acknowledged)>();
            var target = new Uri(baseUri, $"/api/v1/operations/{code}/returns");
            for (var day = 0; day < WindowDays && !batch.IsCompleted && clock.Elapsed < timeout; day++)
            {
                var date = FirstDay.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                using var single = Request(HttpMethod.Post, target, writer.Key, new StringContent(
                    $$"""{"country":"{{writer.Country}}","date":"{{date}}","arrests":{{day % 7}},"victimsSafeguarded":{{day % 5}},"irregularMigrants":{{day % 11}},"officersDeployed":{{100 + (day % 13)}}}""",
                    Encoding.UTF8, "application/json"));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(single);
                    await response.Content.ReadAsByteArrayAsync();
                    results.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, clock.Elapsed.TotalSeconds, response.StatusCode == HttpStatusCode.Created));
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        await Console.Error.WriteLineAsync($"  single return {writer.Country} {date}: {(int)response.StatusCode}");
                    }
                }
                catch (TaskCanceledException)
                {
                    results.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, clock.Elapsed.TotalSeconds, false));
                }
            }

            return results;
        })));
        var (status, seconds, answer) = await batch;
        await batchDone;
        var all = singles.SelectMany(s => s).ToList();
        var acknowledged = all.Where(s => s.Acknowledged).ToList();
        var latencies = acknowledged.Select(s => s.Ms).Order().ToArray();
        var summary = Summary(answer);
        var problems = new List<string>();
        if (status != "200" || Count(summary, "created") != rows)
        {
            problems.Add($"the batch answered {status} with {Count(summary, "created")} created, expected 200 and {rows}");
        }

        if (acknowledged.Count != all.Count)
        {
            problems.Add($"{all.Count - acknowledged.Count} of {all.Count} single returns were not acknowledged with 201");
        }

        Report(problems, answer);
        Console.WriteLine(FormattableString.Invariant(
            $"batch-during rows={rows} format=json batch_status={status} batch_seconds={seconds:0.0000} writers={keys.Writers.Count} writers_started_s={writersStarted:0.000} singles={all.Count} acknowledged={acknowledged.Count} acknowledged_during={acknowledged.Count(s => s.AnsweredAt < batchAnswered)} p50_ms={Ingest.Percentile(latencies, 0.50):0.0} p99_ms={Ingest.Percentile(latencies, 0.99):0.0} max_ms={(latencies.Length == 0 ? double.NaN : latencies[^1]):0.0} verified={(problems.Count == 0 ? "yes" : "no")}"));
    }

    /// <summary>A request body that says when it has been written to the connection, so the writers start after it.</summary>
    private sealed class SignallingContent : HttpContent
    {
        private readonly byte[] bytes;
        private readonly TaskCompletionSource sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SignallingContent(byte[] bytes, string mediaType)
        {
            this.bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        }

        public Task Sent => sent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
            sent.TrySetResult();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }

    /// <summary>
    /// The database's own batched insert: a fresh operation (made with EF, not timed) in a database prepared like the
    /// app's, then, timed, one transaction of <paramref name="rows"/> × (INSERT of the return with all its columns,
    /// RETURNING its id; INSERT of its first version) and the operation's revision raised, as the app does for a
    /// committed batch. On SQLite two prepared statements, row after row, bound by position; on PostgreSQL a binary COPY
    /// of the returns and one of their versions (<see cref="InsertRowsPostgres"/>).
    /// </summary>
    public static async Task CeilingAsync(BenchDatabase database, string keysFile, int rows, int round)
    {
        var keys = await Keys.ReadAsync(keysFile);
        CheckFits(rows, keys.BatchCountries.Count);
        var code = OperationCode(round, rows, "ceiling");
        int operationId;
        await using (var db = database.CreateContext())
        {
            var operation = new OperationRecord
            {
                Code = code,
                Name = Name,
                StartDate = FirstDay,
                EndDate = FirstDay.AddDays(WindowDays - 1),
                Status = OperationStatus.Open,
                CreatedAt = DateTime.UtcNow,
                DataSet = DataSetTemplates.TraffickingSmuggling,
                Participants = keys.BatchCountries.Select(c => new ParticipantRecord { Country = c }).ToList(),
            };
            db.Operations.Add(operation);
            await db.SaveChangesAsync();
            operationId = operation.Id;
        }

        await using DbConnection connection = database.IsPostgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false, ForeignKeys = true }.ToString());
        await connection.OpenAsync();
        var settings = "";
        if (!database.IsPostgres)
        {
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA journal_mode;";
            settings = $" journal_mode={await pragmas.ExecuteScalarAsync()} synchronous=FULL foreign_keys=on";
        }
        else
        {
            await using var show = connection.CreateCommand();
            show.CommandText = "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit')";
            var values = ((string)(await show.ExecuteScalarAsync())!).Split(' ');
            settings = $" fsync={values[0]} synchronous_commit={values[1]}";
        }

        // Untimed, a first pass over a few rows that is rolled back, so that the timed pass runs compiled code on a warm page cache.
        await using (var warmUp = await connection.BeginTransactionAsync())
        {
            InsertRows(connection, warmUp, operationId, Prepared(Math.Min(rows, PostgresStatementsPerRoundTrip), keys.BatchCountries));
            await warmUp.RollbackAsync();
        }

        // The figures' JSON is built before the clock starts: the floor is the database's work, not the app's serializer.
        var prepared = Prepared(rows, keys.BatchCountries);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync();
        InsertRows(connection, transaction, operationId, prepared);
        await using (var revision = connection.CreateCommand())
        {
            revision.Transaction = transaction;
            revision.CommandText = FormattableString.Invariant($"UPDATE \"Operations\" SET \"Revision\" = \"Revision\" + 1 WHERE \"Id\" = {operationId}");
            await revision.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"batch-ceiling rows={rows} provider={(database.IsPostgres ? "postgres" : "sqlite")} seconds={seconds:0.0000} per_second={rows / seconds:0.0} us_per_row={seconds * 1e6 / rows:0.0} client_cpu_ms={(Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds:0}{settings}"));
    }

    private const int PostgresStatementsPerRoundTrip = 500;

    private static List<(Row Row, string Figures)> Prepared(int rows, IReadOnlyList<string> countries) =>
        Rows(rows, countries, invalidLast: false).Select(row => (row, row.Figures)).ToList();

    private static void InsertRows(DbConnection connection, DbTransaction transaction, int operationId, List<(Row Row, string Figures)> rows)
    {
        if (connection is NpgsqlConnection postgres)
        {
            InsertRowsPostgres(postgres, (NpgsqlTransaction)transaction, operationId, rows);
            return;
        }

        // SQLite's own insert: two statements prepared once and stepped once a row, values bound by position through
        // SQLitePCL.raw, as the app's RowWriter binds them (Microsoft.Data.Sqlite's parameters, bound by name on every
        // execution, took about 80 µs a row here: a measure of the driver, not of SQLite).
        var handle = ((SqliteConnection)connection).Handle!;
        var at = DateTime.UtcNow.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
        void Check(int result)
        {
            if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                throw new BenchException($"SQLite error {result}: {raw.sqlite3_errmsg(handle).utf8_to_string()}");
            }
        }

        Check(raw.sqlite3_prepare_v2(handle,
            "INSERT INTO \"Returns\" (\"OperationId\", \"Country\", \"Period\", \"Figures\", \"Notes\", \"Version\", \"UpdatedAt\", \"IsIllustrative\") " +
            "VALUES (?1, ?2, ?3, ?4, NULL, 1, ?5, 0)", out var insertReturn));
        Check(raw.sqlite3_prepare_v2(handle,
            "INSERT INTO \"ReturnVersions\" (\"ReturnId\", \"Version\", \"Figures\", \"Notes\", \"SubmittedAt\", \"SubmittedBy\", \"SubmittedByKeyId\", \"ChangedFields\", \"IsIllustrative\") " +
            $"VALUES (?1, 1, ?4, NULL, ?5, 'bench batch admin', 1, '{ChangedFields}', 0)", out var insertVersion));
        using (insertReturn)
        using (insertVersion)
        {
            Check(raw.sqlite3_bind_int64(insertReturn, 1, operationId));
            Check(raw.sqlite3_bind_text(insertReturn, 5, at));
            Check(raw.sqlite3_bind_text(insertVersion, 5, at));
            foreach (var (row, figures) in rows)
            {
                Check(raw.sqlite3_bind_text(insertReturn, 4, figures));
                Check(raw.sqlite3_bind_text(insertVersion, 4, figures));

                Check(raw.sqlite3_bind_text(insertReturn, 2, row.Country));
                Check(raw.sqlite3_bind_text(insertReturn, 3, row.Date));
                Check(raw.sqlite3_step(insertReturn));
                Check(raw.sqlite3_reset(insertReturn));
                Check(raw.sqlite3_bind_int64(insertVersion, 1, raw.sqlite3_last_insert_rowid(handle)));
                Check(raw.sqlite3_step(insertVersion));
                Check(raw.sqlite3_reset(insertVersion));
            }
        }
    }

    /// <summary>
    /// PostgreSQL's own bulk load: the returns' keys drawn from their sequence in one query, then one binary COPY of the
    /// returns and one of their versions (whose keys the database fills in).
    /// </summary>
    private static void InsertRowsPostgres(NpgsqlConnection connection, NpgsqlTransaction transaction, int operationId, List<(Row Row, string Figures)> all)
    {
        var now = DateTime.UtcNow;
        var ids = new List<long>(all.Count);
        using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('\"Returns\"', 'Id')) FROM generate_series(1, $1)", connection, transaction))
        {
            next.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = all.Count });
            using var reader = next.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        using (var copy = connection.BeginBinaryImport(
            "COPY \"Returns\" (\"Id\", \"OperationId\", \"Country\", \"Period\", \"Figures\", \"Notes\", \"Version\", \"UpdatedAt\", \"IsIllustrative\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < all.Count; i++)
            {
                var (row, figures) = all[i];
                copy.StartRow();
                copy.Write(ids[i], NpgsqlDbType.Bigint);
                copy.Write(operationId, NpgsqlDbType.Integer);
                copy.Write(row.Country, NpgsqlDbType.Text);
                copy.Write(row.Date, NpgsqlDbType.Text);
                copy.Write(figures, NpgsqlDbType.Text);
                copy.WriteNull();
                copy.Write(1, NpgsqlDbType.Integer);
                copy.Write(now, NpgsqlDbType.TimestampTz);
                copy.Write(false, NpgsqlDbType.Boolean);
            }

            copy.Complete();
        }

        using (var copy = connection.BeginBinaryImport(
            "COPY \"ReturnVersions\" (\"ReturnId\", \"Version\", \"Figures\", \"Notes\", \"SubmittedAt\", \"SubmittedBy\", \"SubmittedByKeyId\", \"ChangedFields\", \"IsIllustrative\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < all.Count; i++)
            {
                copy.StartRow();
                copy.Write(ids[i], NpgsqlDbType.Bigint);
                copy.Write(1, NpgsqlDbType.Integer);
                copy.Write(all[i].Figures, NpgsqlDbType.Text);
                copy.WriteNull();
                copy.Write(now, NpgsqlDbType.TimestampTz);
                copy.Write("bench batch admin", NpgsqlDbType.Text);
                copy.Write(1L, NpgsqlDbType.Bigint);
                copy.Write(ChangedFields, NpgsqlDbType.Text);
                copy.Write(false, NpgsqlDbType.Boolean);
            }

            copy.Complete();
        }
    }
}
