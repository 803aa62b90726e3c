using Liberterra.Core.Countries;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Aggregation;

/// <summary>
/// Rolls the current returns of one operation up into totals, regions, countries, a daily timeline and completeness.
/// Flows are summed over periods and countries; stocks (officers deployed) take each country's highest level before
/// being summed across countries.
/// </summary>
public static class ReturnAggregator
{
    public static OperationAggregate Aggregate(
        Operation operation,
        IReadOnlyDictionary<string, Country> countries,
        IReadOnlyCollection<CountryReturn> currentReturns)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(countries);
        ArgumentNullException.ThrowIfNull(currentReturns);

        var byCountry = currentReturns.ToLookup(r => r.Country, StringComparer.Ordinal);

        // Participants always appear, reported or not; a country with returns that is no longer a participant
        // is still shown rather than silently dropped from the figures.
        var countryCodes = operation.Participants.Concat(byCountry.Select(group => group.Key))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        var countryRows = countryCodes.Select(code =>
        {
            var returns = byCountry[code].ToList();
            var country = countries.TryGetValue(code, out var known)
                ? known
                : throw new InvalidOperationException($"Operation '{operation.Code}' refers to unknown country '{code}'.");
            return new CountryAggregate(
                country,
                operation.Participants.Contains(code),
                IndicatorTotals.CombineCountryPeriods(operation.DataSet, returns.Select(r => r.Values)),
                returns.Count(r => r.Values.IsAnyReported),
                returns.Count == 0 ? null : returns.Max(r => r.UpdatedAt),
                returns.Any(r => r.IsIllustrative));
        }).ToList();

        var regions = RegionNames.All.Select(region =>
        {
            var inRegion = countryRows.Where(row => row.Country.Region == region).ToList();
            return new RegionAggregate(
                region,
                inRegion.Count(row => row.IsParticipant),
                inRegion.Count(row => row.IsParticipant && row.HasReported),
                IndicatorTotals.SumAcrossCountries(operation.DataSet, inRegion.Select(row => row.Figures)));
        }).ToList();

        var daily = currentReturns.Where(r => r.Period.Date is not null).ToLookup(r => r.Period.Date!.Value);
        var timeline = operation.Days().Select(day =>
        {
            var returns = daily[day].ToList();
            return new DayAggregate(
                day,
                returns.Count(r => r.Values.IsAnyReported),
                IndicatorTotals.SumAcrossCountries(operation.DataSet, returns.Select(r => IndicatorTotals.FromReturn(operation.DataSet, r.Values))));
        }).ToList();

        var wholeOperation = currentReturns.Where(r => r.Period.IsWholeOperation).ToList();

        return new OperationAggregate(
            operation,
            IndicatorTotals.SumAcrossCountries(operation.DataSet, countryRows.Select(row => row.Figures)),
            currentReturns.Count == 0 ? null : currentReturns.Max(r => r.UpdatedAt),
            regions,
            countryRows,
            timeline,
            wholeOperation.Count == 0
                ? null
                : new WholeOperationAggregate(
                    wholeOperation.Count(r => r.Values.IsAnyReported),
                    IndicatorTotals.SumAcrossCountries(operation.DataSet, wholeOperation.Select(r => IndicatorTotals.FromReturn(operation.DataSet, r.Values)))));
    }
}
