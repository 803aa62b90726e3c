using Liberterra.Core.Returns;

namespace Liberterra.Core.Aggregation;

/// <summary>
/// Aggregated figures for every metric in <see cref="MetricCatalog"/>, each with how many countries reported it.
/// A metric nobody reported stays null: a blank never turns into a silent zero.
/// </summary>
public sealed class MetricTotals
{
    private readonly long?[] values;
    private readonly int[] reportedBy;

    private MetricTotals(long?[] values, int[] reportedBy)
    {
        this.values = values;
        this.reportedBy = reportedBy;
    }

    public long? this[MetricDefinition metric] => values[metric.Index];

    public long? Arrests => this[MetricCatalog.Arrests];
    public long? ArrestsTraffickingSmuggling => this[MetricCatalog.ArrestsTraffickingSmuggling];
    public long? VictimsSafeguarded => this[MetricCatalog.VictimsSafeguarded];
    public long? VictimsMinors => this[MetricCatalog.VictimsMinors];
    public long? IrregularMigrants => this[MetricCatalog.IrregularMigrants];
    public long? InvestigationsOpened => this[MetricCatalog.InvestigationsOpened];
    public long? OfficersDeployed => this[MetricCatalog.OfficersDeployed];

    /// <summary>How many countries contributed a value (possibly zero) to this metric.</summary>
    public int ReportedBy(MetricDefinition metric) => reportedBy[metric.Index];

    public bool IsAnyReported => values.Any(value => value is not null);

    /// <summary>One country's figures for one return: each reported metric counts as reported by one country.</summary>
    public static MetricTotals FromReturn(ReturnMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var vals = new long?[MetricCatalog.All.Count];
        var counts = new int[MetricCatalog.All.Count];
        foreach (var metric in MetricCatalog.All)
        {
            vals[metric.Index] = metric.Read(metrics);
            counts[metric.Index] = vals[metric.Index] is null ? 0 : 1;
        }

        return new MetricTotals(vals, counts);
    }

    /// <summary>
    /// One country's figures over several periods: flows add up, stocks take the highest level seen,
    /// because the same officers deployed on two days are still the same officers.
    /// </summary>
    public static MetricTotals CombineCountryPeriods(IEnumerable<ReturnMetrics> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var vals = new long?[MetricCatalog.All.Count];
        foreach (var period in periods)
        {
            foreach (var metric in MetricCatalog.All)
            {
                if (metric.Read(period) is not { } value)
                {
                    continue;
                }

                var current = vals[metric.Index];
                vals[metric.Index] = metric.Kind == MetricKind.Stock
                    ? Math.Max(current ?? value, value)
                    : (current ?? 0) + value;
            }
        }

        return new MetricTotals(vals, vals.Select(value => value is null ? 0 : 1).ToArray());
    }

    /// <summary>Figures of distinct countries (or of distinct countries on one day) add up for every metric, stocks included.</summary>
    public static MetricTotals SumAcrossCountries(IEnumerable<MetricTotals> countries)
    {
        ArgumentNullException.ThrowIfNull(countries);
        var vals = new long?[MetricCatalog.All.Count];
        var counts = new int[MetricCatalog.All.Count];
        foreach (var country in countries)
        {
            for (var i = 0; i < vals.Length; i++)
            {
                if (country.values[i] is { } value)
                {
                    vals[i] = (vals[i] ?? 0) + value;
                }

                counts[i] += country.reportedBy[i];
            }
        }

        return new MetricTotals(vals, counts);
    }
}
