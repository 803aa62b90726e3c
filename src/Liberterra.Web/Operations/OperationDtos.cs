using System.Text.Json.Serialization;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Web.DataSets;

namespace Liberterra.Web.Operations;

public sealed record OperationSummaryDto(string Code, string Name, DateOnly StartDate, DateOnly EndDate, string Status, int CountriesParticipating)
{
    public static OperationSummaryDto From(Operation operation) => new(
        operation.Code, operation.Name, operation.StartDate, operation.EndDate, Names.Status(operation.Status), operation.Participants.Count);
}

public sealed record OperationDto(
    string Code,
    string Name,
    DateOnly StartDate,
    DateOnly EndDate,
    string Status,
    int CountriesParticipating,
    IReadOnlyList<string> Participants,
    IReadOnlyList<PublishedFigureDto> PublishedFigures,
    string? AllocationNote)
{
    public static OperationDto From(Operation operation) => new(
        operation.Code, operation.Name, operation.StartDate, operation.EndDate, Names.Status(operation.Status),
        operation.Participants.Count, operation.Participants.Order(StringComparer.Ordinal).ToList(),
        operation.PublishedFigures.Select(f => new PublishedFigureDto(f.Metric, f.Value, Names.Qualifier(f.Qualifier), f.Source)).ToList(),
        operation.AllocationNote);
}

/// <param name="Qualifier">"exact", "moreThan" (published as "over N") or "about".</param>
public sealed record PublishedFigureDto(string Metric, long Value, string Qualifier, string? Source);

/// <summary>
/// The figures every roll-up row carries: one field per indicator of the operation's data set, in its order, a breakdown
/// as an object keyed by option. Null means nobody reported it; 0 means it was reported as zero. A stock is each
/// country's highest level over its periods, summed across countries.
/// </summary>
public abstract record FiguresDto
{
    protected FiguresDto(IndicatorTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        Figures = IndicatorFigures.Of(totals.DataSet, column => totals[column]);
    }

    /// <summary>One field per indicator of the operation's data set.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> Figures { get; }

    /// <summary>For each indicator, each breakdown option ("code.option") and each breakdown as a whole, how many countries reported it.</summary>
    protected static IReadOnlyDictionary<string, int> CountReporting(IndicatorTotals totals) => IndicatorFigures.ReportedBy(totals);
}

public sealed record TotalsDto(
    string Operation,
    int CountriesParticipating,
    int CountriesReporting,
    DateTime? LastUpdated,
    bool IllustrativeAllocation,
    string? Notice,
    [property: JsonIgnore] IndicatorTotals Totals) : FiguresDto(Totals)
{
    public IReadOnlyDictionary<string, int> ReportedBy { get; } = CountReporting(Totals);

    public static TotalsDto From(OperationAggregate aggregate) => new(
        aggregate.Operation.Code, aggregate.CountriesParticipating, aggregate.CountriesReporting, aggregate.LastUpdated,
        aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate), aggregate.Totals);
}

public sealed record RegionDto(
    string Region, int CountriesParticipating, int CountriesReporting, [property: JsonIgnore] IndicatorTotals Totals) : FiguresDto(Totals)
{
    public IReadOnlyDictionary<string, int> ReportedBy { get; } = CountReporting(Totals);

    public static RegionDto From(RegionAggregate region) =>
        new(region.Region.DisplayName(), region.CountriesParticipating, region.CountriesReporting, region.Figures);
}

public sealed record RegionListDto(string Operation, bool IllustrativeAllocation, string? Notice, IReadOnlyList<RegionDto> Regions);

public sealed record CountryDto(
    string Country,
    string Name,
    string Region,
    bool Participant,
    DateTime? LastUpdated,
    bool Illustrative,
    [property: JsonIgnore] IndicatorTotals Totals) : FiguresDto(Totals)
{
    public static CountryDto From(CountryAggregate row) => new(
        row.Country.Alpha3, row.Country.Name, row.Country.Region.DisplayName(), row.IsParticipant, row.LastUpdated, row.IsIllustrative, row.Figures);
}

public sealed record CountryListDto(string Operation, bool IllustrativeAllocation, string? Notice, IReadOnlyList<CountryDto> Countries);

public sealed record DayDto(DateOnly Date, int CountriesReporting, [property: JsonIgnore] IndicatorTotals Totals) : FiguresDto(Totals);

public sealed record WholeOperationDto(int CountriesReporting, [property: JsonIgnore] IndicatorTotals Totals) : FiguresDto(Totals);

/// <param name="WholeOperation">Whole-operation returns, which belong to no single day; null when there are none.</param>
public sealed record TimelineDto(string Operation, bool IllustrativeAllocation, string? Notice, IReadOnlyList<DayDto> Days, WholeOperationDto? WholeOperation)
{
    public static TimelineDto From(OperationAggregate aggregate) => new(
        aggregate.Operation.Code, aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate),
        aggregate.Timeline.Select(day => new DayDto(day.Date, day.CountriesReporting, day.Figures)).ToList(),
        aggregate.WholeOperationReturns is { } whole ? new WholeOperationDto(whole.CountriesReporting, whole.Figures) : null);
}

public sealed record CountryRefDto(string Country, string Name, string Region);

public sealed record CountryStatusDto(string Country, string Name, string Region, bool Reported, int PeriodsReported, DateTime? LastReturnAt);

public sealed record CompletenessDto(
    string Operation, int CountriesParticipating, int CountriesReporting, bool IllustrativeAllocation, string? Notice,
    IReadOnlyList<CountryRefDto> NotReported, IReadOnlyList<CountryStatusDto> Countries)
{
    public static CompletenessDto From(OperationAggregate aggregate) => new(
        aggregate.Operation.Code,
        aggregate.CountriesParticipating,
        aggregate.CountriesReporting,
        aggregate.IncludesIllustrativeAllocation,
        Names.Notice(aggregate),
        aggregate.NotReporting.Select(c => new CountryRefDto(c.Country.Alpha3, c.Country.Name, c.Country.Region.DisplayName())).ToList(),
        aggregate.Countries.Where(c => c.IsParticipant)
            .Select(c => new CountryStatusDto(c.Country.Alpha3, c.Country.Name, c.Country.Region.DisplayName(), c.HasReported, c.PeriodsReported, c.LastUpdated))
            .ToList());
}

internal static class Names
{
    public const string DefaultNotice =
        "Totals reproduce the published figures; the split across countries and days is an illustrative allocation, not published data.";

    public static string Status(OperationStatus status) => status == OperationStatus.Final ? "final" : "open";

    public static string Qualifier(FigureQualifier qualifier) => qualifier switch
    {
        FigureQualifier.MoreThan => "moreThan",
        FigureQualifier.About => "about",
        FigureQualifier.Nearly => "nearly",
        _ => "exact",
    };

    /// <summary>Said on every roll-up that includes seed figures, so no reader mistakes the split for published data.</summary>
    public static string? Notice(OperationAggregate aggregate) =>
        aggregate.IncludesIllustrativeAllocation ? aggregate.Operation.AllocationNote ?? DefaultNotice : null;
}
