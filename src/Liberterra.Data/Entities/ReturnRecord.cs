using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Data.Entities;

/// <summary>
/// The current version of one country's return for one period. Reads aggregate these rows only,
/// so the cost of a read does not grow with the length of the history in <see cref="ReturnVersionRecord"/>.
/// </summary>
public sealed class ReturnRecord
{
    public long Id { get; init; }
    public int OperationId { get; init; }
    public required string Country { get; init; }
    public ReturnPeriod Period { get; init; }
    /// <summary>The reported figures, stored as one JSON object keyed by column name (see <see cref="ReturnValues"/>).</summary>
    public required ReturnValues Values { get; set; }
    public string? Notes { get; set; }

    /// <summary>Starts at 1 and rises by one with every amendment; also the optimistic-concurrency token.</summary>
    public int Version { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>True for seed data whose split across countries and days is an illustrative allocation.</summary>
    public bool IsIllustrative { get; set; }

    public List<ReturnVersionRecord> Versions { get; init; } = [];

    /// <summary>A new return at version 1, with that version already in its history.</summary>
    public static ReturnRecord First(
        DataSet dataSet, int operationId, string country, ReturnPeriod period, ReturnValues values, string? notes,
        string submittedBy, long? submittedByKeyId, bool illustrative, DateTime at)
    {
        var record = new ReturnRecord
        {
            OperationId = operationId,
            Country = country,
            Period = period,
            Values = values,
            Notes = notes,
            Version = 1,
            UpdatedAt = at,
            IsIllustrative = illustrative,
        };
        record.Versions.Add(record.Snapshot(submittedBy, submittedByKeyId, ReturnChanges.Initial(dataSet, values, notes), at));
        return record;
    }

    /// <summary>The current figures as a history row: who sent them, when, and which fields they changed.</summary>
    public ReturnVersionRecord Snapshot(string submittedBy, long? submittedByKeyId, IReadOnlyList<string> changedFields, DateTime at) => new()
    {
        ReturnId = Id,
        Version = Version,
        Values = Values,
        Notes = Notes,
        SubmittedAt = at,
        SubmittedBy = submittedBy,
        SubmittedByKeyId = submittedByKeyId,
        ChangedFields = string.Join(',', changedFields),
        IsIllustrative = IsIllustrative,
    };

    public CountryReturn ToDomain() => new(Country, Period, Values, Notes, Version, UpdatedAt, IsIllustrative);
}

/// <summary>Every version of every return, never updated or deleted: the audit trail behind the current figures.</summary>
public sealed class ReturnVersionRecord
{
    public long Id { get; init; }

    /// <summary>Settable: a version of a return created in the same transaction learns its return's id only when that is inserted.</summary>
    public long ReturnId { get; set; }
    public int Version { get; init; }
    public required ReturnValues Values { get; init; }
    public string? Notes { get; init; }
    public DateTime SubmittedAt { get; init; }

    /// <summary>Who sent this version: the key's label, or "seed" for seed data.</summary>
    public required string SubmittedBy { get; init; }

    /// <summary>The id of the API key that sent this version; null for seed data.</summary>
    public long? SubmittedByKeyId { get; init; }

    /// <summary>The API names of the fields this version changed, comma-separated.</summary>
    public string? ChangedFields { get; init; }

    public bool IsIllustrative { get; init; }
}
