using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liberterra.Web.Tests.WriteApi;

namespace Liberterra.Web.Tests;

/// <summary>
/// A deployed database holds real returns: it must upgrade in place with nothing lost. Each test starts from a database
/// that the previous release's own app built and used (<see cref="PreviousRelease"/>, on the run's provider), then
/// starts this release's app on it, which migrates it as at any start. Rows are read with plain SQL, never through
/// this release's model, so what is compared is what the release wrote.
/// </summary>
public sealed class UpgradeTests : IDisposable
{
    private const string MigrationHistory = "__EFMigrationsHistory";

    /// <summary>
    /// What this release's migrations make of each table's rows: an old row in, the row expected after the upgrade.
    /// A table not named here keeps every row exactly as it was.
    /// </summary>
    private static readonly Dictionary<string, Func<Row, Row>> UpgradedRows = new(StringComparer.Ordinal)
    {
        // Issue 13 (DataSets): a return's thirteen figure columns become one JSON object of its reported values, and
        // every operation collects the trafficking-smuggling data set.
        ["Returns"] = FiguresAsJson,
        ["ReturnVersions"] = FiguresAsJson,
        ["Operations"] = row => row.With("DataSet", DataSetJson.Serialize(DataSetTemplates.TraffickingSmuggling)),
    };

    /// <summary>The previous release's figure columns, each with the field it is now (written out, not taken from the code under test).</summary>
    private static readonly (string Column, string Field)[] ReleaseFigureColumns =
    [
        ("Arrests", "arrests"), ("ArrestsTraffickingSmuggling", "arrestsTraffickingSmuggling"), ("VictimsSafeguarded", "victimsSafeguarded"),
        ("VictimsMinors", "victimsMinors"), ("VictimsSexual", "victimsByExploitation.sexual"), ("VictimsForcedLabour", "victimsByExploitation.forcedLabour"),
        ("VictimsForcedCriminality", "victimsByExploitation.forcedCriminality"), ("VictimsDomesticServitude", "victimsByExploitation.domesticServitude"),
        ("VictimsOrganRemoval", "victimsByExploitation.organRemoval"), ("VictimsOtherExploitation", "victimsByExploitation.other"),
        ("IrregularMigrants", "irregularMigrants"), ("InvestigationsOpened", "investigationsOpened"), ("OfficersDeployed", "officersDeployed"),
    ];

    /// <summary>The fields the template added; a read of the release's data shows them as null (reportedBy: 0).</summary>
    private static readonly HashSet<string> NewFields =
        ["inspections", "flightsMonitored", "databaseChecks", "criminalGroupsDismantled", "forgedDocumentsSeized", "victimsByExploitation"];

    private static Row FiguresAsJson(Row row) => row
        .Without(ReleaseFigureColumns.Select(c => c.Column).ToArray())
        .With("Figures", ReturnValues.From(ReleaseFigureColumns.Select(c =>
            KeyValuePair.Create(c.Field, row[c.Column] is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : (long?)null))).ToJson());

    /// <summary>A row read after the upgrade, its figures in one canonical text: each provider writes JSON its own way.</summary>
    private static Row Canonical(Row row) =>
        row.TryGetValue("Figures", out var figures) && figures is not null ? row.With("Figures", ReturnValues.FromJson(figures).ToJson()) : row;

    private readonly TestDatabase database = new();

    /// <summary>
    /// What this release answers to a read, given what the previous release answered: every field and value as it
    /// was, and the fields of the template's new indicators beside them, null (or reported by no country).
    /// </summary>
    private static void Served(string path, string previousBody, string body)
    {
        using var before = JsonDocument.Parse(previousBody);
        using var after = JsonDocument.Parse(body);
        var differences = new List<string>();
        Compare(before.RootElement, after.RootElement, "$", differences);
        differences.Should().BeEmpty($"GET {path} answers as it did, with only the new indicators added");
    }

    private static void Compare(JsonElement before, JsonElement after, string at, List<string> differences)
    {
        if (before.ValueKind == JsonValueKind.Object && after.ValueKind == JsonValueKind.Object)
        {
            var old = before.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
            foreach (var property in after.EnumerateObject())
            {
                if (old.Remove(property.Name, out var was))
                {
                    Compare(was, property.Value, $"{at}.{property.Name}", differences);
                }
                else if (at.EndsWith(".reportedBy", StringComparison.Ordinal) && property.Name == "victimsByExploitation")
                {
                    // New: the countries that reported any option, at least as many as reported the most reported one.
                    var options = before.EnumerateObject().Where(p => p.Name.StartsWith("victimsByExploitation.", StringComparison.Ordinal)).Select(p => p.Value.GetInt32());
                    if (property.Value.GetInt32() < options.DefaultIfEmpty(0).Max())
                    {
                        differences.Add($"{at}.{property.Name} counts fewer countries than one of its options");
                    }
                }
                else if (!NewFields.Contains(property.Name) || property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Number) || property.Value.ValueKind == JsonValueKind.Number && property.Value.GetInt64() != 0)
                {
                    differences.Add($"{at}.{property.Name} is new: {property.Value}");
                }
            }

            differences.AddRange(old.Keys.Select(name => $"{at}.{name} is gone"));
        }
        else if (before.ValueKind == JsonValueKind.Array && after.ValueKind == JsonValueKind.Array && before.GetArrayLength() == after.GetArrayLength())
        {
            foreach (var (was, now, i) in before.EnumerateArray().Zip(after.EnumerateArray(), Enumerable.Range(0, before.GetArrayLength())))
            {
                Compare(was, now, $"{at}[{i}]", differences);
            }
        }
        else if (before.GetRawText() != after.GetRawText())
        {
            differences.Add($"{at} was {before.GetRawText()}, is {after.GetRawText()}");
        }
    }

    [Fact]
    public async Task ADatabaseOfThePreviousReleaseUpgradesWithEveryRowIntactAndTheAppServesAllItHeld()
    {
        var release = await PreviousRelease.RestoreAsync(database);
        var history = await HistoryAsync();
        history.Should().NotBeEmpty($"the release at {release.Commit} migrated its database");
        var before = await RowsAsync();
        before.Should().NotBeEmpty();
        foreach (var (table, rows) in before)
        {
            rows.Should().NotBeEmpty($"the release's database holds {table} rows, so that they are checked");
        }

        using var upgraded = LiberterraApp.Production(database: database);
        _ = upgraded.Services; // starts the app: it migrates and seeds as at any start

        List<string> migrations;
        using (var scope = upgraded.Services.CreateScope())
        {
            migrations = scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().Database.GetMigrations().ToList();
        }

        var releaseIds = history.Select(h => h.Split('|')[0]).ToList();
        migrations.Should().StartWith(releaseIds, "this release knows each of the release's migrations by its id");
        var historyAfter = await HistoryAsync();
        historyAfter.Take(history.Count).Should().Equal(history, "none of the release's migrations runs again");
        historyAfter.Skip(history.Count).Select(h => h.Split('|')[0]).Should().Equal(migrations.Skip(releaseIds.Count), "this release's own migrations run, each once");

        var after = await RowsAsync();
        after.Keys.Should().BeEquivalentTo(before.Keys, "the upgrade keeps every table");
        foreach (var (table, rows) in before)
        {
            var expected = Lines(rows.Select(UpgradedRows.GetValueOrDefault(table, row => row)));
            if (table == "DataProtectionKeys")
            {
                // Data Protection makes a new key at start once the release's has expired (90 days); the old ones must stay.
                Lines(after[table]).Should().Contain(expected, "every key of the release is kept, so what it protected is still read");
                continue;
            }

            Lines(after[table].Select(Canonical)).Should().Equal(expected, $"every row of {table} survives the upgrade");
        }

        using (var migrated = new TestDatabase())
        {
            await using (var db = migrated.Context())
            {
                await db.Database.MigrateAsync();
            }

            (await MigratedSchemaTests.DescribeAsync(database)).Should().Equal(await MigratedSchemaTests.DescribeAsync(migrated),
                "the upgraded schema is the one this release's migrations build on an empty database");
        }

        await release.Deployment.AssertReadsAsync(upgraded, Served);
        await release.Deployment.AssertHeldByAsync(upgraded);
    }

    [Fact]
    public async Task AnUpgradedDatabaseTakesWritesAndItsRevisionRisesWithThem()
    {
        var release = await PreviousRelease.RestoreAsync(database);
        using var upgraded = LiberterraApp.Production(database: database);
        var spain = upgraded.ClientWithKey(release.Deployment.SpainKey);
        var admin = upgraded.ClientWithKey(release.Deployment.AdminKey);
        var amended = ReturnAt("copy-drill", "ESP", "2026-11-02");
        var versions = (await admin.GetJsonAsync($"{amended}/history")).GetProperty("versions").GetArrayLength();
        var revision = await RevisionAsync(upgraded, "copy-drill");

        (await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-02", arrests: 12))).StatusCode.Should().Be(HttpStatusCode.OK, "the release's return is amended");
        (await PostReturnAsync(spain, "copy-drill", Return("ESP", "2026-11-04", arrests: 2))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await admin.GetJsonAsync($"{amended}/history")).GetProperty("versions").GetArrayLength().Should().Be(versions + 1, "the amendment follows the release's versions");
        (await admin.GetJsonAsync(ReturnAt("copy-drill", "ESP", "2026-11-04"))).Int("arrests").Should().Be(2);
        (await RevisionAsync(upgraded, "copy-drill")).Should().Be(revision + 2, "each write moves the operation's revision on from the release's");
    }

    /// <summary>EF's migration history, oldest first, one line per migration: its id and the EF version that applied it.</summary>
    private async Task<List<string>> HistoryAsync()
    {
        await using var connection = await database.OpenAsync();
        return await TestDatabase.QueryAsync(connection, $"""SELECT "MigrationId", "ProductVersion" FROM "{MigrationHistory}" ORDER BY "MigrationId" """,
            row => $"{row.GetString(0)}|{row.GetString(1)}");
    }

    /// <summary>
    /// Every row of every table as the database holds it, read with plain SQL. Not EF's own tables (the migration
    /// history is compared apart) nor SQLite's sqlite_sequence, which moves when the app makes a Data Protection key; the
    /// writes test shows that new rows get new ids.
    /// </summary>
    private async Task<Dictionary<string, List<Row>>> RowsAsync()
    {
        var rows = new Dictionary<string, List<Row>>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync();
        foreach (var table in (await database.TablesAsync()).Where(t => !t.StartsWith("__EF", StringComparison.Ordinal) && !t.StartsWith("sqlite_", StringComparison.Ordinal)))
        {
            rows[table] = await TestDatabase.QueryAsync(connection, $"""SELECT * FROM "{table}" """, ReadRow);
        }

        return rows;
    }

    private static Row ReadRow(DbDataReader reader) => new(Enumerable.Range(0, reader.FieldCount).ToDictionary(
        reader.GetName,
        i => reader.IsDBNull(i) ? null : reader.GetValue(i) switch
        {
            DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
            byte[] bytes => Convert.ToBase64String(bytes),
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        },
        StringComparer.Ordinal));

    /// <summary>Each row as one line of its columns in name order, the lines sorted, so row and column order do not matter.</summary>
    private static List<string> Lines(IEnumerable<Row> rows) =>
        rows.Select(row => string.Join(" | ", row.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value ?? "NULL"}")))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<long> RevisionAsync(LiberterraApp app, string code)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<LiberterraDbContext>().OperationRevisions()
            .Where(o => o.Code == code).Select(o => o.Revision).SingleAsync();
    }

    public void Dispose() => database.Dispose();

    /// <summary>One row: each column's value as invariant text (timestamps round-trip, bytes in base64), null for NULL.</summary>
    private sealed class Row(IDictionary<string, string?> columns) : Dictionary<string, string?>(columns, StringComparer.Ordinal)
    {
        /// <summary>This row with a column set, e.g. one a migration adds.</summary>
        public Row With(string column, string? value) => new(this) { [column] = value };

        /// <summary>This row without some columns, e.g. those a migration drops.</summary>
        public Row Without(params string[] dropped) => new(this.Where(c => !dropped.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value));
    }
}
