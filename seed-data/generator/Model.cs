using System.Globalization;

namespace Liberterra.SeedData;

/// <summary>Thrown when the seed data would break one of its invariants; nothing is written.</summary>
public sealed class SeedInvariantException(string message) : Exception(message);

/// <summary>The metric columns of a returns file, in file order.</summary>
internal enum Metric
{
    Arrests,
    ArrestsTraffickingSmuggling,
    VictimsSafeguarded,
    VictimsMinors,
    Sexual,
    ForcedLabour,
    ForcedCriminality,
    DomesticServitude,
    OrganRemoval,
    OtherExploitation,
    IrregularMigrants,
    InvestigationsOpened,
    OfficersDeployed,
    Inspections,
    FlightsMonitored,
    DatabaseChecks,
    CriminalGroupsDismantled,
    ForgedDocumentsSeized,
}

internal static class Metrics
{
    public static readonly IReadOnlyList<Metric> All = Enum.GetValues<Metric>();

    /// <summary>The six victimsByExploitation columns; their sum may not exceed victimsSafeguarded.</summary>
    public static readonly IReadOnlyList<Metric> Exploitation =
    [
        Metric.Sexual, Metric.ForcedLabour, Metric.ForcedCriminality,
        Metric.DomesticServitude, Metric.OrganRemoval, Metric.OtherExploitation,
    ];

    /// <summary>Published as a count of people on duty, not a flow: see <see cref="Invariants.OfficersStock"/>.</summary>
    public const Metric Stock = Metric.OfficersDeployed;

    public static string ColumnName(Metric metric) => metric switch
    {
        Metric.Arrests => "arrests",
        Metric.ArrestsTraffickingSmuggling => "arrestsTraffickingSmuggling",
        Metric.VictimsSafeguarded => "victimsSafeguarded",
        Metric.VictimsMinors => "victimsMinors",
        Metric.Sexual => "victimsByExploitation.sexual",
        Metric.ForcedLabour => "victimsByExploitation.forcedLabour",
        Metric.ForcedCriminality => "victimsByExploitation.forcedCriminality",
        Metric.DomesticServitude => "victimsByExploitation.domesticServitude",
        Metric.OrganRemoval => "victimsByExploitation.organRemoval",
        Metric.OtherExploitation => "victimsByExploitation.other",
        Metric.IrregularMigrants => "irregularMigrants",
        Metric.InvestigationsOpened => "investigationsOpened",
        Metric.OfficersDeployed => "officersDeployed",
        Metric.Inspections => "inspections",
        Metric.FlightsMonitored => "flightsMonitored",
        Metric.DatabaseChecks => "databaseChecks",
        Metric.CriminalGroupsDismantled => "criminalGroupsDismantled",
        Metric.ForgedDocumentsSeized => "forgedDocumentsSeized",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };
}

/// <summary>
/// One line of a returns file: what one country reported for one day (daily operations) or for
/// the whole operation (<see cref="Date"/> null). A null metric means "not reported", which is
/// different from a reported 0 and is written as an empty cell.
/// </summary>
internal sealed class ReturnRow(string country, DateOnly? date)
{
    private readonly int?[] values = new int?[Metrics.All.Count];

    public string Country { get; } = country;

    public DateOnly? Date { get; } = date;

    public string? Notes { get; private set; }

    public int? this[Metric metric]
    {
        get => values[(int)metric];
        set => values[(int)metric] = value;
    }

    public void AddNote(string note) => Notes = Notes is null ? note : Notes + " " + note;

    public override string ToString() =>
        Country + " " + (Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(whole operation)");
}

internal enum Qualifier
{
    Exact,
    MoreThan,
    About,
    Nearly,
}

/// <summary>
/// A figure as published. <paramref name="Metric"/> is null for the participant count, which is
/// not a returns column.
/// </summary>
internal sealed record PublishedFigure(string Name, Metric? Metric, int Value, Qualifier Qualifier, string Source);

internal sealed record Operation(
    string Code,
    string Name,
    DateOnly StartDate,
    DateOnly EndDate,
    bool ReportsDaily,
    string AllocationNote,
    IReadOnlyList<string> Participants,
    IReadOnlyList<PublishedFigure> PublishedFigures,
    IReadOnlyList<ReturnRow> Rows)
{
    public string ReturnsFile => "returns/" + Code + ".csv";

    public IEnumerable<DateOnly> Days()
    {
        for (var day = StartDate; day <= EndDate; day = day.AddDays(1))
        {
            yield return day;
        }
    }
}
