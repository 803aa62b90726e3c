using Liberterra.Core.Countries;
using Liberterra.Core.Operations;

namespace Liberterra.Core.Aggregation;

/// <summary>One country's figures over the whole operation.</summary>
public sealed record CountryAggregate(
    Country Country,
    bool IsParticipant,
    IndicatorTotals Figures,
    int PeriodsReported,
    DateTime? LastUpdated,
    bool IsIllustrative)
{
    public bool HasReported => Figures.IsAnyReported;
}

/// <summary>One region's figures: its countries' figures summed (officers as each country's peak), with participant counts.</summary>
public sealed record RegionAggregate(Region Region, int CountriesParticipating, int CountriesReporting, IndicatorTotals Figures);

/// <summary>All countries' daily returns for one day of the window.</summary>
public sealed record DayAggregate(DateOnly Date, int CountriesReporting, IndicatorTotals Figures);

/// <summary>All whole-operation returns: figures that belong to the operation but to no single day.</summary>
public sealed record WholeOperationAggregate(int CountriesReporting, IndicatorTotals Figures);

/// <summary>Everything the read side shows for one operation, computed once from the current returns.</summary>
public sealed record OperationAggregate(
    Operation Operation,
    IndicatorTotals Totals,
    DateTime? LastUpdated,
    IReadOnlyList<RegionAggregate> Regions,
    IReadOnlyList<CountryAggregate> Countries,
    IReadOnlyList<DayAggregate> Timeline,
    WholeOperationAggregate? WholeOperationReturns)
{
    public int CountriesParticipating => Operation.Participants.Count;

    /// <summary>Participants that have reported at least one figure; a non-participant's stray return is shown but not counted here.</summary>
    public int CountriesReporting => Countries.Count(country => country.IsParticipant && country.HasReported);

    /// <summary>True when any figure comes from seed data whose per-country or per-day split is illustrative.</summary>
    public bool IncludesIllustrativeAllocation => Countries.Any(country => country.IsIllustrative);

    public IEnumerable<CountryAggregate> NotReporting => Countries.Where(country => country.IsParticipant && !country.HasReported);
}
