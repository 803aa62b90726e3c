using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Web.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// `copy-database`, the move of a SQLite deployment to PostgreSQL, run as the real executable as an operator runs it:
/// the copy must hold every row of every table, serve the same answers, and take new writes.
/// </summary>
public sealed class CopyDatabaseTests
{
    private sealed record Run(int ExitCode, string Output, string Error);

    [PostgresOnlyFact("it copies a SQLite deployment into PostgreSQL")]
    public async Task CopyingASqliteDeploymentToPostgresLosesNothingAndTheCopyTakesNewWrites()
    {
        using var source = new TestDatabase(DatabaseProvider.Sqlite);
        using var target = new TestDatabase(DatabaseProvider.Postgres);
        Deployment deployment;
        using (var app = LiberterraApp.Production(database: source))
        {
            deployment = await Deployment.BuildAsync(app);
        }

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

        using var copy = LiberterraApp.Production(database: target);
        await deployment.AssertServedByAsync(copy);

        // New rows in every table with an identity get ids past the copied ones: the sequences moved.
        var admin = copy.ClientWithKey(deployment.AdminKey);
        var spain = copy.ClientWithKey(deployment.SpainKey);
        await ApiDrill.CreateOperationAsync(admin, "after-the-move");
        (await PostReturnAsync(spain, "after-the-move", Return("ESP", "2026-11-02"), WithHeader("Idempotency-Key", "after-move"))).StatusCode
            .Should().Be(HttpStatusCode.Created);
        await copy.IssueKeyAsync(Role.Analyst, label: "Issued after the move");
        await copy.AddUserAsync("new@example.org", Deployment.Password);
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
        using (var app = LiberterraApp.Production(database: source))
        {
            await app.IssueKeyAsync(Role.Admin, label: "Source admin");
        }

        using var targetDatabase = new TestDatabase();
        using var target = LiberterraApp.Production(database: targetDatabase);
        await target.IssueKeyAsync(Role.Admin, label: "Already here");
        var targetBefore = await Deployment.RowsAsync(target.Database);
        SqliteConnection.ClearAllPools();
        var sourceBefore = await HashAsync(source.SqlitePath!);

        var run = await ExecutableAsync(source, "copy-database", "--to-provider", TestDatabase.Provider.ToString(), "--to", target.Database.ConnectionString);

        run.ExitCode.Should().Be(1);
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("The target already holds data").And.Contain("ApiKeys: 1 rows")
            .And.Contain("Create a new, empty database").And.Contain("Nothing was written");
        (await Deployment.RowsAsync(target.Database)).Should().BeEquivalentTo(targetBefore, options => options.WithStrictOrdering());
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

    /// <summary>Every row of every table of the model in both databases, compared column by column.</summary>
    private static async Task AssertSameRowsAsync(TestDatabase source, TestDatabase target)
    {
        var expected = await Deployment.RowsAsync(source);
        var actual = await Deployment.RowsAsync(target);
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (table, rows) in expected)
        {
            rows.Should().NotBeEmpty($"the source has {table} rows, so that their copy is checked");
            actual[table].Should().Equal(rows, $"{table} holds the same rows on the copy");
        }
    }

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
