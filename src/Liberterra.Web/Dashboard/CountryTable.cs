using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;

namespace Liberterra.Web.Dashboard;

/// <summary>A sortable column of the country table. <see cref="Indicator"/> is null for the other columns.</summary>
public sealed record TableColumn(string Key, string Heading, Indicator? Indicator, bool Numeric);

/// <summary>
/// What the country table shows, read from the query string (sort, dir, region, q) so that a sorted, filtered
/// view is a link an analyst can share. An unknown sort or direction falls back to the default; the region has been
/// checked already (<see cref="RegionFilter"/>), since a bad region gets the same answer here as on the API.
/// </summary>
public sealed record CountryTableQuery(TableColumn Sort, bool Descending, Region? Region, string? Search)
{
    public static CountryTableQuery Parse(IReadOnlyList<TableColumn> columns, string? sort, string? dir, Region? region, string? search)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var column = Display.ByCode(columns, c => c.Key, sort) ?? columns[0];
        var descending = dir is null ? column.Numeric : string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase);
        var text = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        return new CountryTableQuery(column, descending, region, text is { Length: > 100 } ? text[..100] : text);
    }
}

public static class CountryTable
{
    /// <summary>
    /// The table's columns for one data set: the country, its region, every indicator with a single figure in data-set
    /// order (keyed by its code; a breakdown has its own chart), and the last return. "name", "region" and "lastUpdated"
    /// are reserved, so no indicator's key can clash with them.
    /// </summary>
    public static IReadOnlyList<TableColumn> ColumnsFor(DataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return
        [
            new("name", "Country", null, false),
            new("region", "Region", null, false),
            .. Display.ChartIndicators(dataSet).Select(indicator => new TableColumn(indicator.Code, indicator.Label.En, indicator, true)),
            new("lastUpdated", "Last return", null, true),
        ];
    }

    /// <summary>
    /// Names sort and match as a reader expects: "Côte d'Ivoire" sorts with the Cs rather than after "Czechia", and
    /// "cote" finds it. The app runs with invariant globalization (no ICU), so neither culture-aware comparison nor
    /// Unicode normalisation is available; accented Latin-1 letters, the only ones country names use, are folded here.
    /// </summary>
    private static readonly IComparer<string> Names = Comparer<string>.Create((a, b) => string.Compare(Fold(a), Fold(b), StringComparison.OrdinalIgnoreCase));

    private const string Accented = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ";
    private const string Unaccented = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy";

    private static string Fold(string text) => string.Create(text.Length, text, (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var at = Accented.IndexOf(source[i], StringComparison.Ordinal);
            span[i] = at < 0 ? source[i] : Unaccented[at];
        }
    });

    /// <summary>Filters, then sorts. Blanks sort last in either direction: "not reported" is not smaller than zero.</summary>
    public static IReadOnlyList<CountryAggregate> Apply(IEnumerable<CountryAggregate> rows, CountryTableQuery query)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        var filtered = rows.Where(row => query.Region is null || row.Country.Region == query.Region)
            .Where(row => query.Search is not { } text
                || Fold(row.Country.Name).Contains(Fold(text), StringComparison.OrdinalIgnoreCase)
                || row.Country.Alpha3.Equals(text, StringComparison.OrdinalIgnoreCase));

        var byName = Comparer<CountryAggregate>.Create((a, b) => Names.Compare(a.Country.Name, b.Country.Name));
        var sorted = query.Sort switch
        {
            { Key: "name" } => Order(filtered, row => row.Country.Name, query.Descending, Names),
            { Key: "region" } => Order(filtered, row => row.Country.Region.DisplayName(), query.Descending, StringComparer.Ordinal),
            { Indicator: { } indicator } => OrderBlanksLast(filtered, row => row.Figures.Total(indicator), query.Descending),
            _ => OrderBlanksLast(filtered, row => row.LastUpdated?.Ticks, query.Descending),
        };
        return sorted.ThenBy(row => row, byName).ToList();
    }

    private static IOrderedEnumerable<CountryAggregate> Order(
        IEnumerable<CountryAggregate> rows, Func<CountryAggregate, string> key, bool descending, IComparer<string> comparer) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    private static IOrderedEnumerable<CountryAggregate> OrderBlanksLast(IEnumerable<CountryAggregate> rows, Func<CountryAggregate, long?> key, bool descending)
    {
        var blanksLast = rows.OrderBy(row => key(row) is null);
        return descending ? blanksLast.ThenByDescending(key) : blanksLast.ThenBy(key);
    }
}
