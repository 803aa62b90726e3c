using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// RowWriter puts many rows in one INSERT and matches each returned key to its row by the table's unique index, because
/// SQL does not promise that RETURNING keeps the order of VALUES. These tests check, on the run's provider, that every
/// row gets its own key whatever the order of the rows and however they fall into statements.
/// </summary>
public sealed class RowWriterTests : IDisposable
{
    private readonly TestDatabase database = new();

    [Theory]
    [InlineData(1)]
    [InlineData(49)] // one short statement
    [InlineData(2_503)] // many full statements and a short last one
    public async Task EveryInsertedRowGetsItsOwnKeyAndItsVersionsPointAtIt(int count)
    {
        var operationId = await PrepareAsync();
        var now = DateTime.UtcNow;
        // Rows out of any index order, so that a key matched by position in a different order would be caught.
        var drafts = Enumerable.Range(0, count)
            .Select(i => (Country: Countries[i % Countries.Length], Day: new DateOnly(2026, 1, 1).AddDays(i / Countries.Length), Arrests: i))
            .OrderByDescending(d => d.Day).ThenBy(d => d.Country, StringComparer.Ordinal)
            .ToList();
        var returns = drafts.Select(d => ReturnRecord.First(operationId, d.Country, ReturnPeriod.Day(d.Day),
            new ReturnMetrics { Arrests = d.Arrests }, null, "test", null, illustrative: false, now)).ToList();

        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await RowWriter.InsertAsync(db, returns, CancellationToken.None);
            foreach (var record in returns)
            {
                record.Versions[0].ReturnId = record.Id;
            }

            await RowWriter.InsertAsync(db, returns.Select(r => r.Versions[0]).ToList(), CancellationToken.None);
            await transaction.CommitAsync();
        }

        returns.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.NotContain(0);
        await using var check = database.Context();
        var stored = await check.Returns.AsNoTracking().Where(r => r.OperationId == operationId).ToDictionaryAsync(r => r.Id);
        stored.Should().HaveCount(count);
        foreach (var record in returns)
        {
            var row = stored[record.Id];
            (row.Country, row.Period, row.Metrics.Arrests).Should().Be((record.Country, record.Period, record.Metrics.Arrests));
        }

        var versions = await check.ReturnVersions.AsNoTracking().ToListAsync();
        versions.Should().HaveCount(count);
        versions.Select(v => v.Id).Should().BeEquivalentTo(returns.Select(r => r.Versions[0].Id));
        foreach (var version in versions)
        {
            version.Metrics.Arrests.Should().Be(stored[version.ReturnId].Metrics.Arrests, "each version belongs to the return it was written for");
        }
    }

    [Fact]
    public async Task ARowWrittenAsJsonIsStoredExactlyAsAParameterWouldStoreIt()
    {
        var operationId = await PrepareAsync();
        // Fractions of a second, a bool, text with quotes and non-ASCII, nulls and numbers: everything the JSON path
        // must write as the driver would bind it.
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567);
        var metrics = new ReturnMetrics { Arrests = 12, ArrestsTraffickingSmuggling = 3, OfficersDeployed = 0 };
        ReturnRecord Make(string country) => ReturnRecord.First(operationId, country, ReturnPeriod.Day(new DateOnly(2026, 3, 4)),
            metrics, "a \"quoted\" note, São Tomé", "unit \"x\"", 42, illustrative: true, at);
        var alone = Make("ESP");
        var together = Countries.Skip(1).Take(3).Select(Make).ToList();

        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await RowWriter.InsertAsync(db, [alone], CancellationToken.None); // one row: a prepared statement
            await RowWriter.InsertAsync(db, together, CancellationToken.None); // several: one JSON statement
            foreach (var record in together.Prepend(alone))
            {
                record.Versions[0].ReturnId = record.Id;
            }

            await RowWriter.InsertAsync(db, [alone.Versions[0]], CancellationToken.None);
            await RowWriter.InsertAsync(db, together.Select(r => r.Versions[0]).ToList(), CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var connection = await database.OpenAsync();
        var sqlite = database.Engine == DatabaseProvider.Sqlite;
        foreach (var (table, owner) in new[] { ("Returns", "Id"), ("ReturnVersions", "ReturnId") })
        {
            var rows = await TestDatabase.QueryAsync(connection, $"SELECT * FROM \"{table}\" ORDER BY \"{owner}\"", reader =>
                Enumerable.Range(0, reader.FieldCount)
                    .Where(i => reader.GetName(i) is not ("Id" or "ReturnId" or "Country"))
                    .ToDictionary(reader.GetName, i => (Value: reader.GetValue(i), Type: sqlite ? reader.GetDataTypeName(i) : "")));
            rows.Should().HaveCount(4);
            rows[0].Should().ContainKey("IsIllustrative");
            foreach (var row in rows.Skip(1))
            {
                row.Should().BeEquivalentTo(rows[0], $"{table}: the JSON path stores what a parameter stores, value and type");
            }
        }
    }

    [Fact]
    public async Task TwoRowsWithOneUniqueValueFailAsTheDatabaseWouldAndWriteNothing()
    {
        var operationId = await PrepareAsync();
        var now = DateTime.UtcNow;
        var day = ReturnPeriod.Day(new DateOnly(2026, 1, 1));
        var twins = Enumerable.Range(0, 2).Select(i => ReturnRecord.First(operationId, "ESP", day,
            new ReturnMetrics { Arrests = i }, null, "test", null, illustrative: false, now)).ToList();

        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var insert = () => RowWriter.InsertAsync(db, twins, CancellationToken.None);
            await insert.Should().ThrowAsync<DbUpdateException>();
        }

        await using var check = database.Context();
        (await check.Returns.CountAsync()).Should().Be(0);
    }

    private static readonly string[] Countries = ["ESP", "FRA", "ITA", "NGA", "BRA", "THA", "ZAF"];

    private async Task<int> PrepareAsync()
    {
        await using var db = database.Context();
        await DatabaseSetup.PrepareAsync(db, seedDirectory: null, NullLogger.Instance);
        foreach (var (alpha3, alpha2) in Countries.Zip(new[] { "ES", "FR", "IT", "NG", "BR", "TH", "ZA" }))
        {
            db.Countries.Add(new CountryRecord { Alpha3 = alpha3, Alpha2 = alpha2, Name = alpha3, Region = Region.Europe });
        }

        var operation = new OperationRecord
        {
            Code = "row-writer",
            Name = "RowWriter test",
            StartDate = new DateOnly(2026, 1, 1),
            EndDate = new DateOnly(2026, 12, 31),
            Status = OperationStatus.Open,
            CreatedAt = DateTime.UtcNow,
            Participants = Countries.Select(c => new ParticipantRecord { Country = c }).ToList(),
        };
        db.Operations.Add(operation);
        await db.SaveChangesAsync();
        return operation.Id;
    }

    public void Dispose() => database.Dispose();
}
