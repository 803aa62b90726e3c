using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;
using Liberterra.Data;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Liberterra.Web.Tests;

/// <summary>
/// RowWriter writes rows without SaveChanges: on SQLite through SQLitePCL.raw, binding values itself; on PostgreSQL many
/// rows to one INSERT, each returned key matched to its row by the table's unique index, because SQL does not promise
/// that RETURNING keeps the order of VALUES. These tests check, on the run's provider, that every row gets its own key
/// whatever the order of the rows and however they fall into statements, that a row is stored exactly as SaveChanges
/// stores it, and that failures surface as SaveChanges' would.
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
        var returns = drafts.Select(d => ReturnRecord.First(DataSetTemplates.TraffickingSmuggling, operationId, d.Country, ReturnPeriod.Day(d.Day),
            ReturnValues.Of(("arrests", d.Arrests)), null, "test", null, illustrative: false, now)).ToList();

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
            (row.Country, row.Period, row.Values["arrests"]).Should().Be((record.Country, record.Period, record.Values["arrests"]));
        }

        var versions = await check.ReturnVersions.AsNoTracking().ToListAsync();
        versions.Should().HaveCount(count);
        versions.Select(v => v.Id).Should().BeEquivalentTo(returns.Select(r => r.Versions[0].Id));
        foreach (var version in versions)
        {
            version.Values["arrests"].Should().Be(stored[version.ReturnId].Values["arrests"], "each version belongs to the return it was written for");
        }
    }

    [Fact]
    public async Task ARowWrittenByRowWriterIsStoredExactlyAsSaveChangesStoresIt()
    {
        var operationId = await PrepareAsync();
        // Fractions of a second, a bool, text with quotes and non-ASCII, nulls and numbers: everything RowWriter must
        // bind as EF and the driver would.
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567);
        var metrics = ReturnValues.Of(("arrests", 12), ("arrestsTraffickingSmuggling", 3), ("officersDeployed", 0));
        ReturnRecord Make(string country) => ReturnRecord.First(DataSetTemplates.TraffickingSmuggling, operationId, country, ReturnPeriod.Day(new DateOnly(2026, 3, 4)),
            metrics, "a \"quoted\" note, São Tomé", "unit \"x\"", 42, illustrative: true, at);
        var reference = Make(Countries[0]);
        var alone = Make(Countries[1]);
        var together = Countries.Skip(2).Take(3).Select(Make).ToList();

        await using (var db = database.Context())
        {
            db.Returns.Add(reference); // the return and its first version, by SaveChanges
            await db.SaveChangesAsync();
        }

        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await RowWriter.InsertAsync(db, [alone], CancellationToken.None); // one row
            await RowWriter.InsertAsync(db, together, CancellationToken.None); // several: on PostgreSQL one JSON statement
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
            rows.Should().HaveCount(5);
            rows[0].Should().ContainKey("IsIllustrative");
            foreach (var row in rows.Skip(1))
            {
                row.Should().BeEquivalentTo(rows[0], $"{table}: RowWriter stores what SaveChanges stores, value and type");
            }
        }
    }

    [Fact]
    public async Task AnUpdateWithAStaleTokenFailsAsSaveChangesWouldAndOneWithTheTokenItWasReadWithIsMade()
    {
        var operationId = await PrepareAsync();
        var record = ReturnRecord.First(DataSetTemplates.TraffickingSmuggling, operationId, "ESP", ReturnPeriod.Day(new DateOnly(2026, 1, 1)),
            ReturnValues.Of(("arrests", 1)), null, "test", null, illustrative: false, DateTime.UtcNow);
        await using (var db = database.Context())
        {
            db.Returns.Add(record);
            await db.SaveChangesAsync();
        }

        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            record.Values = ReturnValues.Of(("arrests", 2));
            record.Version = 3;
            var stale = () => RowWriter.UpdateAsync(db, [(record, (object)2)], CancellationToken.None); // it was read at version 1
            await stale.Should().ThrowAsync<DbUpdateConcurrencyException>();

            await RowWriter.UpdateAsync(db, [(record, (object)1)], CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var check = database.Context();
        var stored = await check.Returns.AsNoTracking().SingleAsync();
        (stored.Version, stored.Values["arrests"]).Should().Be((3, 2), "the update with the token it was read with is made");
    }

    [Fact]
    public async Task TwoRowsWithOneUniqueValueFailAsTheDatabaseWouldAndWriteNothing()
    {
        var operationId = await PrepareAsync();
        var now = DateTime.UtcNow;
        var day = ReturnPeriod.Day(new DateOnly(2026, 1, 1));
        var twins = Enumerable.Range(0, 2).Select(i => ReturnRecord.First(DataSetTemplates.TraffickingSmuggling, operationId, "ESP", day,
            ReturnValues.Of(("arrests", i)), null, "test", null, illustrative: false, now)).ToList();

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
            DataSet = DataSetTemplates.TraffickingSmuggling,
            CreatedAt = DateTime.UtcNow,
            Participants = Countries.Select(c => new ParticipantRecord { Country = c }).ToList(),
        };
        db.Operations.Add(operation);
        await db.SaveChangesAsync();
        return operation.Id;
    }

    public void Dispose() => database.Dispose();
}
