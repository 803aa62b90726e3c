using Liberterra.Core.Aggregation;
using Liberterra.Core.Operations;
using Liberterra.Core.Returns;

namespace Liberterra.Core.Reporting;

/// <summary>One published figure set against the total computed from the current returns.</summary>
public sealed record ReconciliationRow(PublishedFigure Published, long? Computed)
{
    public bool Matches => Published.IsMatchedBy(Computed);
}

/// <summary>Computed totals against the reference figures the organisers published, one row per published figure.</summary>
public static class Reconciliation
{
    public const string CountriesParticipating = "countriesParticipating";

    public static IReadOnlyList<ReconciliationRow> For(OperationAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        return aggregate.Operation.PublishedFigures
            .Select(figure => new ReconciliationRow(figure, Computed(aggregate, figure.Metric)))
            .ToList();
    }

    /// <summary>The computed value of a metric by its published name; null when nobody reported it or the name is unknown.</summary>
    public static long? Computed(OperationAggregate aggregate, string metric)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        if (metric == CountriesParticipating)
        {
            return aggregate.CountriesParticipating;
        }

        return MetricCatalog.All.FirstOrDefault(m => m.Name == metric) is { } definition ? aggregate.Totals[definition] : null;
    }
}
