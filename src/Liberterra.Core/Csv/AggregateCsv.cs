using System.Globalization;
using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Csv;

/// <summary>
/// CSV exports of the country table and the timeline. The API and the dashboard both write through here,
/// so the two downloads cannot drift apart. An empty cell means "not reported", never zero.
/// </summary>
public static class AggregateCsv
{
    public static void WriteCountries(DataSet dataSet, IEnumerable<CountryAggregate> countries, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(countries);
        using var csv = CsvText.CreateWriter(writer);
        csv.WriteRecord(["country", "name", "region", "participant", .. ColumnNames(dataSet), "lastUpdated", "illustrative"]);
        foreach (var row in countries)
        {
            csv.WriteRecord(
            [
                row.Country.Alpha3, row.Country.Name, row.Country.Region.DisplayName(), row.IsParticipant ? "true" : "false",
                .. Values(row.Figures),
                row.LastUpdated?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                row.IsIllustrative ? "true" : "false",
            ]);
        }
    }

    /// <summary>One row per day of the window; whole-operation returns, which belong to no day, follow as a row dated "all".</summary>
    public static void WriteTimeline(OperationAggregate aggregate, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        using var csv = CsvText.CreateWriter(writer);
        var dataSet = aggregate.Operation.DataSet;
        csv.WriteRecord(["date", "countriesReporting", .. ColumnNames(dataSet)]);
        foreach (var day in aggregate.Timeline)
        {
            csv.WriteRecord(
                [day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Format(day.CountriesReporting), .. Values(day.Figures)]);
        }

        if (aggregate.WholeOperationReturns is { } whole)
        {
            csv.WriteRecord([ReturnPeriod.WholeOperationKey, Format(whole.CountriesReporting), .. Values(whole.Figures)]);
        }
    }

    private static IEnumerable<string> ColumnNames(DataSet dataSet) => dataSet.Columns.Select(column => column.Name);

    private static IEnumerable<string> Values(IndicatorTotals figures) =>
        figures.DataSet.Columns.Select(column => figures[column]?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
