using Liberterra.Core.Aggregation;
using Liberterra.Core.Operations;

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

    /// <summary>
    /// The computed value of a published figure's metric: participation, an indicator's total (a breakdown's is the sum
    /// of its options), or one column such as "workersIdentified.women"; null when nobody reported it or the name is unknown.
    /// </summary>
    public static long? Computed(OperationAggregate aggregate, string metric)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        if (metric == CountriesParticipating)
        {
            return aggregate.CountriesParticipating;
        }

        var dataSet = aggregate.Operation.DataSet;
        return dataSet.Find(metric) is { } indicator ? aggregate.Totals.Total(indicator) : aggregate.Totals[metric];
    }
}
