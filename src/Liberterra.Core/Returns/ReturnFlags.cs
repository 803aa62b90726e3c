using System.Globalization;

namespace Liberterra.Core.Returns;

/// <summary>A figure worth a second look. Unlike <see cref="ReturnValidator"/>'s rules, a flag never blocks a return.</summary>
public sealed record ReturnFlag(ReturnPeriod Period, string Rule, string Message);

/// <summary>
/// Soft validation rules, in the spirit of DHIS2's validation-rule warnings: figures that pass every hard rule
/// but that an analyst should check with the national unit before briefing on them.
/// </summary>
public static class ReturnFlags
{
    /// <summary>The forms of exploitation account for less than half of the victims safeguarded.</summary>
    public const string PartialBreakdown = "partial-breakdown";
    public const string DayOutlier = "day-outlier";

    /// <summary>A day is an outlier when it is more than this many times the country's median day…</summary>
    public const int OutlierFactor = 5;

    /// <summary>…and at least this large, so that small counts (3 against a median of 0) are not flagged.</summary>
    public const int OutlierFloor = 20;

    /// <summary>The flows checked for outlying days, with the words a flag uses for them.</summary>
    private static readonly (MetricDefinition Metric, string Words)[] OutlierMetrics =
    [
        (MetricCatalog.Arrests, "arrests"),
        (MetricCatalog.VictimsSafeguarded, "victims safeguarded"),
        (MetricCatalog.IrregularMigrants, "irregular migrants detected"),
    ];

    /// <summary>Flags for one country's current returns in one operation.</summary>
    public static IReadOnlyList<ReturnFlag> For(IReadOnlyCollection<CountryReturn> returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var flags = new List<ReturnFlag>();
        foreach (var item in returns.OrderBy(r => r.Period.Date ?? DateOnly.MaxValue))
        {
            // A few unclassified victims are normal while cases are assessed; most of them unclassified is worth a question.
            if (item.Metrics.VictimsByExploitation.Sum() is { } classified && item.Metrics.VictimsSafeguarded is { } victims && classified * 2 < victims)
            {
                flags.Add(new ReturnFlag(item.Period, PartialBreakdown,
                    $"The forms of exploitation account for only {Format(classified)} of the {Format(victims)} victims safeguarded."));
            }
        }

        var days = returns.Where(r => !r.Period.IsWholeOperation).ToList();
        foreach (var (metric, words) in OutlierMetrics)
        {
            var values = days.Where(d => metric.Read(d.Metrics) is not null).ToList();
            if (values.Count < 3)
            {
                continue;
            }

            var median = Median(values.Select(d => metric.Read(d.Metrics)!.Value));
            foreach (var day in values.OrderBy(d => d.Period.Date))
            {
                var value = metric.Read(day.Metrics)!.Value;
                if (value >= OutlierFloor && value > OutlierFactor * median)
                {
                    flags.Add(new ReturnFlag(day.Period, DayOutlier,
                        $"{Format(value)} {words} in one day, more than {OutlierFactor} times this country's median day ({Format(median)})."));
                }
            }
        }

        return flags.OrderBy(flag => flag.Period.Date ?? DateOnly.MaxValue).ToList();
    }

    private static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    private static string Format(double value) => value.ToString("#,##0.#", CultureInfo.InvariantCulture);
}
