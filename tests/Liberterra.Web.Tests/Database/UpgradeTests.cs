using System.Data.Common;
using Liberterra.Core.Security;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Liberterra.Data.Seeding;
using Liberterra.Web.Tests.Release;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// A deployed database holds real returns: it must upgrade in place with nothing lost. Each test builds a database with
/// an earlier release's own migrations (<see cref="ReleaseMigrations"/>), fills it, then lets the app start on it as the
/// new release does.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    /// <summary>The newest migration of the release before writes stopped queueing on the operation's row.</summary>
    private const string PreviousRelease = "20261122060100_OperationRevision";

    private static readonly string[] Tables =
        ["Countries", "Operations", "OperationParticipants", "PublishedFigures", "Returns", "ReturnVersions", "ApiKeys", "AuditEntries", "IdempotencyRecords", "Users", "DataProtectionKeys"];

    private readonly TestDatabase database = new();

    private static string SeedDirectory => Path.Combine(AppContext.BaseDirectory, "seed-data");

    [Fact]
    public async Task ADatabaseOfThePreviousReleaseUpgradesWithEveryRowAndRevisionIntact()
    {
        await using (var db = ReleaseMigrations.Context(database))
        {
            await db.GetService<IMigrator>().MigrateAsync(PreviousRelease);
            await FillAsPreviousReleaseAsync(db);
        }

        var before = await SnapshotAsync();
        var revisionsBefore = await ScalarsAsync("""SELECT "Code", "Revision" FROM "Operations" """);

        await using (var db = database.Context())
        {
            await DatabaseSetup.PrepareAsync(db, SeedDirectory, NullLogger.Instance);
            (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();

            var revisions = await db.OperationRevisions().ToDictionaryAsync(o => o.Code, o => o.Revision);
            revisions.Should().BeEquivalentTo(revisionsBefore.ToDictionary(r => r.Key, r => long.Parse(r.Value, System.Globalization.CultureInfo.InvariantCulture)),
                "an operation's revision is its own plus its participants', which start at 0");
            (await db.Participants.Select(p => p.Revision).Distinct().ToListAsync()).Should().Equal(0);
        }

        var after = await SnapshotAsync();
        foreach (var table in Tables)
        {
            after[table].Should().BeEquivalentTo(before[table], $"every row of {table} survives the upgrade unchanged");
        }

        before["Returns"].Should().NotBeEmpty();
        before["ReturnVersions"].Count.Should().BeGreaterThan(before["Returns"].Count, "the previous release had amended a return");
        foreach (var table in new[] { "ApiKeys", "AuditEntries", "IdempotencyRecords" })
        {
            before[table].Should().NotBeEmpty($"the previous release's {table} are part of what must survive");
        }
    }

    [Fact]
    public async Task AnUpgradedDatabaseTakesWritesAndItsRevisionRisesWithThem()
    {
        await using (var db = ReleaseMigrations.Context(database))
        {
            await db.GetService<IMigrator>().MigrateAsync(PreviousRelease);
            await FillAsPreviousReleaseAsync(db);
        }

        await using (var db = database.Context())
        {
            await DatabaseSetup.PrepareAsync(db, SeedDirectory, NullLogger.Instance);
            var operation = await db.Operations.SingleAsync(o => o.Code == "liberterra-iii");
            var before = await db.OperationRevisions().Where(o => o.Id == operation.Id).Select(o => o.Revision).SingleAsync();
            var country = await db.Participants.Where(p => p.OperationId == operation.Id).Select(p => p.Country).OrderBy(c => c).FirstAsync();

            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.LockCountriesAsync(operation.Id, [country], CancellationToken.None);
            await db.MarkChangedAsync(operation.Id, [country], CancellationToken.None);
            await transaction.CommitAsync();

            (await db.OperationRevisions().Where(o => o.Id == operation.Id).Select(o => o.Revision).SingleAsync()).Should().Be(before + 1);
        }
    }

    [Fact]
    public async Task ADatabaseBuiltByTheLastHandWrittenReleaseUpgradesWithNothingAppliedAgainAndTheAppServesAllItHeld()
    {
        Deployment deployment;
        using (var release = LiberterraApp.Production(database: database, replaceServices: services => ReleaseMigrations.Use(services, database.Engine)))
        {
            deployment = await Deployment.BuildAsync(release);
            using var scope = release.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().GetService<IMigrationsAssembly>().Assembly
                .Should().BeSameAs(typeof(ReleaseMigrations).Assembly, "the database was built and filled by the release's migrations");
        }

        var history = await HistoryAsync();
        history.Select(h => h.Split('|')[0]).Should().Equal(ReleaseMigrations.Ids);
        var rows = await Deployment.RowsAsync(database);
        rows.Keys.Should().BeEquivalentTo(Tables, "every table of the model is checked");
        foreach (var (table, before) in rows)
        {
            before.Should().NotBeEmpty($"the release's database holds {table} rows, so that they are checked");
        }

        using var upgraded = LiberterraApp.Production(database: database);
        _ = upgraded.Services; // starts the app: it migrates and seeds as at any start

        (await HistoryAsync()).Should().Equal(history, "each of the release's migrations is known by its id, and none runs again");
        var after = await Deployment.RowsAsync(database);
        foreach (var (table, before) in rows)
        {
            after[table].Should().Equal(before, $"every row of {table} survives the upgrade unchanged");
        }

        using (var migrated = new TestDatabase())
        {
            await using (var db = migrated.Context())
            {
                await db.Database.MigrateAsync();
            }

            (await MigratedSchemaTests.DescribeAsync(database)).Should().Equal(await MigratedSchemaTests.DescribeAsync(migrated),
                "the release's schema is the one this release's migrations build");
        }

        await deployment.AssertServedByAsync(upgraded);
    }

    /// <summary>
    /// What a deployment of the previous release holds: the seed, a return amended by a national unit, an audit entry,
    /// an idempotency record, a user, a Data Protection key, and an operation whose revision has moved. Written through
    /// this release's model only where the previous schema has the same columns.
    /// </summary>
    private static async Task FillAsPreviousReleaseAsync(LiberterraDbContext db)
    {
        // The seed loader is this release's, whose model reads back the participant's revision on insert; the column is
        // there only while it runs, so the database left behind has exactly the previous release's schema.
        await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "OperationParticipants" ADD COLUMN "Revision" INTEGER NOT NULL DEFAULT 0""");
        await new SeedLoader(db, NullLogger.Instance).SeedAsync(SeedDirectory);
        await db.Database.ExecuteSqlRawAsync("""ALTER TABLE "OperationParticipants" DROP COLUMN "Revision" """);
        var now = StoredTime.Now;
        var key = new ApiKeyRecord { Role = Role.NationalUnit, Country = "ESP", Label = "Spain", KeyHash = ApiKeys.Hash(ApiKeys.Generate()), CreatedAt = now };
        db.ApiKeys.Add(key);
        db.Users.Add(new UserRecord { Email = "analyst@example.org", PasswordHash = "hash", Role = Role.Analyst, CreatedAt = now });
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-1", Xml = "<key/>" });
        await db.SaveChangesAsync();

        var amended = await db.Returns.OrderBy(r => r.Id).FirstAsync();
        db.AuditEntries.Add(new AuditEntryRecord
        {
            At = now, KeyId = key.Id, KeyLabel = key.Label, Role = "national-unit", Action = "SubmitReturn", Operation = "liberterra-iii",
            Country = amended.Country, Period = amended.Period.ToString(), Outcome = "amended", StatusCode = 200,
        });
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            ApiKeyId = key.Id, IdempotencyKey = "retry-1", RequestHash = "abc", StatusCode = 200, ResponseBody = "{}", CreatedAt = now,
        });
        await db.SaveChangesAsync();

        var version = amended.Version + 1;
        await db.Database.ExecuteSqlAsync($"""UPDATE "Returns" SET "Version" = {version}, "Arrests" = 1 WHERE "Id" = {amended.Id}""");
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ReturnVersions" ("ReturnId", "Version", "Arrests", "ArrestsTraffickingSmuggling", "VictimsSafeguarded", "VictimsMinors",
                "IrregularMigrants", "InvestigationsOpened", "OfficersDeployed", "VictimsSexual", "VictimsForcedLabour", "VictimsForcedCriminality",
                "VictimsDomesticServitude", "VictimsOrganRemoval", "VictimsOtherExploitation", "SubmittedAt", "SubmittedBy", "SubmittedByKeyId",
                "ChangedFields", "IsIllustrative")
            VALUES ({amended.Id}, {version}, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, {now}, 'Spain', {key.Id}, 'arrests', FALSE)
            """);
        await db.Database.ExecuteSqlAsync($"""UPDATE "Operations" SET "Revision" = 7 WHERE "Code" = 'liberterra-iii'""");
    }

    /// <summary>Every row of every table, each as one line of its columns in order, the new participant revision left out.</summary>
    private async Task<Dictionary<string, List<string>>> SnapshotAsync()
    {
        await using var connection = await database.OpenAsync();
        var snapshot = new Dictionary<string, List<string>>();
        foreach (var table in Tables)
        {
            snapshot[table] = await TestDatabase.QueryAsync(connection, $"""SELECT * FROM "{table}" """, row => Line(row, table));
        }

        return snapshot;
    }

    private static string Line(DbDataReader row, string table) => string.Join('|', Enumerable.Range(0, row.FieldCount)
        .Where(i => !(table == "OperationParticipants" && row.GetName(i) == "Revision"))
        .Select(i => $"{row.GetName(i)}={(row.IsDBNull(i) ? "NULL" : Convert.ToString(row.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))}"));

    /// <summary>EF's migration history, one line per migration: its id and the EF version that applied it.</summary>
    private async Task<List<string>> HistoryAsync()
    {
        await using var connection = await database.OpenAsync();
        return await TestDatabase.QueryAsync(connection, """SELECT "MigrationId", "ProductVersion" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """,
            row => $"{row.GetString(0)}|{row.GetString(1)}");
    }

    private async Task<Dictionary<string, string>> ScalarsAsync(string sql)
    {
        await using var connection = await database.OpenAsync();
        var rows = await TestDatabase.QueryAsync(connection, sql, r => (Key: r.GetString(0), Value: Convert.ToString(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)!));
        return rows.ToDictionary(r => r.Key, r => r.Value);
    }

    public void Dispose() => database.Dispose();
}
