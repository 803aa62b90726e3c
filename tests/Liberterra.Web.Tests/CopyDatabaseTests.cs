using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Web.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// `copy-database`, the move of a SQLite deployment to PostgreSQL, run as the real executable as an operator runs it:
/// the copy must hold every row of every table, serve the same answers, and take new writes.
/// </summary>
public sealed class CopyDatabaseTests
{
    private const string Password = "a long enough password";

    /// <summary>What the source app answered, and the keys its clients hold, to check the copy against.</summary>
    private sealed record Deployment(Dictionary<string, string> Responses, string AdminKey, string SpainKey, string RevokedKey, string IdempotentReplay);

    private sealed record Run(int ExitCode, string Output, string Error);

    [PostgresOnlyFact("it copies a SQLite deployment into PostgreSQL")]
    public async Task CopyingASqliteDeploymentToPostgresLosesNothingAndTheCopyTakesNewWrites()
    {
        using var source = new TestDatabase(DatabaseProvider.Sqlite);
        using var target = new TestDatabase(DatabaseProvider.Postgres);
        var deployment = await BuildDeploymentAsync(source);
        SqliteConnection.ClearAllPools(); // the app has stopped; its pooled connections close, as at a real shutdown
        var fileBefore = await HashAsync(source.SqlitePath!);

        // A small batch, so every table of any size is read in several pages.
        var run = await ExecutableAsync(source, "copy-database", "--to-provider", "Postgres", "--to", target.ConnectionString, "--batch-size", "100");

        run.ExitCode.Should().Be(0, run.Error);
        await using (var model = source.Context())
        {
            var summary = Lines(run.Output);
            summary.Should().HaveCount(model.Model.GetEntityTypes().Count() + 2, "a header, a line per table and a total: \n" + run.Output);
            foreach (var table in model.Model.GetEntityTypes().Select(t => t.GetTableName()!))
            {
                var fields = summary.Single(l => l.StartsWith(table + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                fields[1].Should().Be(fields[2], $"{table}'s counts in the source and the target").And.NotBe("0", $"the source has {table} rows to copy");
            }
        }

        run.Output.Should().NotContain(target.ConnectionString, "stdout carries the summary alone");
        run.Error.Should().Contain("Migrating the target").And.Contain("every table's row count matches");
        (await HashAsync(source.SqlitePath!)).Should().Be(fileBefore, "the source is only read");
        var wal = source.SqlitePath + "-wal";
        (File.Exists(wal) ? new FileInfo(wal).Length : 0).Should().Be(0, "nothing was written to the source's log either");

        await AssertSameRowsAsync(source, target);
        var copiedIds = await MaxIdsAsync(target);

        using var copy = ProductionApp(target);
        var admin = copy.ClientWithKey(deployment.AdminKey);
        foreach (var (path, body) in deployment.Responses)
        {
            using var response = await admin.GetAsync(path);
            (await response.Content.ReadAsStringAsync()).Should().Be(body, $"GET {path} answers on the copy as on the source (log: {string.Join('\n', copy.LogLines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal)))})");
        }

        // Keys: the revoked one stays revoked, a live one still writes.
        (await copy.ClientWithKey(deployment.RevokedKey).GetAsync("/api/v1/operations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var spain = copy.ClientWithKey(deployment.SpainKey);
        (await PostReturnAsync(spain, "copy-final", Return("ESP", "2026-11-04"))).StatusCode.Should().Be(HttpStatusCode.Conflict, "the operation is still final");

        // The idempotency record came along: a retry gets the first answer again, and nothing is written.
        var replay = await PostReturnAsync(copy.ClientWithKey(deployment.SpainKey), "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        (await replay.Content.ReadAsStringAsync()).Should().Be(deployment.IdempotentReplay);

        // Users: the password hash verifies, and the lockout and the failure count carried over.
        using (var steady = await copy.Browser().SignInAsync("steady@example.org", Password))
        {
            steady.AuthCookieHeader().Should().NotBeNull("the password hash was copied intact");
        }

        using (var locked = await copy.Browser().SignInAsync("locked@example.org", Password))
        {
            locked.AuthCookieHeader().Should().BeNull("the account was locked on the source, and stays locked");
        }

        using (await copy.Browser().SignInAsync("counting@example.org", "one more wrong password"))
        using (var counting = await copy.Browser().SignInAsync("counting@example.org", Password))
        {
            counting.AuthCookieHeader().Should().BeNull("four failures came along, so the fifth locked the account");
        }

        // New rows in every table with an identity get ids past the copied ones: the sequences moved.
        await CreateOperationAsync(admin, "after-the-move");
        (await PostReturnAsync(spain, "after-the-move", Return("ESP", "2026-11-02"), WithHeader("Idempotency-Key", "after-move"))).StatusCode
            .Should().Be(HttpStatusCode.Created);
        await copy.IssueKeyAsync(Role.Analyst, label: "Issued after the move");
        await copy.AddUserAsync("new@example.org", Password);
        var after = await MaxIdsAsync(target);
        foreach (var (table, max) in copiedIds)
        {
            after[table].Should().BeGreaterThan(max, $"a new {table} row gets a fresh id");
        }
    }

    [Fact]
    public async Task ATargetThatAlreadyHoldsDataIsRefusedAndLeftAsItWas()
    {
        using var source = new TestDatabase(DatabaseProvider.Sqlite);
        using (var app = ProductionApp(source))
        {
            await app.IssueKeyAsync(Role.Admin, label: "Source admin");
        }

        using var targetDatabase = new TestDatabase();
        using var target = ProductionApp(targetDatabase);
        await target.IssueKeyAsync(Role.Admin, label: "Already here");
        var targetBefore = await RowsAsync(target.Database);
        SqliteConnection.ClearAllPools();
        var sourceBefore = await HashAsync(source.SqlitePath!);

        var run = await ExecutableAsync(source, "copy-database", "--to-provider", TestDatabase.Provider.ToString(), "--to", target.Database.ConnectionString);

        run.ExitCode.Should().Be(1);
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("The target already holds data").And.Contain("ApiKeys: 1 rows")
            .And.Contain("Create a new, empty database").And.Contain("Nothing was written");
        (await RowsAsync(target.Database)).Should().BeEquivalentTo(targetBefore, options => options.WithStrictOrdering());
        (await HashAsync(source.SqlitePath!)).Should().Be(sourceBefore);
    }

    [Theory]
    [InlineData]
    [InlineData("--to-provider", "Postgres")]
    [InlineData("--to", "Host=localhost")]
    [InlineData("--to-provider", "Oracle", "--to", "Host=localhost")]
    [InlineData("--to-provider", "Postgres", "--to", "Host=localhost", "--batch-size", "0")]
    [InlineData("--to-provider", "Postgres", "--to", "Host=localhost", "--wipe", "yes")]
    [InlineData("--to-provider", "Postgres", "--to", "Host=localhost", "--to-provider")]
    public async Task BadUsageFailsWithTheUsageOnStderrAndTouchesNothing(params string[] options)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var host = new ServiceCollection().BuildServiceProvider();

        var exitCode = await CopyDatabaseCommand.RunAsync(host, [CopyDatabaseCommand.Name, .. options], output, error);

        exitCode.Should().Be(2);
        output.ToString().Should().BeEmpty();
        error.ToString().Should().Contain("usage").And.Contain("copy-database --to-provider");
    }

    [Fact]
    public void EveryTableOfTheModelIsCopiedAfterTheTablesItRefersTo()
    {
        using var database = new TestDatabase(DatabaseProvider.Sqlite);
        using var db = database.Context();

        var order = DatabaseCopy.TablesInOrder(db.Model).ToList();

        order.Should().BeEquivalentTo(db.Model.GetEntityTypes(), "a table added to the model is copied without a change to the command");
        foreach (var type in order)
        {
            foreach (var foreignKey in type.GetForeignKeys())
            {
                order.IndexOf(foreignKey.PrincipalEntityType).Should().BeLessThan(order.IndexOf(type),
                    $"{type.GetTableName()} refers to {foreignKey.PrincipalEntityType.GetTableName()}");
            }
        }
    }

    [Fact]
    public void ATableThatRefersToItselfCannotBeOrderedAndSaysSo()
    {
        var options = new DbContextOptionsBuilder<TreeContext>().UseSqlite("Data Source=:memory:").Options;
        using var db = new TreeContext(options);

        var order = () => DatabaseCopy.TablesInOrder(db.Model);

        order.Should().Throw<InvalidOperationException>().WithMessage("*cannot order*Nodes*");
    }

    /// <summary>
    /// A deployment as it looks after some use: the seed, then returns amended several times, an idempotent retry, a
    /// finalized operation, a revoked key, users with failed sign-ins, and the audit of all of it. Returns what the
    /// app answered to compare with the copy's answers.
    /// </summary>
    private static async Task<Deployment> BuildDeploymentAsync(TestDatabase database)
    {
        using var app = ProductionApp(database);
        var adminKey = await app.IssueKeyAsync(Role.Admin, label: "Secretariat admin");
        var spainKey = await app.IssueKeyAsync(Role.NationalUnit, "ESP", "NCB Madrid");
        var parisKey = await app.IssueKeyAsync(Role.NationalUnit, "FRA", "NCB Paris, to be revoked");
        var admin = app.ClientWithKey(adminKey);
        var spain = app.ClientWithKey(spainKey);
        var paris = app.ClientWithKey(parisKey);

        await CreateOperationAsync(admin, "copy-drill");
        await CreateOperationAsync(admin, "copy-final");
        foreach (var (arrests, notes) in new[] { (5, "first count"), (6, "Málaga: one more \"arrest\""), (9, (string?)null) })
        {
            (await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-02", arrests, notes))).IsSuccessStatusCode.Should().BeTrue();
        }

        (await PostReturnAsync(paris, "copy-drill", Return("FRA", null, 3, "whole operation"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await PostReturnAsync(paris, "copy-drill", Return("FRA", null, 4))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await PostReturnAsync(spain, "copy-drill", Return("FRA", "2026-11-02"))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "audited as rejected");
        var first = await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var retry = await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-03", arrests: 11), WithHeader("Idempotency-Key", "copy-retry"));
        var replayed = await retry.Content.ReadAsStringAsync();
        replayed.Should().Be(await first.Content.ReadAsStringAsync());
        (await PostReturnAsync(spain, "copy-final", Return("ESP", "2026-11-02"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await admin.PostAsync("/api/v1/operations/copy-final/finalize", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var output = new StringWriter())
        using (var error = new StringWriter())
        {
            var id = await WriteApiFixture.KeyIdAsync(app, parisKey);
            (await KeysCommand.RunAsync(app.Services, ["keys", "revoke", id.ToString(CultureInfo.InvariantCulture)], output, error)).Should().Be(0, error.ToString());
        }

        await app.AddUserAsync("steady@example.org", Password);
        await app.AddUserAsync("locked@example.org", Password, Role.Admin);
        await app.AddUserAsync("counting@example.org", Password);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await app.Browser().SignInAsync("locked@example.org", "not the password");
        }

        for (var i = 0; i < 4; i++)
        {
            using var wrong = await app.Browser().SignInAsync("counting@example.org", "not the password");
        }

        // What readers see, taken after every write: the operations, each one's figures, and every return's history.
        var responses = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task<string> GetAsync(string path) => responses[path] = await admin.GetStringAsync(path);
        await GetAsync("/api/v1/operations");
        await GetAsync("/api/v1/audit?limit=500");
        foreach (var operation in (await admin.GetJsonAsync("/api/v1/operations")).EnumerateArray().Select(o => o.GetProperty("code").GetString()!))
        {
            await GetAsync($"/api/v1/operations/{operation}");
            await GetAsync($"/api/v1/operations/{operation}/totals");
            await GetAsync($"/api/v1/operations/{operation}/countries");
            var returns = System.Text.Json.JsonDocument.Parse(await GetAsync(ReturnsPath(operation))).RootElement.GetProperty("returns");
            foreach (var entry in returns.EnumerateArray())
            {
                await GetAsync($"{ReturnAt(operation, entry.GetProperty("country").GetString()!, entry.GetProperty("date").GetString())}/history");
            }
        }

        return new Deployment(responses, adminKey, spainKey, parisKey, replayed);
    }

    private static LiberterraApp ProductionApp(TestDatabase database) => new(database)
    {
        EnvironmentName = "Production",
        Settings =
        {
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["RateLimiting:Burst"] = "100000",
        },
    };

    /// <summary>Every row of every table of the model in both databases, compared column by column.</summary>
    private static async Task AssertSameRowsAsync(TestDatabase source, TestDatabase target)
    {
        var expected = await RowsAsync(source);
        var actual = await RowsAsync(target);
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (table, rows) in expected)
        {
            rows.Should().NotBeEmpty($"the source has {table} rows, so that their copy is checked");
            actual[table].Should().Equal(rows, $"{table} holds the same rows on the copy");
        }
    }

    /// <summary>Each table's rows, one line each with every mapped column (complex ones included) as the app reads it, sorted.</summary>
    private static async Task<Dictionary<string, List<string>>> RowsAsync(TestDatabase database)
    {
        await using var db = database.Context();
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in db.Model.GetEntityTypes())
        {
            var read = typeof(CopyDatabaseTests).GetMethod(nameof(AllAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type.ClrType);
            var entities = await (Task<List<object>>)read.Invoke(null, [db])!;
            var columns = type.GetFlattenedProperties().OrderBy(p => p.GetColumnName(), StringComparer.Ordinal).ToList();
            tables[type.GetTableName()!] = entities
                .Select(e => string.Join(" | ", columns.Select(c => $"{c.GetColumnName()}={Text(c.GetGetter().GetClrValueUsingContainingEntity(e))}")))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return tables;
    }

    private static async Task<List<object>> AllAsync<T>(LiberterraDbContext db)
        where T : class =>
        (await db.Set<T>().AsNoTracking().ToListAsync()).Cast<object>().ToList();

    private static string Text(object? value) => value switch
    {
        null => "NULL",
        DateTime time => $"{time:O} ({time.Kind})",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static async Task<Dictionary<string, long>> MaxIdsAsync(TestDatabase database)
    {
        await using var db = database.Context();
        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["Operations"] = await db.Operations.MaxAsync(r => r.Id),
            ["Returns"] = await db.Returns.MaxAsync(r => r.Id),
            ["ReturnVersions"] = await db.ReturnVersions.MaxAsync(r => r.Id),
            ["IdempotencyRecords"] = await db.IdempotencyRecords.MaxAsync(r => r.Id),
            ["AuditEntries"] = await db.AuditEntries.MaxAsync(r => r.Id),
            ["ApiKeys"] = await db.ApiKeys.MaxAsync(r => r.Id),
            ["Users"] = await db.Users.MaxAsync(r => r.Id),
        };
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Convert.ToHexString(await SHA256.HashDataAsync(file));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The real executable, configured for <paramref name="source"/> as the server would be.</summary>
    private static async Task<Run> ExecutableAsync(TestDatabase source, params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("liberterra-copy-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            };
            foreach (var (key, value) in source.Settings)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }

            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            return new Run(process.ExitCode, await output, await error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed class TreeContext(DbContextOptions<TreeContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Node>().ToTable("Nodes").HasOne<Node>().WithMany().HasForeignKey(n => n.ParentId);
    }

    private sealed class Node
    {
        public int Id { get; init; }
        public int? ParentId { get; init; }
    }
}
