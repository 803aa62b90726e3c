using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.DataSets;
using Liberterra.Web.Caching;
using Liberterra.Web.Dashboard;
using Liberterra.Web.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Liberterra.Web.Pages.Operations;

/// <summary>One operation at a glance: headline cards, charts with their data tables, and the country table.</summary>
public sealed class DashboardModel(AggregateCache cache) : PageModel
{
    public OperationAggregate Aggregate { get; private set; } = null!;

    public CountryTableQuery Table { get; private set; } = null!;

    public IReadOnlyList<CountryAggregate> Rows { get; private set; } = [];

    /// <summary>The country table's columns, which follow the operation's data set.</summary>
    public IReadOnlyList<TableColumn> Columns { get; private set; } = [];

    /// <summary>The indicators the map and charts can show, in data-set order.</summary>
    public IReadOnlyList<Indicator> ChartIndicators { get; private set; } = [];

    /// <summary>
    /// The indicator the map, the regions chart and the timeline show (?metric=, the data set's first by default); null only
    /// for a data set made of breakdowns alone, whose charts are the breakdown charts.
    /// </summary>
    public Indicator? Metric { get; private set; }

    public IEnumerable<Indicator> Breakdowns => Aggregate.Operation.DataSet.Indicators.Where(indicator => indicator.IsBreakdown);

    /// <summary>
    /// How much of a breakdown's whole its options leave out (victims whose form of exploitation was not recorded); null
    /// when the breakdown is part of nothing or its whole was not reported.
    /// </summary>
    public long? Unclassified(Indicator breakdown)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var dataSet = Aggregate.Operation.DataSet;
        return breakdown.PartOf is { } code && dataSet.Find(code) is { } whole && Aggregate.Totals.Total(whole) is { } total
            ? total - (Aggregate.Totals.Total(breakdown) ?? 0)
            : null;
    }

    public async Task<IActionResult> OnGetAsync(
        string code, string? sort, string? dir, string? region, string? q, string? metric, CancellationToken cancellationToken)
    {
        if (!RegionFilter.TryParse(region, out var regionFilter))
        {
            return new ResultAction(ApiProblems.UnknownRegion(region!));
        }

        if (await cache.GetAsync(code, cancellationToken) is not { } aggregate)
        {
            return new ResultAction(ApiProblems.OperationNotFound(code));
        }

        Aggregate = aggregate;
        var dataSet = aggregate.Operation.DataSet;
        ChartIndicators = Display.ChartIndicators(dataSet);
        Metric = Display.ByCode(ChartIndicators, indicator => indicator.Code, metric) ?? ChartIndicators.FirstOrDefault();
        Columns = CountryTable.ColumnsFor(dataSet);
        Table = CountryTableQuery.Parse(Columns, sort, dir, regionFilter, q);
        Rows = CountryTable.Apply(aggregate.Countries, Table);
        return Page();
    }

    /// <summary>A link that changes some parameters and keeps the rest, so every view is a link that can be shared.</summary>
    public string Link(string? sort = null, string? dir = null, string? metric = null)
    {
        var sortKey = sort ?? Table.Sort.Key;
        var descending = dir is null ? Table.Descending : dir == "desc";
        var isDefaultSort = sortKey == Columns[0].Key && !descending;
        var chosenMetric = metric ?? Metric?.Code;
        var values = new Dictionary<string, string?>
        {
            ["metric"] = IsDefaultMetric(chosenMetric) ? null : chosenMetric,
            ["region"] = Table.Region?.ToString(),
            ["q"] = Table.Search,
            ["sort"] = isDefaultSort ? null : sortKey,
            ["dir"] = isDefaultSort ? null : descending ? "desc" : "asc",
        };
        var query = QueryString.Create(values.Where(pair => pair.Value is not null));
        return $"/operations/{Aggregate.Operation.Code}{query}";
    }

    /// <summary>Whether a metric is the one shown without ?metric=, so links and forms can leave it out.</summary>
    public bool IsDefaultMetric(string? code) => code is null || code == ChartIndicators.FirstOrDefault()?.Code;

    /// <summary>Clicking the sorted column flips it; any other column starts in its natural direction.</summary>
    public string SortLink(TableColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var descending = column == Table.Sort ? !Table.Descending : column.Numeric;
        return Link(column.Key, descending ? "desc" : "asc");
    }

    public string? AriaSort(TableColumn column) => column == Table.Sort ? (Table.Descending ? "descending" : "ascending") : null;
}
