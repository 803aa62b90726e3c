using Liberterra.Core.Aggregation;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Reporting;

/// <summary>The change in one metric from the previous operation; null when either side is not reported.</summary>
public sealed record Change(long Difference, double? Percent);

/// <summary>One metric across operations (oldest first), with the change from each operation to the next.</summary>
public sealed record ComparisonRow(string Metric, IReadOnlyList<long?> Values, IReadOnlyList<Change?> Changes);

/// <summary>Operations side by side, oldest first, so a briefing can say how this year compares with the last.</summary>
public static class OperationComparison
{
    /// <summary>The metrics compared: participation, then the headline flows, then the officers stock.</summary>
    public static IReadOnlyList<string> Metrics { get; } =
    [
        Reconciliation.CountriesParticipating,
        MetricCatalog.Arrests.Name,
        MetricCatalog.ArrestsTraffickingSmuggling.Name,
        MetricCatalog.VictimsSafeguarded.Name,
        MetricCatalog.VictimsMinors.Name,
        MetricCatalog.IrregularMigrants.Name,
        MetricCatalog.InvestigationsOpened.Name,
        MetricCatalog.OfficersDeployed.Name,
    ];

    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<OperationAggregate> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        return Metrics.Select(metric =>
        {
            var values = oldestFirst.Select(aggregate => Reconciliation.Computed(aggregate, metric)).ToList();
            var changes = values.Select((value, i) => i == 0 ? null : ChangeBetween(values[i - 1], value)).ToList();
            return new ComparisonRow(metric, values, changes);
        }).ToList();
    }

    private static Change? ChangeBetween(long? before, long? after) =>
        before is { } b && after is { } a ? new Change(a - b, b == 0 ? null : (a - b) * 100.0 / b) : null;
}
