using System.Text.Json.Serialization;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

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

public sealed record ExploitationDto(long? Sexual, long? ForcedLabour, long? ForcedCriminality, long? DomesticServitude, long? OrganRemoval, long? Other)
{
    public static ExploitationDto From(MetricTotals figures) => new(
        figures[MetricCatalog.Sexual], figures[MetricCatalog.ForcedLabour], figures[MetricCatalog.ForcedCriminality],
        figures[MetricCatalog.DomesticServitude], figures[MetricCatalog.OrganRemoval], figures[MetricCatalog.Other]);
}

/// <summary>The figures every roll-up row carries. Null means nobody reported the metric; 0 means it was reported as zero.</summary>
public abstract record FiguresDto
{
    protected FiguresDto(MetricTotals figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        Arrests = figures.Arrests;
        ArrestsTraffickingSmuggling = figures.ArrestsTraffickingSmuggling;
        VictimsSafeguarded = figures.VictimsSafeguarded;
        VictimsMinors = figures.VictimsMinors;
        VictimsByExploitation = ExploitationDto.From(figures);
        IrregularMigrants = figures.IrregularMigrants;
        InvestigationsOpened = figures.InvestigationsOpened;
        OfficersDeployed = figures.OfficersDeployed;
    }

    public long? Arrests { get; }
    public long? ArrestsTraffickingSmuggling { get; }
    public long? VictimsSafeguarded { get; }
    public long? VictimsMinors { get; }
    public ExploitationDto VictimsByExploitation { get; }
    public long? IrregularMigrants { get; }
    public long? InvestigationsOpened { get; }

    /// <summary>A stock: each country's highest daily level, summed across countries.</summary>
    public long? OfficersDeployed { get; }

    /// <summary>For each metric, how many countries reported it.</summary>
    protected static IReadOnlyDictionary<string, int> CountReporting(MetricTotals figures) =>
        MetricCatalog.All.ToDictionary(metric => metric.Name, figures.ReportedBy, StringComparer.Ordinal);
}

public sealed record TotalsDto(
    string Operation,
    int CountriesParticipating,
    int CountriesReporting,
    DateTime? LastUpdated,
    bool IllustrativeAllocation,
    string? Notice,
    [property: JsonIgnore] MetricTotals Figures) : FiguresDto(Figures)
{
    public IReadOnlyDictionary<string, int> ReportedBy { get; } = CountReporting(Figures);

    public static TotalsDto From(OperationAggregate aggregate) => new(
        aggregate.Operation.Code, aggregate.CountriesParticipating, aggregate.CountriesReporting, aggregate.LastUpdated,
        aggregate.IncludesIllustrativeAllocation, Names.Notice(aggregate), aggregate.Totals);
}

public sealed record RegionDto(
    string Region, int CountriesParticipating, int CountriesReporting, [property: JsonIgnore] MetricTotals Figures) : FiguresDto(Figures)
{
    public IReadOnlyDictionary<string, int> ReportedBy { get; } = CountReporting(Figures);

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
    [property: JsonIgnore] MetricTotals Figures) : FiguresDto(Figures)
{
    public static CountryDto From(CountryAggregate row) => new(
        row.Country.Alpha3, row.Country.Name, row.Country.Region.DisplayName(), row.IsParticipant, row.LastUpdated, row.IsIllustrative, row.Figures);
}

public sealed record CountryListDto(string Operation, bool IllustrativeAllocation, string? Notice, IReadOnlyList<CountryDto> Countries);

public sealed record DayDto(DateOnly Date, int CountriesReporting, [property: JsonIgnore] MetricTotals Figures) : FiguresDto(Figures);

public sealed record WholeOperationDto(int CountriesReporting, [property: JsonIgnore] MetricTotals Figures) : FiguresDto(Figures);

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
        _ => "exact",
    };

    /// <summary>Said on every roll-up that includes seed figures, so no reader mistakes the split for published data.</summary>
    public static string? Notice(OperationAggregate aggregate) =>
        aggregate.IncludesIllustrativeAllocation ? aggregate.Operation.AllocationNote ?? DefaultNotice : null;
}
