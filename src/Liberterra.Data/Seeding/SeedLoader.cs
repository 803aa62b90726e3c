using System.Text.Json;
using Liberterra.Core.Countries;
using Liberterra.Core.Csv;
using Liberterra.Core.DataSets;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liberterra.Data.Seeding;

/// <summary>
/// Loads <c>seed-data/</c>: the country table, then each operation that is not in the database yet.
/// An operation already present is never touched, so returns submitted after seeding are safe from it.
/// Seed returns are checked with the same validator as submitted ones and are marked illustrative.
/// </summary>
public sealed class SeedLoader(LiberterraDbContext db, ILogger logger)
{
    public const string SeedSubmitter = "seed";

    public async Task SeedAsync(string directory, CancellationToken cancellationToken = default)
    {
        var countries = await SeedCountriesAsync(Path.Combine(directory, "countries.csv"), cancellationToken).ConfigureAwait(false);
        var seedFile = await ReadSeedFileAsync(Path.Combine(directory, "operations.json"), cancellationToken).ConfigureAwait(false);
        foreach (var operation in seedFile.Operations)
        {
            if (await db.Operations.AnyAsync(o => o.Code == operation.Code, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var returns = ReadReturns(Path.Combine(directory, operation.ReturnsFile), operation, countries);
            await SaveOperationAsync(operation, returns, cancellationToken).ConfigureAwait(false);
            SeedLog.OperationSeeded(logger, operation.Code, returns.Count);
        }
    }

    public static IReadOnlyList<Country> ReadCountries(string path)
    {
        using var reader = File.OpenText(path);
        return CountriesCsv.Read(reader);
    }

    public static async Task<SeedFile> ReadSeedFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<SeedFile>(stream, SeedFile.JsonOptions, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
    }

    /// <summary>Reads an operation's seed returns and checks each one exactly as a submitted return would be checked.</summary>
    /// <exception cref="InvalidDataException">Any row is malformed or breaks a validation rule.</exception>
    public static IReadOnlyList<ReturnCsvRow> ReadReturns(string path, SeedOperation operation, IReadOnlyDictionary<string, Country> countries)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(countries);
        var domain = ToDomain(operation);
        var unknown = domain.Participants.Where(code => !countries.ContainsKey(code)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{operation.Code}: participants not in countries.csv: {string.Join(", ", unknown)}.");
        }

        IReadOnlyList<ReturnCsvRow> rows;
        using (var reader = File.OpenText(path))
        {
            rows = ReturnsCsv.Read(reader, domain.DataSet);
        }

        var problems = new List<string>();
        foreach (var row in rows)
        {
            var errors = row.Errors.Count > 0 ? row.Errors : ReturnValidator.Validate(domain, row.Country, row.Period, row.Values, row.Notes);
            problems.AddRange(errors.SelectMany(error => error.Value.Select(message => $"row {row.Row} ({row.Country} {row.Period}) {error.Key}: {message}")));
        }

        problems.AddRange(rows.GroupBy(row => (row.Country, row.Period)).Where(group => group.Count() > 1)
            .Select(group => $"{group.Key.Country} {group.Key.Period} appears {group.Count()} times."));
        problems.AddRange(rows.GroupBy(row => row.Country).Where(group => group.Select(row => row.Period.IsWholeOperation).Distinct().Count() > 1)
            .Select(group => $"{group.Key} mixes daily and whole-operation returns."));

        return problems.Count == 0
            ? rows
            : throw new InvalidDataException($"{path} is not valid seed data:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
    }

    public static Operation ToDomain(SeedOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new Operation(
            operation.Code,
            operation.Name,
            operation.StartDate,
            operation.EndDate,
            operation.Status,
            operation.Participants.ToHashSet(StringComparer.Ordinal),
            operation.PublishedFigures.Select(f => new PublishedFigure(f.Metric, f.Value, f.Qualifier, f.Source)).ToList(),
            operation.AllocationNote,
            DataSetOf(operation));
    }

    /// <summary>The template an operation names, the trafficking-smuggling one when it names none.</summary>
    /// <exception cref="InvalidDataException">The operation names a template that does not exist.</exception>
    public static DataSet DataSetOf(SeedOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return DataSetTemplates.Named(operation.DataSet ?? DataSetTemplates.TraffickingSmugglingName)
            ?? throw new InvalidDataException($"{operation.Code}: no data set template is named '{operation.DataSet}'.");
    }

    private async Task<IReadOnlyDictionary<string, Country>> SeedCountriesAsync(string path, CancellationToken cancellationToken)
    {
        var countries = ReadCountries(path);
        var existing = await db.Countries.Select(c => c.Alpha3).ToListAsync(cancellationToken).ConfigureAwait(false);
        var missing = countries.ExceptBy(existing, c => c.Alpha3, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            db.Countries.AddRange(missing.Select(c => new CountryRecord { Alpha3 = c.Alpha3, Alpha2 = c.Alpha2, Name = c.Name, Region = c.Region }));
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }

        return countries.ToDictionary(c => c.Alpha3, StringComparer.Ordinal);
    }

    private async Task SaveOperationAsync(SeedOperation operation, IReadOnlyList<ReturnCsvRow> rows, CancellationToken cancellationToken)
    {
        var seededAt = DateTime.UtcNow;
        var record = new OperationRecord
        {
            Code = operation.Code,
            Name = operation.Name,
            StartDate = operation.StartDate,
            EndDate = operation.EndDate,
            Status = operation.Status,
            DataSet = DataSetOf(operation),
            AllocationNote = operation.AllocationNote,
            CreatedAt = seededAt,
            Participants = operation.Participants.Select(code => new ParticipantRecord { Country = code }).ToList(),
            PublishedFigures = operation.PublishedFigures
                .Select(f => new PublishedFigureRecord { Metric = f.Metric, Value = f.Value, Qualifier = f.Qualifier, Source = f.Source }).ToList(),
        };

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                db.Operations.Add(record);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.Returns.AddRange(rows.Select(row => ReturnRecord.First(
                    record.DataSet, record.Id, row.Country, row.Period, row.Values, row.Notes, SeedSubmitter, submittedByKeyId: null, illustrative: true, seededAt)));
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }
}

internal static partial class SeedLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded operation {OperationCode} with {ReturnCount} returns (illustrative allocation)")]
    public static partial void OperationSeeded(ILogger logger, string operationCode, int returnCount);
}
