using Liberterra.Core.Aggregation;
using Liberterra.Core.DataSets;

namespace Liberterra.Core.Reporting;

/// <summary>The change in one figure from the previous operation; null when either side is not reported.</summary>
public sealed record Change(long Difference, double? Percent);

/// <summary>One figure across operations (oldest first), with the change from each operation to the next.</summary>
/// <param name="Metric">An indicator's code, or <see cref="Reconciliation.CountriesParticipating"/>.</param>
/// <param name="Label">The indicator's label; null for participation, which every operation has.</param>
public sealed record ComparisonRow(string Metric, Label? Label, IReadOnlyList<long?> Values, IReadOnlyList<Change?> Changes);

/// <summary>An indicator that some of the compared operations do not collect, and which ones.</summary>
public sealed record MissingIndicator(string Code, Label Label, IReadOnlyList<string> MissingFrom);

/// <summary>Rows for the indicators every operation shares, and what the others lack.</summary>
public sealed record Comparison(IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<MissingIndicator> Missing);

/// <summary>
/// Operations side by side, oldest first, so a briefing can say how this year compares with the last. Only indicators
/// that every operation collects (same code, same kind) are compared; the rest are listed as missing rather than shown
/// as blanks that could pass for "not reported".
/// </summary>
public static class OperationComparison
{
    public static Comparison Compare(IReadOnlyList<OperationAggregate> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var rows = new List<ComparisonRow> { Row(oldestFirst, Reconciliation.CountriesParticipating, null, aggregate => aggregate.CountriesParticipating) };
        var missing = new List<MissingIndicator>();
        var all = oldestFirst.SelectMany(aggregate => aggregate.Operation.DataSet.Indicators)
            .DistinctBy(indicator => indicator.Code, StringComparer.Ordinal)
            .ToList();
        foreach (var indicator in all.OrderBy(indicator => oldestFirst.Any(a => a.Operation.DataSet.Find(indicator.Code) is null)))
        {
            var lacking = oldestFirst
                .Where(aggregate => aggregate.Operation.DataSet.Find(indicator.Code) is not { } own || own.Kind != indicator.Kind)
                .Select(aggregate => aggregate.Operation.Code)
                .ToList();
            if (lacking.Count > 0)
            {
                missing.Add(new MissingIndicator(indicator.Code, indicator.Label, lacking));
                continue;
            }

            rows.Add(Row(oldestFirst, indicator.Code, indicator.Label, aggregate => aggregate.Totals.Total(aggregate.Operation.DataSet.Find(indicator.Code)!)));
        }

        return new Comparison(rows, missing);
    }

    private static ComparisonRow Row(IReadOnlyList<OperationAggregate> oldestFirst, string metric, Label? label, Func<OperationAggregate, long?> value)
    {
        var values = oldestFirst.Select(value).ToList();
        var changes = values.Select((v, i) => i == 0 ? null : ChangeBetween(values[i - 1], v)).ToList();
        return new ComparisonRow(metric, label, values, changes);
    }

    private static Change? ChangeBetween(long? before, long? after) =>
        before is { } b && after is { } a ? new Change(a - b, b == 0 ? null : (a - b) * 100.0 / b) : null;
}
