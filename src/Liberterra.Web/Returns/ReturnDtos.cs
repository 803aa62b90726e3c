using System.Text.Json.Serialization;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;
using Liberterra.Data.Entities;
using Liberterra.Web.DataSets;

namespace Liberterra.Web.Returns;

/// <summary>
/// A return's own figures, under the operation's indicator codes in data-set order (a breakdown as an object keyed by
/// option), beside its notes. Null means not reported.
/// </summary>
public abstract record ReturnFiguresDto
{
    protected ReturnFiguresDto(DataSet dataSet, ReturnValues values, string? notes)
    {
        ArgumentNullException.ThrowIfNull(values);
        Figures = IndicatorFigures.Of(dataSet, column => values[column.Name]);
        Notes = notes;
    }

    public string? Notes { get; }

    /// <summary>One field per indicator of the operation's data set.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Figures { get; }
}

/// <summary>The current version of one return.</summary>
/// <param name="Date">The day, or null for a whole-operation return.</param>
/// <param name="Illustrative">True while the return is still the seed's illustrative allocation.</param>
public sealed record ReturnDto(
    string Operation, string Country, string? Date, int Version, DateTime UpdatedAt, bool Illustrative, [property: JsonIgnore] DataSet DataSet,
    [property: JsonIgnore] ReturnValues Values, [property: JsonIgnore] string? NotesText)
    : ReturnFiguresDto(DataSet, Values, NotesText)
{
    public static ReturnDto From(string operation, DataSet dataSet, ReturnRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(operation, record.Country, record.Period.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            record.Version, record.UpdatedAt, record.IsIllustrative, dataSet, record.Values, record.Notes);
    }

    /// <summary>The ETag of a return is its version: If-Match with a stale one gets 412.</summary>
    public static string ETagOf(int version) => $"\"{version}\"";

    public static string LocationOf(string operation, ReturnRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"/api/v1/operations/{Uri.EscapeDataString(operation)}/returns/{record.Country}/{record.Period}";
    }

}

public sealed record ReturnListDto(string Operation, IReadOnlyList<ReturnDto> Returns);

/// <summary>Who sent a version: the key's id and label, never the key. Seed versions have no key id.</summary>
public sealed record SubmitterDto(long? KeyId, string Label);

public sealed record ReturnVersionDto(
    int Version, DateTime SubmittedAt, SubmitterDto SubmittedBy, IReadOnlyList<string> ChangedFields, bool Illustrative,
    [property: JsonIgnore] DataSet DataSet, [property: JsonIgnore] ReturnValues Values, [property: JsonIgnore] string? NotesText)
    : ReturnFiguresDto(DataSet, Values, NotesText)
{
    public static ReturnVersionDto From(DataSet dataSet, ReturnVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Version, version.SubmittedAt, new SubmitterDto(version.SubmittedByKeyId, version.SubmittedBy),
            string.IsNullOrEmpty(version.ChangedFields) ? [] : version.ChangedFields.Split(','), version.IsIllustrative, dataSet, version.Values, version.Notes);
    }
}

public sealed record ReturnHistoryDto(string Operation, string Country, string Period, IReadOnlyList<ReturnVersionDto> Versions);

/// <summary>One rejected row of a batch: its position (1-based), what it named, and every reason it failed.</summary>
public sealed record ImportErrorDto(int Row, string? Country, string? Date, IReadOnlyList<string> Messages);

/// <summary>What a batch did, or in a dry run would do.</summary>
public sealed record ImportSummaryDto(bool DryRun, bool Atomic, bool Committed, int Created, int Updated, int Unchanged, int Rejected, IReadOnlyList<ImportErrorDto> Errors);

/// <summary>
/// A return as the OpenAPI document describes it (documentation only: requests are read as <see cref="SentReturn"/>):
/// country, date and notes, and one further field per indicator of the operation's data set (GET
/// /api/v1/operations/{code}/dataset), a whole number or, for a breakdown, an object of whole numbers keyed by option.
/// Null or left out means not reported.
/// </summary>
public sealed record ReturnSubmission(string? Country, string? Date, string? Notes)
{
    [JsonExtensionData]
    public Dictionary<string, object?>? Figures { get; init; }
}
