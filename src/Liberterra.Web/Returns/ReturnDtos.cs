using Liberterra.Core.Returns;
using Liberterra.Data.Entities;

namespace Liberterra.Web.Returns;

/// <summary>A return's own figures, in the same field names a client submits. Null means not reported.</summary>
public abstract record ReturnFiguresDto
{
    protected ReturnFiguresDto(ReturnMetrics metrics, string? notes)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Arrests = metrics.Arrests;
        ArrestsTraffickingSmuggling = metrics.ArrestsTraffickingSmuggling;
        VictimsSafeguarded = metrics.VictimsSafeguarded;
        VictimsMinors = metrics.VictimsMinors;
        VictimsByExploitation = metrics.VictimsByExploitation;
        IrregularMigrants = metrics.IrregularMigrants;
        InvestigationsOpened = metrics.InvestigationsOpened;
        OfficersDeployed = metrics.OfficersDeployed;
        Notes = notes;
    }

    public int? Arrests { get; }
    public int? ArrestsTraffickingSmuggling { get; }
    public int? VictimsSafeguarded { get; }
    public int? VictimsMinors { get; }
    public ExploitationBreakdown VictimsByExploitation { get; }
    public int? IrregularMigrants { get; }
    public int? InvestigationsOpened { get; }
    public int? OfficersDeployed { get; }
    public string? Notes { get; }
}

/// <summary>The current version of one return.</summary>
/// <param name="Date">The day, or null for a whole-operation return.</param>
/// <param name="Illustrative">True while the return is still the seed's illustrative allocation.</param>
public sealed record ReturnDto(string Operation, string Country, string? Date, int Version, DateTime UpdatedAt, bool Illustrative, ReturnMetrics Metrics, string? NotesText)
    : ReturnFiguresDto(Metrics, NotesText)
{
    public static ReturnDto From(string operation, ReturnRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(operation, record.Country, record.Period.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            record.Version, record.UpdatedAt, record.IsIllustrative, record.Metrics, record.Notes);
    }

    /// <summary>The ETag of a return is its version: If-Match with a stale one gets 412.</summary>
    public static string ETagOf(int version) => $"\"{version}\"";

    public static string LocationOf(string operation, ReturnRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"/api/v1/operations/{Uri.EscapeDataString(operation)}/returns/{record.Country}/{record.Period}";
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public ReturnMetrics Metrics { get; } = Metrics;

    [System.Text.Json.Serialization.JsonIgnore]
    public string? NotesText { get; } = NotesText;
}

public sealed record ReturnListDto(string Operation, IReadOnlyList<ReturnDto> Returns);

/// <summary>Who sent a version: the key's id and label, never the key. Seed versions have no key id.</summary>
public sealed record SubmitterDto(long? KeyId, string Label);

public sealed record ReturnVersionDto(int Version, DateTime SubmittedAt, SubmitterDto SubmittedBy, IReadOnlyList<string> ChangedFields, bool Illustrative, ReturnMetrics Metrics, string? NotesText)
    : ReturnFiguresDto(Metrics, NotesText)
{
    public static ReturnVersionDto From(ReturnVersionRecord version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Version, version.SubmittedAt, new SubmitterDto(version.SubmittedByKeyId, version.SubmittedBy),
            string.IsNullOrEmpty(version.ChangedFields) ? [] : version.ChangedFields.Split(','), version.IsIllustrative, version.Metrics, version.Notes);
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public ReturnMetrics Metrics { get; } = Metrics;

    [System.Text.Json.Serialization.JsonIgnore]
    public string? NotesText { get; } = NotesText;
}

public sealed record ReturnHistoryDto(string Operation, string Country, string Period, IReadOnlyList<ReturnVersionDto> Versions);

/// <summary>One rejected row of a batch: its position (1-based), what it named, and every reason it failed.</summary>
public sealed record ImportErrorDto(int Row, string? Country, string? Date, IReadOnlyList<string> Messages);

/// <summary>What a batch did, or in a dry run would do.</summary>
public sealed record ImportSummaryDto(bool DryRun, bool Atomic, bool Committed, int Created, int Updated, int Unchanged, int Rejected, IReadOnlyList<ImportErrorDto> Errors);
