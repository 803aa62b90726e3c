using Liberterra.Core.Aggregation;
using Liberterra.Core.Countries;
using Liberterra.Core.Returns;
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

    /// <summary>The metric the map, the regions chart and the timeline show (?metric=, arrests by default).</summary>
    public MetricDefinition Metric { get; private set; } = MetricCatalog.Arrests;

    /// <summary>Victims safeguarded whose form of exploitation was not recorded; null when victims were not reported.</summary>
    public long? UnclassifiedVictims => Aggregate.Totals.VictimsSafeguarded is { } victims
        ? victims - MetricCatalog.Exploitation.Sum(metric => Aggregate.Totals[metric] ?? 0)
        : null;

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
        Metric = Display.ChartMetrics.FirstOrDefault(m => string.Equals(m.Name, metric, StringComparison.OrdinalIgnoreCase)) ?? MetricCatalog.Arrests;
        Table = CountryTableQuery.Parse(sort, dir, regionFilter, q);
        Rows = CountryTable.Apply(aggregate.Countries, Table);
        return Page();
    }

    /// <summary>A link that changes some parameters and keeps the rest, so every view is a link that can be shared.</summary>
    public string Link(string? sort = null, string? dir = null, string? metric = null)
    {
        var sortKey = sort ?? Table.Sort.Key;
        var descending = dir is null ? Table.Descending : dir == "desc";
        var isDefaultSort = sortKey == CountryTable.Columns[0].Key && !descending;
        var chosenMetric = metric ?? Metric.Name;
        var values = new Dictionary<string, string?>
        {
            ["metric"] = chosenMetric == MetricCatalog.Arrests.Name ? null : chosenMetric,
            ["region"] = Table.Region?.ToString(),
            ["q"] = Table.Search,
            ["sort"] = isDefaultSort ? null : sortKey,
            ["dir"] = isDefaultSort ? null : descending ? "desc" : "asc",
        };
        var query = QueryString.Create(values.Where(pair => pair.Value is not null));
        return $"/operations/{Aggregate.Operation.Code}{query}";
    }

    /// <summary>Clicking the sorted column flips it; any other column starts in its natural direction.</summary>
    public string SortLink(TableColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var descending = column == Table.Sort ? !Table.Descending : column.Numeric;
        return Link(column.Key, descending ? "desc" : "asc");
    }

    public string? AriaSort(TableColumn column) => column == Table.Sort ? (Table.Descending ? "descending" : "ascending") : null;
}
